// A newcomer's first hour, run as they would run it: imported history (TWCS is 2017) with the
// default windows, a config found from a subdirectory, dates for --since, the demo kept in --db,
// and the small flags that used to surprise.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_ENV } from '../../src/commands/demo.js'
import { BIN, runCli } from '../helpers/cli.js'
import { SHARED, useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const ROOT = join(import.meta.dirname, '../..')
const TWCS = join(SHARED, 'datasets/twcs_head5000.csv')
const TWCS_MAP = 'id=tweet_id,author=author_id,created_at=created_at,text=text,in_reply_to=in_response_to_tweet_id,by_brand=not:inbound'
// The clock of the machine is far past 2017: every default window on TWCS is empty.
const SUGGESTION = /the database holds 5,000 mentions from 2011-08-29 to 2017-12-03: try --from 2011-08-29 --until 2017-12-04$/m

describe('imported history with the default windows', () => {
  let dir = ''
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'listen-newcomer-'))
    const imp = await runCli(['import', TWCS, '--source', 'twitter', '--map', TWCS_MAP], { cwd: dir })
    expect(imp.code).toBe(0)
  }, 60_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it.each([
    [['report', '--format', 'csv']],
    [['report', '--summary', '--format', 'json']],
    [['audit', '--format', 'ndjson']],
    [['mentions', '--since', '7d', '--format', 'json']],
    [['report', '--format', 'table']],
  ])('%j says the window is empty, with the span the database covers and a ready --from/--until', async (args) => {
    const r = await runCli(args, { cwd: dir })
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^warning: no mentions (from|since) \d{4}-\d\d-\d\d \d\d:\d\d/m)
    expect(r.stderr).toMatch(SUGGESTION)
    // An empty window is not a missing brand: no "no brand posts found" on top.
    expect(r.stderr).not.toMatch(/No brand posts found/)
    expect(r.stdout).not.toMatch(/No brand posts found/)
  })

  it('report --html on the default window writes the page and says where the data is', async () => {
    const r = await runCli(['report', '--html', 'empty.html'], { cwd: dir })
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(new RegExp(`^${join(dir, 'empty.html')}\n`))
    expect(r.stderr).toMatch(SUGGESTION)
  })

  // (A window with posts but without brand posts still warns: test/e2e/reports.test.ts.)
  it('the suggested window holds the data', async () => {
    const r = await runCli(['report', '--from', '2011-08-29', '--until', '2017-12-04'], { cwd: dir })
    expect(r).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(r.stdout).total).toBe(2778)
  })

  it('--since and --until take dates and date-times too', async () => {
    const day = await runCli(['mentions', '--since', '2017-12-03', '--limit', '0', '--json', 'id,createdAt'], { cwd: dir })
    expect(day.code).toBe(0)
    const rows = JSON.parse(day.stdout) as Array<{ createdAt: string }>
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((m) => m.createdAt >= '2017-12-03T00:00:00.000Z')).toBe(true)
    const r = await runCli(['report', '--since', '2017-11-01T00:00Z', '--until', '2017-11-08', '--format', 'json'], { cwd: dir })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ from: '2017-11-01T00:00:00.000Z', until: '2017-11-08T00:00:00.000Z', days: 7 })
    const bad = await runCli(['report', '--since', 'last week'], { cwd: dir })
    expect(bad).toMatchObject({ code: 2, stdout: '' })
    expect(bad.stderr).toMatch(/^listen: --since: cannot read "last week" as a duration or a date/)
  })

  it('previous period before the data: "no data in the previous period", no percentage over 6 posts', async () => {
    const r = await runCli(['report', '--summary', '--from', '2017-10-01', '--until', '2017-12-04', '--format', 'json'], { cwd: dir })
    const m = JSON.parse(r.stdout)
    expect(m.previous).toMatchObject({ total: 6, comparable: false })
    expect(m.change).toBeNull()
    expect(m.byLabel.every((s: { change: number | null }) => s.change === null)).toBe(true)
    expect(m.notes[0]).toMatch(/no data in the previous period 2017-07-29 00:00 – 2017-10-01 00:00 \(posts on 5 of its days, on 51 in this one/)
    expect(r.stdout).not.toMatch(/46066/)
    const html = await runCli(['report', '--html', 'r.html', '--from', '2017-10-01', '--until', '2017-12-04'], { cwd: dir })
    expect(html.code).toBe(0)
    const page = spawnSync('cat', [join(dir, 'r.html')], { encoding: 'utf8' }).stdout
    expect(page).toMatch(/no data in the previous period/)
    expect(page).not.toMatch(/46066|46\u202f066/)
  })

  it('waiting times in readable units, counted to the window’s own end', async () => {
    const r = await runCli(['audit', '--all', '--handles', 'auto-nonnumeric', '--format', 'table'], { cwd: dir })
    expect(r.stdout).toMatch(/oldest: twitter\/236 \(32\.9 d\), .*waiting at 2017-12-03 18:52\./)
    expect(r.stdout).not.toMatch(/\d{4,}\.\d h|\d{4}\.\d d/)
    const ledger = await runCli(['audit', '--from', '2011-01-01', '--until', '2017-12-04', '--handles', 'auto-nonnumeric', '--ledger', '--limit', '1', '--format', 'json', '--json', 'id,waiting,ageHours'], { cwd: dir })
    const [first] = JSON.parse(ledger.stdout)
    expect(first.waiting).toMatch(/^\d+(\.\d)? (years|months|d)$/)
    expect(ledger.stderr).toMatch(/^1 of \d+ waiting posts shown; --limit 0 for all$/m)
  })
})

describe('set-up', () => {
  it('listen init says what it wrote and what to edit next', async () => {
    const dir = tmp()
    const r = await runCli(['init'], { cwd: dir })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(new RegExp(`^wrote ${join(dir, 'listen.config.json')} \\(database listen\\.db beside it`))
    expect(r.stderr).toMatch(/next, edit it:\n {2}brands\[\]: .*\n {2}sources: .*\n {2}timezone and staffing/)
    expect(r.stderr).toMatch(/then: listen fetch \(or listen import FILE\)/)
  })

  it('finds the config from a subdirectory, then in $XDG_CONFIG_HOME/listen; listen config path says which', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'listen.config.json'), JSON.stringify({ database: 'care.db', timezone: 'Europe/Berlin' }))
    const sub = join(dir, 'exports', 'week45')
    mkdirSync(sub, { recursive: true })
    const env = { HOME: dir }
    const where = await runCli(['config', 'path'], { cwd: sub, env })
    expect(where).toMatchObject({ code: 0, stdout: `${join(dir, 'listen.config.json')}\n`, stderr: '' })
    writeFileSync(join(sub, 'p.jsonl'), JSON.stringify({ id: '1', source: 'test', created_at: '2026-11-02T10:00', text: 'hallo' }))
    const imp = await runCli(['import', 'p.jsonl'], { cwd: sub, env })
    expect(JSON.parse(imp.stdout).database).toBe(join(dir, 'care.db'))
    // The config's zone: 10:00 without an offset is Berlin time.
    const m = await runCli(['mentions', '--json', 'createdAt'], { cwd: sub, env })
    expect(JSON.parse(m.stdout)).toEqual([{ createdAt: '2026-11-02T09:00:00.000Z' }])

    const home = tmp()
    const xdg = join(home, 'xdg')
    mkdirSync(join(xdg, 'listen'), { recursive: true })
    writeFileSync(join(xdg, 'listen', 'listen.config.json'), '{}')
    const fromXdg = await runCli(['config', 'path'], { cwd: home, env: { HOME: home, XDG_CONFIG_HOME: xdg } })
    expect(fromXdg.stdout).toBe(`${join(xdg, 'listen', 'listen.config.json')}\n`)
    const missing = await runCli(['--config', 'nope.json', 'config', 'path'], { cwd: home, env: { HOME: home } })
    expect(missing).toMatchObject({ code: 1, stdout: '' })
    expect(missing.stderr).toMatch(/^listen: .*nope\.json \(from --config\) does not exist/)
    const none = await runCli(['config', 'path'], { cwd: home, env: { HOME: home } })
    expect(none).toMatchObject({ code: 1, stdout: '' })
    expect(none.stderr).toMatch(/^listen: no config file; listen runs on defaults \(looked for .*listen\.config\.json.*\); listen init writes one\n$/)
  })

  it('listen --db x.db demo writes the demo into x.db and keeps it for the next commands', async () => {
    const dir = tmp()
    const r = await runCli(['--db', 'x.db', 'demo', '--format', 'json'], { cwd: dir })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'by-hour', demo: { database: join(dir, 'x.db'), kept: true } })
    expect(r.stderr).toMatch(/^demo database kept at .*x\.db; .*listen --db .*x\.db report --summary --from 2026-10-12 --until 2026-11-09$/m)
    expect(existsSync(join(dir, 'x.db'))).toBe(true)
    const after = await runCli(['--db', 'x.db', 'report', '--from', '2026-10-12', '--until', '2026-11-09', '--tz', 'Europe/Berlin'], { cwd: dir })
    expect(JSON.parse(after.stdout).total).toBe(JSON.parse(r.stdout).total)
    // Again on the same file: the recordings replay from the start, nothing doubles.
    const again = await runCli(['--db', 'x.db', 'demo', '--format', 'json'], { cwd: dir })
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout).total).toBe(JSON.parse(r.stdout).total)
    // Without --db nothing is left behind.
    const plain = await runCli(['demo'], { cwd: dir })
    expect(plain).toMatchObject({ code: 0, stderr: '' })
  })
})

describe('flags that used to surprise', () => {
  it('mentions --label untagged lists what the tagger has not labelled', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'p.jsonl'), [
      JSON.stringify({ id: 'a', source: 'test', created_at: '2026-11-02T10:00Z', text: 'one', label: 'praise' }),
      JSON.stringify({ id: 'b', source: 'test', created_at: '2026-11-02T11:00Z', text: 'two' }),
    ].join('\n'))
    await runCli(['import', 'p.jsonl', '--no-tag'], { cwd: dir })
    const r = await runCli(['mentions', '--label', 'untagged', '--json', 'id'], { cwd: dir })
    expect(r).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(r.stdout)).toEqual([{ id: 'b' }])
    const both = await runCli(['mentions', '--label', 'praise,untagged', '--json', 'id'], { cwd: dir })
    expect(JSON.parse(both.stdout)).toEqual([{ id: 'b' }, { id: 'a' }])
    const bad = await runCli(['mentions', '--label', 'angry'], { cwd: dir })
    expect(bad.stderr).toMatch(/^listen: --label: unknown label "angry" \(outage, complaint, question, praise, other, untagged\)/)
  })

  it.each([
    [['mentions', '--limit', 'abc'], /^listen: --limit: expected a whole number ≥ 0 \(0 = all\), got "abc"\n$/],
    [['audit', '--ledger', '--limit', '-3'], /^listen: --limit: expected a whole number ≥ 0 \(0 = all\), got "-3"\n$/],
    [['report', '--bogus'], /^listen: unknown option '--bogus' \(see listen report --help\)\n$/],
    [['frobnicate'], /^listen: unknown command 'frobnicate' \(see listen --help\)\n$/],
    [['mentions', '--limit'], /^listen: option '--limit <n>' argument missing \(see listen mentions --help\)\n$/],
  ])('%j exits 2 with one "listen:" line', async (args, msg) => {
    const dir = tmp()
    writeFileSync(join(dir, 'p.jsonl'), JSON.stringify({ id: 'a', source: 'test', created_at: '2026-11-02T10:00Z', text: 'one' }))
    await runCli(['import', 'p.jsonl', '--no-tag'], { cwd: dir })
    const r = await runCli(args, { cwd: dir })
    expect(r).toMatchObject({ code: 2, stdout: '' })
    expect(r.stderr).toMatch(msg)
  })

  it('ndjson and csv of staff and classify --text keep the headline result', async () => {
    const dir = tmp()
    const streamed = await runCli(['classify', '--input', '-', '--output', 'x.ndjson'], { cwd: dir, input: 'hello\n' })
    expect(streamed).toMatchObject({ code: 2, stdout: '' })
    expect(streamed.stderr).toMatch(/classify --input streams NDJSON to stdout/)
    const staff = await runCli(['staff', '--volume', '100', '--aht', '240s', '--target', '20s', '--service-level', '0.8', '--format', 'ndjson'], { cwd: dir })
    const rows = staff.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(rows.filter((r) => r.chosen === 'Erlang C')).toEqual([expect.objectContaining({ agents: 10, scheduled: 15, backlogAgents: 8 })])
    const csv = await runCli(['staff', '--volume', '100', '--aht', '240s', '--target', '20s', '--service-level', '0.8', '--format', 'csv'], { cwd: dir })
    expect(csv.stdout).toMatch(/^chosen,agents,scheduled,.*,backlogAgents\r\n/)
    expect(csv.stdout).toMatch(/\r\nErlang C,10,15,86\.8,.*,yes,8\r\n/)
    const text = await runCli(['classify', '--text', 'Seit heute früh Störung, kein Netz in Hamburg', '--model', 'builtin', '--format', 'csv'], { cwd: dir })
    expect(text.stdout.split('\r\n')[1]).toMatch(/^label,needs a response,outage,/)
    const nd = await runCli(['classify', '--text', 'thanks, all fixed, great support', '--model', 'builtin', '--format', 'ndjson'], { cwd: dir })
    expect(JSON.parse(nd.stdout.split('\n')[0]!)).toMatchObject({ kind: 'label', name: 'no response needed', label: 'praise' })
  })

  it.skipIf(!existsSync('/usr/bin/script'))('TERM=dumb: no fetch progress and no summary on a terminal; another TERM shows the summary', () => {
    const dir = tmp()
    const demo = join(ROOT, 'fixtures/demo')
    const run = (term: string) =>
      spawnSync('/usr/bin/script', ['-qec', `"${process.execPath}" "${BIN}" --config "${join(demo, 'listen.config.json')}" --db "${join(dir, `${term}.db`)}" fetch --replay "${join(demo, 'replay')}" --since 29d --max-pages 50 --format json >/dev/null`, '/dev/null'], {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: dir, TZ: 'UTC', TERM: term, ...DEMO_ENV },
        encoding: 'utf8',
      })
    const dumb = run('dumb')
    expect(dumb.status).toBe(0)
    expect(dumb.stdout).toBe('')
    const xterm = run('xterm')
    expect(xterm.status).toBe(0)
    expect(xterm.stdout).toMatch(/fetch: \d+ new, 0 updated, \d+ pages from 4 sources/)
  })
})
