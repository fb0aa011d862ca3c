// mention_checks on PostgreSQL: the same contract as store/sqlite/recheck.ts (RecheckRepo). Posts are
// found through mention_keys, so a look-up by (source, id) never probes every month's partition.
import type pg from 'pg'
import type { CheckRecord, RecheckCandidate, ReplyRow, VanishedRow } from '../../models/care.js'
import type { BrandMatcher } from '../../models/scope.js'
import type { RecheckRepo } from '../types.js'
import { brandPredicate, run } from './sql.js'
import { pgError, type PgHandle, withTransaction } from './connect.js'


type DueWindow = { from: number; now: number; sources: readonly string[] }

function dueWhere(o: DueWindow, params: unknown[]): string {
  params.push(o.from, o.now, [...o.sources])
  const [f, n, s] = [params.length - 2, params.length - 1, params.length]
  return `m.created_at >= $${f} AND m.created_at < $${n} AND m.source = ANY($${s}::text[])
    AND (c.source IS NULL OR (c.next_check_at IS NOT NULL AND c.next_check_at <= $${n}))`
}

export class PgRecheckStore implements RecheckRepo {
  constructor(readonly h: PgHandle) {}

  /** Reads (and the one INSERT, never repeated) through run(): a SELECT rides out a server restart. */
  private async query<T extends object>(sql: string, params: unknown[]): Promise<T[]> {
    return (await run<T & pg.QueryResultRow>(this.h, sql, params)).rows
  }

  async dueForRecheck(o: DueWindow & { limit: number }): Promise<RecheckCandidate[]> {
    if (!o.sources.length) return []
    const params: unknown[] = []
    const where = dueWhere(o, params)
    params.push(Math.max(1, Math.floor(Math.min(o.limit, 2 ** 31 - 1))))
    return this.query<RecheckCandidate>(
      `SELECT m.source, m.id, m.created_at AS "createdAt", m.url, m.text, coalesce(c.checks, 0) AS checks, c.last_text AS "lastText"
       FROM mentions m LEFT JOIN mention_checks c ON c.source = m.source AND c.mention_id = m.id
       WHERE ${where} ORDER BY c.next_check_at IS NOT NULL, c.next_check_at, m.created_at DESC LIMIT $${params.length}`,
      params,
    )
  }

  async countDue(o: DueWindow): Promise<number> {
    if (!o.sources.length) return 0
    const params: unknown[] = []
    const where = dueWhere(o, params)
    const rows = await this.query<{ n: number }>(`SELECT count(*)::int AS n FROM mentions m LEFT JOIN mention_checks c ON c.source = m.source AND c.mention_id = m.id WHERE ${where}`, params)
    return rows[0]!.n
  }

  async saveChecks(records: readonly CheckRecord[]): Promise<void> {
    try {
      await withTransaction(this.h, async (client) => {
        for (const r of records) {
          const edited = r.newText ?? null
          await client.query(
            `INSERT INTO mention_checks AS c (source, mention_id, checks, checked_at, next_check_at, status, vanished_at, vanished_reason, edited_at, last_text)
             VALUES ($1, $2, 1, $3, $4, $5, CASE WHEN $5 = 'vanished' THEN $3::bigint END, $6, CASE WHEN $7::text IS NOT NULL THEN $3::bigint END, $7)
             ON CONFLICT (source, mention_id) DO UPDATE SET
               checks = c.checks + 1, checked_at = excluded.checked_at, next_check_at = excluded.next_check_at,
               status = CASE WHEN excluded.status = 'live' AND c.edited_at IS NOT NULL AND excluded.last_text IS NULL THEN 'edited' ELSE excluded.status END,
               vanished_at = coalesce(c.vanished_at, excluded.vanished_at),
               vanished_reason = coalesce(excluded.vanished_reason, c.vanished_reason),
               edited_at = coalesce(c.edited_at, excluded.edited_at),
               last_text = coalesce(excluded.last_text, c.last_text)`,
            [r.source, r.id, r.checkedAt, r.nextCheckAt, r.status, r.vanishedReason ?? null, edited],
          )
        }
      })
    } catch (e) {
      throw pgError(e, this.h.url)
    }
  }

  async vanished(o: { from: number; until: number; labels: readonly string[]; sources?: readonly string[] | undefined; brands?: readonly string[] | undefined; brand: BrandMatcher }): Promise<VanishedRow[]> {
    const params: unknown[] = [o.from, o.until, [...o.labels]]
    const parts = ['m.created_at >= $1', 'm.created_at < $2', 'm.label = ANY($3::text[])', `c.status = 'vanished'`, 'NOT m.by_brand']
    parts.push(`NOT ${brandPredicate('m', o.brand, params)}`)
    for (const [col, values] of [['m.source', o.sources], ['m.brand', o.brands]] as const) {
      if (!values?.length) continue
      params.push([...values])
      parts.push(`${col} = ANY($${params.length}::text[])`)
    }
    return this.query<VanishedRow>(
      `SELECT m.source, m.id, m.brand, m.created_at AS "createdAt", m.author, m.label, m.url, m.text, c.last_text AS "lastText",
         c.vanished_at AS "vanishedAt", c.vanished_reason AS "vanishedReason"
       FROM mention_checks c JOIN mention_keys k ON k.source = c.source AND k.id = c.mention_id
       JOIN mentions m ON m.source = k.source AND m.id = k.id AND m.created_at = k.created_at
       WHERE ${parts.join(' AND ')} ORDER BY m.created_at, m.source COLLATE "C", m.id COLLATE "C"`,
      params,
    )
  }

  async repliesTo(posts: ReadonlyArray<{ source: string; id: string }>, brand: BrandMatcher): Promise<ReplyRow[]> {
    if (!posts.length) return []
    const params: unknown[] = [posts.map((p) => p.source), posts.map((p) => p.id)]
    const isBrand = brandPredicate('r', brand, params)
    return this.query<ReplyRow>(
      `SELECT p.source AS "parentSource", p.id AS "parentId", r.created_at AS "createdAt", r.author, r.text
       FROM unnest($1::text[], $2::text[]) AS p(source, id)
       JOIN mentions r ON r.source = p.source AND (r.in_reply_to = p.id OR r.thread_id = p.id)
       WHERE ${isBrand} ORDER BY r.created_at`,
      params,
    )
  }

  async brandReplies(o: { from: number; until: number; sources?: readonly string[] | undefined; brand: BrandMatcher }): Promise<Array<ReplyRow & { parentCreatedAt: number | null }>> {
    const params: unknown[] = [o.from, o.until]
    const isBrand = brandPredicate('r', o.brand, params)
    let where = `r.created_at >= $1 AND r.created_at < $2 AND r.in_reply_to IS NOT NULL AND ${isBrand}`
    if (o.sources?.length) {
      params.push([...o.sources])
      where += ` AND r.source = ANY($${params.length}::text[])`
    }
    return this.query(
      `SELECT r.source AS "parentSource", r.in_reply_to AS "parentId", r.created_at AS "createdAt", r.author, r.text, k.created_at AS "parentCreatedAt"
       FROM mentions r LEFT JOIN mention_keys k ON k.source = r.source AND k.id = r.in_reply_to
       WHERE ${where} ORDER BY r.created_at`,
      params,
    )
  }
}
