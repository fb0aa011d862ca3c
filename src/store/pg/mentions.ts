// Mention rows on PostgreSQL: the COPY upsert (ingest.ts), the by-hour rollup (reports.ts) and the
// listing queries the read commands use, with the same results as SQLite's MentionStore.
import type { BucketRow, MentionFilter, MentionInput, StoredMention, UpsertCounts } from '../../models/mention.js'
import type { MentionRepo, MentionSpan, QuarterHourFilter } from '../types.js'
import type { PgHandle } from './connect.js'
import type { PgMentionWriter } from './ingest.js'
import type { PgMentionReports } from './reports.js'
import { anyOf, C, param, run } from './sql.js'

export const MENTION_COLUMNS = `source, id, brand, created_at, author, author_id, text, url, lang, in_reply_to, thread_id,
  by_brand, label, label_source, scores, fetched_at, pii, topic, topic_source`

export interface MentionRow {
  source: string
  id: string
  brand: string | null
  created_at: number
  author: string | null
  author_id: string | null
  text: string
  url: string | null
  lang: string | null
  in_reply_to: string | null
  thread_id: string | null
  by_brand: boolean
  label: StoredMention['label']
  label_source: StoredMention['labelSource']
  scores: string | null
  fetched_at: number
  pii: string | null
  topic: string | null
  topic_source: StoredMention['topicSource']
}

export function fromMentionRow(r: MentionRow): StoredMention {
  return {
    source: r.source,
    id: r.id,
    brand: r.brand,
    createdAt: r.created_at,
    author: r.author,
    authorId: r.author_id,
    text: r.text,
    url: r.url,
    lang: r.lang,
    inReplyTo: r.in_reply_to,
    threadId: r.thread_id,
    byBrand: r.by_brand,
    label: r.label,
    labelSource: r.label_source,
    scores: r.scores ? (JSON.parse(r.scores) as Record<string, number>) : null,
    fetchedAt: r.fetched_at,
    pii: r.pii,
    topic: r.topic,
    topicSource: r.topic_source,
  }
}

function whereClause(f: MentionFilter, params: unknown[]): string {
  const clauses: string[] = ['true']
  if (f.from !== undefined) clauses.push(`created_at >= ${param(params, f.from)}`)
  if (f.until !== undefined) clauses.push(`created_at < ${param(params, f.until)}`)
  let sql = clauses.join(' AND ') + anyOf('source', f.sources, params) + anyOf('brand', f.brands, params)
  const labels = f.labels?.filter((l) => l !== 'untagged') ?? []
  if (f.labels?.includes('untagged')) {
    sql += labels.length ? ` AND (label = ANY(${param(params, labels)}::text[]) OR label IS NULL)` : ' AND label IS NULL'
  } else sql += anyOf('label', labels, params)
  if (f.search) sql += ` AND strpos(lower(text), lower(${param(params, f.search)})) > 0`
  if (f.byBrand !== undefined) sql += ` AND by_brand = ${param(params, f.byBrand)}`
  if (f.pii) sql += " AND pii <> ''"
  const topics = f.topics?.filter((t) => t !== 'untagged') ?? []
  if (f.topics?.includes('untagged')) {
    sql += topics.length ? ` AND (topic = ANY(${param(params, topics)}::text[]) OR topic IS NULL)` : ' AND topic IS NULL'
  } else sql += anyOf('topic', topics, params)
  return sql
}

export class PgMentions implements MentionRepo {
  constructor(
    readonly handle: PgHandle,
    private readonly writer: PgMentionWriter,
    private readonly reports: PgMentionReports,
  ) {}

  upsertMentions(mentions: readonly MentionInput[], fetchedAt?: number): Promise<UpsertCounts> {
    return this.writer.upsertMentions(mentions, fetchedAt)
  }

  upsertRows(flat: readonly unknown[]): Promise<UpsertCounts> {
    return this.writer.upsertRows(flat)
  }

  async listMentions(filter: MentionFilter): Promise<StoredMention[]> {
    const params: unknown[] = []
    const where = whereClause(filter, params)
    const limit = filter.limit ? `LIMIT ${Math.floor(filter.limit)}` : ''
    const r = await run<MentionRow>(this.handle, `SELECT ${MENTION_COLUMNS} FROM mentions WHERE ${where}
      ORDER BY created_at DESC, source ${C}, id ${C} ${limit}`, params)
    return r.rows.map(fromMentionRow)
  }

  async count(filter: MentionFilter = {}): Promise<number> {
    const params: unknown[] = []
    const where = whereClause(filter, params)
    return (await run<{ n: number }>(this.handle, `SELECT count(*) AS n FROM mentions WHERE ${where}`, params)).rows[0]!.n
  }

  countByQuarterHour(filter: QuarterHourFilter): Promise<BucketRow[]> {
    return this.reports.countByQuarterHour(filter)
  }

  async span(): Promise<MentionSpan | null> {
    const r = (await run<{ first: number | null; last: number | null; count: number }>(this.handle,
      'SELECT min(created_at) AS first, max(created_at) AS last, count(*) AS count FROM mentions')).rows[0]!
    return r.first === null || r.last === null ? null : { first: r.first, last: r.last, count: r.count }
  }
}
