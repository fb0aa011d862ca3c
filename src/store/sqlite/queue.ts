// SQL for listen queue: every post of the window in one read; which customer posts no brand post
// answers (the audit's reply-chain rule) is worked out from it by care/queue.ts openPostsOf.
import { openPostsOf, type WindowPost } from '../../care/queue.js'
import type { QueueCandidate, QueueScope } from '../../models/queue.js'
import { AuditStore } from './audit.js'
import type { Db } from './db.js'
import { brandPredicate, statementCache } from './sql.js'

export class QueueStore {
  private readonly audit
  private readonly stmt

  constructor(readonly db: Db) {
    this.audit = new AuditStore(db)
    this.stmt = statementCache(db)
  }

  /**
   * Unanswered customer posts in [from, until) with a queue label, oldest first. One range read of
   * the window instead of the audit's recursive walk plus two more scans: measured a quarter less CPU for a
   * 24-hour window of 1M mentions (bench/queue.js): each scan fetches every row by rowid.
   */
  openPosts(s: QueueScope): QueueCandidate[] {
    const params: unknown[] = []
    const isBrand = brandPredicate('m', s.brand, params)
    params.push(s.from, s.until)
    let where = 'm.created_at >= ? AND m.created_at < ?'
    if (s.sources?.length) {
      where += ` AND m.source IN (${s.sources.map(() => '?').join(', ')})`
      params.push(...s.sources)
    }
    const rows = this.stmt(`SELECT m.source, m.id, m.brand, m.created_at AS createdAt, m.author, m.author_id AS authorId, m.label, m.text, m.url, m.pii,
        m.topic AS topic, 0 AS replies, m.in_reply_to AS inReplyTo, m.thread_id AS threadId, ${isBrand} AS isBrand
      FROM mentions m WHERE ${where} ORDER BY m.created_at, m.source, m.id`).all(params) as Array<Omit<WindowPost, 'isBrand'> & { isBrand: number | boolean }>
    for (const r of rows) r.isBrand = r.isBrand === 1 || r.isBrand === true
    const labels = new Set<string | null>(s.labels.map((l) => (l === 'untagged' ? null : l)))
    const brands = s.brands?.length ? new Set(s.brands) : null
    return openPostsOf(rows as WindowPost[]).filter((p) => labels.has(p.label) && (!brands || (p.brand !== null && brands.has(p.brand))))
  }

  /** Does any post since `from` count as the brand's? Without one every post looks unanswered. */
  hasBrandPosts(from: number, s: QueueScope): boolean {
    return this.audit.hasBrandPosts(from, s.brand, s.sources)
  }
}
