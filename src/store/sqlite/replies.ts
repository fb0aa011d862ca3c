// The brand's first reply to each customer post (listen train --from-replies): the reply is found
// through the partial index mentions_reply (source, in_reply_to), the post's own parent by key.
import type { BrandReplyPair, ReplyCursor } from '../../models/tagger.js'
import type { Db } from './db.js'

const SQL = `
  SELECT m.source, m.id, m.text, m.lang, coalesce(p.by_brand, 0) AS followUp, r.text AS reply, r.lang AS replyLang
  FROM mentions m
  JOIN mentions r ON r.rowid = (
    SELECT r2.rowid FROM mentions r2
    WHERE r2.source = m.source AND r2.in_reply_to = m.id AND r2.by_brand = 1
    ORDER BY r2.created_at, r2.id LIMIT 1)
  LEFT JOIN mentions p ON p.source = m.source AND p.id = m.in_reply_to
  WHERE m.by_brand = 0 AND m.label_source IS NOT 'human' AND (m.source, m.id) > (?, ?)
  ORDER BY m.source, m.id LIMIT ?`

export function firstBrandReplies(db: Db, after: ReplyCursor | null, limit: number): BrandReplyPair[] {
  const rows = db.prepare(SQL).all(after?.source ?? '', after?.id ?? '', limit) as Array<Omit<BrandReplyPair, 'followUp'> & { followUp: number }>
  return rows.map((r) => ({ ...r, followUp: r.followUp === 1 }))
}
