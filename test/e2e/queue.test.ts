// listen queue as a care desk and cron use it: the built CLI on a small file of our own, exit codes
// 0/2/3, stdout only the data, the cut and the window on stderr, personal data masked, CSV read back
// by Python's strict csv reader.
import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BIN, runCli } from '../helpers/cli.js'
import { spawnPty } from '../helpers/pty.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'
const AT = '2026-11-09T12:00:00Z'
const rows = [
  { source: 'x', id: 'q1', created_at: '2026-11-09T11:50:00Z', author: 'ann', text: 'Wann öffnet der Schalter in Kiel?', label: 'question' },
  { source: 'x', id: 'c1', created_at: '2026-11-09T10:00:00Z', author: 'ben', text: '@AcmeHelp refund still missing, my IBAN is DE89 3704 0044 0532 0130 00', label: 'complaint' },
  { source: 'x', id: 'o1', created_at: '2026-11-09T11:30:00Z', author: 'cem', text: 'Acme app down again?', label: 'outage' },
  { source: 'x', id: 'c2', created_at: '2026-11-09T09:00:00Z', author: 'dora', text: 'Charged twice, "again",\nsecond line', label: 'complaint' },
  { source: 'x', id: 'r2', created_at: '2026-11-09T09:20:00Z', author: 'AcmeHelp', text: 'Sorry Dora, DM us', in_reply_to: 'c2', by_brand: true },
  { source: 'x', id: 'p1', created_at: '2026-11-09T11:00:00Z', author: 'eve', text: 'Love the new lounge', label: 'praise' },
  { source: 'x', id: 'old', created_at: '2026-11-01T11:00:00Z', author: 'fay', text: 'Still waiting since last week', label: 'complaint' },
]

async function project(config: object = {}): Promise<string> {
  const dir = tmp()
  writeFileSync(join(dir, 'listen.config.json'), JSON.stringify({ timezone: 'UTC', brands: [{ name: 'Acme', query: 'Acme', handles: { x: 'AcmeHelp' } }], ...config }))
  writeFileSync(join(dir, 'posts.jsonl'), rows.map((r) => JSON.stringify({ brand: 'Acme', ...r })).join('\n'))
  const imp = await runCli(['import', 'posts.jsonl'], { cwd: dir })
  expect(imp.code, imp.stderr).toBe(0)
  return dir
}

describe('listen queue', () => {
  it('--watch on a terminal re-reads the database every --interval, shows what came in, and stops on Ctrl-C', { timeout: 60_000 }, async () => {
    const dir = await project()
    const tty = spawnPty([process.execPath, BIN, 'queue', '--watch', '--interval', '1s', '--since', '90d'], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1', COLUMNS: '200' },
    })
    await tty.waitFor(/Acme app down again\?/)
    await tty.waitFor(/refreshing every 1s; Ctrl-C to stop/)
    expect(tty.output()).not.toContain('Acme checkout broken')
    // A post that arrives meanwhile (another process writes it) shows on a later refresh, with no flag given again.
    writeFileSync(join(dir, 'late.jsonl'), JSON.stringify({ brand: 'Acme', source: 'x', id: 'o2', created_at: new Date().toISOString(), author: 'gus', text: 'Acme checkout broken for everyone', label: 'outage' }))
    const imp = await runCli(['import', 'late.jsonl'], { cwd: dir })
    expect(imp.code, imp.stderr).toBe(0)
    await tty.waitFor(/Acme checkout broken for everyone/)
    // Each frame clears the screen first; the one with the new post is at least the second.
    expect(tty.output().split('\x1b[2J\x1b[H').length - 1).toBeGreaterThanOrEqual(2)
    tty.send('\x03')
    expect(await tty.exited).toBe(0)
    expect(tty.output()).not.toMatch(/listen: |Error/)
  })

  it('orders outage > complaint > question, masks personal data and flags DM', async () => {
    const dir = await project()
    const r = await runCli(['queue', '--at', AT, '--format', 'json'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    const m = JSON.parse(r.stdout)
    expect(m.items.map((i: { id: string }) => i.id)).toEqual(['o1', 'c1', 'q1'])
    const c1 = m.items[1]
    expect(c1).toMatchObject({ label: 'complaint', ageMinutes: 120, slaMinutes: 60, slaLeftMinutes: -60, breached: true, flags: ['DM'], pii: ['iban'], piiMasked: ['DE89 •••• 3000'] })
    expect(c1.text).toBe('@AcmeHelp refund still missing, my IBAN is DE89 •••• 3000')
    expect(r.stdout).not.toContain('0532 0130')
    expect(m).toMatchObject({ total: 3, breached: 1, brandPostsKnown: true })
    expect(r.stderr).toContain('queue: posts since 2026-11-08 12:00 (UTC)')
  })

  it('takes the SLA per label from the config, exits 3 on a breach with --fail-on-breach, and says a cut on stderr', async () => {
    const dir = await project({ sla: { complaint: '4h', question: '5m' } })
    const r = await runCli(['queue', '--at', AT, '--format', 'ndjson', '--limit', '2', '--fail-on-breach'], { cwd: dir })
    expect(r.code).toBe(3)
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(lines.map((l) => [l.id, l.slaLeftMinutes, l.breach])).toEqual([['o1', 30, ''], ['c1', 120, '']])
    expect(r.stderr).toContain('2 of 3 waiting posts shown; --limit 0 for all')
    expect(r.stderr).toContain('1 post past the SLA without an answer')
    const ok = await runCli(['queue', '--at', AT, '--label', 'outage', '--fail-on-breach', '--format', 'json'], { cwd: dir })
    expect(ok.code, ok.stderr).toBe(0)
  })

  it('filters by label and window, and refuses bad flags with exit 2', async () => {
    const dir = await project()
    const week = await runCli(['queue', '--at', AT, '--since', '10d', '--label', 'complaint', '--format', 'json'], { cwd: dir })
    expect(JSON.parse(week.stdout).items.map((i: { id: string }) => i.id)).toEqual(['old', 'c1'])
    const bad = await runCli(['queue', '--label', 'praise'], { cwd: dir })
    expect([bad.code, bad.stdout]).toEqual([2, ''])
    expect(bad.stderr).toContain('--label: "praise" is not a queue label')
    const watch = await runCli(['queue', '--watch'], { cwd: dir })
    expect(watch.code).toBe(2)
    expect(watch.stderr).toContain('--watch needs a terminal')
    writeFileSync(join(dir, 'listen.config.json'), JSON.stringify({ sla: { complaint: 'soon' } }))
    const badSla = await runCli(['queue'], { cwd: dir })
    expect(badSla.code).toBe(2)
    expect(badSla.stderr).toContain('sla.complaint')
  })

  it.skipIf(spawnSync(PYTHON, ['-c', 'import csv']).status !== 0)('writes CSV that Python reads back cell for cell', async () => {
    const dir = await project()
    const r = await runCli(['queue', '--at', AT, '--since', '10d', '--format', 'csv', '--no-formula-guard', '--output', 'q.csv'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    const py = spawnSync(PYTHON, ['-c', "import csv,json,sys; rows=list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8'), strict=True)); print(json.dumps([[r['id'], r['label'], r['text'], r['flags'], r['breach']] for r in rows]))", join(dir, 'q.csv')], { encoding: 'utf8' })
    expect(py.stderr).toBe('')
    expect(JSON.parse(py.stdout)).toEqual([
      ['o1', 'outage', 'Acme app down again?', '', ''],
      ['old', 'complaint', 'Still waiting since last week', '', '!'],
      ['c1', 'complaint', '@AcmeHelp refund still missing, my IBAN is DE89 •••• 3000', 'DM', '!'],
      ['q1', 'question', 'Wann öffnet der Schalter in Kiel?', '', ''],
    ])
  })
})

describe('listen mentions --flag pii', () => {
  it('lists only mentions with personal data, with kinds and masks in every format', async () => {
    const dir = await project()
    const r = await runCli(['mentions', '--flag', 'pii', '--format', 'json'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).mentions.map((m: { id: string; pii: string; piiMasked: string[] }) => [m.id, m.pii, m.piiMasked])).toEqual([['c1', 'iban', ['DE89 •••• 3000']]])
    const csv = await runCli(['mentions', '--flag', 'pii', '--format', 'csv'], { cwd: dir })
    expect(csv.stdout.split('\n')[0]).toContain(',pii,piiMasked')
    const bad = await runCli(['mentions', '--flag', 'secret'], { cwd: dir })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--flag: unknown flag "secret"')
  })
})
