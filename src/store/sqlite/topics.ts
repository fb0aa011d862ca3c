// SQL for topics: re-tagging stored mentions (listen classify --topics), human topic corrections
// (listen label --topic), counts by topic (summary, audit, topic storms) and storm alerts.
import type { AlertPost, AlertRecordInput } from '../../models/alerts.js'
import type { SummaryScope } from '../../models/scope.js'
import type { MentionForTopic, TopicCount, TopicSource } from '../../models/topics.js'
import type { TagScope } from '../../models/tagger.js'
import type { Db } from './db.js'
import { brandPredicate, statementCache } from './sql.js'

const SCOPE_WHERE: Record<TagScope, string> = {
  untagged: 'topic IS NULL',
  model: "(topic IS NULL OR topic_source IN ('model', 'keyword'))",
  all: "topic_source IS NOT 'human'",
}

export class TopicStore {
  private readonly stmt

  constructor(readonly db: Db) {
    this.stmt = statementCache(db)
  }

  countForTopics(scope: TagScope): number {
    return (this.stmt(`SELECT count(*) AS n FROM mentions WHERE ${SCOPE_WHERE[scope]}`).get() as { n: number }).n
  }

  /** One page in rowid order after `afterRowid` (keyset paging: no open cursor while writing). */
  mentionsForTopics(scope: TagScope, afterRowid: number, limit: number): MentionForTopic[] {
    return this.stmt(`SELECT rowid, text, lang, topic, topic_source AS topicSource FROM mentions
      WHERE rowid > ? AND ${SCOPE_WHERE[scope]} ORDER BY rowid LIMIT ?`).all(afterRowid, limit) as MentionForTopic[]
  }

  /** Writes computed topics in one transaction; a human topic is never replaced. Returns rows changed. */
  saveModelTopics(rows: ReadonlyArray<{ rowid: number; topic: string; source: 'keyword' | 'model' }>): number {
    const update = this.stmt(`UPDATE mentions SET topic = ?, topic_source = ?
      WHERE rowid = ? AND topic_source IS NOT 'human' AND (topic IS NOT ? OR topic_source IS NOT ?)`)
    let changed = 0
    this.db.transaction(() => {
      for (const r of rows) changed += update.run(r.topic, r.source, r.rowid, r.topic, r.source).changes
    })()
    return changed
  }

  countHumanTopics(): number {
    return (this.stmt(`SELECT count(*) AS n FROM mentions WHERE topic_source = 'human'`).get() as { n: number }).n
  }

  /** Sets a human topic; null when there is no such mention. */
  saveHumanTopic(source: string, id: string, topic: string): { previous: { topic: string | null; topicSource: TopicSource | null }; text: string } | null {
    return this.db.transaction(() => {
      const before = this.stmt('SELECT topic, topic_source AS topicSource, text FROM mentions WHERE source = ? AND id = ?').get(source, id) as
        | { topic: string | null; topicSource: TopicSource | null; text: string }
        | undefined
      if (!before) return null
      this.stmt(`UPDATE mentions SET topic = ?, topic_source = 'human' WHERE source = ? AND id = ?`).run(topic, source, id)
      return { previous: { topic: before.topic, topicSource: before.topicSource }, text: before.text }
    })()
  }

  /** Customer posts per source, brand, label and topic in the scope (the created_at index). */
  topicCounts(s: SummaryScope): TopicCount[] {
    const params: unknown[] = [s.from, s.until]
    const parts = ['m.created_at >= ?', 'm.created_at < ?', 'm.by_brand = 0', `NOT ${brandPredicate('m', s.brand, params)}`]
    for (const [col, values] of [['m.source', s.sources], ['m.brand', s.brands]] as const) {
      if (!values?.length) continue
      parts.push(`${col} IN (${values.map(() => '?').join(', ')})`)
      params.push(...values)
    }
    return this.stmt(`SELECT m.source, coalesce(m.brand, '') AS brand, coalesce(m.label, '') AS label, coalesce(m.topic, '') AS topic, count(*) AS n
      FROM mentions m WHERE ${parts.join(' AND ')} GROUP BY 1, 2, 3, 4`).all(params) as TopicCount[]
  }

  /** Complaints of one brand ('' = none) and topic in [from, until), newest first (a storm's examples). */
  stormPosts(o: { from: number; until: number; brand: string; topic: string; matcher: SummaryScope['brand']; limit: number }): AlertPost[] {
    const params: unknown[] = [o.from, o.until, o.brand, o.topic]
    const notBrand = brandPredicate('m', o.matcher, params)
    params.push(o.limit)
    return this.stmt(`SELECT m.source, m.created_at AS createdAt, coalesce(m.author, m.author_id) AS author, m.text, m.url
      FROM mentions m WHERE m.created_at >= ? AND m.created_at < ? AND m.by_brand = 0 AND coalesce(m.brand, '') = ?
        AND m.label = 'complaint' AND m.topic = ? AND NOT ${notBrand}
      ORDER BY m.created_at DESC, m.source, m.id LIMIT ?`).all(params) as AlertPost[]
  }

  /** Newest topic storm for (brand, topic) fired in (since, at], or null: the cooldown per brand and topic. */
  lastStormAt(brand: string, topic: string, since: number, at: number): number | null {
    return (this.stmt(`SELECT max(fired_at) AS t FROM alerts WHERE brand = ? AND kind = 'topic-storm' AND topic = ? AND fired_at > ? AND fired_at <= ?`).get(brand, topic, since, at) as { t: number | null }).t
  }

  saveStormAlert(a: AlertRecordInput & { topic: string }): number {
    const r = this.stmt(`INSERT INTO alerts (brand, kind, fired_at, window_from, count, expected, p, method, message, delivery, error, topic)
      VALUES (?, 'topic-storm', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(a.brand, a.firedAt, a.windowFrom, a.count, a.expected, a.p, a.method, a.message, a.delivery, a.error ?? null, a.topic)
    return Number(r.lastInsertRowid)
  }
}
