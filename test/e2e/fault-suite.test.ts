// The fault-injection suite: two sources at once (Hacker News and a Mastodon tag timeline, stand-ins
// on 127.0.0.1 that answer like the real APIs), every fault kind the README's Reliability section
// lists. Each scenario checks what the faulty run did and said, then a clean rerun, and then the
// database: every mention exactly once, the rollup exact, PRAGMA integrity_check ok.
// In-process runs (the real client, real SQLite files) for the faults; the built CLI for what only
// processes show: SIGKILL mid-walk, overlapping runs, two processes on a new database, exit codes.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { CommandContext } from '../../src/commands/context.js'
import { configSchema } from '../../src/config/schema.js'
import type { FetchModel, SourceResult } from '../../src/models/fetch.js'
import { BIN, runCli } from '../helpers/cli.js'
import { type FaultServer, hackerNewsServer, hnStories, mastodonServer, mastodonStatuses, type Plan } from '../helpers/fault-servers.js'
import { type FetchTestFlags, runFetch } from '../helpers/flags.js'
const BRAND = { name: 'Nordwind Mobile', query: 'Nordwind Mobile' }

interface Setup {
  dir: string
  hn: FaultServer
  masto: FaultServer
  /** What a complete fetch must hold, per source. */
  expected: { hackernews: string[]; mastodon: string[] }
  config: (over?: { hackernews?: string }) => Record<string, unknown>
}

/** A fresh directory and two servers, removed and closed when `work` ends (tests run concurrently: each cleans up its own). */
async function withSetup(o: { huge?: boolean }, work: (s: Setup) => Promise<void>): Promise<void> {
  const s = await setup(o)
  try {
    await work(s)
  } finally {
    await Promise.all([s.hn.close(), s.masto.close()])
    rmSync(s.dir, { recursive: true, force: true })
  }
}

async function setup(o: { huge?: boolean } = {}): Promise<Setup> {
  const now = Date.now()
  const stories = hnStories(250, Math.floor(now / 1000))
  // A post of one 5 MB "word" (issue 14, item 2): it must tag and save like any other.
  if (o.huge) stories[17] = { ...stories[17]!, story_text: 'a'.repeat(5_000_000) }
  const statuses = mastodonStatuses(100, now)
  const hn = await hackerNewsServer(() => stories)
  const masto = await mastodonServer(() => statuses)
  const dir = mkdtempSync(join(tmpdir(), 'listen-faults-'))
  const config = (over: { hackernews?: string } = {}) => ({
    brands: [BRAND],
    sources: { hackernews: { baseUrl: over.hackernews ?? `${hn.url}/api/v1` }, mastodon: { baseUrl: masto.url } },
  })
  return { dir, hn, masto, config, expected: { hackernews: stories.map((s) => s.objectID).sort(), mastodon: statuses.map((s) => s.id).sort() } }
}

function context(s: Setup, config = s.config()): CommandContext & { warnings: string[] } {
  const warnings: string[] = []
  const parsed = configSchema.parse(config)
  return {
    config: { ...parsed, path: join(s.dir, 'listen.config.json'), database: join(s.dir, 'listen.db'), timezone: 'UTC', brands: parsed.brands },
    timezone: 'UTC',
    now: Date.now(),
    env: {},
    log: { warn: (m) => warnings.push(m), info() {}, debug() {} },
    root: s.dir,
    warnings,
  }
}

const fetch = (s: Setup, flags: FetchTestFlags = {}, config?: Record<string, unknown>) =>
  runFetch({ maxPages: '50', timeout: '1s', maxWait: '5s', ...flags }, context(s, config))

const bySource = (m: FetchModel) => Object.fromEntries(m.sources.map((r) => [r.source, r])) as Record<'hackernews' | 'mastodon', SourceResult>

function stored(dir: string): { hackernews: string[]; mastodon: string[] } {
  const db = new Database(join(dir, 'listen.db'), { readonly: true })
  try {
    const ids = (source: string) => db.prepare('SELECT id FROM mentions WHERE source = ? ORDER BY id').pluck().all(source) as string[]
    return { hackernews: ids('hackernews'), mastodon: ids('mastodon') }
  } finally {
    db.close()
  }
}

/** Every mention exactly once, the rollup equal to the rows, the file intact. */
function expectExactlyOnce(s: Setup): void {
  expect(stored(s.dir)).toEqual(s.expected)
  const db = new Database(join(s.dir, 'listen.db'), { readonly: true })
  try {
    const rows = db.prepare('SELECT count(*) AS n, count(DISTINCT source || char(31) || id) AS d FROM mentions').get() as { n: number; d: number }
    expect(rows.n).toBe(s.expected.hackernews.length + s.expected.mastodon.length)
    expect(rows.d).toBe(rows.n)
    const customers = db.prepare('SELECT count(*) FROM mentions WHERE by_brand = 0').pluck().get()
    expect(db.prepare('SELECT coalesce(sum(n), 0) FROM mention_buckets').pluck().get()).toBe(customers)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  } finally {
    db.close()
  }
}

const always = (fault: ReturnType<Plan>): Plan => () => fault
const once = (fault: ReturnType<Plan>): Plan => (n) => (n === 1 ? fault : 'ok')
/** The fault on every request for the second page of a walk (Algolia page=1; Mastodon's second min_id). */
const secondPage = (fault: ReturnType<Plan>): Plan => {
  const seen = new Set<string>()
  return (_n, url) => {
    const key = url.searchParams.get('page') ?? url.searchParams.get('min_id') ?? ''
    if (url.searchParams.has('page')) return key === '1' ? fault : 'ok'
    seen.add(key)
    return [...seen].indexOf(key) === 1 ? fault : 'ok'
  }
}

type Status = SourceResult['status']
interface Scenario {
  hn?: Plan
  masto?: Plan
  flags?: FetchTestFlags
  huge?: boolean
  /** Point hackernews at a port nobody listens on. */
  refused?: boolean
  status: { hackernews: Status; mastodon: Status }
  error?: { hackernews?: RegExp; mastodon?: RegExp }
  /** Pages of the faulty walk were saved before it broke. */
  partial?: Array<'hackernews' | 'mastodon'>
}

const scenarios: Array<[string, Scenario]> = [
  ['500 once: retried with backoff, recovered', { hn: once('500'), status: { hackernews: 'ok', mastodon: 'ok' } }],
  ['500 every time: the source fails after 4 attempts, the other is saved', { hn: always('500'), status: { hackernews: 'failed', mastodon: 'ok' }, error: { hackernews: /→ 500 \(after 4 attempts\): upstream hiccup/ } }],
  ['a connection reset mid-body once: the request restarts from scratch', { masto: once('reset-mid-body'), hn: once('reset-mid-body'), status: { hackernews: 'ok', mastodon: 'ok' } }],
  ['a connection reset on every try: "connection reset"', { hn: always('reset-mid-body'), status: { hackernews: 'failed', mastodon: 'ok' }, error: { hackernews: /failed after 4 attempts: connection reset/ } }],
  ['no response headers in time, once: timed out, retried', { masto: once('stall-headers'), status: { hackernews: 'ok', mastodon: 'ok' } }],
  ['a body that stops half-way, once: timed out, retried', { hn: once('stall-body'), status: { hackernews: 'ok', mastodon: 'ok' } }],
  ['malformed JSON', { masto: always('malformed-json'), status: { hackernews: 'ok', mastodon: 'failed' }, error: { mastodon: /malformed JSON/ } }],
  ['an HTML page with status 200', { hn: always('html'), status: { hackernews: 'failed', mastodon: 'ok' }, error: { hackernews: /expected JSON but got an HTML page \(status 200\): .*Wartungsarbeiten/ } }],
  ['a payload without its required field', { masto: always('missing-field'), status: { hackernews: 'ok', mastodon: 'failed' }, error: { mastodon: /unexpected payload from .*: \(root\): / } }],
  ['a 429 within --max-wait: waited out', { hn: once('429-short'), status: { hackernews: 'ok', mastodon: 'ok' } }],
  ['a 429 beyond --max-wait: both deferred, cursors kept', { hn: once('429-long'), masto: once('429-long'), status: { hackernews: 'deferred', mastodon: 'deferred' }, error: { hackernews: /deferred to the next run/, mastodon: /deferred to the next run/ } }],
  ['a failure on page 2: the pages before it saved, the cursor kept', { hn: secondPage('html'), masto: secondPage('500'), status: { hackernews: 'failed', mastodon: 'failed' }, partial: ['hackernews', 'mastodon'] }],
  ['connection refused', { refused: true, status: { hackernews: 'failed', mastodon: 'ok' }, error: { hackernews: /ECONNREFUSED/ } }],
  ['a post of one 5 MB word: tagged and saved', { huge: true, status: { hackernews: 'ok', mastodon: 'ok' } }],
  ['both sources failing', { hn: always('500'), masto: always('html'), status: { hackernews: 'failed', mastodon: 'failed' } }],
]

async function closedPort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const port = (srv.address() as { port: number }).port
  await new Promise<void>((r) => srv.close(() => r()))
  return port
}

describe.concurrent('fault injection, in process: two sources at once, then a clean rerun', () => {
  it.each(scenarios)('%s', (_name, sc) => withSetup({ huge: sc.huge }, async (s) => {
    s.hn.setPlan(sc.hn ?? always('ok'))
    s.masto.setPlan(sc.masto ?? always('ok'))
    const broken = sc.refused ? s.config({ hackernews: `http://127.0.0.1:${await closedPort()}/api/v1` }) : undefined
    const faulty = bySource(await fetch(s, sc.flags, broken))
    expect({ hackernews: faulty.hackernews.status, mastodon: faulty.mastodon.status }).toEqual(sc.status)
    for (const source of ['hackernews', 'mastodon'] as const) {
      const r = faulty[source]
      if (sc.error?.[source]) expect(r.error).toMatch(sc.error[source]!)
      // A failure names the source and the URL it asked.
      if (r.status === 'failed') expect(r.error).toMatch(new RegExp(`^${BRAND.name}: ${source}: (GET|unexpected payload from) http://127\\.0\\.0\\.1:\\d+/`))
      const saved = stored(s.dir)[source]
      if (r.status === 'ok') expect(saved).toEqual(s.expected[source])
      if (sc.partial?.includes(source)) expect(saved.length).toBeGreaterThan(0)
    }

    // The clean rerun (--force: a deferral would otherwise hold the source until its reset).
    s.hn.setPlan(always('ok'))
    s.masto.setPlan(always('ok'))
    const clean = bySource(await fetch(s, { force: true }))
    expect({ hackernews: clean.hackernews.status, mastodon: clean.mastodon.status }).toEqual({ hackernews: 'ok', mastodon: 'ok' })
    expectExactlyOnce(s)
    // And an incremental run after it finds nothing new.
    const again = await fetch(s)
    expect(again.totals).toMatchObject({ new: 0, failed: 0, deferred: 0 })
  }), 60_000)

  it('a deferred source is not asked again before its reset; the next run says until when', () => withSetup({}, async (s) => {
    s.hn.setPlan(always('429-long'))
    expect(bySource(await fetch(s)).hackernews.status).toBe('deferred')
    const asked = s.hn.requests()
    const next = bySource(await fetch(s))
    expect(next.hackernews).toMatchObject({ status: 'deferred', requests: 0 })
    expect(next.hackernews.error).toMatch(/^deferred until \d{4}-\d\d-\d\dT.* by a rate limit in an earlier run; not asked \(--force asks anyway\)$/)
    expect(s.hn.requests()).toBe(asked)
    expect(next.mastodon.status).toBe('ok')
  }), 60_000)
})

// ---------------------------------------------------------------------------------------------
// Real processes.

function writeConfig(s: Setup): void {
  writeFileSync(join(s.dir, 'listen.config.json'), JSON.stringify(s.config()))
}

function spawnFetch(dir: string, args: string[] = []) {
  const child = spawn(process.execPath, [BIN, 'fetch', '--max-pages', '50', '--format', 'json', ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((r) =>
    child.on('close', (code, signal) => r({ code, signal, stdout, stderr })),
  )
  return { child, done }
}

describe.concurrent('fault injection, real processes', () => {
  it('exit codes and messages: a failed source exits 1 naming it and its URL; a deferred one exits 0', () => withSetup({}, async (s) => {
    writeConfig(s)
    s.hn.setPlan(always('500'))
    const failed = await runCli(['fetch', '--max-pages', '50'], { cwd: s.dir })
    expect(failed.code).toBe(1)
    expect(failed.stderr).toMatch(/hackernews: FAILED: .*hackernews: GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/search_by_date\?\S+ → 500 \(after 4 attempts\)/)
    expect(failed.stderr).toMatch(/listen: 1 of 2 sources failed; the others were saved\n$/)
    expect(JSON.parse(failed.stdout).sources.find((r: SourceResult) => r.source === 'mastodon')).toMatchObject({ status: 'ok', new: 100 })

    s.hn.setPlan(always('429-long'))
    const deferred = await runCli(['fetch', '--max-pages', '50', '--max-wait', '2s'], { cwd: s.dir })
    expect(deferred.code).toBe(0)
    expect(deferred.stderr).toMatch(/hackernews: deferred to the next run: .*rate limited until/)
    const skipped = await runCli(['fetch', '--max-pages', '50'], { cwd: s.dir })
    expect(skipped.code).toBe(0)
    expect(skipped.stderr).toMatch(/hackernews: deferred to the next run: deferred until \S+ by a rate limit in an earlier run; not asked \(--force asks anyway\)/)

    s.hn.setPlan(always('ok'))
    expect((await runCli(['fetch', '--max-pages', '50', '--force'], { cwd: s.dir })).code).toBe(0)
    expectExactlyOnce(s)
  }), 60_000)

  it('SIGKILL mid-walk, three times, with both sources walking: the rerun holds every mention once', () => withSetup({}, async (s) => {
    writeConfig(s)
    let kill: (() => void) | null = null
    let killAt = -1
    let served = 0
    const count: Plan = () => {
      if (++served === killAt) kill?.()
      return 'slow'
    }
    s.hn.setPlan(count)
    s.masto.setPlan(count)
    for (const at of [2, 4, 6]) {
      served = 0
      killAt = at
      const run = spawnFetch(s.dir)
      kill = () => run.child.kill('SIGKILL')
      expect((await run.done).signal).toBe('SIGKILL')
    }
    killAt = -1
    s.hn.setPlan(always('ok'))
    s.masto.setPlan(always('ok'))
    const done = await spawnFetch(s.dir).done
    expect(done.code).toBe(0)
    expect(done.stderr).toMatch(/earlier run\(s\) had been interrupted mid-walk/)
    expectExactlyOnce(s)
  }), 60_000)

  it('overlapping runs: the second exits 1 and fetches nothing; two on a new database with --wait both succeed', () => withSetup({}, async (s) => {
    writeConfig(s)
    // The first run's requests are held: it holds the lock until the second has tried.
    s.hn.setPlan(always('held'))
    s.masto.setPlan(always('held'))
    const first = spawnFetch(s.dir)
    while (s.hn.requests() + s.masto.requests() === 0) await new Promise((r) => setTimeout(r, 20))
    const second = await runCli(['fetch'], { cwd: s.dir })
    expect(second.code).toBe(1)
    expect(second.stderr).toMatch(/^listen: another listen fetch is running \(pid \d+ on .* since .*\); nothing was fetched\. Use --wait 5m to wait for it\n$/)
    s.hn.setPlan(always('ok'))
    s.masto.setPlan(always('ok'))
    s.hn.release()
    s.masto.release()
    expect((await first.done).code).toBe(0)
    expectExactlyOnce(s)

    // Two processes on a database that does not exist yet (issue 14, item 4): migrations and the lock.
    await withSetup({}, async (t) => {
      writeConfig(t)
      const both = await Promise.all([spawnFetch(t.dir, ['--wait', '30s']).done, spawnFetch(t.dir, ['--wait', '30s']).done])
      expect(both.map((r) => [r.code, r.stderr.match(/listen: .*/)?.[0] ?? ''])).toEqual([[0, ''], [0, '']])
      expectExactlyOnce(t)
    })
  }), 60_000)
})
