// The PostgreSQL store against a real server (LISTEN_TEST_PG; see test/helpers/pg.ts): migrations,
// the COPY upsert beside SQLite's, partitions, the server-side by-hour beside the SQLite path, and
// a connection dropped in the middle of a COPY.
import { type AddressInfo, connect as netConnect, createServer, type Server, type Socket } from 'node:net'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { ExitError } from '../../src/models/errors.js'
import { LABELS } from '../../src/models/mention.js'
import { appendRow } from '../../src/models/row.js'
import { summarizeHourOfWeek } from '../../src/report/hourOfWeek.js'
import { openPool, type PgHandle, redactUrl } from '../../src/store/pg/connect.js'
import { copyValue, PgMentionWriter } from '../../src/store/pg/ingest.js'
import { openPgStore } from '../../src/store/pg/index.js'
import { migratePg, pgMigrations } from '../../src/store/pg/migrations.js'
import { statsStale } from '../../src/store/pg/stats.js'
import { PgMentionReports } from '../../src/store/pg/reports.js'
import { openDb } from '../../src/store/sqlite/db.js'
import { MentionStore } from '../../src/store/sqlite/mentions.js'
import { storeMention } from '../helpers/mentions.js'
import { describeWithPg, pgTestUrl, usePgSchemas } from '../helpers/pg.js'

const mention = storeMention

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const HOSTILE = [
  'tab\there',
  'line\nbreak',
  'crlf\r\nend',
  'back\\slash',
  '\\N',
  '\\.',
  '\\.\n\\.',
  'a\\tb\\nc',
  'trailing backslash \\',
  'emoji 😀 Störung ümlaut ß',
  '\u2028\u2029 separators',
  '',
  ' ',
  '"quotes" \'single\' ,;',
  '\x7f\x01\x1b[31m control',
  'x'.repeat(20_000),
]

const ROW_SQL = `SELECT source, id, brand, created_at, author, author_id, text, url, lang, in_reply_to, thread_id,
  by_brand, label, label_source, scores, fetched_at, raw FROM mentions`

type Row = Record<string, unknown>
const byKey = (a: Row, b: Row) => (`${a.source}\u0000${a.id}` < `${b.source}\u0000${b.id}` ? -1 : 1)

async function pgRows(h: PgHandle): Promise<Row[]> {
  return (await h.pool.query(ROW_SQL)).rows.map((r: Row) => ({ ...r, by_brand: r.by_brand ? 1 : 0 })).sort(byKey)
}
function sqliteRows(store: MentionStore): Row[] {
  return (store.db.prepare(ROW_SQL).all() as Row[]).sort(byKey)
}

const bucketKey = (r: Row) => `${r.bucket}|${r.brand}|${r.label}`
async function expectRollupExact(h: PgHandle): Promise<void> {
  const rollup = (await h.pool.query('SELECT bucket, brand, label, n FROM mention_buckets WHERE n <> 0')).rows
  const naive = (
    await h.pool.query(`SELECT created_at / 900000 AS bucket, coalesce(brand, '') AS brand, coalesce(label, '') AS label, count(*) AS n
      FROM mentions WHERE NOT by_brand GROUP BY 1, 2, 3`)
  ).rows
  const sort = (rows: Row[]) => [...rows].sort((a, b) => (bucketKey(a) < bucketKey(b) ? -1 : 1))
  expect(sort(rollup)).toEqual(sort(naive))
}

describe('redactUrl', () => {
  it.each([
    ['postgres://u:s3cret@db.example:5432/listen', 'postgres://u:***@db.example:5432/listen'],
    ['postgres://u@db.example/listen', 'postgres://u@db.example/listen'],
    ['postgresql://u:p%40ss@h/db?sslmode=require', 'postgresql://u:***@h/db?sslmode=require'],
    ['postgres://u@h/db?password=s3cret&application_name=x', 'postgres://u@h/db?password=***&application_name=x'],
    ['postgres://u:s3cret@[::1/db', 'postgres://u:***@[::1/db'],
  ])('%s → %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted)
  })
})

describe('copyValue', () => {
  it.each([
    [null, '\\N'],
    [undefined, '\\N'],
    [42, '42'],
    ['plain', 'plain'],
    ['a\tb\nc\rd\\e', 'a\\tb\\nc\\rd\\\\e'],
    ['\\N', '\\\\N'],
    ['nul\0byte', 'nul\uFFFDbyte'],
  ])('%j → %j', (value, text) => {
    expect(copyValue(value)).toBe(text)
  })
})

describe('statsStale', () => {
  it.each([
    [-1, 0, 100, false],
    [-1, 0, 10_000, true],
    [1_000_000, 1_000_000, 50_000, false],
    [1_000_000, 1_000_000, 100_000, true],
    [-1, 12_000, 0, true],
    [100_000, 105_000, 0, false],
    [100_000, 120_000, 0, true],
    [0, 5_000, 0, false],
  ])('parent %d, partitions %d, inserted %d: %s', (parent, partitions, inserted, expected) => {
    expect(statsStale(parent, partitions, inserted)).toBe(expected)
  })
})

describeWithPg('PostgreSQL store', () => {
  const pgs = usePgSchemas()
  const handles: PgHandle[] = []
  afterAll(async () => {
    for (const h of handles.splice(0)) await h.close()
  })
  async function open(url?: string, over: Partial<Parameters<typeof openPool>[0]> = {}): Promise<PgHandle> {
    const h = await openPool({ url: url ?? (await pgs.fresh()).url, env: {}, ...over })
    handles.push(h)
    return h
  }
  async function migrated(now?: number): Promise<{ h: PgHandle; writer: PgMentionWriter; url: string }> {
    const { url } = await pgs.fresh()
    const h = await open(url)
    await migratePg(h)
    return { h, writer: new PgMentionWriter(h, now === undefined ? {} : { now: () => now }), url }
  }

  describe('connect', () => {
    const base = () => new URL(pgTestUrl()!)
    const withDb = (db: string, auth = 'postgres:hunter22') => {
      const u = base()
      return `postgres://${auth}@${u.host}/${db}`
    }

    it('sets application_name and statement_timeout', async () => {
      const h = await open(undefined, { applicationName: 'listen-test', statementTimeoutMs: 4321 })
      const r = await h.pool.query(`SELECT current_setting('statement_timeout') AS t, current_setting('application_name') AS a`)
      expect(r.rows[0]).toEqual({ t: '4321ms', a: 'listen-test' })
    })

    it('a refused connection names the redacted URL and the cause', async () => {
      const server = createServer()
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
      const port = (server.address() as AddressInfo).port
      await new Promise((r) => server.close(r))
      const err = await openPool({ url: `postgres://u:s3cret@127.0.0.1:${port}/listen`, env: {} }).catch((e: Error) => e)
      expect(err).toBeInstanceOf(ExitError)
      expect((err as Error).message).toBe(
        `cannot connect to PostgreSQL at postgres://u:***@127.0.0.1:${port}/listen: connection refused (is the server running and listening on 127.0.0.1:${port}?)`,
      )
    })

    it('an unknown database and an unknown role say so, without the password', async () => {
      const db = await openPool({ url: withDb('no_such_db_here'), env: {} }).catch((e: Error) => e)
      expect((db as Error).message).toMatch(/^cannot open PostgreSQL at postgres:\/\/postgres:\*\*\*@[^ ]+\/no_such_db_here: database "no_such_db_here" does not exist/)
      const role = await openPool({ url: withDb(base().pathname.slice(1), 'nobody_here:hunter22'), env: {} }).catch((e: Error) => e)
      expect((role as Error).message).toMatch(/^authentication failed for PostgreSQL at postgres:\/\/nobody_here:\*\*\*@.*role "nobody_here" does not exist/)
      for (const e of [db, role]) expect(String((e as Error).message)).not.toContain('hunter22')
    })

    it('takes the password from the variable named by passwordEnv, and never shows it', async () => {
      const missing = await openPool({ url: withDb('listen_test', 'postgres'), passwordEnv: 'LISTEN_PG_PASSWORD', env: {} }).catch((e: Error) => e)
      expect((missing as Error).message).toBe(
        `the environment variable LISTEN_PG_PASSWORD (named for the password of ${withDb('listen_test', 'postgres')}) is not set`,
      )
      const wrongDb = await openPool({ url: withDb('no_such_db_here', 'postgres'), passwordEnv: 'PW', env: { PW: 'topsecret-42' } }).catch((e: Error) => e)
      expect((wrongDb as Error).message).toContain('does not exist')
      expect((wrongDb as Error).message).not.toContain('topsecret-42')
    })
  })

  describe('migrations', () => {
    it('migrates an empty schema; a second run is a no-op', async () => {
      const h = await open()
      expect(await migratePg(h)).toEqual({ applied: pgMigrations.map((_, i) => i + 1), version: pgMigrations.length })
      const tables = (await h.pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`)).rows.map((r) => r.table_name)
      expect(tables).toEqual(
        expect.arrayContaining(['alerts', 'cursors', 'fetch_runs', 'labels', 'locks', 'mention_buckets', 'mention_keys', 'mentions', 'mentions_default', 'models', 'schema_migrations']),
      )
      expect(await migratePg(h)).toEqual({ applied: [], version: pgMigrations.length })
      expect((await h.pool.query('SELECT version FROM schema_migrations ORDER BY 1')).rows.map((r) => r.version)).toEqual(pgMigrations.map((_, i) => i + 1))
    })

    it('three processes migrating at once apply each migration exactly once', async () => {
      const { url } = await pgs.fresh()
      const racers = await Promise.all([open(url), open(url), open(url)])
      const results = await Promise.all(racers.map((h) => migratePg(h)))
      expect(results.map((r) => r.version)).toEqual(Array(3).fill(pgMigrations.length))
      expect(results.flatMap((r) => r.applied).sort((a, b) => a - b)).toEqual(pgMigrations.map((_, i) => i + 1))
      expect((await racers[0]!.pool.query('SELECT count(*) AS n FROM schema_migrations')).rows[0].n).toBe(pgMigrations.length)
    })

    it('refuses a schema newer than this listen', async () => {
      const h = await open()
      await migratePg(h)
      await h.pool.query('INSERT INTO schema_migrations (version) VALUES (99)')
      await expect(migratePg(h)).rejects.toThrow(new RegExp(`has schema version 99, newer than this listen \\(${pgMigrations.length}\\); upgrade listen`))
    })

    it('a failing migration leaves the version where it was, and says which one failed', async () => {
      const h = await open()
      await expect(migratePg(h, ['CREATE TABLE a (x int)', 'CREATE TABLE b (x nosuchtype)'])).rejects.toThrow(/^migration 2 of 2 failed \(nothing of it was kept\): PostgreSQL at postgres:\/\/.*: type "nosuchtype" does not exist/)
      expect((await h.pool.query('SELECT version FROM schema_migrations')).rows).toEqual([{ version: 1 }])
      expect((await h.pool.query(`SELECT to_regclass('b') AS b`)).rows[0].b).toBeNull()
    })
  })

  describe('upsert', () => {
    it('counts new / updated / unchanged; a re-import changes nothing, not even fetched_at', async () => {
      const { h, writer } = await migrated()
      expect(await writer.upsertMentions([mention('1'), mention('2')], 1000)).toEqual({ inserted: 2, updated: 0, unchanged: 0 })
      expect(await writer.upsertMentions([mention('1'), mention('2')], 2000)).toEqual({ inserted: 0, updated: 0, unchanged: 2 })
      expect((await h.pool.query('SELECT DISTINCT fetched_at FROM mentions')).rows).toEqual([{ fetched_at: 1000 }])
      expect(await writer.upsertMentions([mention('1', { text: 'edited' }), mention('2')], 3000)).toEqual({ inserted: 0, updated: 1, unchanged: 1 })
      expect((await h.pool.query('SELECT id, text, fetched_at FROM mentions ORDER BY id')).rows).toEqual([
        { id: '1', text: 'edited', fetched_at: 3000 },
        { id: '2', text: 'post 2', fetched_at: 1000 },
      ])
      expect(await writer.upsertRows([])).toEqual({ inserted: 0, updated: 0, unchanged: 0 })
    })

    it('never replaces a human label; an untagged re-import keeps the model label', async () => {
      const { h, writer } = await migrated()
      await writer.upsertMentions([mention('1', { label: 'praise', scores: { praise: 0.9 } }), mention('2', { label: 'other' })], 1)
      await h.pool.query(`UPDATE mentions SET label = 'complaint', label_source = 'human', scores = NULL WHERE id = '1'`)
      expect(await writer.upsertMentions([mention('1', { label: 'outage', scores: { outage: 1 } })], 2)).toEqual({ inserted: 0, updated: 0, unchanged: 1 })
      expect(await writer.upsertMentions([mention('1', { label: 'outage', text: 'new text' }), mention('2')], 3)).toEqual({ inserted: 0, updated: 1, unchanged: 1 })
      expect((await h.pool.query('SELECT id, label, label_source, scores, text FROM mentions ORDER BY id')).rows).toEqual([
        { id: '1', label: 'complaint', label_source: 'human', scores: null, text: 'new text' },
        { id: '2', label: 'other', label_source: 'model', scores: null, text: 'post 2' },
      ])
      await expectRollupExact(h)
    })

    it('gives the same counts and rows as SQLite over a random history of batches', async () => {
      const { h, writer } = await migrated(Date.UTC(2026, 0, 1))
      const sqlite = new MentionStore(openDb(':memory:', { create: true }))
      const rnd = random(7)
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
      const createdAt = new Map<string, number>()
      const start = Date.UTC(2025, 0, 1)
      for (let batch = 0; batch < 60; batch++) {
        const flat: unknown[] = []
        const n = 1 + Math.floor(rnd() * 40)
        for (let i = 0; i < n; i++) {
          const source = pick(['x', 'reddit'])
          const id = String(Math.floor(rnd() * 60))
          const key = `${source}/${id}`
          // Rarely a re-fetch moves the post by weeks: another month, another partition.
          if (!createdAt.has(key) || rnd() < 0.06) createdAt.set(key, start + Math.floor(rnd() * 200 * 86_400_000))
          const label = pick([null, null, ...LABELS])
          const m = mention(id, {
            source,
            brand: pick(['Acme Air', 'Nordwind', null]),
            createdAt: createdAt.get(key)!,
            text: pick(['same text', 'other text', ...HOSTILE]),
            byBrand: rnd() < 0.15,
            label,
            labelSource: label && rnd() < 0.2 ? 'import' : null,
            scores: label && rnd() < 0.5 ? { [label]: Math.round(rnd() * 100) / 100 } : null,
            raw: rnd() < 0.3 ? pick(HOSTILE) : { id, v: pick([1, 2]) },
          })
          appendRow(flat, m, 1000 + batch)
        }
        expect(await writer.upsertRows(flat), `batch ${batch}`).toEqual(sqlite.upsertRows(flat))
        if (batch % 10 === 9) {
          const [source, id] = pick([...createdAt.keys()]).split('/')
          const sql = `UPDATE mentions SET label = 'question', label_source = 'human', scores = NULL WHERE source = '${source}' AND id = '${id}'`
          sqlite.db.exec(sql)
          await h.pool.query(sql)
        }
      }
      expect(await pgRows(h)).toEqual(sqliteRows(sqlite))
      const keys = (await h.pool.query('SELECT k.source, k.id FROM mention_keys k JOIN mentions m USING (source, id, created_at)')).rows
      expect(keys).toHaveLength(createdAt.size)
      await expectRollupExact(h)
      const sqliteRollup = sqlite.db.prepare('SELECT bucket, brand, label, n FROM mention_buckets WHERE n <> 0').all() as Row[]
      const pgRollup = (await h.pool.query('SELECT bucket, brand, label, n FROM mention_buckets WHERE n <> 0')).rows
      const sort = (rows: Row[]) => [...rows].sort((a, b) => (bucketKey(a) < bucketKey(b) ? -1 : 1))
      expect(sort(pgRollup)).toEqual(sort(sqliteRollup))
      sqlite.db.close()
    })

    it('carries hostile text through COPY unchanged; a NUL becomes U+FFFD, and a re-import is unchanged', async () => {
      const { h, writer } = await migrated()
      const texts = [...HOSTILE, 'nul\0in the middle', '\0']
      const batch = texts.map((text, i) => mention(`h${i}`, { text, author: text, raw: text, url: text || null }))
      expect(await writer.upsertMentions(batch, 1)).toEqual({ inserted: texts.length, updated: 0, unchanged: 0 })
      const rows = (await h.pool.query('SELECT id, text, author, raw, url FROM mentions')).rows
      const stored = new Map(rows.map((r) => [r.id as string, r]))
      texts.forEach((t, i) => {
        const want = t.replaceAll('\0', '\uFFFD')
        expect(stored.get(`h${i}`)).toEqual({ id: `h${i}`, text: want, author: want, raw: want, url: want || null })
      })
      expect(await writer.upsertMentions(batch, 2)).toEqual({ inserted: 0, updated: 0, unchanged: texts.length })
      // JSON raw keeps a NUL exactly: JSON.stringify writes it as the six characters \u0000.
      await writer.upsertMentions([mention('j', { raw: { t: 'a\0b\\c\td' } })], 3)
      expect(JSON.parse((await h.pool.query(`SELECT raw FROM mentions WHERE id = 'j'`)).rows[0].raw)).toEqual({ t: 'a\0b\\c\td' })
    })

    it('withinTransaction commits with the batch, and its failure takes the batch back', async () => {
      const { h, writer } = await migrated()
      const saveCursor = (cursor: string) => async (client: pg.PoolClient, counts: { inserted: number }) => {
        await client.query(`INSERT INTO cursors (source, query_key, cursor, updated_at) VALUES ('x', 'k', $1, $2)
          ON CONFLICT (source, query_key) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`, [cursor, counts.inserted])
      }
      expect(await writer.upsertMentions([mention('1')], 1, { withinTransaction: saveCursor('c1') })).toEqual({ inserted: 1, updated: 0, unchanged: 0 })
      const failing = async (client: pg.PoolClient) => {
        await saveCursor('c2')(client, { inserted: 0 })
        throw new Error('run record rejected')
      }
      await expect(writer.upsertMentions([mention('2')], 2, { withinTransaction: failing })).rejects.toThrow(/run record rejected; the batch of 1 mentions was not saved/)
      expect((await h.pool.query('SELECT cursor, updated_at FROM cursors')).rows).toEqual([{ cursor: 'c1', updated_at: 1 }])
      expect((await h.pool.query('SELECT id FROM mentions')).rows).toEqual([{ id: '1' }])
    })

    it('a key twice in one batch acts as two upserts in a row', async () => {
      const { h, writer } = await migrated()
      const sqlite = new MentionStore(openDb(':memory:', { create: true }))
      const batch = [mention('1'), mention('1', { text: 'second' }), mention('2'), mention('1', { text: 'second' }), mention('1', { label: 'praise' })]
      const flat: unknown[] = []
      for (const m of batch) appendRow(flat, m, 5)
      expect(await writer.upsertRows(flat)).toEqual({ inserted: 2, updated: 2, unchanged: 1 })
      expect(sqlite.upsertRows(flat)).toEqual({ inserted: 2, updated: 2, unchanged: 1 })
      expect(await pgRows(h)).toEqual(sqliteRows(sqlite))
      sqlite.db.close()
    })

    it('a re-fetch that moves created_at to another month moves the row, keeps (source, id) unique and the rollup exact', async () => {
      const { h, writer } = await migrated(Date.UTC(2026, 0, 1))
      const jan = Date.UTC(2025, 0, 31, 23, 50)
      const feb = Date.UTC(2025, 1, 1, 0, 10)
      await writer.upsertMentions([mention('1', { createdAt: jan }), mention('2', { createdAt: jan })], 1)
      expect(await writer.upsertMentions([mention('1', { createdAt: feb }), mention('2', { createdAt: jan })], 2)).toEqual({ inserted: 0, updated: 1, unchanged: 1 })
      const rows = (await h.pool.query('SELECT tableoid::regclass::text AS part, id, created_at, fetched_at FROM mentions ORDER BY id')).rows
      expect(rows).toEqual([
        { part: 'mentions_p202502', id: '1', created_at: feb, fetched_at: 2 },
        { part: 'mentions_p202501', id: '2', created_at: jan, fetched_at: 1 },
      ])
      expect((await h.pool.query(`SELECT created_at FROM mention_keys WHERE id = '1'`)).rows).toEqual([{ created_at: feb }])
      await expectRollupExact(h)
      // Moving back and changing the text in the same batch is still one update.
      expect(await writer.upsertMentions([mention('1', { createdAt: jan, text: 'edited' })], 3)).toEqual({ inserted: 0, updated: 1, unchanged: 0 })
      expect((await h.pool.query(`SELECT count(*) AS n FROM mentions WHERE id = '1' AND created_at = ${jan} AND text = 'edited'`)).rows[0].n).toBe(1)
      await expectRollupExact(h)
    })

    it('two writers racing on the same keys, some moving months, leave one row per key and an exact rollup', async () => {
      const { url } = await pgs.fresh()
      const [a, b] = [await open(url, { max: 2 }), await open(url, { max: 2 })]
      await migratePg(a)
      const writers = [new PgMentionWriter(a, { now: () => Date.UTC(2026, 0, 1) }), new PgMentionWriter(b, { now: () => Date.UTC(2026, 0, 1) })]
      const months = [Date.UTC(2025, 2, 10), Date.UTC(2025, 3, 10), Date.UTC(2025, 4, 10)]
      const totals = await Promise.all(
        writers.map(async (w, wi) => {
          const rnd = random(100 + wi)
          let inserted = 0
          for (let batch = 0; batch < 25; batch++) {
            const ms = Array.from({ length: 50 }, () => {
              const id = String(Math.floor(rnd() * 80))
              return mention(id, { createdAt: months[Math.floor(rnd() * 3)]! + Number(id) * 60_000, text: `w${wi} ${batch}`, label: rnd() < 0.5 ? 'complaint' : null })
            })
            inserted += (await w.upsertMentions(ms, batch)).inserted
          }
          return inserted
        }),
      )
      const n = (await a.pool.query('SELECT count(*) AS n, count(DISTINCT id) AS d FROM mentions')).rows[0]
      expect(n.n).toBe(n.d)
      expect(totals[0]! + totals[1]!).toBe(n.n)
      expect((await a.pool.query('SELECT count(*) AS n FROM mention_keys k JOIN mentions m USING (source, id, created_at)')).rows[0].n).toBe(n.n)
      await expectRollupExact(a)
    })
  })

  describe('partitions', () => {
    it('creates one partition per month an upsert touches; implausible instants go to the DEFAULT partition until their month is due', async () => {
      const now = Date.UTC(2025, 5, 15)
      const { h, writer, url } = await migrated(now)
      const march = Date.UTC(2025, 2, 1)
      const future = Date.UTC(2027, 6, 4, 12)
      const batch = [
        mention('first-ms-of-march', { createdAt: march }),
        mention('last-ms-of-february', { createdAt: march - 1 }),
        mention('june', { createdAt: Date.UTC(2025, 5, 30, 23, 59) }),
        mention('epoch', { createdAt: 0 }),
        mention('future', { createdAt: future, label: 'outage' }),
      ]
      await writer.upsertMentions(batch, 1)
      const parts = async () =>
        (await h.pool.query(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'mentions'::regclass ORDER BY 1`)).rows.map((r) => r.name)
      expect(await parts()).toEqual(['mentions_default', 'mentions_p202502', 'mentions_p202503', 'mentions_p202506'])
      const where = async () =>
        Object.fromEntries((await h.pool.query('SELECT id, tableoid::regclass::text AS part FROM mentions')).rows.map((r) => [r.id, r.part]))
      expect(await where()).toEqual({
        'first-ms-of-march': 'mentions_p202503',
        'last-ms-of-february': 'mentions_p202502',
        june: 'mentions_p202506',
        epoch: 'mentions_default',
        future: 'mentions_default',
      })
      // Two years later the future post's month is due: its partition takes the row out of DEFAULT.
      // One connection: the move's temporary table comes before the staging table in its session.
      const later = new PgMentionWriter(await open(url, { max: 1 }), { now: () => Date.UTC(2027, 5, 1) })
      expect(await later.ensurePartitions([future])).toEqual(['mentions_p202707'])
      expect((await where()).future).toBe('mentions_p202707')
      expect((await h.pool.query('SELECT count(*) AS n FROM mentions')).rows[0].n).toBe(5)
      await expectRollupExact(h)
      expect(await later.upsertMentions(batch, 2)).toEqual({ inserted: 0, updated: 0, unchanged: 5 })
    })
  })

  describe('planner statistics of the partitioned parent', () => {
    it('a session that inserted many rows analyzes mentions at close; a small one leaves it to later', async () => {
      const { url } = await pgs.fresh()
      const parentRows = async () => Number((await (await open(url)).pool.query(`SELECT reltuples FROM pg_class WHERE oid = 'mentions'::regclass`)).rows[0].reltuples)
      const small = await openPgStore(url, { create: true })
      await small.mentions.upsertMentions(Array.from({ length: 100 }, (_, i) => mention(`s${i}`)))
      await small.close()
      expect(await parentRows()).toBe(-1)
      const big = await openPgStore(url, { create: true })
      await big.mentions.upsertMentions(Array.from({ length: 12_000 }, (_, i) => mention(`b${i}`, { createdAt: Date.UTC(2026, 9, 1) + i * 60_000 })))
      await big.close()
      expect(await parentRows()).toBe(12_100)
    })
  })

  describe('a connection dropped in the middle of a COPY', () => {
    let proxy: Server | undefined
    afterAll(() => proxy?.close())

    it('saves nothing of the batch, gives one clear error, and the next batch works', async () => {
      const { url, schema } = await pgs.fresh()
      const direct = await open(url)
      await migratePg(direct)
      const target = new URL(pgTestUrl()!)
      // Forwards to the server; once armed, cuts every connection after 1 MB more from the client.
      let armed = false
      let sent = 0
      const sockets = new Set<Socket>()
      proxy = createServer((client) => {
        const server = netConnect(Number(target.port), target.hostname)
        sockets.add(client).add(server)
        const cut = () => {
          client.destroy()
          server.destroy()
        }
        client.on('data', (d: Buffer) => {
          if (armed && (sent += d.length) > 1 << 20) return cut()
          server.write(d)
        })
        server.pipe(client)
        client.on('error', cut).on('close', cut)
        server.on('error', cut).on('close', cut)
      })
      await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', r))
      const port = (proxy.address() as AddressInfo).port
      const viaProxy = new URL(url)
      viaProxy.host = `127.0.0.1:${port}`
      viaProxy.password = 'p4ssw0rd'
      const h = await open(viaProxy.toString())
      const writer = new PgMentionWriter(h)
      await writer.upsertMentions([mention('before')], 1)
      const big = Array.from({ length: 20_000 }, (_, i) => mention(`big${i}`, { text: `${'long text '.repeat(30)}${i}` }))
      armed = true
      const err = await writer.upsertMentions(big, 2).catch((e: Error) => e)
      armed = false
      expect(err).toBeInstanceOf(ExitError)
      expect((err as Error).message).toMatch(
        new RegExp(`^lost the connection to PostgreSQL at postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:${port}/.*; the batch of 20,000 mentions was not saved \\(it is one transaction\\)$`),
      )
      expect((err as Error).message).not.toContain('p4ssw0rd')
      const check = new pg.Pool({ connectionString: url })
      try {
        const counts = (await check.query(`SELECT (SELECT count(*) FROM ${schema}.mentions) AS m, (SELECT count(*) FROM ${schema}.mention_keys) AS k,
          (SELECT sum(n) FROM ${schema}.mention_buckets) AS b`)).rows[0]
        expect(counts).toEqual({ m: '1', k: '1', b: '1' })
      } finally {
        await check.end()
      }
      expect(await writer.upsertMentions(big.slice(0, 100), 3)).toEqual({ inserted: 100, updated: 0, unchanged: 0 })
      for (const s of sockets) s.destroy()
    })
  })

  describe('by-hour on the server', () => {
    it('equals the SQLite path (rollup + edge rows + TypeScript mapping) on the same rows across DST changes', async () => {
      const { h, writer } = await migrated(Date.UTC(2025, 0, 1))
      const sqlite = new MentionStore(openDb(':memory:', { create: true }))
      const rnd = random(42)
      // Around Europe's and North America's changes of 2024 (spring: Mar 10 / Mar 31; autumn: Oct 27 / Nov 3)
      // and Lord Howe's half-hour shift (Apr 7), with rows on quarter-hour and hour boundaries.
      const spans = [
        [Date.UTC(2024, 2, 8), Date.UTC(2024, 3, 9)],
        [Date.UTC(2024, 9, 24), Date.UTC(2024, 10, 6)],
      ] as const
      const flat: unknown[] = []
      for (let i = 0; i < 6000; i++) {
        const [a, b] = spans[i % 2]!
        let t = a + Math.floor(rnd() * (b - a))
        if (i % 7 === 0) t -= t % 900_000
        if (i % 11 === 0) t -= (t % 3_600_000) + 1
        appendRow(
          flat,
          mention(`r${i}`, {
            source: i % 3 ? 'x' : 'reddit',
            brand: [null, 'Acme Air', 'Nordwind'][i % 3 === 1 ? 0 : Math.floor(rnd() * 3)]!,
            createdAt: t,
            byBrand: rnd() < 0.1,
            label: [null, ...LABELS][Math.floor(rnd() * 6)]!,
          }),
          1,
        )
      }
      await writer.upsertRows(flat)
      sqlite.upsertRows(flat)
      const reports = new PgMentionReports(h)
      const nonZero = <T extends { counts: number[] }>(rows: T[]) => rows.filter((r) => r.counts.some((n) => n !== 0))
      const windows = [
        { from: Date.UTC(2024, 2, 8), until: Date.UTC(2024, 10, 6) },
        { from: Date.UTC(2024, 2, 29, 0, 7, 13, 5), until: Date.UTC(2024, 3, 1, 22, 53, 1) },
        { from: Date.UTC(2024, 9, 26, 23, 0), until: Date.UTC(2024, 10, 4, 1, 0) },
        { from: Date.UTC(2024, 9, 27, 0, 1), until: Date.UTC(2024, 9, 27, 0, 14) },
      ]
      const filters = [{}, { brands: ['Acme Air'] }, { sources: ['reddit'] }, { sources: ['x'], brands: ['Acme Air', 'Nordwind'] }]
      const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC']
      let compared = 0
      for (const w of windows) {
        for (const f of filters) {
          const filter = { ...w, ...f }
          const buckets = sqlite.countByQuarterHour(filter)
          expect(nonZero(await reports.countByQuarterHour(filter))).toEqual(nonZero(buckets))
          for (const timezone of zones) {
            const server = await reports.countByHourOfWeek({ ...filter, timezone })
            expect(server, `${timezone} ${JSON.stringify(filter)}`).toEqual(summarizeHourOfWeek(buckets, timezone))
            compared += server.reduce((s, r) => s + r.counts.reduce((x, y) => x + y, 0), 0)
          }
        }
      }
      expect(compared).toBeGreaterThan(50_000)
      // The data does cross the changes: a fixed UTC+1 mapping would put Berlin's summer posts an hour off.
      const berlin = await reports.countByHourOfWeek({ ...windows[0]!, timezone: 'Europe/Berlin' })
      expect(berlin).not.toEqual(summarizeHourOfWeek(sqlite.countByQuarterHour(windows[0]!), 'Etc/GMT-1'))
      sqlite.db.close()
    })
  })
})
