// The first-response audit on PostgreSQL, in SQL on the server: per customer post, the earliest
// brand post that replies to it, to a customer reply below it, or sits in the thread it opened
// (the same walk as SQLite's AuditStore). A pooled connection is not the same session from one call
// to the next, so instead of SQLite's temp table the walk is a CTE each reading call includes.
import type { LedgerRow } from '../../models/audit.js'
import type { AuditScope, BrandMatcher } from '../../models/scope.js'
import { ScanBuffer } from '../scan-buffer.js'
import type { AuditRepo, AuditStep } from '../types.js'
import { pgError, type PgHandle, withTransaction } from './connect.js'
import { anyOf, brandPredicate, C, param, rereading, run } from './sql.js'

/** Reply chains longer than this are cut (and cycles in bad data end). */
const MAX_DEPTH = 40
const PAGE = 10_000

export class PgAudit implements AuditRepo {
  private answers: { from: number; brand: BrandMatcher } | null = null

  /** `bufferRows`: rows a scan holds back so that it can start again after a lost connection (see scanAudit). */
  constructor(
    readonly handle: PgHandle,
    private readonly bufferRows = 1_000_000,
  ) {}

  /** `first_answer(source, id, answered_at)` as CTEs, parameters appended. */
  private firstAnswer(params: unknown[]): string {
    if (!this.answers) throw new Error('audit: computeAnswers must run first')
    const { from, brand } = this.answers
    const fromP = param(params, from)
    const isBrand = brandPredicate('r', brand, params)
    const stopAtP = brandPredicate('p', brand, params)
    const stopAtG = brandPredicate('g', brand, params)
    return `RECURSIVE b AS MATERIALIZED (
        SELECT r.source, r.id, r.in_reply_to, r.thread_id, r.created_at FROM mentions r
          WHERE r.created_at >= ${fromP} AND (r.in_reply_to IS NOT NULL OR r.thread_id IS NOT NULL) AND ${isBrand}
      ),
      up(source, id, parent, t, depth) AS (
        SELECT p.source, p.id, CASE WHEN ${stopAtP} THEN NULL ELSE p.in_reply_to END, b.created_at, 0
          FROM b JOIN mentions p ON p.source = b.source AND p.id = coalesce(b.in_reply_to, b.thread_id)
        UNION ALL
        SELECT p.source, p.id, NULL, b.created_at, 0
          FROM b JOIN mentions p ON p.source = b.source AND p.id = b.thread_id
          WHERE b.in_reply_to IS NOT NULL AND b.thread_id IS DISTINCT FROM b.in_reply_to AND b.thread_id IS DISTINCT FROM b.id
        UNION ALL
        SELECT g.source, g.id, CASE WHEN ${stopAtG} THEN NULL ELSE g.in_reply_to END, up.t, up.depth + 1
          FROM up JOIN mentions g ON g.source = up.source AND g.id = up.parent
          WHERE up.parent IS NOT NULL AND up.depth < ${MAX_DEPTH}
      ),
      first_answer AS (SELECT source, id, min(t) AS answered_at FROM up GROUP BY source, id)`
  }

  private scopeWhere(s: AuditScope, params: unknown[]): string {
    const parts = [`m.created_at >= ${param(params, s.from)}`, `m.created_at < ${param(params, s.until)}`, 'NOT m.by_brand']
    parts.push(`NOT ${brandPredicate('m', s.brand, params)}`)
    const labelParts: string[] = []
    if (s.labels.length) labelParts.push(`m.label = ANY(${param(params, [...s.labels])}::text[])`)
    if (s.includeUntagged) labelParts.push('m.label IS NULL')
    parts.push(labelParts.length ? `(${labelParts.join(' OR ')})` : 'false')
    return parts.join(' AND ') + anyOf('m.source', s.sources, params) + anyOf('m.brand', s.brands, params)
  }

  async computeAnswers(from: number, brand: BrandMatcher): Promise<number> {
    this.answers = { from, brand }
    const params: unknown[] = []
    return (await run<{ n: number }>(this.handle, `WITH ${this.firstAnswer(params)} SELECT count(*) AS n FROM first_answer`, params)).rows[0]!.n
  }

  /**
   * Streams the rows through a server-side cursor, PAGE at a time, into a buffer that goes to `step`
   * once the cursor is read to the end: a connection lost on the way (the walk runs on the first
   * FETCH, the long part) is retried like every read, from the start, and no row is counted twice.
   * Past `bufferRows` rows (about 28 MB at the default) the buffer goes to `step` as it fills, so
   * memory stays flat on any window; a connection lost after that is one clear error.
   */
  async scanAudit(s: AuditScope, step: AuditStep): Promise<number> {
    const params: unknown[] = []
    const fa = this.firstAnswer(params)
    const where = this.scopeWhere(s, params)
    const rows = new ScanBuffer()
    const hand = (answered: number, source: string, at: number, label: string, topic: string) => step(source, at, label, Number.isNaN(answered) ? null : answered, topic)
    let handed = 0
    const scan = () =>
      withTransaction(this.handle, async (client) => {
        rows.clear()
        await client.query(`DECLARE listen_audit NO SCROLL CURSOR FOR WITH ${fa}
          SELECT m.source, m.created_at, coalesce(m.label, '') AS label, a.answered_at, coalesce(m.topic, '') AS topic FROM mentions m
          LEFT JOIN first_answer a ON a.source = m.source AND a.id = m.id WHERE ${where}`, params)
        for (;;) {
          const page = await client.query<{ source: string; created_at: number; label: string; answered_at: number | null; topic: string }>(`FETCH ${PAGE} FROM listen_audit`)
          for (const r of page.rows) rows.add(r.answered_at ?? NaN, r.source, r.created_at, r.label, r.topic)
          if (rows.n >= this.bufferRows) {
            handed += rows.n
            rows.drain(hand)
          }
          if (page.rows.length < PAGE) break
        }
      })
    let lost: unknown = null
    const attempt = () =>
      scan().catch((e: unknown) => {
        if (handed === 0) throw e
        // A plain Error is not transient: rereading gives up, and the error below names the real cause.
        lost = e
        throw new Error('audit scan interrupted after rows were counted')
      })
    try {
      await rereading(this.handle, attempt)
    } catch (e) {
      throw pgError(lost ?? e, this.handle.url)
    }
    const n = handed + rows.n
    rows.drain(hand)
    return n
  }

  async answeredCount(s: AuditScope): Promise<{ total: number; answered: number }> {
    const params: unknown[] = []
    const fa = this.firstAnswer(params)
    const where = this.scopeWhere(s, params)
    return (await run<{ total: number; answered: number }>(this.handle, `WITH ${fa}
      SELECT count(*) AS total, count(a.answered_at) AS answered FROM mentions m
      LEFT JOIN first_answer a ON a.source = m.source AND a.id = m.id WHERE ${where}`, params)).rows[0]!
  }

  async ledger(s: AuditScope, limit: number): Promise<LedgerRow[]> {
    const params: unknown[] = []
    const fa = this.firstAnswer(params)
    const where = this.scopeWhere(s, params)
    const lim = limit > 0 ? `LIMIT ${Math.floor(limit)}` : ''
    return (await run<LedgerRow>(this.handle, `WITH ${fa}
      SELECT m.source, m.id, m.brand, m.created_at AS "createdAt", m.author, m.label, m.text, m.url FROM mentions m
      WHERE ${where} AND NOT EXISTS (SELECT 1 FROM first_answer a WHERE a.source = m.source AND a.id = m.id)
      ORDER BY m.created_at, m.source ${C}, m.id ${C} ${lim}`, params)).rows
  }

  async hasBrandPosts(from: number, brand: BrandMatcher, sources?: readonly string[]): Promise<boolean> {
    const params: unknown[] = [from]
    const pred = brandPredicate('m', brand, params)
    const inSources = anyOf('m.source', sources, params)
    return (await run(this.handle, `SELECT 1 FROM mentions m WHERE m.created_at >= $1 AND ${pred}${inSources} LIMIT 1`, params)).rows.length > 0
  }
}
