// listen alerts' SQL on PostgreSQL: the posts behind an alert, the cooldown, the webhook delivery state.
import type { AlertKind, AlertPost, AlertRecordInput, StoredAlert } from '../../models/alerts.js'
import type { BrandMatcher } from '../../models/scope.js'
import type { AlertRepo } from '../types.js'
import type { PgHandle } from './connect.js'
import { brandPredicate, C, param, run } from './sql.js'

export class PgAlerts implements AlertRepo {
  constructor(readonly handle: PgHandle) {}

  async firstMentionAt(): Promise<number | null> {
    return (await run<{ t: number | null }>(this.handle, 'SELECT min(created_at) AS t FROM mentions')).rows[0]!.t
  }

  async windowPosts(o: { from: number; until: number; brand: string; kind: AlertKind; matcher: BrandMatcher; limit: number }): Promise<AlertPost[]> {
    const params: unknown[] = [o.from, o.until, o.brand, o.kind]
    const notBrand = brandPredicate('m', o.matcher, params)
    return (await run<AlertPost>(this.handle, `SELECT m.source, m.created_at AS "createdAt", coalesce(m.author, m.author_id) AS author, m.text, m.url
      FROM mentions m WHERE m.created_at >= $1 AND m.created_at < $2 AND NOT m.by_brand AND coalesce(m.brand, '') = $3 AND m.label = $4
        AND NOT ${notBrand}
      ORDER BY m.created_at DESC, m.source ${C}, m.id ${C} LIMIT ${param(params, o.limit)}`, params)).rows
  }

  async lastFiredAt(brand: string, kind: AlertKind, since: number, at: number): Promise<number | null> {
    return (await run<{ t: number | null }>(this.handle, 'SELECT max(fired_at) AS t FROM alerts WHERE brand = $1 AND kind = $2 AND fired_at > $3 AND fired_at <= $4',
      [brand, kind, since, at])).rows[0]!.t
  }

  async saveAlert(a: AlertRecordInput): Promise<number> {
    return (await run<{ id: number }>(this.handle, `INSERT INTO alerts (brand, kind, fired_at, window_from, count, expected, p, method, message, delivery, error)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [a.brand, a.kind, a.firedAt, a.windowFrom, a.count, a.expected, a.p, a.method, a.message, a.delivery, a.error ?? null])).rows[0]!.id
  }

  async markDelivery(ids: readonly number[], ok: boolean, at: number, error: string | null): Promise<void> {
    if (!ids.length) return
    await run(this.handle, `UPDATE alerts SET attempts = attempts + 1, delivery = $1, delivered_at = $2, error = $3 WHERE id = ANY($4::bigint[])`,
      [ok ? 'delivered' : 'failed', ok ? at : null, ok ? null : error, [...ids]])
  }

  async undelivered(limit: number): Promise<{ total: number; alerts: StoredAlert[] }> {
    const total = (await run<{ n: number }>(this.handle, `SELECT count(*) AS n FROM alerts WHERE delivery = 'failed'`)).rows[0]!.n
    const alerts = (await run<StoredAlert>(this.handle, `SELECT id, brand, kind, fired_at AS "firedAt", count, message, attempts, error FROM alerts
      WHERE delivery = 'failed' ORDER BY fired_at DESC, id DESC LIMIT $1`, [limit])).rows
    return { total, alerts }
  }
}
