// PostgreSQL faults through the Store: a statement timeout, a read-only server, a connection
// killed in the middle of a batch. One clear error each, nothing half-saved, and the retry exact.
import pg from 'pg'
import { expect, it } from 'vitest'
import { ExitError, StoreError } from '../../src/models/errors.js'
import { PgAudit } from '../../src/store/pg/audit.js'
import type { AuditRepo } from '../../src/store/types.js'
import { openPgStore, type PgStore, pgStoreError } from '../../src/store/pg/index.js'
import { refreshPlannerStats } from '../../src/store/pg/stats.js'
import { storeMention as mention } from '../helpers/mentions.js'
import { describeWithPg, usePgSchemas } from '../helpers/pg.js'
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js'

const pgs = usePgSchemas()

/** A store on a fresh schema behind a TCP proxy that can play a server restart; closed after `fn`. */
async function behindProxy(reconnectMs: number, fn: (s: PgStore, proxy: TcpProxy, warned: string[]) => Promise<void>): Promise<void> {
  const { url } = await pgs.fresh()
  const proxy = await startTcpProxy(url)
  const warned: string[] = []
  const s = await openPgStore(proxy.url(url), { create: true, reconnectMs, log: { warn: (m) => warned.push(m) } })
  try {
    await fn(s, proxy, warned)
  } finally {
    await s.close()
    await proxy.close()
  }
}

describeWithPg('PostgreSQL faults', () => {
  it('a statement timeout is one sentence, exit 1', async () => {
    const { url, schema } = await pgs.fresh()
    const s = await openPgStore(url, { create: true, statementTimeoutMs: 300 })
    const blocker = new pg.Client({ connectionString: url })
    await blocker.connect()
    try {
      await blocker.query('BEGIN')
      await blocker.query(`LOCK TABLE ${schema}.mention_keys IN ACCESS EXCLUSIVE MODE`)
      const e = await s.reports.storedSources().then(() => null, (x: unknown) => x as ExitError)
      expect(e).toBeInstanceOf(ExitError)
      expect(e!.exitCode ?? (e as unknown as { code: number }).code).toBe(1)
      expect(e!.message).toMatch(/^PostgreSQL at postgres:\/\/\S+: a statement ran past statement_timeout and was cancelled/)
      await blocker.query('ROLLBACK')
      expect(await s.reports.storedSources()).toEqual([])
    } finally {
      await blocker.end()
      await s.close()
    }
  })

  it('a read-only server is a StoreError of kind read-only naming the database', async () => {
    const { url } = await pgs.fresh()
    await (await openPgStore(url, { create: true })).close()
    const u = new URL(url)
    u.searchParams.set('options', `${u.searchParams.get('options')} -c default_transaction_read_only=on`)
    const s = await openPgStore(u.toString(), { create: true })
    try {
      const e = await s.mentions.upsertMentions([mention('1')]).then(() => null, (x: unknown) => x)
      expect(e).toBeInstanceOf(StoreError)
      expect((e as StoreError).fault).toBe('read-only')
      expect((e as StoreError).message).toMatch(/^database postgres:\/\/\S+: the server is read-only .*25006/)
    } finally {
      await s.close()
    }
  })

  it('maps disk full (53100) to a StoreError of kind disk-full', () => {
    const e = pgStoreError(new ExitError('x', 1, { cause: Object.assign(new Error('could not extend file'), { code: '53100' }) }), 'postgres://h/db')
    expect(e).toBeInstanceOf(StoreError)
    expect((e as StoreError).fault).toBe('disk-full')
    expect((e as StoreError).message).toBe('database postgres://h/db: the server is out of disk space (could not extend file, 53100)')
  })

  it('a connection killed mid-batch saves none of the batch; the retry saves all of it once', { timeout: 60_000 }, async () => {
    const { url } = await pgs.fresh()
    const s = await openPgStore(url, { create: true, applicationName: 'listen-victim' })
    const admin = pgs.admin()
    try {
      const batch = Array.from({ length: 60_000 }, (_, i) => mention(String(i), { text: `post ${i} ${'x'.repeat(200)}` }))
      const writing = s.mentions.upsertMentions(batch).then(() => null, (x: unknown) => x as Error)
      // Kill the writer's backend while its batch is in flight.
      for (let i = 0; i < 200; i++) {
        // Exactly one backend, the one busiest with the batch: killing a second one that the pool
        // holds idle made the count below fail now and then on a connection pg-pool had not yet seen die.
        const r = await admin.query(`SELECT pg_terminate_backend(pid) AS ok FROM (SELECT pid FROM pg_stat_activity
          WHERE application_name = 'listen-victim' AND state = 'active' AND query NOT ILIKE 'SELECT 1%' ORDER BY query_start LIMIT 1) victim`)
        if (r.rows.length) break
        await new Promise((res) => setTimeout(res, 10))
      }
      const e = await writing
      expect(e).toBeInstanceOf(ExitError)
      expect(e!.message).toMatch(/PostgreSQL at postgres:\/\/\S+.*the batch of 60,000 mentions was not saved/)
      expect(await s.mentions.count()).toBe(0)
      expect(await s.mentions.upsertMentions(batch)).toEqual({ inserted: 60_000, updated: 0, unchanged: 0 })
      expect(await s.mentions.count()).toBe(60_000)
    } finally {
      await s.close()
    }
  })

  it('with a reconnect window, a connection killed mid-batch is retried: the batch is saved once', { timeout: 60_000 }, async () => {
    const { url } = await pgs.fresh()
    const s = await openPgStore(url, { create: true, applicationName: 'listen-victim', reconnectMs: 10_000 })
    const admin = pgs.admin()
    try {
      const batch = Array.from({ length: 60_000 }, (_, i) => mention(String(i), { text: `post ${i} ${'x'.repeat(200)}` }))
      const writing = s.mentions.upsertMentions(batch)
      // Awaited below; without this a rejection while the loop still runs is reported as unhandled too.
      writing.catch(() => {})
      // Kill the writer's backend while its batch is in flight.
      for (let i = 0; i < 200; i++) {
        // Exactly one backend, the one busiest with the batch: killing a second one that the pool
        // holds idle made the count below fail now and then on a connection pg-pool had not yet seen die.
        const r = await admin.query(`SELECT pg_terminate_backend(pid) AS ok FROM (SELECT pid FROM pg_stat_activity
          WHERE application_name = 'listen-victim' AND state = 'active' AND query NOT ILIKE 'SELECT 1%' ORDER BY query_start LIMIT 1) victim`)
        if (r.rows.length) break
        await new Promise((res) => setTimeout(res, 10))
      }
      expect(await writing).toEqual({ inserted: 60_000, updated: 0, unchanged: 0 })
      expect(await s.mentions.count()).toBe(60_000)
      expect(await s.mentions.upsertMentions(batch)).toEqual({ inserted: 0, updated: 0, unchanged: 60_000 })
    } finally {
      await s.close()
    }
  })

  it('reads of the care desk ride out a server restart within the reconnect window', { timeout: 60_000 }, async () => {
    await behindProxy(10_000, async (s, proxy, warned) => {
      await s.mentions.upsertMentions([mention('1'), mention('2')])
      const down = proxy.restart(1000)
      // Asked while no connection is accepted: each waits for the server instead of failing.
      const [articles, topics, count] = await Promise.all([s.articles.listArticles(), s.topics.countForTopics('all'), s.mentions.count()])
      await down
      expect([articles, topics, count]).toEqual([[], 2, 2])
      expect(warned.filter((m) => /trying again for up to 10 s/.test(m))).toHaveLength(1)
      expect(warned.some((m) => /^reconnected to PostgreSQL at postgres:\/\/\S+ after \d+\.\d s/.test(m))).toBe(true)
    })
  })

  it('label candidates, listen query, by-hour counts and reply pairs ride out a restart too', { timeout: 60_000 }, async () => {
    await behindProxy(10_000, async (s, proxy, warned) => {
      const at = Date.parse('2026-11-02T09:10:00Z')
      await s.mentions.upsertMentions([mention('1'), mention('r1', { byBrand: true, inReplyTo: '1', author: 'AcmeHelp', text: 'sorry about that' })])
      const down = proxy.restart(1000)
      const [candidates, query, buckets, pairs] = await Promise.all([
        s.labels.labelCandidates({ pool: 10 }),
        s.query('SELECT count(*)::int AS n FROM mentions'),
        s.mentions.countByQuarterHour({ from: at - 3_600_000, until: at + 3_600_000 }),
        s.models.firstBrandReplies(null, 10),
      ])
      await down
      expect(candidates.map((c) => [c.id, c.reply?.id])).toEqual([['1', 'r1']])
      expect(query).toEqual({ columns: ['n'], rows: [[2]] })
      expect(buckets.map((b) => b.bucket)).toEqual([Math.floor(at / 900_000)])
      expect(pairs.map((p) => [p.id, p.reply])).toEqual([['1', 'sorry about that']])
      expect(warned.filter((m) => /trying again for up to 10 s/.test(m))).toHaveLength(1)
    })
  })

  it('the audit scan rides out a restart before its first row and in the middle of its rows, counting each row once', { timeout: 90_000 }, async () => {
    await behindProxy(10_000, async (s, proxy, warned) => {
      const at = Date.parse('2026-11-02T09:10:00Z')
      const brand = { bySource: new Map<string, string[]>(), anySource: [], nonNumeric: false }
      // Three pages of the cursor (10,000 rows each), a quarter of the posts answered by the brand.
      const posts = Array.from({ length: 30_000 }, (_, i) => mention(`p${i}`, { createdAt: at + i, label: 'complaint' }))
      const answers = Array.from({ length: 7_500 }, (_, i) => mention(`a${i}`, { createdAt: at + 60_000 + i, byBrand: true, inReplyTo: `p${i}` }))
      await s.mentions.upsertMentions([...posts, ...answers])
      // What the importing command's close does: without statistics on the fresh table the reply
      // walk is planned blind and each scan takes seconds, tens of them on a cold server.
      expect(await refreshPlannerStats(s.handle, s.writer.inserted)).toBe(true)
      const scope = { from: at, until: at + 86_400_000, brand, labels: ['complaint'], includeUntagged: false }
      expect(await s.audit.computeAnswers(at, brand)).toBe(7_500)
      const count = async (audit: AuditRepo) => {
        const seen = { rows: 0, answered: 0, answeredAt: 0 }
        const n = await audit.scanAudit(scope, (_src, _at, _label, a) => {
          seen.rows++
          if (a === null) return
          seen.answered++
          seen.answeredAt += a - at
        })
        return { n, ...seen }
      }
      // 7,500 answers at +60,000 + i ms: the sum of their offsets from `at`.
      const exact = { n: 30_000, rows: 30_000, answered: 7_500, answeredAt: 7_500 * 60_000 + (7_499 * 7_500) / 2 }
      const down = proxy.restart(1000)
      expect(await count(s.audit)).toEqual(exact)
      await down
      // The server goes away in the second page, once the first went to the scan: about 1.9 MB in
      // all, some 63 bytes a row.
      const midway = proxy.afterServerBytes(950_000).then(() => proxy.restart(1000))
      expect(await count(s.audit)).toEqual(exact)
      await midway
      expect(warned.filter((m) => /trying again for up to 10 s/.test(m))).toHaveLength(2)
      // Rows already handed over (here: past a buffer of 5,000) cannot be taken back: one clear error, no second count.
      const small = new PgAudit((s.audit as PgAudit).handle, 5_000)
      await small.computeAnswers(at, brand)
      let seen = 0
      let downAgain: Promise<void> | null = null
      const e = await small
        .scanAudit(scope, () => {
          if (seen++ === 0) downAgain = proxy.restart(1000)
        })
        .then(() => null, (x: unknown) => x as ExitError)
      await downAgain
      expect(e).toBeInstanceOf(ExitError)
      expect(e!.message).toMatch(/PostgreSQL at postgres:\/\/\S+/)
      expect(e!.message).not.toMatch(/audit scan interrupted/)
      expect(seen).toBe(10_000)
    })
  })

  it('listen query past the reconnect window fails as a store error, not as a bad statement', { timeout: 30_000 }, async () => {
    await behindProxy(300, async (s, proxy) => {
      const down = proxy.restart(3000)
      const e = await s.query('SELECT 1').then(() => null, (x: unknown) => x as ExitError)
      await down
      expect(e).toBeInstanceOf(ExitError)
      expect(e!.exitCode ?? (e as unknown as { code: number }).code).toBe(1)
      expect(e!.message).toMatch(/^cannot connect to PostgreSQL at postgres:\/\/\S+: connection refused/)
      expect(await s.query('SELECT 1 AS one')).toEqual({ columns: ['one'], rows: [[1]] })
    })
  })
})
