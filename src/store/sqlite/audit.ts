// SQL for the first-response audit: which posts are the brand's, which customer posts a brand post
// answers (through reply chains), and the rows the audit aggregates. SQL stays in src/store/.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { AuditRow, LedgerRow } from '../../models/audit.js'
import type { AuditScope, BrandMatcher } from '../../models/scope.js'
import type { AuditStep } from '../types.js'
import { ScanBuffer } from '../scan-buffer.js'
import type { Db } from './db.js'
import { brandPredicate, statementCache } from './sql.js'
/** Reply chains longer than this are cut (and cycles in bad data end). */
const MAX_DEPTH = 40
/**
 * From this many rows the walk runs on a second thread while this one scans the posts: the two
 * halves take about the same time (bench/audit.js), and a worker costs ~50 ms to start.
 */
export const PARALLEL_MIN_ROWS = 200_000
const WORKER = new URL('./answers-worker.js', import.meta.url)

/** The first answer of rowid `rid` in `answers` (NaN or past the end: none). */
function answerOf(answers: Float64Array<ArrayBufferLike>, rid: number): number | null {
  const t = answers[rid]
  return t === undefined || t !== t ? null : t
}

/**
 * Per post (by rowid), the earliest brand post that replies to it, to a customer reply below it,
 * or (on threaded platforms) sits in the thread it opened, written into `out` (NaN = none; rowids
 * past its end are left out). Walks up from each brand post created since `from`, so the work grows
 * with the replies, not with the mentions. Returns how many posts have an answer.
 */
export function findAnswers(db: Db, from: number, brand: BrandMatcher, out: Float64Array, stmt = statementCache(db)): number {
  let n = 0
  db.function('listen_answered', { deterministic: false, varargs: false }, (rid, t) => {
    const r = rid as number
    if (r >= out.length) return 0
    const was = out[r]!
    if (was !== was) n++
    if (!(was <= (t as number))) out[r] = t as number
    return 1
  })
  const params: unknown[] = [from]
  // Parameters are bound in the order their placeholders appear in the text below. The brand
  // posts are read once (one pass over the window) and then joined to what they answer.
  const isBrand = brandPredicate('r', brand, params)
  const stopAtP = brandPredicate('p', brand, params)
  const stopAtG = brandPredicate('g', brand, params)
  const hint = scanHint(stmt, from, Number.MAX_SAFE_INTEGER)
  db.prepare(`WITH RECURSIVE b AS MATERIALIZED (
        SELECT r.source, r.id, r.in_reply_to, r.thread_id, r.created_at FROM mentions r${hint}
          WHERE r.created_at >= ? AND (r.in_reply_to IS NOT NULL OR r.thread_id IS NOT NULL) AND ${isBrand}
      ),
      up(rid, source, parent, t, depth) AS (
        SELECT p.rowid, p.source, CASE WHEN ${stopAtP} THEN NULL ELSE p.in_reply_to END, b.created_at, 0
          FROM b JOIN mentions p ON p.source = b.source AND p.id = coalesce(b.in_reply_to, b.thread_id)
        UNION ALL
        SELECT p.rowid, p.source, NULL, b.created_at, 0
          FROM b JOIN mentions p ON p.source = b.source AND p.id = b.thread_id
          WHERE b.in_reply_to IS NOT NULL AND b.thread_id IS NOT b.in_reply_to AND b.thread_id IS NOT b.id
        UNION ALL
        SELECT g.rowid, g.source, CASE WHEN ${stopAtG} THEN NULL ELSE g.in_reply_to END, up.t, up.depth + 1
          FROM up JOIN mentions g ON g.source = up.source AND g.id = up.parent
          WHERE up.parent IS NOT NULL AND up.depth < ${MAX_DEPTH}
      )
      SELECT count(listen_answered(rid, t)) FROM up`)
    .pluck()
    .get(params)
  return n
}

/**
 * `NOT INDEXED` when the window holds most of the table: reading the table in order beats a
 * created_at index range that fetches every row by rowid (measured 1.7 s vs 2.2 s on 1.3M rows;
 * SQLite's planner keeps the index even with ANALYZE statistics). In rowid order the answers are
 * read in order too.
 */
function scanHint(stmt: ReturnType<typeof statementCache>, from: number, until: number): string {
  // Two subqueries: SQLite reads a lone min() or max() off the index end, but both in one SELECT
  // scan the whole index (0.15–0.8 s on 1.3M rows, three times per audit).
  const [lo, hi] = stmt('SELECT (SELECT min(created_at) FROM mentions), (SELECT max(created_at) FROM mentions)').raw().get() as [number | null, number | null]
  if (lo === null || hi === null || hi <= lo) return ''
  const overlap = Math.min(until, hi) - Math.max(from, lo)
  return overlap / (hi - lo) >= 0.25 ? ' NOT INDEXED' : ''
}

export class AuditStore {
  /** First answer per rowid (NaN = none), from the last computeAnswers. */
  private answers: Float64Array<ArrayBufferLike> = new Float64Array(0)
  /** The walk on the second thread, while it runs. */
  private pending: Promise<number> | null = null
  private readonly stmt

  constructor(
    readonly db: Db,
    private readonly parallelMinRows = PARALLEL_MIN_ROWS,
  ) {
    this.stmt = statementCache(db)
  }

  /**
   * The SQL functions read this store's state. Bound again before each use: a function belongs to
   * the connection, and the queue's store shares it.
   */
  private bindAnswers(): void {
    const answers = this.answers
    this.db.function('listen_answer', { deterministic: false, varargs: false }, (rid) => answerOf(answers, rid as number))
  }

  /**
   * Finds each post's first answer since `from` (findAnswers). On a large file it runs on a worker
   * thread and the calls after it wait for it, so a scan started meanwhile overlaps the walk.
   */
  computeAnswers(from: number, brand: BrandMatcher): number | Promise<number> {
    const top = (this.stmt('SELECT max(rowid) FROM mentions').pluck().get() as number | null) ?? 0
    const parallel = top >= this.parallelMinRows && !this.db.memory && existsSync(fileURLToPath(WORKER))
    const buffer = parallel ? new SharedArrayBuffer((top + 1) * 8) : new ArrayBuffer((top + 1) * 8)
    const out = new Float64Array(buffer).fill(NaN)
    if (!parallel) {
      this.answers = out
      return findAnswers(this.db, from, brand, out, this.stmt)
    }
    this.answers = new Float64Array(0)
    const pending = new Promise<number>((resolve, reject) => {
      const w = new Worker(WORKER, { workerData: { path: this.db.name, from, brand, buffer } })
      w.once('message', (n: number) => resolve(n))
      w.once('error', reject)
      w.once('exit', (code) => reject(new Error(`audit: the answer walk stopped (exit code ${code})`)))
    }).finally(() => {
      this.answers = out
      this.pending = null
    })
    this.pending = pending
    return pending
  }

  private scopeWhere(s: AuditScope, params: unknown[]): string {
    const parts = ['m.created_at >= ?', 'm.created_at < ?', 'm.by_brand = 0']
    params.push(s.from, s.until)
    parts.push(`NOT ${brandPredicate('m', s.brand, params)}`)
    const labelParts: string[] = []
    if (s.labels.length) {
      labelParts.push(`m.label IN (${s.labels.map(() => '?').join(', ')})`)
      params.push(...s.labels)
    }
    if (s.includeUntagged) labelParts.push('m.label IS NULL')
    parts.push(labelParts.length ? `(${labelParts.join(' OR ')})` : '0')
    for (const [col, values] of [['m.source', s.sources], ['m.brand', s.brands]] as const) {
      if (!values?.length) continue
      parts.push(`${col} IN (${values.map(() => '?').join(', ')})`)
      params.push(...values)
    }
    return parts.join(' AND ')
  }

  /**
   * Calls `step` for every post in scope with its first answer (call computeAnswers first). The rows
   * go to JS through an SQL function inside one aggregate query: no row objects and no GROUP BY sort.
   * While the walk still runs on its thread, the rows wait in a buffer and go to `step` after it.
   */
  scanAudit(s: AuditScope, step: AuditStep): number | Promise<number> {
    if (!this.pending) {
      const answers = this.answers
      return this.scanRows(s, (rid, source, at, label, topic) => step(source, at, label, answerOf(answers, rid), topic))
    }
    const rows = new ScanBuffer()
    const n = this.scanRows(s, (rid, source, at, label, topic) => rows.add(rid, source, at, label, topic))
    return this.pending.then(() => {
      const { answers } = this
      rows.drain((rid, source, at, label, topic) => step(source, at, label, answerOf(answers, rid), topic))
      return n
    })
  }

  private scanRows(s: AuditScope, step: (rid: number, source: string, createdAt: number, label: string, topic: string) => void): number {
    this.db.function('listen_audit_row', { deterministic: false, varargs: false }, (rid, source, createdAt, label, topic) => {
      step(rid as number, source as string, createdAt as number, label as string, topic as string)
      return 1
    })
    const params: unknown[] = []
    const where = this.scopeWhere(s, params)
    const hint = scanHint(this.stmt, s.from, s.until)
    return this.stmt(`SELECT count(listen_audit_row(m.rowid, m.source, m.created_at, coalesce(m.label, ''), coalesce(m.topic, ''))) FROM mentions m${hint} WHERE ${where}`)
      .pluck()
      .get(params) as number
  }

  /** How many posts are in scope, and how many of them have an answer. */
  answeredCount(s: AuditScope): { total: number; answered: number } | Promise<{ total: number; answered: number }> {
    if (this.pending) return this.pending.then(() => this.answeredCount(s))
    const params: unknown[] = []
    const where = this.scopeWhere(s, params)
    this.bindAnswers()
    const [total, answered] = this.stmt(`SELECT count(*), count(listen_answer(m.rowid)) FROM mentions m WHERE ${where}`).raw().get(params) as [number, number]
    return { total, answered }
  }

  /** Posts in scope without an answer, oldest first. */
  ledger(s: AuditScope, limit: number): LedgerRow[] | Promise<LedgerRow[]> {
    if (this.pending) return this.pending.then(() => this.ledger(s, limit))
    const params: unknown[] = []
    const where = this.scopeWhere(s, params)
    const lim = limit > 0 ? `LIMIT ${Math.floor(limit)}` : ''
    this.bindAnswers()
    return this.stmt(`SELECT m.source, m.id, m.brand, m.created_at AS createdAt, m.author, m.label, m.text, m.url FROM mentions m
      WHERE ${where} AND listen_answer(m.rowid) IS NULL
      ORDER BY m.created_at, m.source, m.id ${lim}`).all(params) as LedgerRow[]
  }

  /** Baseline for the benchmark: direct replies only, one correlated subquery per mention. */
  iterateNaive(s: { from: number; until: number }): IterableIterator<AuditRow> {
    return this.stmt(`SELECT m.source, m.created_at, coalesce(m.label, ''),
        (SELECT min(r.created_at) FROM mentions r WHERE r.source = m.source AND r.in_reply_to = m.id AND r.by_brand = 1)
      FROM mentions m WHERE m.created_at >= ? AND m.created_at < ? AND m.by_brand = 0`)
      .raw()
      .iterate(s.from, s.until) as IterableIterator<AuditRow>
  }

  /** Does any post since `from` (on these sources) count as the brand's? If not, every post looks unanswered. */
  hasBrandPosts(from: number, brand: BrandMatcher, sources?: readonly string[]): boolean {
    const params: unknown[] = [from]
    const pred = brandPredicate('m', brand, params)
    const inSources = sources?.length ? ` AND m.source IN (${sources.map(() => '?').join(', ')})` : ''
    if (sources?.length) params.push(...sources)
    return this.stmt(`SELECT 1 FROM mentions m WHERE m.created_at >= ? AND ${pred}${inSources} LIMIT 1`).get(params) !== undefined
  }
}
