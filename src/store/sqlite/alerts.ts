// SQL for listen alerts: the posts behind an alert, the cooldown, and the webhook delivery state.
// Counts per window come from ReportStore.groupCounts (the created_at index, a range of minutes).
import type { AlertKind, AlertPost, AlertRecordInput, StoredAlert } from '../../models/alerts.js'
import type { BrandMatcher } from '../../models/scope.js'
import type { Db } from './db.js'
import { brandPredicate, statementCache } from './sql.js'

export class AlertStore {
  private readonly stmt

  constructor(readonly db: Db) {
    this.stmt = statementCache(db)
  }

  /** Oldest stored mention (an index seek): baseline weeks before it hold no data, not zero posts. */
  firstMentionAt(): number | null {
    return (this.stmt('SELECT min(created_at) AS t FROM mentions').get() as { t: number | null }).t
  }

  /** Customer posts of one brand ('' = none) and label in [from, until), newest first. */
  windowPosts(o: { from: number; until: number; brand: string; kind: AlertKind; matcher: BrandMatcher; limit: number }): AlertPost[] {
    const params: unknown[] = [o.from, o.until, o.brand, o.kind]
    const notBrand = brandPredicate('m', o.matcher, params)
    params.push(o.limit)
    return this.stmt(`SELECT m.source, m.created_at AS createdAt, coalesce(m.author, m.author_id) AS author, m.text, m.url
      FROM mentions m WHERE m.created_at >= ? AND m.created_at < ? AND m.by_brand = 0 AND coalesce(m.brand, '') = ? AND m.label = ?
        AND NOT ${notBrand}
      ORDER BY m.created_at DESC, m.source, m.id LIMIT ?`).all(params) as AlertPost[]
  }

  /** Newest alert for (brand, kind) fired in (since, at], or null. */
  lastFiredAt(brand: string, kind: AlertKind, since: number, at: number): number | null {
    return (this.stmt('SELECT max(fired_at) AS t FROM alerts WHERE brand = ? AND kind = ? AND fired_at > ? AND fired_at <= ?').get(brand, kind, since, at) as { t: number | null }).t
  }

  saveAlert(a: AlertRecordInput): number {
    const r = this.stmt(`INSERT INTO alerts (brand, kind, fired_at, window_from, count, expected, p, method, message, delivery, error)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(a.brand, a.kind, a.firedAt, a.windowFrom, a.count, a.expected, a.p, a.method, a.message, a.delivery, a.error ?? null)
    return Number(r.lastInsertRowid)
  }

  /** Records one webhook attempt for these alerts. */
  markDelivery(ids: readonly number[], ok: boolean, at: number, error: string | null): void {
    const s = this.stmt(`UPDATE alerts SET attempts = attempts + 1, delivery = ?, delivered_at = ?, error = ? WHERE id = ?`)
    this.db.transaction(() => {
      for (const id of ids) s.run(ok ? 'delivered' : 'failed', ok ? at : null, ok ? null : error, id)
    }).immediate()
  }

  /** Alerts whose webhook post failed (or never completed), newest first. */
  undelivered(limit: number): { total: number; alerts: StoredAlert[] } {
    const total = (this.stmt(`SELECT count(*) AS n FROM alerts WHERE delivery = 'failed'`).get() as { n: number }).n
    const alerts = this.stmt(`SELECT id, brand, kind, fired_at AS firedAt, count, message, attempts, error FROM alerts
      WHERE delivery = 'failed' ORDER BY fired_at DESC, id DESC LIMIT ?`).all(limit) as StoredAlert[]
    return { total, alerts }
  }
}
