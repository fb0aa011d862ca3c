// SQL for listen queue: customer posts in the window that no brand post answers (the audit's reply
// chains, store/sqlite/audit.ts computeAnswers) and how far their threads have grown.
import type { QueueCandidate, QueueScope } from '../../models/queue.js'
import { AuditStore } from './audit.js'
import type { Db } from './db.js'
import { brandPredicate, statementCache } from './sql.js'

export class QueueStore {
  private readonly audit
  private readonly stmt
  private readonly topic: string

  constructor(readonly db: Db) {
    this.audit = new AuditStore(db)
    this.stmt = statementCache(db)
    // The topic column arrives with topic tagging; until then the queue shows none.
    const columns = db.prepare("SELECT name FROM pragma_table_info('mentions')").pluck().all() as string[]
    this.topic = columns.includes('topic') ? 'm.topic' : 'NULL'
  }

  /** Unanswered customer posts in [from, until) with a queue label, oldest first. */
  openPosts(s: QueueScope): QueueCandidate[] {
    this.audit.computeAnswers(s.from, s.brand)
    const params: unknown[] = [s.from, s.until]
    const parts = ['m.created_at >= ?', 'm.created_at < ?', 'm.by_brand = 0']
    parts.push(`NOT ${brandPredicate('m', s.brand, params)}`)
    const labels = s.labels.filter((l) => l !== 'untagged')
    const labelParts: string[] = []
    if (labels.length) {
      labelParts.push(`m.label IN (${labels.map(() => '?').join(', ')})`)
      params.push(...labels)
    }
    if (s.labels.includes('untagged')) labelParts.push('m.label IS NULL')
    parts.push(labelParts.length ? `(${labelParts.join(' OR ')})` : '0')
    for (const [col, values] of [['m.source', s.sources], ['m.brand', s.brands]] as const) {
      if (!values?.length) continue
      parts.push(`${col} IN (${values.map(() => '?').join(', ')})`)
      params.push(...values)
    }
    const replyParams: unknown[] = [s.from, s.until]
    const replyByBrand = brandPredicate('r', s.brand, replyParams)
    // Customer replies per parent in the window: one pass (mentions_reply index) instead of a probe per post.
    const sql = `WITH grown AS (
        SELECT r.source, r.in_reply_to AS parent, count(*) AS n FROM mentions r
        WHERE r.in_reply_to IS NOT NULL AND r.created_at >= ? AND r.created_at < ? AND NOT ${replyByBrand} GROUP BY 1, 2
      )
      SELECT m.source, m.id, m.brand, m.created_at AS createdAt, m.author, m.author_id AS authorId, m.label, m.text, m.url, m.pii,
        ${this.topic} AS topic, coalesce(g.n, 0) AS replies
      FROM mentions m LEFT JOIN grown g ON g.source = m.source AND g.parent = m.id
      WHERE ${parts.join(' AND ')} AND NOT EXISTS (SELECT 1 FROM temp.first_answer a WHERE a.rid = m.rowid AND a.answered_at < ?)
      ORDER BY m.created_at, m.source, m.id`
    return this.stmt(sql).all([...replyParams, ...params, s.until]) as QueueCandidate[]
  }

  /** Does any post since `from` count as the brand's? Without one every post looks unanswered. */
  hasBrandPosts(from: number, s: QueueScope): boolean {
    return this.audit.hasBrandPosts(from, s.brand, s.sources)
  }
}
