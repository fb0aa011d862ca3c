// SQL behind the reports: the fetch log for completeness, and the counts of the summary report.
import type { FetchRunSpan } from '../../models/runs.js'
import type { SummaryScope } from '../../models/scope.js'
import type { GroupCount } from '../../models/summary.js'
import type { Db } from './db.js'
import { brandPredicate, statementCache } from './sql.js'

export class ReportStore {
  private readonly stmt

  constructor(readonly db: Db) {
    this.stmt = statementCache(db)
  }

  /** Runs whose span (or, without one, whose run time) overlaps [from, until). */
  fetchRuns(from: number, until: number): FetchRunSpan[] {
    return this.stmt(`SELECT source, status, started_at AS startedAt, finished_at AS finishedAt,
        covered_from AS coveredFrom, covered_until AS coveredUntil FROM fetch_runs
      WHERE coalesce(covered_until, finished_at, started_at) >= ? AND coalesce(covered_from, started_at) < ?
      ORDER BY source, coalesce(covered_from, started_at)`).all(from, until) as FetchRunSpan[]
  }

  /** Sources that were ever fetched (the others only hold imported data). */
  fetchedSources(): Set<string> {
    return new Set((this.stmt('SELECT DISTINCT source FROM fetch_runs').raw().all() as string[][]).map((r) => r[0]!))
  }

  /** Distinct sources in the store, one index seek each (the primary key starts with source). */
  storedSources(): string[] {
    return (this.stmt(`WITH RECURSIVE s(x) AS (SELECT min(source) FROM mentions
        UNION ALL SELECT (SELECT min(source) FROM mentions WHERE source > x) FROM s WHERE x IS NOT NULL)
      SELECT x FROM s WHERE x IS NOT NULL`).raw().all() as string[][]).map((r) => r[0]!)
  }

  private where(s: SummaryScope, params: unknown[]): string {
    const parts = ['m.created_at >= ?', 'm.created_at < ?', 'm.by_brand = 0']
    params.push(s.from, s.until)
    parts.push(`NOT ${brandPredicate('m', s.brand, params)}`)
    for (const [col, values] of [['m.source', s.sources], ['m.brand', s.brands]] as const) {
      if (!values?.length) continue
      parts.push(`${col} IN (${values.map(() => '?').join(', ')})`)
      params.push(...values)
    }
    return parts.join(' AND ')
  }

  /** Customer posts per source, brand and label in the scope. */
  groupCounts(s: SummaryScope): GroupCount[] {
    const params: unknown[] = []
    const where = this.where(s, params)
    return this.stmt(`SELECT m.source, coalesce(m.brand, '') AS brand, coalesce(m.label, '') AS label, count(*) AS n
      FROM mentions m WHERE ${where} GROUP BY 1, 2, 3`).all(params) as GroupCount[]
  }

  /** Customer authors with the most posts. */
  topAuthors(s: SummaryScope, limit: number): Array<{ author: string; source: string; n: number; labelled: number; negative: number }> {
    const params: unknown[] = []
    const where = this.where(s, params)
    params.push(limit)
    return this.stmt(`SELECT coalesce(m.author, m.author_id) AS author, min(m.source) AS source, count(*) AS n,
        count(m.label) AS labelled, count(*) FILTER (WHERE m.label IN ('outage', 'complaint')) AS negative
      FROM mentions m WHERE ${where} AND coalesce(m.author, m.author_id) IS NOT NULL
      GROUP BY coalesce(m.author, m.author_id) ORDER BY n DESC, author LIMIT ?`).all(params) as Array<{
      author: string
      source: string
      n: number
      labelled: number
      negative: number
    }>
  }

  /** Texts with their label ('' = untagged), newest first, at most `limit`. */
  texts(s: SummaryScope, limit: number): Array<[string, string]> {
    const params: unknown[] = []
    const where = this.where(s, params)
    params.push(limit)
    return this.stmt(`SELECT coalesce(m.label, ''), m.text FROM mentions m WHERE ${where} ORDER BY m.created_at DESC LIMIT ?`)
      .raw()
      .all(params) as Array<[string, string]>
  }
}
