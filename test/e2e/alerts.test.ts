// listen alerts as cron runs it: the built CLI on the fixture series, exit codes 0/1/2/3, stdout
// carrying only the data, stderr the reasons; the webhook against a local server.
import { writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const FIXTURES = resolve(import.meta.dirname, '../../fixtures/alerts')
const servers: Server[] = []
afterEach(() => servers.splice(0).forEach((s) => s.close()))

async function project(): Promise<string> {
  const dir = tmp()
  const config = { timezone: 'Europe/Berlin', brands: [{ name: 'Nordwind Mobile', query: 'Nordwind Mobile' }, { name: 'Acme Air', query: 'Acme Air' }] }
  writeFileSync(join(dir, 'listen.config.json'), JSON.stringify(config))
  const imp = await runCli(['import', join(FIXTURES, 'quiet.csv'), join(FIXTURES, 'burst.csv'), '--no-tag'], { cwd: dir })
  expect(imp.code).toBe(0)
  return dir
}

/** A webhook on 127.0.0.1 answering `status`; keeps what it receives. */
async function webhook(status: number): Promise<{ url: string; bodies: string[]; keys: Array<string | undefined> }> {
  const bodies: string[] = []
  const keys: Array<string | undefined> = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d.toString('utf8')))
    req.on('end', () => {
      bodies.push(body)
      keys.push(req.headers['idempotency-key'] as string | undefined)
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'invalid_token')
    })
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T1/B2/hunter2secret`, bodies, keys }
}

describe('listen alerts', () => {
  it('exits 3 on an outage with --fail-on-alert, 0 in the cooldown and in a quiet hour', async () => {
    const dir = await project()
    const burst = await runCli(['alerts', '--at', '2026-11-10T19:55+01:00', '--fail-on-alert', '--format', 'json'], { cwd: dir })
    expect(burst.code).toBe(3)
    const m = JSON.parse(burst.stdout)
    expect(m).toMatchObject({ kind: 'alerts', fired: 1, at: '2026-11-10T18:55:00.000Z' })
    expect(burst.stderr).toMatch(/^listen: 1 alert\(s\) fired: outage Nordwind Mobile \(\d+ posts\)\n$/)

    const again = await runCli(['alerts', '--at', '2026-11-10T20:00+01:00', '--fail-on-alert', '--format', 'table'], { cwd: dir })
    expect(again.code).toBe(0)
    expect(again.stderr).toBe('')
    expect(again.stdout).toMatch(/^No new alert: outage and complaint posts per brand/)
    expect(again.stdout).toMatch(/\(cooldown until 2026-11-10 20:55\) Outage: Nordwind Mobile/)

    const quiet = await runCli(['alerts', '--at', '2026-11-11T10:00+01:00', '--fail-on-alert', '--format', 'csv'], { cwd: dir })
    expect(quiet.code).toBe(0)
    expect(quiet.stdout.split('\r\n')[0]).toMatch(/^brand,kind,topic,status,count,expected,pShown,p,method,model,baseline,/)
    expect(quiet.stdout.split('\r\n').filter(Boolean)).toHaveLength(5)

    const nd = await runCli(['alerts', '--at', '2026-11-12T15:15+01:00', '--format', 'ndjson'], { cwd: dir })
    expect(nd.code).toBe(0) // fired, but without --fail-on-alert
    const raid = nd.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((r) => r.brand === 'Acme Air' && r.kind === 'complaint')
    expect(raid).toMatchObject({ status: 'fired', singlePlatform: true, platforms: expect.stringMatching(/^x \d+$/) })
  })

  it('cron: --fail-on-alert exits 3 after the webhook took the alert; the same alert never exits 3 twice', async () => {
    const dir = await project()
    const hook = await webhook(200)
    const r = await runCli(['alerts', '--at', '2026-11-10T19:55+01:00', '--webhook', hook.url, '--fail-on-alert'], { cwd: dir })
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/^listen: 1 alert\(s\) fired: outage Nordwind Mobile \(\d+ posts\)\n$/)
    expect(JSON.parse(r.stdout).delivery).toMatchObject({ status: 'delivered', alerts: 1, delayed: 0 })
    expect(hook.bodies).toHaveLength(1)
    expect(hook.keys[0]).toMatch(/^[0-9a-f]{32}$/)
    expect(JSON.parse(hook.bodies[0]!)).toMatchObject({ idempotency_key: hook.keys[0], alert_ids: [hook.keys[0]] })
    // Five minutes later the burst goes on, but the cooldown holds it back: exit 0, nothing posted.
    const later = await runCli(['alerts', '--at', '2026-11-10T20:00+01:00', '--webhook', hook.url, '--fail-on-alert'], { cwd: dir })
    expect(later.code).toBe(0)
    expect(later.stderr).toBe('')
    expect(hook.bodies).toHaveLength(1)
  })

  it('exits 2 on bad flags', async () => {
    const dir = await project()
    const r = await runCli(['alerts', '--p', '5'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe('listen: --p: expected a probability between 0 and 1, e.g. 0.001, got "5"\n')
  })

  it('exits 1 when the webhook fails, keeps the alert and delivers it on the next run', async () => {
    const dir = await project()
    const down = await webhook(403)
    const r = await runCli(['alerts', '--at', '2026-11-10T19:55+01:00', '--webhook', down.url, '--fail-on-alert', '--format', 'json'], { cwd: dir })
    expect(r.code).toBe(1)
    expect(down.bodies).toHaveLength(1)
    expect(JSON.parse(r.stdout).delivery.status).toBe('failed')
    expect(r.stderr).toMatch(/^listen: webhook failed: webhook: POST http:\/\/127\.0\.0\.1:\d+\/\*\*\* → 403: invalid_token; 1 alert\(s\) kept as undelivered, retried on the next run\n$/)
    expect(r.stdout + r.stderr).not.toContain('hunter2secret')

    const up = await webhook(200)
    const next = await runCli(['alerts', '--at', '2026-11-10T20:00+01:00', '--webhook', up.url, '--fail-on-alert', '--format', 'json'], { cwd: dir })
    expect(next.code).toBe(0)
    expect(JSON.parse(next.stdout).delivery).toMatchObject({ status: 'delivered', alerts: 1, delayed: 1 })
    const msg = JSON.parse(up.bodies[0]!)
    expect(msg.text).toMatch(/^listen: Outage: Nordwind Mobile — \d+ outage posts in 15 min/)
    expect(msg.blocks[0].text.text).toBe('(delayed) Outage: Nordwind Mobile')
  })
})
