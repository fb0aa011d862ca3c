// Topics on PostgreSQL: the TopicRepo of store/sqlite/topics.ts in PostgreSQL's dialect, for PgStore
// to expose as `topics`. mentions has no rowid here (it is partitioned by month), so the pages of
// mentionsForTopics are keyset pages over (source, id), and the numbers handed out as `rowid` stand
// for the keys this instance returned (saveModelTopics maps them back).
import type { AlertPost, AlertRecordInput } from '../../models/alerts.js'
import type { BrandMatcher, SummaryScope } from '../../models/scope.js'
import type { TagScope } from '../../models/tagger.js'
import type { MentionForTopic, TopicCount, TopicSource } from '../../models/topics.js'
import type { TopicRepo } from '../types.js'
import { brandPredicate, run } from './sql.js'
import { pgError, type PgHandle, withTransaction } from './connect.js'

const SCOPE_WHERE: Record<TagScope, string> = {
  untagged: 'topic IS NULL',
  model: "(topic IS NULL OR topic_source IN ('model', 'keyword'))",
  all: "topic_source IS DISTINCT FROM 'human'",
}


export class PgTopicStore implements TopicRepo {
  /** rowid handed out → the mention's key. */
  private readonly keys = new Map<number, { source: string; id: string; createdAt: number }>()
  private next = 1

  constructor(readonly handle: PgHandle) {}

  /** Through run(): a SELECT rides out a server restart; the one INSERT is never repeated. */
  private async rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await run(this.handle, sql, params)).rows as T[]
  }

  async countForTopics(scope: TagScope): Promise<number> {
    const [r] = await this.rows<{ n: string }>(`SELECT count(*) AS n FROM mentions WHERE ${SCOPE_WHERE[scope]}`)
    return Number(r!.n)
  }

  async mentionsForTopics(scope: TagScope, afterRowid: number, limit: number): Promise<MentionForTopic[]> {
    const after = this.keys.get(afterRowid)
    const params: unknown[] = after ? [after.source, after.id, limit] : [limit]
    const rows = await this.rows<{ source: string; id: string; created_at: string; text: string; lang: string | null; topic: string | null; topic_source: TopicSource | null }>(
      `SELECT source, id, created_at, text, lang, topic, topic_source FROM mentions
       WHERE ${after ? '(source, id) > ($1, $2) AND ' : ''}${SCOPE_WHERE[scope]} ORDER BY source, id LIMIT $${params.length}`,
      params,
    )
    return rows.map((r) => {
      const rowid = this.next++
      this.keys.set(rowid, { source: r.source, id: r.id, createdAt: Number(r.created_at) })
      return { rowid, text: r.text, lang: r.lang, topic: r.topic, topicSource: r.topic_source }
    })
  }

  async saveModelTopics(rows: ReadonlyArray<{ rowid: number; topic: string; source: 'keyword' | 'model' }>): Promise<number> {
    const keyed = rows.map((r) => ({ ...r, key: this.keys.get(r.rowid) })).filter((r) => r.key !== undefined)
    if (!keyed.length) return 0
    try {
      return await withTransaction(this.handle, async (c) => {
        // One statement per batch: the keys (with created_at, so each row is found in its month) as arrays.
        const r = await c.query(
          `UPDATE mentions m SET topic = v.topic, topic_source = v.src
           FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[]) AS v(source, id, created_at, topic, src)
           WHERE m.source = v.source AND m.id = v.id AND m.created_at = v.created_at
             AND m.topic_source IS DISTINCT FROM 'human' AND (m.topic IS DISTINCT FROM v.topic OR m.topic_source IS DISTINCT FROM v.src)`,
          [keyed.map((k) => k.key!.source), keyed.map((k) => k.key!.id), keyed.map((k) => k.key!.createdAt), keyed.map((k) => k.topic), keyed.map((k) => k.source)],
        )
        return r.rowCount ?? 0
      })
    } catch (e) {
      throw pgError(e, this.handle.url)
    }
  }

  async countHumanTopics(): Promise<number> {
    const [r] = await this.rows<{ n: string }>(`SELECT count(*) AS n FROM mentions WHERE topic_source = 'human'`)
    return Number(r!.n)
  }

  async saveHumanTopic(source: string, id: string, topic: string): Promise<{ previous: { topic: string | null; topicSource: TopicSource | null }; text: string } | null> {
    try {
      return await withTransaction(this.handle, async (c) => {
        // mention_keys finds the month without probing every partition.
        const before = (
          await c.query<{ topic: string | null; topic_source: TopicSource | null; text: string; created_at: string }>(
            `SELECT m.topic, m.topic_source, m.text, m.created_at FROM mention_keys k JOIN mentions m ON m.source = k.source AND m.id = k.id AND m.created_at = k.created_at
             WHERE k.source = $1 AND k.id = $2 FOR UPDATE OF m`,
            [source, id],
          )
        ).rows[0]
        if (!before) return null
        await c.query(`UPDATE mentions SET topic = $1, topic_source = 'human' WHERE source = $2 AND id = $3 AND created_at = $4`, [topic, source, id, before.created_at])
        return { previous: { topic: before.topic, topicSource: before.topic_source }, text: before.text }
      })
    } catch (e) {
      throw pgError(e, this.handle.url)
    }
  }

  async topicCounts(s: SummaryScope): Promise<TopicCount[]> {
    const params: unknown[] = [s.from, s.until]
    const parts = ['m.created_at >= $1', 'm.created_at < $2', 'NOT m.by_brand', `NOT ${brandPredicate('m', s.brand, params)}`]
    for (const [col, values] of [['m.source', s.sources], ['m.brand', s.brands]] as const) {
      if (!values?.length) continue
      params.push([...values])
      parts.push(`${col} = ANY($${params.length}::text[])`)
    }
    const rows = await this.rows<{ source: string; brand: string; label: string; topic: string; n: string }>(
      `SELECT m.source, coalesce(m.brand, '') AS brand, coalesce(m.label, '') AS label, coalesce(m.topic, '') AS topic, count(*) AS n
       FROM mentions m WHERE ${parts.join(' AND ')} GROUP BY 1, 2, 3, 4`,
      params,
    )
    return rows.map((r) => ({ ...r, n: Number(r.n) }))
  }

  async stormPosts(o: { from: number; until: number; brand: string; topic: string; matcher: BrandMatcher; limit: number }): Promise<AlertPost[]> {
    const params: unknown[] = [o.from, o.until, o.brand, o.topic]
    const notBrand = brandPredicate('m', o.matcher, params)
    params.push(o.limit)
    const rows = await this.rows<AlertPost & { createdAt: string }>(
      `SELECT m.source, m.created_at AS "createdAt", coalesce(m.author, m.author_id) AS author, m.text, m.url
       FROM mentions m WHERE m.created_at >= $1 AND m.created_at < $2 AND NOT m.by_brand AND coalesce(m.brand, '') = $3
         AND m.label = 'complaint' AND m.topic = $4 AND NOT ${notBrand}
       ORDER BY m.created_at DESC, m.source, m.id LIMIT $${params.length}`,
      params,
    )
    return rows.map((r) => ({ ...r, createdAt: Number(r.createdAt) }))
  }

  async lastStormAt(brand: string, topic: string, since: number, at: number): Promise<number | null> {
    const [r] = await this.rows<{ t: string | null }>(
      `SELECT max(fired_at) AS t FROM alerts WHERE brand = $1 AND kind = 'topic-storm' AND topic = $2 AND fired_at > $3 AND fired_at <= $4`,
      [brand, topic, since, at],
    )
    return r!.t === null ? null : Number(r!.t)
  }

  async saveStormAlert(a: AlertRecordInput & { topic: string }): Promise<number> {
    const [r] = await this.rows<{ id: string }>(
      `INSERT INTO alerts (brand, kind, fired_at, window_from, count, expected, p, method, message, delivery, error, topic)
       VALUES ($1, 'topic-storm', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [a.brand, a.firedAt, a.windowFrom, a.count, a.expected, a.p, a.method, a.message, a.delivery, a.error ?? null, a.topic],
    )
    return Number(r!.id)
  }
}
