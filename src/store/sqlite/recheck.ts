// mention_checks: what `listen recheck` found when it looked posts up again. Mentions are never
// deleted or rewritten here: a vanished post keeps its row, an edit's text goes to last_text.
import type { CheckRecord, RecheckCandidate, ReplyRow, VanishedRow } from '../../models/care.js'
import type { BrandMatcher } from '../../models/scope.js'
import type { Db } from './db.js'
import { brandPredicate, statementCache } from './sql.js'

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ')

export class RecheckStore {
  private readonly stmt

  constructor(readonly db: Db) {
    this.stmt = statementCache(db)
  }

  private dueWhere(o: { from: number; now: number; sources: readonly string[] }, params: unknown[]): string {
    params.push(o.from, o.now, ...o.sources, o.now)
    return `m.created_at >= ? AND m.created_at < ? AND m.source IN (${marks(o.sources.length)})
      AND (c.source IS NULL OR (c.next_check_at IS NOT NULL AND c.next_check_at <= ?))`
  }

  dueForRecheck(o: { from: number; now: number; sources: readonly string[]; limit: number }): RecheckCandidate[] {
    if (!o.sources.length) return []
    const params: unknown[] = []
    const where = this.dueWhere(o, params)
    params.push(Math.max(1, Math.floor(o.limit)))
    // Never-checked posts first (newest first: they vanish soonest), then the longest overdue.
    return this.stmt(`SELECT m.source, m.id, m.created_at AS createdAt, m.url, m.text, coalesce(c.checks, 0) AS checks, c.last_text AS lastText
      FROM mentions m LEFT JOIN mention_checks c ON c.source = m.source AND c.mention_id = m.id
      WHERE ${where} ORDER BY c.next_check_at IS NOT NULL, c.next_check_at, m.created_at DESC LIMIT ?`).all(params) as RecheckCandidate[]
  }

  countDue(o: { from: number; now: number; sources: readonly string[] }): number {
    if (!o.sources.length) return 0
    const params: unknown[] = []
    const where = this.dueWhere(o, params)
    return this.stmt(`SELECT count(*) FROM mentions m LEFT JOIN mention_checks c ON c.source = m.source AND c.mention_id = m.id WHERE ${where}`)
      .pluck()
      .get(params) as number
  }

  saveChecks(records: readonly CheckRecord[]): void {
    // vanished_at and edited_at keep the first sighting; a post seen again after a "vanished" (a
    // moderator restored it) goes back to live, its vanished_at stays as the record of the gap.
    const upsert = this.stmt(`INSERT INTO mention_checks (source, mention_id, checks, checked_at, next_check_at, status, vanished_at, vanished_reason, edited_at, last_text)
      VALUES (?, ?, 1, ?, ?, ?, CASE WHEN ? = 'vanished' THEN ? END, ?, CASE WHEN ? IS NOT NULL THEN ? END, ?)
      ON CONFLICT (source, mention_id) DO UPDATE SET
        checks = checks + 1, checked_at = excluded.checked_at, next_check_at = excluded.next_check_at,
        status = CASE WHEN excluded.status = 'live' AND mention_checks.edited_at IS NOT NULL AND excluded.last_text IS NULL THEN 'edited' ELSE excluded.status END,
        vanished_at = coalesce(mention_checks.vanished_at, excluded.vanished_at),
        vanished_reason = coalesce(excluded.vanished_reason, mention_checks.vanished_reason),
        edited_at = coalesce(mention_checks.edited_at, excluded.edited_at),
        last_text = coalesce(excluded.last_text, mention_checks.last_text)`)
    this.db.transaction(() => {
      for (const r of records) {
        const edited = r.newText ?? null
        upsert.run(r.source, r.id, r.checkedAt, r.nextCheckAt, r.status, r.status, r.checkedAt, r.vanishedReason ?? null, edited, r.checkedAt, edited)
      }
    })()
  }

  vanished(o: { from: number; until: number; labels: readonly string[]; sources?: readonly string[] | undefined; brands?: readonly string[] | undefined; brand: BrandMatcher }): VanishedRow[] {
    const params: unknown[] = [o.from, o.until]
    const parts = ['m.created_at >= ?', 'm.created_at < ?', `c.status = 'vanished'`, 'm.by_brand = 0']
    parts.push(`NOT ${brandPredicate('m', o.brand, params)}`)
    parts.push(o.labels.length ? `m.label IN (${marks(o.labels.length)})` : '0')
    params.push(...o.labels)
    for (const [col, values] of [['m.source', o.sources], ['m.brand', o.brands]] as const) {
      if (!values?.length) continue
      parts.push(`${col} IN (${marks(values.length)})`)
      params.push(...values)
    }
    return this.stmt(`SELECT m.source, m.id, m.brand, m.created_at AS createdAt, m.author, m.label, m.url, m.text, c.last_text AS lastText,
        c.vanished_at AS vanishedAt, c.vanished_reason AS vanishedReason
      FROM mention_checks c JOIN mentions m ON m.source = c.source AND m.id = c.mention_id
      WHERE ${parts.join(' AND ')} ORDER BY m.created_at, m.source, m.id`).all(params) as VanishedRow[]
  }

  repliesTo(posts: ReadonlyArray<{ source: string; id: string }>, brand: BrandMatcher): ReplyRow[] {
    const out: ReplyRow[] = []
    for (const p of posts) {
      const params: unknown[] = [p.source, p.id, p.id]
      const isBrand = brandPredicate('r', brand, params)
      const rows = this.stmt(`SELECT r.created_at AS createdAt, r.author, r.text FROM mentions r
        WHERE r.source = ? AND (r.in_reply_to = ? OR r.thread_id = ?) AND ${isBrand} ORDER BY r.created_at`).all(params) as Array<Omit<ReplyRow, 'parentSource' | 'parentId'>>
      for (const r of rows) out.push({ parentSource: p.source, parentId: p.id, ...r })
    }
    return out
  }

  brandReplies(o: { from: number; until: number; sources?: readonly string[] | undefined; brand: BrandMatcher }): Array<ReplyRow & { parentCreatedAt: number | null }> {
    const params: unknown[] = [o.from, o.until]
    const isBrand = brandPredicate('r', o.brand, params)
    let where = `r.created_at >= ? AND r.created_at < ? AND r.in_reply_to IS NOT NULL AND ${isBrand}`
    if (o.sources?.length) {
      where += ` AND r.source IN (${marks(o.sources.length)})`
      params.push(...o.sources)
    }
    return this.stmt(`SELECT r.source AS parentSource, r.in_reply_to AS parentId, r.created_at AS createdAt, r.author, r.text, p.created_at AS parentCreatedAt
      FROM mentions r LEFT JOIN mentions p ON p.source = r.source AND p.id = r.in_reply_to
      WHERE ${where} ORDER BY r.created_at`).all(params) as Array<ReplyRow & { parentCreatedAt: number | null }>
  }
}
