// Mention rows: idempotent upserts and the queries the read commands use. SQL stays in src/store/.
import type Database from 'better-sqlite3'
import { BUCKET_LABELS, type BucketRow, type Label, type LabelSource, type MentionFilter, type MentionInput, type StoredMention, type UpsertCounts } from '../../models/mention.js'
import { appendRow, PARAM_NAMES, ROW_WIDTH } from '../../models/row.js'
import type { TopicSource } from '../../models/topics.js'
import type { Db } from './db.js'

interface Row {
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
  by_brand: number
  label: Label | null
  label_source: LabelSource | null
  scores: string | null
  fetched_at: number
  pii: string | null
  topic: string | null
  topic_source: TopicSource | null
}

const COLUMNS = `source, id, brand, created_at, author, author_id, text, url, lang, in_reply_to, thread_id,
  by_brand, label, label_source, scores, fetched_at, pii, topic, topic_source`
/** PARAM_NAMES order (models/row.ts). */
const INSERT_COLUMNS = `source, id, brand, created_at, author, author_id, text, url, lang, in_reply_to, thread_id,
  by_brand, label, label_source, scores, fetched_at, raw, pii, topic, topic_source`

function pivot(aggregate: string, labelExpr: string): string {
  const fn = aggregate.startsWith('count') ? 'count(*)' : aggregate
  return BUCKET_LABELS.map((l) => `coalesce(${fn} FILTER (WHERE ${labelExpr} = '${l}'), 0)`).join(', ')
}

export class MentionStore {
  private readonly insert
  private readonly update
  private readonly bump
  private readonly cache = new Map<string, Database.Statement>()

  constructor(readonly db: Db) {
    // Insert-or-ignore first, then an update that only fires when something differs: a re-import
    // of the same file changes nothing (not even fetched_at), and a human label is never replaced.
    this.insert = db.prepare(`INSERT INTO mentions (${INSERT_COLUMNS})
      VALUES (${Array(ROW_WIDTH).fill('?').join(', ')})
      ON CONFLICT (source, id) DO NOTHING`)
    this.update = db.prepare(`UPDATE mentions SET
        brand = @brand, created_at = @createdAt, author = @author, author_id = @authorId, text = @text, url = @url, lang = @lang,
        in_reply_to = @inReplyTo, thread_id = @threadId, by_brand = @byBrand,
        label = CASE WHEN label_source = 'human' OR @label IS NULL THEN label ELSE @label END,
        label_source = CASE WHEN label_source = 'human' OR @label IS NULL THEN label_source ELSE @labelSource END,
        scores = CASE WHEN label_source = 'human' OR @label IS NULL THEN scores ELSE @scores END,
        fetched_at = @fetchedAt, raw = @raw,
        pii = CASE WHEN text IS NOT @text THEN @pii ELSE coalesce(@pii, pii) END,
        topic = CASE WHEN topic_source = 'human' OR @topic IS NULL THEN topic ELSE @topic END,
        topic_source = CASE WHEN topic_source = 'human' OR @topic IS NULL THEN topic_source ELSE @topicSource END
      WHERE source = @source AND id = @id AND (
        brand IS NOT @brand OR created_at IS NOT @createdAt OR author IS NOT @author OR author_id IS NOT @authorId OR text IS NOT @text
        OR url IS NOT @url OR lang IS NOT @lang OR in_reply_to IS NOT @inReplyTo OR thread_id IS NOT @threadId
        OR by_brand IS NOT @byBrand OR raw IS NOT @raw OR (@pii IS NOT NULL AND pii IS NOT @pii)
        OR (label_source IS NOT 'human' AND @label IS NOT NULL AND (label IS NOT @label OR scores IS NOT @scores))
        OR (topic_source IS NOT 'human' AND @topic IS NOT NULL AND (topic IS NOT @topic OR topic_source IS NOT @topicSource)))`)
    // Inserted rows reach the rollup once per batch (no per-row insert trigger since the batch
    // rollup migration): one upsert per quarter hour, brand and label instead of one per row.
    this.bump = db.prepare(`INSERT INTO mention_buckets (bucket, brand, label, n) VALUES (?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET n = n + excluded.n`)
  }

  /** Filter combinations vary, so statements are prepared on first use and kept. */
  private stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql)
    if (!s) {
      s = this.db.prepare(sql)
      this.cache.set(sql, s)
    }
    return s
  }

  /** Upserts one batch in one transaction. */
  upsertMentions(mentions: readonly MentionInput[], fetchedAt = Date.now()): UpsertCounts {
    const flat: unknown[] = []
    for (const m of mentions) appendRow(flat, m, fetchedAt)
    return this.upsertRows(flat)
  }

  /**
   * Upserts rows packed ROW_WIDTH values each (see appendRow), in one transaction. The packed form
   * crosses a worker-thread boundary far more cheaply than objects do.
   */
  upsertRows(flat: readonly unknown[]): UpsertCounts {
    const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 }
    const order = timeOrder(flat)
    this.db.transaction(() => {
      const buckets = new Map<string, number>()
      // The update triggers adjust the rollup per row, so the counts of rows inserted earlier in this
      // batch must be in the table before a row can be updated (a key given twice in one batch).
      const flush = () => {
        for (const [key, n] of buckets) {
          const a = key.indexOf('\u0000')
          const b = key.indexOf('\u0000', a + 1)
          this.bump.run(Number(key.slice(0, a)), key.slice(b + 1), key.slice(a + 1, b), n)
        }
        buckets.clear()
      }
      for (const r of order) {
        const i = r * ROW_WIDTH
        const params = flat.slice(i, i + ROW_WIDTH)
        if (this.insert.run(params).changes) {
          counts.inserted++
          if (params[BY_BRAND] === 0) {
            // Math.trunc: SQLite's integer division, as the triggers bucket
            const key = `${Math.trunc((params[CREATED_AT] as number) / 900_000)}\u0000${(params[LABEL] as string | null) ?? ''}\u0000${(params[BRAND] as string | null) ?? ''}`
            buckets.set(key, (buckets.get(key) ?? 0) + 1)
          }
          continue
        }
        if (buckets.size) flush()
        if (this.update.run(Object.fromEntries(PARAM_NAMES.map((k, j) => [k, params[j]]))).changes) counts.updated++
        else counts.unchanged++
      }
      flush()
    }).immediate()
    return counts
  }

  listMentions(filter: MentionFilter): StoredMention[] {
    const { where, params } = whereClause(filter)
    const limit = filter.limit ? `LIMIT ${Math.floor(filter.limit)}` : ''
    const rows = this
      .stmt(`SELECT ${COLUMNS} FROM mentions ${where} ORDER BY created_at DESC, source, id ${limit}`)
      .all(params) as Row[]
    return rows.map(fromRow)
  }

  count(filter: MentionFilter = {}): number {
    const { where, params } = whereClause(filter)
    return (this.stmt(`SELECT count(*) AS n FROM mentions ${where}`).get(params) as { n: number }).n
  }

  /**
   * Customer mention counts per UTC quarter hour, one row per bucket with a count per label (in
   * BUCKET_LABELS order). Whole quarter hours come from the rollup; the partial quarter hours at
   * either edge, and any --source filter (the rollup has no source column), are counted from rows,
   * so the result is exact for any window.
   */
  countByQuarterHour(filter: { from: number; until: number; sources?: string[] | undefined; brands?: string[] | undefined }): BucketRow[] {
    const Q = 900_000
    const inList = (column: string, values: string[] | undefined, params: unknown[]) => {
      if (!values?.length) return ''
      params.push(...values)
      return ` AND ${column} IN (${values.map(() => '?').join(',')})`
    }
    const run = (sql: string, params: unknown[]): BucketRow[] =>
      (this.stmt(sql).raw().all(params) as number[][]).map(([bucket, ...counts]) => ({ bucket: bucket!, counts }))
    const fromRows = (a: number, b: number): BucketRow[] => {
      if (a >= b) return []
      const params: unknown[] = [a, b]
      const where = `created_at >= ? AND created_at < ? AND by_brand = 0${inList('source', filter.sources, params)}${inList('brand', filter.brands, params)}`
      return run(`SELECT created_at / 900000 AS bucket, ${pivot('count(*)', "coalesce(label, '')")} FROM mentions WHERE ${where} GROUP BY bucket`, params)
    }
    if (filter.sources?.length) return fromRows(filter.from, filter.until)
    const firstWhole = Math.ceil(filter.from / Q)
    const endWhole = Math.floor(filter.until / Q)
    if (firstWhole >= endWhole) return fromRows(filter.from, filter.until)
    const params: unknown[] = [firstWhole, endWhole]
    // Pivoting inside SQLite returns one row per quarter hour instead of one per (bucket, brand, label).
    const rollup = run(
      `SELECT bucket, ${pivot('sum(n)', 'label')} FROM mention_buckets
       WHERE bucket >= ? AND bucket < ?${inList('brand', filter.brands, params)} GROUP BY bucket`,
      params,
    )
    return [...fromRows(filter.from, firstWhole * Q), ...rollup, ...fromRows(endWhole * Q, filter.until)]
  }

  /** Oldest and newest mention instants, for windows that default to "all the data". */
  span(): { first: number; last: number; count: number } | null {
    const r = this.stmt('SELECT min(created_at) AS first, max(created_at) AS last, count(*) AS count FROM mentions').get() as {
      first: number | null
      last: number | null
      count: number
    }
    return r.first === null || r.last === null ? null : { first: r.first, last: r.last, count: r.count }
  }
}

const CREATED_AT = PARAM_NAMES.indexOf('createdAt')
const BY_BRAND = PARAM_NAMES.indexOf('byBrand')
const LABEL = PARAM_NAMES.indexOf('label')
const BRAND = PARAM_NAMES.indexOf('brand')
const SOURCE = PARAM_NAMES.indexOf('source')
const ID = PARAM_NAMES.indexOf('id')

/**
 * The batch's rows in created_at order: index and page writes then sweep the table once instead of
 * hopping around it (real input arrives out of time order). A batch that holds one key twice keeps
 * file order, so the later row still wins and counts as the update it is.
 */
function timeOrder(flat: readonly unknown[]): number[] {
  const n = flat.length / ROW_WIDTH
  const order = Array.from({ length: n }, (_, i) => i)
  const keys = new Set<string>()
  for (let i = 0; i < n; i++) keys.add(`${flat[i * ROW_WIDTH + SOURCE] as string}\u0000${flat[i * ROW_WIDTH + ID] as string}`)
  if (keys.size < n) return order
  return order.sort((a, b) => (flat[a * ROW_WIDTH + CREATED_AT] as number) - (flat[b * ROW_WIDTH + CREATED_AT] as number))
}

function whereClause(f: MentionFilter): { where: string; params: Record<string, unknown> } {
  const clauses: string[] = []
  const params: Record<string, unknown> = {}
  if (f.from !== undefined) {
    clauses.push('created_at >= @from')
    params.from = f.from
  }
  if (f.until !== undefined) {
    clauses.push('created_at < @until')
    params.until = f.until
  }
  const list = (column: string, name: string, values: readonly string[] | undefined) => {
    if (!values?.length) return
    clauses.push(`${column} IN (${values.map((_, i) => `@${name}${i}`).join(', ')})`)
    values.forEach((v, i) => (params[`${name}${i}`] = v))
  }
  list('source', 'source', f.sources)
  list('brand', 'brand', f.brands)
  const labels = f.labels?.filter((l) => l !== 'untagged')
  if (f.labels?.includes('untagged')) {
    list('label', 'label', labels)
    if (labels?.length) clauses.push(`(${clauses.pop()} OR label IS NULL)`)
    else clauses.push('label IS NULL')
  } else list('label', 'label', labels)
  const topics = f.topics?.filter((t) => t !== 'untagged')
  list('topic', 'topic', topics)
  if (f.topics?.includes('untagged')) clauses.push(topics?.length ? `(${clauses.pop()} OR topic IS NULL)` : 'topic IS NULL')
  if (f.search) {
    clauses.push("instr(lower(text), lower(@search)) > 0")
    params.search = f.search
  }
  if (f.pii) clauses.push("pii <> ''")
  if (f.byBrand !== undefined) {
    clauses.push('by_brand = @byBrand')
    params.byBrand = f.byBrand ? 1 : 0
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params }
}

function fromRow(r: Row): StoredMention {
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
    byBrand: r.by_brand === 1,
    label: r.label,
    labelSource: r.label_source,
    scores: r.scores ? (JSON.parse(r.scores) as Record<string, number>) : null,
    fetchedAt: r.fetched_at,
    pii: r.pii,
    topic: r.topic,
    topicSource: r.topic_source,
  }
}
