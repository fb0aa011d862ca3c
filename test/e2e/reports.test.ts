// The reports as a user runs them: the real TWCS excerpt, every output format, exit codes.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDb } from '../../src/store/sqlite/db.js'
import { AuditStore, PARALLEL_MIN_ROWS } from '../../src/store/sqlite/audit.js'
import { createAuditAccumulator, resolveBrandMatcher } from '../../src/report/audit.js'
import { runCli } from '../helpers/cli.js'
import { SHARED, useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const TWCS = join(SHARED, 'datasets/twcs_head5000.csv')
const TWCS_MAP = 'id=tweet_id,author=author_id,created_at=created_at,text=text,in_reply_to=in_response_to_tweet_id'

describe('listen audit on a file large enough for the second thread', () => {
  it('walks the answers on a worker while it scans, with the figures of the walk in one thread', async () => {
    // N customer posts a second apart. i % 4: 0 answered by the brand after 1 min (every second of
    // those by the handle AcmeHelp, the rest marked by_brand); 1 followed up by the customer after
    // 30 s, the follow-up answered 2 min after the post (so both are answered, through the chain);
    // 2 and 3 never answered.
    const N = 160_000
    const dir = tmp()
    const file = join(dir, 'big.db')
    const db = openDb(file, { create: true })
    const T0 = Date.parse('2026-10-05T08:00:00Z')
    db.exec(`WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${N - 1})
      INSERT INTO mentions (source, id, created_at, author, text, in_reply_to, by_brand, label, label_source, fetched_at)
      SELECT 'x', 'c' || i, ${T0} + i * 1000, 'u' || (i % 500), 'post ' || i, NULL, 0, 'complaint', 'model', ${T0} FROM seq
      UNION ALL SELECT 'x', 'r' || i, ${T0} + i * 1000 + 60000, CASE WHEN i % 8 = 0 THEN 'AcmeHelp' ELSE 'agent' END, 'sorry', 'c' || i,
        CASE WHEN i % 8 = 0 THEN 0 ELSE 1 END, NULL, NULL, ${T0} FROM seq WHERE i % 4 = 0
      UNION ALL SELECT 'x', 'f' || i, ${T0} + i * 1000 + 30000, 'u' || (i % 500), 'still broken', 'c' || i, 0, 'question', 'model', ${T0} FROM seq WHERE i % 4 = 1
      UNION ALL SELECT 'x', 'g' || i, ${T0} + i * 1000 + 120000, 'agent', 'on it', 'f' || i, 1, NULL, NULL, ${T0} FROM seq WHERE i % 4 = 1`)
    db.close()
    expect(N * 1.5).toBeGreaterThanOrEqual(PARALLEL_MIN_ROWS)

    const r = await runCli(['--db', file, 'audit', '--all', '--handles', 'AcmeHelp', '--format', 'json'], { cwd: dir })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const m = JSON.parse(r.stdout)
    expect(m.overall).toMatchObject({ mentions: N * 1.25, answered: N * 0.75, never: N * 0.5, within1h: N * 0.75 })
    // Answer delays: N/4 of 1 min, N/4 of 2 min (the post), N/4 of 1.5 min (the follow-up).
    expect(m.overall.medianMinutes).toBe(1.5)
    expect(m.byLabel.map((l: { label: string; answered: number }) => [l.label, l.answered])).toEqual([['complaint', N / 2], ['question', N / 4]])

    // The same walk in this thread (the sources run here, without a compiled worker).
    const one = openDb(file, { create: false, readonly: true })
    const store = new AuditStore(one)
    const brand = resolveBrandMatcher([], 'AcmeHelp')
    const acc = createAuditAccumulator('UTC')
    expect(store.computeAnswers(T0, brand)).toBe(N * 0.75)
    store.scanAudit({ from: T0, until: T0 + N * 1000 + 120_001, labels: ['outage', 'complaint', 'question'], includeUntagged: true, brand }, acc.add)
    one.close()
    expect(acc.summarize().overall).toEqual(m.overall)

    const ledger = await runCli(['--db', file, 'audit', '--all', '--handles', 'AcmeHelp', '--ledger', '--limit', '3', '--format', 'json'], { cwd: dir })
    expect(ledger.code).toBe(0)
    expect(JSON.parse(ledger.stdout).ledger.items.map((i: { id: string }) => i.id)).toEqual(['c2', 'c3', 'c6'])
  }, 60_000)
})

describe('listen audit on the TWCS excerpt', () => {
  it('finds the companies by their non-numeric ids and reports first-response times', async () => {
    const dir = tmp()
    const imp = await runCli(['import', TWCS, '--source', 'twitter', '--map', TWCS_MAP], { cwd: dir })
    expect(imp.code).toBe(0)
    // Every customer post, whatever the tagger (if it ran at import) said: independent of the model.
    const ALL = 'outage,complaint,question,praise,other,untagged'
    const r = await runCli(['audit', '--all', '--handles', 'auto-nonnumeric', '--labels', ALL, '--format', 'json'], { cwd: dir })
    expect(r.code).toBe(0)
    const m = JSON.parse(r.stdout)
    expect(m.kind).toBe('audit')
    expect(m.overall.mentions).toBe(2778)
    expect(m.overall.answered).toBe(2397)
    expect(m.overall.medianMinutes).toBe(13.6)
    expect(m.bySource.map((s: { source: string }) => s.source)).toEqual(['twitter'])
    expect(m.hourOfWeek).toHaveLength(168)
    expect(m.completeness.sources[0].note).toBe('imported, completeness unknown')

    const none = await runCli(['audit', '--all', '--format', 'json'], { cwd: dir })
    expect(none.stderr).toMatch(/No brand posts found.*--handles auto-nonnumeric/)
    expect(JSON.parse(none.stdout).overall.shareNever).toBe(1)

    const ledger = await runCli(['audit', '--all', '--handles', 'auto-nonnumeric', '--ledger', '--limit', '5', '--format', 'csv'], { cwd: dir })
    const lines = ledger.stdout.trim().split('\r\n')
    expect(lines[0]).toBe('createdAt,createdAt_local,waiting,ageHours,source,id,label,author,text,url,brand')
    expect(lines).toHaveLength(6)

    const hours = await runCli(['audit', '--all', '--handles', 'auto-nonnumeric', '--hours', '--format', 'ndjson'], { cwd: dir })
    expect(hours.stdout.trim().split('\n')).toHaveLength(168)

    const table = await runCli(['audit', '--all', '--handles', 'auto-nonnumeric', '--labels', ALL, '--format', 'table'], { cwd: dir })
    expect(table.stdout).toMatch(/First response: median 13\.6 min/)
    expect(table.stdout).toMatch(/Completeness: twitter imported, completeness unknown\./)

    const summary = await runCli(['report', '--summary', '--from', '2017-10-01', '--until', '2017-12-04', '--handles', 'auto-nonnumeric', '--labels', ALL, '--format', 'json'], { cwd: dir })
    expect(summary.code).toBe(0)
    expect(JSON.parse(summary.stdout).needsResponse.unanswered).toBe(381)

    const hourly = await runCli(['report', '--by-hour', '--from', '2017-10-01', '--until', '2017-12-04', '--aht', '6m', '--target', '1h', '--service-level', '0.8', '--format', 'csv'], { cwd: dir })
    expect(hourly.stdout.split('\r\n')[0]).toMatch(/^hour,total,perDay,.*peakWeekday,perHour,agents,scheduled,workload,backlogAgents,coverage$/)
  })
})

describe('listen staff', () => {
  it.each(['table', 'json', 'ndjson', 'csv'])('prints the textbook example as %s', async (format) => {
    const r = await runCli(['staff', '--volume', '100', '--aht', '240s', '--target', '20s', '--service-level', '0.8', '--format', format], { cwd: tmp() })
    expect(r.code).toBe(0)
    if (format === 'json') expect(JSON.parse(r.stdout)).toMatchObject({ agents: 10, scheduled: 15, backlogAgents: 8 })
    else expect(r.stdout).toMatch(/10/)
  })

  it.each([
    [['staff', '--volume', '100', '--aht', '4m', '--target', '20s', '--service-level', '2'], /--service-level: expected a share/],
    [['report', '--by-hour', '--summary'], /choose one report/],
    [['report', '--aht', '6m'], /staffing needs --target, --service-level/],
    [['audit', '--ledger', '--hours'], /--ledger and --hours/],
  ])('exits 2 with a one-line error for %j', async (args, msg) => {
    const r = await runCli(args, { cwd: tmp() })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(msg)
    expect(r.stdout).toBe('')
  })
})
