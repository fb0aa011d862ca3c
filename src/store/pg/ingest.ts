// Bulk upsert of mention rows into PostgreSQL: COPY into a temporary staging table, then one
// INSERT … ON CONFLICT … DO UPDATE … WHERE (something differs) per batch, all in one transaction.
// Same semantics as SQLite's MentionStore.upsertRows: inserted / updated / unchanged counts, a
// re-import changes nothing (not even fetched_at), a human label is never replaced, and a key seen
// twice in one batch behaves as if the rows were upserted one after the other.
//
// Text: COPY's text format with \\ \n \r \t escaped, so any text survives. PostgreSQL text cannot
// hold U+0000: a NUL in any text column is stored as U+FFFD (the replacement character), the same
// on every import, so a re-import of that row is still "unchanged".
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import copyStreams from 'pg-copy-streams'
import type { MentionInput, UpsertCounts } from '../../models/mention.js'
import { appendRow, ROW_WIDTH } from '../../models/row.js'
import { pgError, type PgHandle, reconnecting, withClient, withTransaction } from './connect.js'
import { LOCK_CLASS, lockKey } from './migrations.js'

/** The row's columns in ROW_WIDTH order (models/row.ts). */
export const COLUMNS = [
  'source', 'id', 'brand', 'created_at', 'author', 'author_id', 'text', 'url', 'lang', 'in_reply_to', 'thread_id',
  'by_brand', 'label', 'label_source', 'scores', 'fetched_at', 'raw', 'pii', 'topic', 'topic_source',
] as const
if (COLUMNS.length !== ROW_WIDTH) throw new Error(`pg ingest: ${COLUMNS.length} columns but ROW_WIDTH ${ROW_WIDTH}`)

const SOURCE = 0
const ID = 1
const CREATED_AT = 3

/** Months before this or more than a year after now go to the DEFAULT partition instead of getting their own. */
const FIRST_PARTITION_MONTH = Date.UTC(1990, 0, 1)
const YEAR = 366 * 86_400_000

const STAGING = `CREATE TEMP TABLE IF NOT EXISTS listen_staging (
    source text, id text, brand text, created_at bigint, author text, author_id text, text text, url text,
    lang text, in_reply_to text, thread_id text, by_brand boolean, label text, label_source text, scores text,
    fetched_at bigint, raw text, pii text, topic text, topic_source text, occ integer
  ) ON COMMIT DELETE ROWS`

const SET_COLUMNS = COLUMNS.filter((c) => !['source', 'id', 'created_at', 'label', 'label_source', 'scores', 'pii', 'topic', 'topic_source'].includes(c))
const KEEP_TOPIC = (m: string, s: string) => `${m}.topic_source = 'human' OR ${s}.topic IS NULL`
const KEEP_LABEL = (m: string, s: string) => `${m}.label_source = 'human' OR ${s}.label IS NULL`
/** The SET list of an update from staging row `s` onto mention `m` (label rule included). */
const assignments = (m: string, s: string) =>
  [
    ...SET_COLUMNS.map((c) => `${c} = ${s}.${c}`),
    ...['label', 'label_source', 'scores'].map((c) => `${c} = CASE WHEN ${KEEP_LABEL(m, s)} THEN ${m}.${c} ELSE ${s}.${c} END`),
    // pii NULL = not checked: keep what was found unless the text changed.
    `pii = CASE WHEN ${m}.text IS DISTINCT FROM ${s}.text THEN ${s}.pii ELSE coalesce(${s}.pii, ${m}.pii) END`,
    ...['topic', 'topic_source'].map((c) => `${c} = CASE WHEN ${KEEP_TOPIC(m, s)} THEN ${m}.${c} ELSE ${s}.${c} END`),
  ].join(', ')
/** True when upserting `s` onto `m` would change anything besides fetched_at. */
const differs = (m: string, s: string) =>
  [
    ...SET_COLUMNS.filter((c) => c !== 'fetched_at').map((c) => `${m}.${c} IS DISTINCT FROM ${s}.${c}`),
    `(${s}.pii IS NOT NULL AND ${m}.pii IS DISTINCT FROM ${s}.pii)`,
    `(${m}.label_source IS DISTINCT FROM 'human' AND ${s}.label IS NOT NULL AND (${m}.label IS DISTINCT FROM ${s}.label OR ${m}.scores IS DISTINCT FROM ${s}.scores))`,
    `(${m}.topic_source IS DISTINCT FROM 'human' AND ${s}.topic IS NOT NULL AND (${m}.topic IS DISTINCT FROM ${s}.topic OR ${m}.topic_source IS DISTINCT FROM ${s}.topic_source))`,
  ].join(' OR ')

const NEW_KEYS = `INSERT INTO mention_keys (source, id, created_at)
  SELECT source, id, created_at FROM listen_staging WHERE occ = $1 ON CONFLICT DO NOTHING`
const MOVES = `SELECT count(*) AS n FROM listen_staging s JOIN mention_keys k ON k.source = s.source AND k.id = s.id
  WHERE s.occ = $1 AND k.created_at <> s.created_at`
// A re-fetch that changed created_at: the whole row is updated (moving it to its new month) before
// the main statement, which then finds nothing left to change for it.
const MOVE_MENTIONS = `UPDATE mentions m SET created_at = s.created_at, ${assignments('m', 's')}
  FROM listen_staging s JOIN mention_keys k ON k.source = s.source AND k.id = s.id
  WHERE s.occ = $1 AND k.created_at <> s.created_at AND m.source = s.source AND m.id = s.id AND m.created_at = k.created_at`
const MOVE_KEYS = `UPDATE mention_keys k SET created_at = s.created_at FROM listen_staging s
  WHERE s.occ = $1 AND k.source = s.source AND k.id = s.id AND k.created_at <> s.created_at`
// The rows it returns are the inserted and the updated ones; the inserted ones are exactly the new
// keys (each mention has one mention_keys row), as RETURNING xmax is not available on a partitioned table.
const UPSERT = `INSERT INTO mentions AS m (${COLUMNS.join(', ')})
  SELECT ${COLUMNS.join(', ')} FROM listen_staging WHERE occ = $1
  ON CONFLICT (source, id, created_at) DO UPDATE SET ${assignments('m', 'excluded')}
  WHERE ${differs('m', 'excluded')}`

/** SQLSTATEs worth one more attempt of the whole batch: deadlock, serialization failure. */
const RETRY = new Set(['40P01', '40001'])
const MAX_ATTEMPTS = 4

export interface UpsertOptions {
  /**
   * Runs inside the batch's transaction after the mentions are written (e.g. the cursor and the
   * run record of a fetch walk's last page). May run more than once if the batch is retried.
   */
  withinTransaction?: (client: pg.PoolClient, counts: UpsertCounts) => Promise<void>
}

/** Escapes one value for COPY's text format. */
export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N'
  if (typeof v === 'number') return String(v)
  if (typeof v === 'boolean') return v ? 't' : 'f'
  const s = String(v)
  return /[\\\n\r\t\0]/.test(s) ? s.replace(/[\\\n\r\t\0]/g, (c) => ESCAPES[c]!) : s
}
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\uFFFD' }

const monthStart = (t: number) => {
  const d = new Date(t)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
}
const nextMonth = (start: number) => {
  const d = new Date(start)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
}
export const partitionName = (start: number) => {
  const d = new Date(start)
  return `mentions_p${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`
}

/** Row order of a batch sorted by (source, id), stable, and each row's occurrence of its key (1, 2, …). */
function orderRows(flat: readonly unknown[]): { order: number[]; occ: Int32Array; rounds: number } {
  const n = flat.length / ROW_WIDTH
  const order = Array.from({ length: n }, (_, i) => i)
  const key = (i: number, f: number) => flat[i * ROW_WIDTH + f] as string
  // One lock order for every writer: concurrent batches touching the same keys wait instead of deadlocking.
  order.sort((a, b) => {
    const sa = key(a, SOURCE)
    const sb = key(b, SOURCE)
    if (sa !== sb) return sa < sb ? -1 : 1
    const ia = key(a, ID)
    const ib = key(b, ID)
    return ia === ib ? 0 : ia < ib ? -1 : 1
  })
  const occ = new Int32Array(n)
  let rounds = n ? 1 : 0
  for (let j = 0; j < n; j++) {
    const i = order[j]!
    const p = j > 0 ? order[j - 1]! : -1
    occ[i] = p >= 0 && key(p, SOURCE) === key(i, SOURCE) && key(p, ID) === key(i, ID) ? occ[p]! + 1 : 1
    if (occ[i]! > rounds) rounds = occ[i]!
  }
  return { order, occ, rounds }
}

function* copyChunks(flat: readonly unknown[], order: readonly number[], occ: Int32Array): Generator<string> {
  let chunk = ''
  for (const i of order) {
    const base = i * ROW_WIDTH
    let line = ''
    for (let f = 0; f < ROW_WIDTH; f++) line += `${copyValue(flat[base + f])}\t`
    chunk += `${line}${occ[i]}\n`
    if (chunk.length >= 1 << 20) {
      yield chunk
      chunk = ''
    }
  }
  if (chunk) yield chunk
}

class Escalate extends Error {}

export class PgMentionWriter {
  /** Rows this writer inserted (see refreshPlannerStats). */
  inserted = 0
  private readonly knownMonths = new Set<number>()
  private readonly staged = new WeakSet<pg.PoolClient>()

  constructor(
    readonly handle: PgHandle,
    private readonly options: { now?: () => number } = {},
  ) {}

  async upsertMentions(mentions: readonly MentionInput[], fetchedAt = Date.now(), options: UpsertOptions = {}): Promise<UpsertCounts> {
    const flat: unknown[] = []
    for (const m of mentions) appendRow(flat, m, fetchedAt)
    return this.upsertRows(flat, options)
  }

  /** Upserts rows packed ROW_WIDTH values each (see appendRow) in one transaction. */
  async upsertRows(flat: readonly unknown[], options: UpsertOptions = {}): Promise<UpsertCounts> {
    const rows = flat.length / ROW_WIDTH
    if (!Number.isInteger(rows)) throw new Error(`upsertRows: ${flat.length} values is not a whole number of rows of ${ROW_WIDTH}`)
    if (rows === 0 && !options.withinTransaction) return { inserted: 0, updated: 0, unchanged: 0 }
    const createdAts: number[] = []
    for (let i = CREATED_AT; i < flat.length; i += ROW_WIDTH) createdAts.push(flat[i] as number)
    const prepared = orderRows(flat)
    try {
      // The whole batch again after a lost connection: it is one transaction, and upserting it a
      // second time (had the first COMMIT gone through unacknowledged) changes nothing. Its counts
      // then call those rows unchanged rather than new.
      const counts = await reconnecting(this.handle, () => this.batch(createdAts, flat, prepared, options))
      this.inserted += counts.inserted
      return counts
    } catch (e) {
      const err = pgError(e, this.handle.url)
      err.message = `${err.message}; the batch of ${rows.toLocaleString('en-US')} mentions was not saved (it is one transaction)`
      throw err
    }
  }

  private async batch(createdAts: number[], flat: readonly unknown[], prepared: ReturnType<typeof orderRows>, options: UpsertOptions): Promise<UpsertCounts> {
    // Most batches take the shared lock and run side by side; a batch that moves a key to another
    // created_at takes it exclusively, so no concurrent batch can insert that key at its old instant.
    let exclusive = false
    for (let attempt = 1; ; attempt++) {
      try {
        // Inside the try: a connection lost while the month partitions are made loses the batch too.
        await this.ensurePartitions(createdAts)
        return await this.attempt(flat, prepared, exclusive, options)
      } catch (e) {
        if (e instanceof Escalate) {
          exclusive = true
          continue
        }
        const code = (e as { code?: string }).code
        if (code && RETRY.has(code) && attempt < MAX_ATTEMPTS) continue
        throw e
      }
    }
  }

  /**
   * Upserts packed rows inside a transaction the caller holds on `client` (listen db migrate-to: a
   * batch and its resume point commit together). Takes the mentions lock exclusively, so rows whose
   * created_at moved are handled without a retry.
   */
  async mergeWithin(client: pg.PoolClient, flat: readonly unknown[]): Promise<UpsertCounts> {
    const createdAts: number[] = []
    for (let i = CREATED_AT; i < flat.length; i += ROW_WIDTH) createdAts.push(flat[i] as number)
    await this.ensurePartitions(createdAts)
    // Every time: inside a transaction that rolls back, creating it would be undone too.
    await client.query(STAGING)
    const { order, occ, rounds } = orderRows(flat)
    const counts = await this.merge(client, flat, order, occ, rounds, true)
    this.inserted += counts.inserted
    return counts
  }

  private attempt(
    flat: readonly unknown[],
    { order, occ, rounds }: ReturnType<typeof orderRows>,
    exclusive: boolean,
    options: UpsertOptions,
  ): Promise<UpsertCounts> {
    return withClient(this.handle, async (client, broken) => {
      if (!this.staged.has(client)) {
        // More memory for the staging table; refused (and not needed) once the session has used a
        // temporary table, e.g. for moving rows out of the DEFAULT partition.
        await client.query(`SET temp_buffers = '64MB'`).catch(() => {})
        await client.query(STAGING)
        this.staged.add(client)
      }
      await client.query('BEGIN')
      try {
        const counts = await this.merge(client, flat, order, occ, rounds, exclusive)
        await options.withinTransaction?.(client, counts)
        await client.query('COMMIT')
        return counts
      } catch (e) {
        await client.query('ROLLBACK').catch(broken)
        throw e
      }
    })
  }

  private async merge(client: pg.PoolClient, flat: readonly unknown[], order: number[], occ: Int32Array, rounds: number, exclusive: boolean): Promise<UpsertCounts> {
    const rows = order.length
    if (rows === 0) return { inserted: 0, updated: 0, unchanged: 0 }
    const copy = client.query(copyStreams.from(`COPY listen_staging (${COLUMNS.join(', ')}, occ) FROM STDIN`))
    await pipeline(Readable.from(copyChunks(flat, order, occ)), copy)
    await client.query(`SELECT pg_advisory_xact_lock${exclusive ? '' : '_shared'}(${LOCK_CLASS}, ${lockKey('mentions')})`)
    let inserted = 0
    let updated = 0
    for (let round = 1; round <= rounds; round++) {
      const inRound = rounds === 1 ? rows : occ.reduce((n, o) => n + (o === round ? 1 : 0), 0)
      const newKeys = (await client.query(NEW_KEYS, [round])).rowCount ?? 0
      if (newKeys < inRound) {
        const moves = (await client.query<{ n: number }>(MOVES, [round])).rows[0]!.n
        if (moves > 0) {
          if (!exclusive) throw new Escalate()
          updated += (await client.query(MOVE_MENTIONS, [round])).rowCount ?? 0
          await client.query(MOVE_KEYS, [round])
        }
      }
      const written = (await client.query(UPSERT, [round])).rowCount ?? 0
      inserted += newKeys
      updated += written - newKeys
    }
    return { inserted, updated, unchanged: rows - inserted - updated }
  }

  /**
   * Creates the month partitions these instants need (months already known to this writer are
   * skipped). Rows the DEFAULT partition holds for a new month are moved into it, through the
   * parent so the rollup stays exact. Returns the partitions created.
   */
  async ensurePartitions(createdAts: Iterable<number>): Promise<string[]> {
    const now = this.options.now?.() ?? Date.now()
    const wanted = new Set<number>()
    let lo = 0
    let hi = 0
    for (const t of createdAts) {
      if (t >= lo && t < hi) continue
      if (!Number.isFinite(t) || t < FIRST_PARTITION_MONTH || t >= now + YEAR) continue
      lo = monthStart(t)
      hi = nextMonth(lo)
      if (!this.knownMonths.has(lo)) wanted.add(lo)
    }
    if (!wanted.size) return []
    try {
      return await withTransaction(this.handle, async (client) => {
        await client.query(`SELECT pg_advisory_xact_lock(${LOCK_CLASS}, ${lockKey('partitions')})`)
        const existing = new Set(
          (await client.query<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'mentions'::regclass`)).rows.map((r) => r.name),
        )
        const missing = [...wanted].filter((m) => !existing.has(partitionName(m))).sort((a, b) => a - b)
        if (missing.length) await client.query('LOCK TABLE mentions_default IN SHARE ROW EXCLUSIVE MODE')
        const created: string[] = []
        for (const a of missing) {
          const b = nextMonth(a)
          const name = partitionName(a)
          const stray = (await client.query<{ n: number }>('SELECT count(*) AS n FROM mentions_default WHERE created_at >= $1 AND created_at < $2', [a, b])).rows[0]!.n
          if (stray) {
            await client.query('CREATE TEMP TABLE listen_moving (LIKE mentions) ON COMMIT DROP')
            await client.query(`WITH d AS (DELETE FROM mentions WHERE created_at >= $1 AND created_at < $2 RETURNING *)
              INSERT INTO listen_moving SELECT * FROM d`, [a, b])
          }
          await client.query(`CREATE TABLE ${name} (LIKE mentions INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`)
          await client.query(`ALTER TABLE mentions ATTACH PARTITION ${name} FOR VALUES FROM (${a}) TO (${b})`)
          if (stray) {
            await client.query('INSERT INTO mentions SELECT * FROM listen_moving')
            await client.query('DROP TABLE listen_moving')
          }
          created.push(name)
        }
        return created
      }).then((created) => {
        for (const m of wanted) this.knownMonths.add(m)
        return created
      })
    } catch (e) {
      throw pgError(e, this.handle.url)
    }
  }
}
