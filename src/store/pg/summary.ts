// The summary report's SQL on PostgreSQL: the fetch log for completeness and the counts per group.
import type { FetchRunSpan } from '../../models/runs.js'
import type { SummaryScope } from '../../models/scope.js'
import type { GroupCount } from '../../models/summary.js'
import type { AuthorCount, ReportRepo } from '../types.js'
import type { PgHandle } from './connect.js'
import { anyOf, brandPredicate, C, param, run } from './sql.js'

export function scopeWhere(s: SummaryScope, params: unknown[]): string {
  return `m.created_at >= ${param(params, s.from)} AND m.created_at < ${param(params, s.until)} AND NOT m.by_brand
    AND NOT ${brandPredicate('m', s.brand, params)}${anyOf('m.source', s.sources, params)}${anyOf('m.brand', s.brands, params)}`
}

export class PgReports implements ReportRepo {
  constructor(readonly handle: PgHandle) {}

  async fetchRuns(from: number, until: number): Promise<FetchRunSpan[]> {
    return (await run<FetchRunSpan>(this.handle, `SELECT source, status, started_at AS "startedAt", finished_at AS "finishedAt",
        covered_from AS "coveredFrom", covered_until AS "coveredUntil" FROM fetch_runs
      WHERE coalesce(covered_until, finished_at, started_at) >= $1 AND coalesce(covered_from, started_at) < $2
      ORDER BY source ${C}, coalesce(covered_from, started_at)`, [from, until])).rows
  }

  async fetchedSources(): Promise<Set<string>> {
    return new Set((await run<{ source: string }>(this.handle, 'SELECT DISTINCT source FROM fetch_runs')).rows.map((r) => r.source))
  }

  /** Distinct sources by a skip scan of mention_keys' primary key (one index seek per source). */
  async storedSources(): Promise<string[]> {
    const r = await run<{ x: string }>(this.handle, `WITH RECURSIVE s(x) AS (SELECT min(source ${C}) FROM mention_keys
        UNION ALL SELECT (SELECT min(source ${C}) FROM mention_keys WHERE source ${C} > s.x) FROM s WHERE x IS NOT NULL)
      SELECT x FROM s WHERE x IS NOT NULL`)
    return r.rows.map((row) => row.x)
  }

  async groupCounts(s: SummaryScope): Promise<GroupCount[]> {
    const params: unknown[] = []
    const where = scopeWhere(s, params)
    return (await run<GroupCount>(this.handle, `SELECT m.source, coalesce(m.brand, '') AS brand, coalesce(m.label, '') AS label, count(*) AS n
      FROM mentions m WHERE ${where} GROUP BY 1, 2, 3`, params)).rows
  }

  async topAuthors(s: SummaryScope, limit: number): Promise<AuthorCount[]> {
    const params: unknown[] = []
    const where = scopeWhere(s, params)
    return (await run<AuthorCount>(this.handle, `SELECT * FROM (SELECT coalesce(m.author, m.author_id) AS author, min(m.source ${C}) AS source, count(*) AS n,
        count(m.label) AS labelled, count(*) FILTER (WHERE m.label IN ('outage', 'complaint')) AS negative
      FROM mentions m WHERE ${where} AND coalesce(m.author, m.author_id) IS NOT NULL
      GROUP BY coalesce(m.author, m.author_id)) a ORDER BY n DESC, author ${C} LIMIT ${param(params, limit)}`, params)).rows
  }

  async texts(s: SummaryScope, limit: number): Promise<Array<[string, string]>> {
    const params: unknown[] = []
    const where = scopeWhere(s, params)
    const r = await run<{ label: string; text: string }>(this.handle, `SELECT coalesce(m.label, '') AS label, m.text FROM mentions m
      WHERE ${where} ORDER BY m.created_at DESC LIMIT ${param(params, limit)}`, params)
    return r.rows.map((row) => [row.label, row.text])
  }
}
