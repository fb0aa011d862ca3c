// listen queue on PostgreSQL: the same answer as store/sqlite/queue.ts in one statement. The reply
// chains are walked up from the window's brand posts as in the SQLite audit (computeAnswers).
import type { QueueCandidate, QueueScope } from '../../models/queue.js'
import { brandPredicate, run } from './sql.js'
import type { PgHandle } from './connect.js'

const MAX_DEPTH = 40


export class PgQueue {
  constructor(private readonly h: PgHandle) {}

  async openPosts(s: QueueScope): Promise<QueueCandidate[]> {
    const params: unknown[] = [s.from, s.until]
    const isBrand = (a: string) => brandPredicate(a, s.brand, params)
    const parts = ['m.created_at >= $1', 'm.created_at < $2', 'NOT m.by_brand', `NOT ${isBrand('m')}`]
    const labels = s.labels.filter((l) => l !== 'untagged')
    const labelParts: string[] = []
    if (labels.length) {
      params.push(labels)
      labelParts.push(`m.label = ANY($${params.length}::text[])`)
    }
    if (s.labels.includes('untagged')) labelParts.push('m.label IS NULL')
    parts.push(labelParts.length ? `(${labelParts.join(' OR ')})` : 'false')
    for (const [col, values] of [['m.source', s.sources], ['m.brand', s.brands]] as const) {
      if (!values?.length) continue
      params.push([...values])
      parts.push(`${col} = ANY($${params.length}::text[])`)
    }
    const sql = `WITH RECURSIVE b AS MATERIALIZED (
        SELECT r.source, r.id, r.in_reply_to, r.thread_id, r.created_at FROM mentions r
        WHERE r.created_at >= $1 AND r.created_at < $2 AND (r.in_reply_to IS NOT NULL OR r.thread_id IS NOT NULL) AND ${isBrand('r')}
      ),
      up(source, id, parent, depth) AS (
        SELECT p.source, p.id, CASE WHEN ${isBrand('p')} THEN NULL ELSE p.in_reply_to END, 0
          FROM b JOIN mentions p ON p.source = b.source AND p.id = coalesce(b.in_reply_to, b.thread_id)
        UNION ALL
        SELECT p.source, p.id, NULL, 0
          FROM b JOIN mentions p ON p.source = b.source AND p.id = b.thread_id
          WHERE b.in_reply_to IS NOT NULL AND b.thread_id IS DISTINCT FROM b.in_reply_to AND b.thread_id IS DISTINCT FROM b.id
        UNION ALL
        SELECT g.source, g.id, CASE WHEN ${isBrand('g')} THEN NULL ELSE g.in_reply_to END, up.depth + 1
          FROM up JOIN mentions g ON g.source = up.source AND g.id = up.parent
          WHERE up.parent IS NOT NULL AND up.depth < ${MAX_DEPTH}
      ),
      answered AS (SELECT DISTINCT source, id FROM up),
      grown AS (
        SELECT r.source, r.in_reply_to AS parent, count(*) AS n FROM mentions r
        WHERE r.in_reply_to IS NOT NULL AND r.created_at >= $1 AND r.created_at < $2 AND NOT ${isBrand('r')} GROUP BY 1, 2
      )
      SELECT m.source, m.id, m.brand, m.created_at AS "createdAt", m.author, m.author_id AS "authorId", m.label, m.text, m.url, m.pii,
        m.topic, coalesce(g.n, 0)::int AS replies
      FROM mentions m LEFT JOIN grown g ON g.source = m.source AND g.parent = m.id
      WHERE ${parts.join(' AND ')} AND NOT EXISTS (SELECT 1 FROM answered a WHERE a.source = m.source AND a.id = m.id)
      ORDER BY m.created_at, m.source, m.id`
    // A read: run again through a server restart (queue --watch keeps going).
    const r = await run<QueueCandidate & { createdAt: string | number }>(this.h, sql, params, { idempotent: true })
    return r.rows.map((row) => ({ ...row, createdAt: Number(row.createdAt) }))
  }

  async hasBrandPosts(from: number, s: QueueScope): Promise<boolean> {
    const params: unknown[] = [from]
    const pred = brandPredicate('m', s.brand, params)
    let where = `m.created_at >= $1 AND ${pred}`
    if (s.sources?.length) {
      params.push([...s.sources])
      where += ` AND m.source = ANY($${params.length}::text[])`
    }
    return (await run(this.h, `SELECT 1 FROM mentions m WHERE ${where} LIMIT 1`, params)).rowCount === 1
  }
}
