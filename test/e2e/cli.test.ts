// Whole-CLI runs: exit code, stdout and stderr, as cron and spreadsheets see them.
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { SHARED, useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const TWCS = join(SHARED, 'datasets/twcs_head5000.csv')
const TWCS_MAP = 'id=tweet_id,author=author_id,created_at=created_at,text=text,in_reply_to=in_response_to_tweet_id'

describe('listen CLI', () => {
  it('prints help with exit 0 and examples per command', async () => {
    const r = await runCli(['--help'], { cwd: tmp() })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Usage: listen/)
    for (const cmd of ['import', 'mentions', 'report', 'demo', 'init']) {
      const h = await runCli([cmd, '--help'], { cwd: tmp() })
      expect(h.code).toBe(0)
      expect(h.stdout).toMatch(/Example:/)
    }
  })

  it('listen help <command> is help asked for (exit 0, stdout); listen alone is a usage error (exit 2, help on stderr)', async () => {
    const asked = await runCli(['help', 'audit'], { cwd: tmp() })
    expect(asked).toMatchObject({ code: 0, stderr: '' })
    expect(asked.stdout).toBe((await runCli(['audit', '--help'], { cwd: tmp() })).stdout)
    const bare = await runCli([], { cwd: tmp() })
    expect(bare).toMatchObject({ code: 2, stdout: '' })
    expect(bare.stderr).toMatch(/^Usage: listen \[options\] \[command\]/)
  })

  it.each([
    [['report', '--bogus'], /unknown option '--bogus'/],
    [['report', '--tz', 'Mars/Base'], /--tz: unknown time zone "Mars\/Base"/],
    [['report', '--from', 'yesterday-ish'], /--from: cannot read "yesterday-ish" as a date/],
    [['report', '--since', '7'], /--since: cannot read "7" as a duration/],
    [['mentions', '--format', 'xml'], /--format: "xml" is not one of/],
    [['report'], /no database at .*listen\.db/],
    [['report', '--config', 'nope.json'], /cannot read config .*nope\.json/],
  ])('exits 2 with a one-line error for %j', async (args, msg) => {
    const r = await runCli(args, { cwd: tmp() })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(msg)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(r.stdout).toBe('')
  })

  it('names a corrupt database and exits 1; --verbose adds the stack', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'listen.db'), 'garbage'.repeat(200))
    const r = await runCli(['report'], { cwd: dir })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/listen\.db is not a SQLite database or is corrupt/)
    const v = await runCli(['report', '--verbose'], { cwd: dir })
    expect(v.stderr).toMatch(/\n\s+at /)
  })

  it('reports a bad config key path with exit 2', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'listen.config.json'), JSON.stringify({ brands: [{ name: 'Acme', query: 7 }] }))
    const r = await runCli(['report'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/listen\.config\.json: brands\[0\]\.query: .*expected string/)
  })

  it('imports the real TWCS excerpt idempotently and reports by hour', async () => {
    const dir = tmp()
    const first = await runCli(['import', TWCS, '--source', 'twitter', '--map', TWCS_MAP], { cwd: dir })
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    const a = JSON.parse(first.stdout)
    expect(a.totals).toEqual({ rows: 5000, inserted: 5000, updated: 0, unchanged: 0, bad: 0 })
    const again = await runCli(['import', TWCS, '--source', 'twitter', '--map', TWCS_MAP], { cwd: dir })
    expect(JSON.parse(again.stdout).totals).toEqual({ rows: 5000, inserted: 0, updated: 0, unchanged: 5000, bad: 0 })

    const m = await runCli(['mentions', '--search', 'private secured link', '--limit', '0', '--format', 'json'], { cwd: dir })
    expect(m.code).toBe(0)
    const found = JSON.parse(m.stdout).mentions.find((x: { id: string }) => x.id === '1')
    expect(found).toMatchObject({ source: 'twitter', author: 'sprintcare', createdAt: '2017-10-31T22:10:47.000Z', inReplyTo: '3' })

    const r = await runCli(['report', '--by-hour', '--tz', 'America/New_York', '--from', '2017-10-01', '--until', '2017-12-01'], { cwd: dir })
    expect(r.code).toBe(0)
    const rep = JSON.parse(r.stdout)
    expect(rep).toMatchObject({ timezone: 'America/New_York', from: '2017-10-01T04:00:00.000Z', until: '2017-12-01T05:00:00.000Z', days: 61 })
    expect(rep.hours).toHaveLength(24)
    expect(rep.hours.reduce((s: number, h: { total: number }) => s + h.total, 0)).toBe(rep.total)
    expect(Object.keys(rep.hours[0])).toEqual(['hour', 'total', 'perDay', 'byLabel'])

    const csv = await runCli(['report', '--from', '2017-10-01', '--until', '2017-12-01', '--format', 'csv'], { cwd: dir })
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^hour,total,perDay,outage,complaint,question,praise,other,untagged\b/)
    // Tagged on the way in: every customer mention carries a label.
    expect(rep.hours.reduce((s: number, h: { byLabel: { untagged: number } }) => s + h.byLabel.untagged, 0)).toBe(0)
  })

  it('counts exactly the customer posts of each local hour (TWCS, inbound only)', async () => {
    const dir = tmp()
    await runCli(['import', TWCS, '--source', 'twitter', '--map', `${TWCS_MAP},by_brand=!inbound`, '--no-tag'], { cwd: dir })
    const r = await runCli(['report', '--tz', 'America/New_York', '--from', '2017-10-01', '--until', '2017-12-01'], { cwd: dir })
    const rep = JSON.parse(r.stdout)
    // Counted independently from the CSV: inbound rows with 2017-10-01T04:00Z <= created_at < 2017-12-01T05:00Z.
    expect(rep.total).toBe(2754)
    expect(rep.hours.reduce((s: number, h: { byLabel: { untagged: number } }) => s + h.byLabel.untagged, 0)).toBe(2754)
  })

  it('skips bad rows with file:line, saves the rest and exits 1', async () => {
    const dir = tmp()
    const file = join(dir, 'posts.jsonl')
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'a', source: 'x', created_at: '2026-11-02T09:00:00Z', text: 'fine' }),
        '{ not json',
        JSON.stringify({ id: 'b', source: 'x', created_at: 'soon', text: 'bad date' }),
        JSON.stringify({ id: 'c', source: 'x', created_at: 1762074000, text: 'epoch seconds' }),
      ].join('\n'),
    )
    const r = await runCli(['import', file], { cwd: dir })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/posts\.jsonl:2: not valid JSON/)
    expect(r.stderr).toMatch(/posts\.jsonl:3: cannot read created_at "soon"/)
    expect(JSON.parse(r.stdout).totals).toMatchObject({ inserted: 2, bad: 2 })
  })

  it('a malformed brand query is a config error for every command: the file, brands[i].query and the position', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'listen.config.json'), JSON.stringify({ brands: [{ name: 'Acme', query: '(acme OR acmeair' }] }))
    for (const args of [['report'], ['fetch', '--dry-run', '--source', 'hackernews']]) {
      const r = await runCli(args, { cwd: dir })
      expect(r.code).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(/^listen: \S+listen\.config\.json: brands\[0\]\.query: query '\(acme OR acmeair': at character \d+, /)
    }
  })

  it('writes a starter config that the other commands accept', async () => {
    const dir = tmp()
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0)
    expect(existsSync(join(dir, 'listen.config.json'))).toBe(true)
    expect((await runCli(['init'], { cwd: dir })).code).toBe(2)
    const r = await runCli(['mentions'], { cwd: dir })
    expect(r.stderr).toMatch(/no database at/)
  })

  it('runs the offline demo with JSON on a pipe', async () => {
    const r = await runCli(['demo'], { cwd: tmp() })
    expect(r.code).toBe(0)
    const rep = JSON.parse(r.stdout)
    expect(rep).toMatchObject({ kind: 'by-hour', timezone: 'Europe/Berlin', days: 28 })
    expect(rep.total).toBeGreaterThan(1000)
    expect(rep.hours[3].perDay).toBeLessThan(rep.hours[19].perDay)
  })
})
