// The by-hour counts on the PostgreSQL server. Whole quarter hours come from the rollup
// (mention_buckets), the partial quarter hours at the window's edges from the rows, as SQLite's
// MentionStore.countByQuarterHour does. Zone offsets are whole quarter hours everywhere, so each UTC
// quarter hour lies in one local hour: localising its start with AT TIME ZONE is exact across DST.
import { BUCKET_LABELS, type BucketRow, type HourOfWeekRow } from '../../models/mention.js'
import { pgError, type PgHandle, withTransaction } from './connect.js'
import { rereading } from './sql.js'

const Q = 900_000

export interface PgCountFilter {
  from: number
  until: number
  sources?: readonly string[] | undefined
  brands?: readonly string[] | undefined
}

const pivot = (value: string, label: string) =>
  BUCKET_LABELS.map((l) => `coalesce(sum(${value}) FILTER (WHERE ${label} = '${l}'), 0)::bigint`).join(', ')

/** Builds `AND column = ANY($n)` clauses, appending their parameters. */
function filters(f: PgCountFilter, params: unknown[], withSource: boolean): string {
  let sql = ''
  if (withSource && f.sources?.length) {
    params.push([...f.sources])
    sql += ` AND source = ANY($${params.length}::text[])`
  }
  if (f.brands?.length) {
    params.push([...f.brands])
    sql += ` AND brand = ANY($${params.length}::text[])`
  }
  return sql
}

/**
 * The counts of the window as one SQL relation `q(bucket, label, n)`, several rows per quarter hour:
 * the rollup for whole quarter hours, rows for the edges and for any source filter (the rollup has
 * no source column).
 */
function quarterHours(f: PgCountFilter, params: unknown[]): string {
  const rows = (ranges: Array<[number, number]>) => {
    const live = ranges.filter(([a, b]) => a < b)
    if (!live.length) return null
    const where = live
      .map(([a, b]) => {
        params.push(a, b)
        return `(created_at >= $${params.length - 1} AND created_at < $${params.length})`
      })
      .join(' OR ')
    return `SELECT created_at / ${Q} AS bucket, coalesce(label, '') AS label, 1::bigint AS n FROM mentions
      WHERE (${where}) AND NOT by_brand${filters(f, params, true)}`
  }
  const firstWhole = Math.ceil(f.from / Q)
  const endWhole = Math.floor(f.until / Q)
  if (f.sources?.length || firstWhole >= endWhole) return rows([[f.from, f.until]]) ?? 'SELECT 0::bigint AS bucket, \'\' AS label, 0::bigint AS n WHERE false'
  params.push(firstWhole, endWhole)
  const rollup = `SELECT bucket, label, n FROM mention_buckets
    WHERE bucket >= $${params.length - 1} AND bucket < $${params.length}${filters(f, params, false)}`
  const edges = rows([
    [f.from, firstWhole * Q],
    [endWhole * Q, f.until],
  ])
  return edges ? `${rollup} UNION ALL ${edges}` : rollup
}

export class PgMentionReports {
  constructor(readonly handle: PgHandle) {}

  /**
   * Without parallel workers: the rollup of a 90-day window is ~10^5 rows, and starting workers
   * costs more than it saves (median 66 ms with 2 workers vs 47 ms without, on 2 cores).
   */
  private async query<T extends object>(sql: string, params: unknown[]): Promise<T[]> {
    try {
      return await rereading(this.handle, () =>
        withTransaction(this.handle, async (client) => {
          await client.query('SET LOCAL max_parallel_workers_per_gather = 0')
          return (await client.query<T>(sql, params)).rows
        }),
      )
    } catch (e) {
      throw pgError(e, this.handle.url)
    }
  }

  /** The same rows as SQLite's MentionStore.countByQuarterHour (one per UTC quarter hour, counts in BUCKET_LABELS order). */
  async countByQuarterHour(f: PgCountFilter): Promise<BucketRow[]> {
    const params: unknown[] = []
    const q = quarterHours(f, params)
    const rows = await this.query<{ bucket: number; c: number[] }>(
      `SELECT bucket, ARRAY[${pivot('n', 'label')}] AS c FROM (${q}) q GROUP BY bucket ORDER BY bucket`,
      params,
    )
    return rows.map((r) => ({ bucket: r.bucket, counts: r.c.map(Number) }))
  }

  /**
   * Customer posts per local hour of the week in `timezone` (an IANA name), per label: 168 rows at
   * most, localised on the server. Hours of a fall-back night count twice (both instants are local
   * 02:xx), as in the TypeScript mapping.
   */
  async countByHourOfWeek(f: PgCountFilter & { timezone: string }): Promise<HourOfWeekRow[]> {
    const params: unknown[] = [f.timezone]
    const q = quarterHours(f, params)
    // One row per quarter hour before localising: AT TIME ZONE runs once per bucket, not per label and brand.
    const sums = BUCKET_LABELS.map((_, i) => `sum(c${i})::bigint`).join(', ')
    const rows = await this.query<{ weekday: number; hour: number; c: number[] }>(
      `WITH b AS (SELECT bucket, ${BUCKET_LABELS.map((l, i) => `coalesce(sum(n) FILTER (WHERE label = '${l}'), 0) AS c${i}`).join(', ')}
          FROM (${q}) q GROUP BY bucket),
        l AS (SELECT to_timestamp(bucket * ${Q / 1000}) AT TIME ZONE $1 AS t, ${BUCKET_LABELS.map((_, i) => `c${i}`).join(', ')} FROM b)
      SELECT (extract(isodow FROM t) - 1)::int AS weekday, extract(hour FROM t)::int AS hour, ARRAY[${sums}] AS c
      FROM l GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    )
    return rows.map((r) => ({ weekday: r.weekday, hour: r.hour, counts: r.c.map(Number) })).filter((r) => r.counts.some((n) => n !== 0))
  }
}
