// A whole `listen fetch` run as cron sees it: one source broken, the other saved, exit 1.
import { writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
let servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  servers = []
})

function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const s = createServer(handler)
  servers.push(s)
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)))
}

describe('listen fetch (CLI)', () => {
  it('saves the healthy source, names the broken one with its URL and no token, exits 1', async () => {
    const now = Math.floor(Date.now() / 1000)
    const hn = await serve((_req, res) => {
      const hits = [{ objectID: '41', created_at_i: now - 600, author: 'kim', title: 'Nordwind Mobile down in Kiel?', _tags: ['story'] }]
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hits, page: 0, nbPages: 1 }))
    })
    const x = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Service unavailable</body></html>')
    })
    const dir = tmp()
    writeFileSync(
      join(dir, 'listen.config.json'),
      JSON.stringify({
        brands: [{ name: 'Nordwind Mobile', query: 'Nordwind Mobile' }],
        sources: { hackernews: { baseUrl: `${hn}/api/v1` }, x: { baseUrl: x, tokenEnv: 'NW_X_TOKEN' } },
      }),
    )
    const r = await runCli(['fetch', '--verbose'], { cwd: dir, env: { NW_X_TOKEN: 'tok-abcdef-123456' } })
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout)
    expect(out.sources.find((s: { source: string }) => s.source === 'hackernews')).toMatchObject({ status: 'ok', new: 1 })
    expect(out.sources.find((s: { source: string }) => s.source === 'x')).toMatchObject({ status: 'failed' })
    expect(r.stderr).toMatch(new RegExp(`x: FAILED: .*x: GET ${x.replace(/[.:/]/g, '\\$&')}/2/tweets/search/recent\\?\\S* .*expected JSON but got an HTML page`))
    expect(r.stderr).toMatch(/listen: 1 of 2 sources failed; the others were saved/)
    expect(r.stdout + r.stderr).not.toContain('tok-abcdef-123456')

    const m = await runCli(['mentions', '--format', 'json'], { cwd: dir })
    expect(JSON.parse(m.stdout).mentions.map((x: { id: string; label: string }) => [x.id, x.label])).toEqual([['41', 'outage']])
  })
})
