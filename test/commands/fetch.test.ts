// listen fetch end to end inside the process: real SQLite file, real undici client, MockAgent transport.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { MockAgent } from 'undici'
import { describe, expect, it } from 'vitest'
import type { CommandContext } from '../../src/commands/context.js'
import { configSchema } from '../../src/config/schema.js'
import { loadReplayFile } from '../../src/http/replay.js'
import type { Brand } from '../../src/models/mention.js'
import { queryKey } from '../../src/models/runs.js'
import { openDb } from '../../src/store/sqlite/db.js'
import { FetchStore } from '../../src/store/sqlite/runs.js'
import { type FetchTestFlags, runFetch } from '../helpers/flags.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const FIXTURES = join(import.meta.dirname, '../../fixtures')
const NORDWIND: Brand = { name: 'Nordwind Mobile', query: 'Nordwind Mobile', handles: { hackernews: 'nordwind_support' } }
const NOW = Date.parse('2025-05-14T12:30:00Z')

function context(dir: string, sources: Record<string, Record<string, unknown>>, env: NodeJS.ProcessEnv = {}): CommandContext & { warnings: string[] } {
  const warnings: string[] = []
  return {
    config: { ...configSchema.parse({}), path: join(dir, 'listen.config.json'), database: join(dir, 'listen.db'), timezone: 'UTC', brands: [NORDWIND], sources },
    timezone: 'UTC',
    now: NOW,
    env,
    log: { warn: (m) => warnings.push(m), info() {}, debug() {} },
    root: join(import.meta.dirname, '../..'),
    warnings,
  }
}

function agentWith(...files: string[]): MockAgent {
  const agent = new MockAgent()
  agent.disableNetConnect()
  for (const f of files) loadReplayFile(agent, join(FIXTURES, f))
  return agent
}

const opts = (agent: MockAgent, over: FetchTestFlags = {}): FetchTestFlags => ({ since: '30d', dispatcher: agent, ...over })

function rows(dir: string) {
  const db = openDb(join(dir, 'listen.db'), { create: false, readonly: true })
  try {
    const store = new FetchStore(db)
    return {
      ids: store.mentions.listMentions({}).map((m) => `${m.source}:${m.id}`).sort(),
      cursor: store.cursor('hackernews', queryKey(NORDWIND)),
      runs: db.prepare('SELECT source, status, new_count, pages, error, covered_from, covered_until FROM fetch_runs ORDER BY id').all() as Array<Record<string, unknown>>,
    }
  } finally {
    db.close()
  }
}

describe('runFetch', () => {
  it('walks a source, saves every page, advances the cursor and records the run; a rerun adds nothing', async () => {
    const dir = tmp()
    const ctx = context(dir, { hackernews: { enabled: true } })
    const first = await runFetch(opts(agentWith('hackernews/replay.json')), ctx)
    expect(first.sources[0]).toMatchObject({ source: 'hackernews', status: 'ok', new: 6, pages: 3, error: null })
    const after = rows(dir)
    expect(after.ids).toHaveLength(6)
    const hits = ['search-page1.json', 'search-page2.json'].flatMap(
      (f) => (JSON.parse(readFileSync(join(FIXTURES, 'hackernews', f), 'utf8')) as { hits: { created_at_i: number }[] }).hits,
    )
    expect(after.cursor).toBe(String(Math.max(...hits.map((h) => h.created_at_i))))
    expect(after.runs[0]).toMatchObject({ status: 'ok', new_count: 6, pages: 3, covered_from: NOW - 30 * 86_400_000, covered_until: NOW })
    const again = await runFetch(opts(agentWith('hackernews/replay.json')), ctx)
    expect(again.sources[0]).toMatchObject({ status: 'ok', new: 0, updated: 0 })
    expect(rows(dir).ids).toEqual(after.ids)
  })

  it('a post of one 5 MB word is saved and tagged; the source does not fail', async () => {
    const dir = tmp()
    const agent = new MockAgent()
    agent.disableNetConnect()
    const at = Math.floor(NOW / 1000) - 600
    const hits = [
      { objectID: '1', created_at_i: at, author: 'kim', title: 'Nordwind Mobile down?', _tags: ['story'] },
      { objectID: '2', created_at_i: at - 60, author: 'bot', title: 'Nordwind Mobile', story_text: 'a'.repeat(5_000_000), _tags: ['story'] },
    ]
    const pool = agent.get('https://hn.algolia.com')
    pool.intercept({ path: (p) => p.includes('story') }).reply(200, { hits, page: 0, nbPages: 1 }, { headers: { 'content-type': 'application/json' } })
    pool.intercept({ path: (p) => p.includes('comment') || p.includes('author_') }).reply(200, { hits: [], page: 0, nbPages: 1 }, { headers: { 'content-type': 'application/json' } }).persist()
    const m = await runFetch(opts(agent), context(dir, { hackernews: {} }))
    expect(m.sources[0]).toMatchObject({ status: 'ok', new: 2, error: null })
    const db = openDb(join(dir, 'listen.db'), { create: false, readonly: true })
    expect(db.prepare('SELECT id, label IS NOT NULL AS tagged FROM mentions ORDER BY id').all()).toEqual([{ id: '1', tagged: 1 }, { id: '2', tagged: 1 }])
    db.close()
  })

  it('honours the brand query\'s exclusions and languages on a feed that cannot search, and counts what it dropped', async () => {
    const dir = tmp()
    const at = (h: number) => new Date(NOW - h * 3_600_000).toUTCString()
    const items = [
      ['1', 'Slack ist heute Morgen komplett ausgefallen', 'Seit acht Uhr lädt bei uns keine einzige Nachricht mehr, der Support antwortet nicht.'],
      ['2', 'Slack: Probleme mit Huddles', 'Die Huddles brechen nach zwei Minuten ab, bei allen Kollegen im Büro.'],
      ['3', 'Slack is down for everyone at work', 'Nothing loads since this morning and the status page says all is fine.'],
      ['4', 'Slack stock falls after the earnings call', 'The shares lost ten percent in early trading on Tuesday.'],
      ['5', 'Slack-Aktie: stock market news', 'Analysts expect the stock to recover.'],
      ['6', 'Neue Kaffeemaschine im Büro', 'Endlich wieder guter Kaffee für das ganze Team.'],
    ]
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>Tech</title>${items
      .map(([id, title, body], i) => `<item><guid>${id}</guid><title>${title}</title><description>${body}</description><pubDate>${at(i + 1)}</pubDate></item>`)
      .join('')}</channel></rss>`
    const agent = new MockAgent()
    agent.disableNetConnect()
    agent.get('https://news.example').intercept({ path: '/feed.xml' }).reply(200, xml, { headers: { 'content-type': 'application/rss+xml' } })
    const slack: Brand = { name: 'Slack', query: 'slack -stock -shares', languages: ['de'] }
    const ctx = { ...context(dir, { rss: { feeds: ['https://news.example/feed.xml'] } }), config: { ...context(dir, {}).config, brands: [slack], sources: { rss: { feeds: ['https://news.example/feed.xml'] } } } }
    const m = await runFetch(opts(agent), ctx)
    expect(m.sources[0]).toMatchObject({ status: 'ok', new: 2, dropped: { query: 1, excluded: 2, language: 1 } })
    expect(m.totals.dropped).toBe(4)
    const db = openDb(join(dir, 'listen.db'), { create: false, readonly: true })
    expect(db.prepare('SELECT id FROM mentions ORDER BY id').pluck().all()).toEqual(['1', '2'])
    db.close()
    const { fetchView } = await import('../../src/render/views-fetch.js')
    expect(fetchView(m).notes).toContain(
      'Not saved: rss 1 not matching, 2 excluded, 1 other language (the brand query, checked where the platform could not search with it, and brands[].languages).',
    )
  })

  it('a malformed brand query is a config error naming brands[i].query, before any request', async () => {
    const dir = tmp()
    const ctx = context(dir, { hackernews: {} })
    const bad = { ...ctx, config: { ...ctx.config, brands: [NORDWIND, { name: 'B', query: 'acme OR' }] } }
    await expect(runFetch(opts(agentWith()), bad)).rejects.toThrow(/listen\.config\.json: brands\[1\]\.query: query 'acme OR': at character/)
  })

  it('keeps going when one source fails: names the source and URL, redacts the token, exits 1 via failed count', async () => {
    const dir = tmp()
    const agent = agentWith('hackernews/replay.json')
    agent.get('https://api.x.com').intercept({ path: /\/2\/tweets\/search\/recent/ }).reply(500, 'boom').times(10)
    const ctx = context(dir, { hackernews: {}, x: {} }, { X_BEARER_TOKEN: 'sekret-token-123' })
    const m = await runFetch(opts(agent, { maxWait: '1s' }), ctx)
    const x = m.sources.find((s) => s.source === 'x')!
    expect(x.status).toBe('failed')
    expect(x.error).toMatch(/x: GET https:\/\/api\.x\.com\/2\/tweets\/search\/recent\?.* → 500/)
    expect(JSON.stringify(m)).not.toContain('sekret-token-123')
    expect(m.sources.find((s) => s.source === 'hackernews')).toMatchObject({ status: 'ok', new: 6 })
    expect(m.totals.failed).toBe(1)
    expect(rows(dir).runs.map((r) => r.status).sort()).toEqual(['failed', 'ok'])
  }, 60_000)

  it('fails a source whose required credential is not set, naming the env var', async () => {
    const m = await runFetch(opts(agentWith()), context(tmp(), { reddit: {} }))
    expect(m.sources[0]).toMatchObject({ source: 'reddit', status: 'failed' })
    expect(m.sources[0]!.error).toMatch(/set REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET/)
  })

  it('defers a source rate-limited beyond --max-wait and leaves its cursor alone', async () => {
    const dir = tmp()
    const ctx = context(dir, { hackernews: {} })
    await runFetch(opts(agentWith('hackernews/replay.json')), ctx)
    const before = rows(dir).cursor
    const m = await runFetch(opts(agentWith('hackernews/replay-429.json'), { maxWait: '1s' }), ctx)
    expect(m.sources[0]).toMatchObject({ status: 'deferred' })
    expect(m.sources[0]!.nextAllowedAt).not.toBeNull()
    expect(m.totals.failed).toBe(0)
    expect(rows(dir).cursor).toBe(before)
  })

  it('does not ask a deferred source again before the time the API named, unless --force; completeness counts the hours as deferred', async () => {
    const dir = tmp()
    const ctx = context(dir, { hackernews: {} })
    await runFetch(opts(agentWith('hackernews/replay.json')), ctx)
    const deferred = await runFetch(opts(agentWith('hackernews/replay-429.json'), { maxWait: '1s' }), { ...ctx, now: NOW + 3_600_000 })
    const until = Date.parse(deferred.sources[0]!.nextAllowedAt!)
    // A cron run two hours later, still before the reset: nothing is asked.
    const idle = agentWith('hackernews/replay.json')
    const skipped = await runFetch(opts(idle), { ...ctx, now: NOW + 7_200_000 })
    expect(skipped.sources[0]).toMatchObject({ status: 'deferred', requests: 0, nextAllowedAt: new Date(until).toISOString() })
    expect(skipped.sources[0]!.error).toBe(`deferred until ${new Date(until).toISOString()} by a rate limit in an earlier run; not asked (--force asks anyway)`)
    expect(idle.pendingInterceptors().length).toBeGreaterThan(0)
    const { runReport } = await import('../helpers/flags.js')
    const report = await runReport({ from: new Date(NOW).toISOString(), until: new Date(NOW + 7_200_000).toISOString() }, { ...ctx, now: NOW + 7_200_000 })
    expect(report.completeness.sources[0]).toMatchObject({ source: 'hackernews', hours: 3, deferredHours: 3, coveredHours: 0 })
    // --force asks at once.
    const forced = await runFetch(opts(agentWith('hackernews/replay.json'), { force: true }), { ...ctx, now: NOW + 7_200_000 })
    expect(forced.sources[0]).toMatchObject({ status: 'ok', error: null })
    expect(forced.sources[0]!.requests).toBeGreaterThan(0)
    // And after a new deferral, the first run past the reset asks again on its own.
    await runFetch(opts(agentWith('hackernews/replay-429.json'), { maxWait: '1s' }), { ...ctx, now: NOW + 7_300_000 })
    const after = await runFetch(opts(agentWith('hackernews/replay.json')), { ...ctx, now: until + 3_600_000 })
    expect(after.sources[0]).toMatchObject({ status: 'ok' })
  })

  it('a walk that breaks mid-way keeps the pages it saved and the old cursor; the rerun completes without duplicates', async () => {
    const dir = tmp()
    const ctx = context(dir, { hackernews: {} })
    const agent = new MockAgent()
    agent.disableNetConnect()
    const pool = agent.get('https://hn.algolia.com')
    const page1 = (await import(join(FIXTURES, 'hackernews/search-page1.json'), { with: { type: 'json' } })).default
    pool.intercept({ path: (p) => p.includes('page=0') && p.includes('story') }).reply(200, page1, { headers: { 'content-type': 'application/json' } })
    pool.intercept({ path: (p) => p.includes('page=1') }).reply(200, '<html>maintenance</html>', { headers: { 'content-type': 'text/html' } }).times(5)
    const broken = await runFetch(opts(agent), ctx)
    expect(broken.sources[0]!.status).toBe('failed')
    expect(broken.sources[0]!.error).toMatch(/expected JSON but got an HTML page/)
    const partial = rows(dir)
    expect(partial.ids.length).toBeGreaterThan(0)
    expect(partial.cursor).toBeNull()
    await runFetch(opts(agentWith('hackernews/replay.json')), ctx)
    const done = rows(dir)
    expect(done.ids).toHaveLength(6)
    expect(new Set(done.ids).size).toBe(6)
  })

  it('refuses a second overlapping run while the first holds the lock, and takes over a dead holder', async () => {
    const dir = tmp()
    const ctx = context(dir, { hackernews: {} })
    await runFetch(opts(agentWith('hackernews/replay.json')), ctx)
    const db = openDb(join(dir, 'listen.db'), { create: false })
    const store = new FetchStore(db)
    expect(store.tryLock('fetch', 424242, NOW, () => true).ok).toBe(true)
    db.close()
    await expect(runFetch(opts(agentWith('hackernews/replay.json'), { isAlive: () => true }), ctx)).rejects.toThrow(
      /another listen fetch is running \(pid 424242 .*Use --wait/,
    )
    const m = await runFetch(opts(agentWith('hackernews/replay.json'), { isAlive: (pid) => pid !== 424242 }), ctx)
    expect(m.sources[0]!.status).toBe('ok')
  })

  it.each([
    [{ source: ['myspace'] }, {}, /--source: unknown source "myspace"/],
    [{}, {}, /no sources enabled/],
    [{}, { hackernews: { enabled: false } }, /no sources enabled/],
    [{ brand: ['Other'] }, { hackernews: {} }, /--brand: no configured brand is named "Other"/],
    [{ maxWait: 'soon' }, { hackernews: {} }, /--max-wait: cannot read "soon"/],
  ])('rejects a bad plan before any request (%#)', async (over, sources, msg) => {
    await expect(runFetch(opts(agentWith(), over), context(tmp(), sources))).rejects.toThrow(msg)
  })

  it('--dry-run prints the plan without touching network or database', async () => {
    const dir = tmp()
    const m = await runFetch(opts(agentWith(), { dryRun: true }), context(dir, { hackernews: {}, x: {} }))
    expect(m.dryRun).toBe(true)
    expect(m.sources.map((s) => s.status)).toEqual(['planned', 'planned'])
    expect(m.sources[1]!.error).toMatch(/set X_BEARER_TOKEN/)
    expect(m.sources[0]!.plan![0]).toMatchObject({ brand: 'Nordwind Mobile', checked: 'nordwind AND mobile', cursor: null, baseUrl: 'https://hn.algolia.com/api/v1' })
    const { existsSync } = await import('node:fs')
    expect(existsSync(join(dir, 'listen.db'))).toBe(false)
  })
})
