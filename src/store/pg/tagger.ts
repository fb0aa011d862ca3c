// The tagger's reply-chain reads on PostgreSQL (SQLite: store/sqlite/replies.ts and ModelStore):
// the first brand reply to each customer post, human examples with their thread context, and the
// columns mentionsToTag adds for the thread. The PgStore wires PgTagger into its ModelRepo.
import type { BrandReplyPair, ReplyCursor, TrainingExample } from '../../models/tagger.js'
import type { PgHandle } from './connect.js'
import { run } from './sql.js'

/**
 * For mentionsToTag on `mentions m`: select THREAD_COLUMNS beside its own, joined with PARENT_JOIN
 * (the parent by key; mentions is partitioned on created_at, so the lookup is by (source, id) on
 * every partition's primary key, LIMIT 1).
 */
export const THREAD_COLUMNS = `m.source, m.id, m.in_reply_to AS "inReplyTo", m.thread_id AS "threadId", coalesce(p.by_brand, false) AS "parentByBrand"`
export const PARENT_JOIN = `LEFT JOIN LATERAL (SELECT p.by_brand FROM mentions p WHERE p.source = m.source AND p.id = m.in_reply_to LIMIT 1) p ON true`

export class PgTagger {
  constructor(readonly handle: PgHandle) {}

  private async run<T extends object>(sql: string, params: unknown[]): Promise<T[]> {
    return (await run(this.handle, sql, params)).rows as T[]
  }

  /** See ModelRepo.firstBrandReplies. Ordered byte-wise (COLLATE "C"), as SQLite orders text. */
  async firstBrandReplies(after: ReplyCursor | null, limit: number): Promise<BrandReplyPair[]> {
    return this.run<BrandReplyPair>(
      `SELECT m.source, m.id, m.text, m.lang, coalesce(p.by_brand, false) AS "followUp", r.text AS reply, r.lang AS "replyLang"
       FROM mentions m
       JOIN LATERAL (SELECT r.text, r.lang FROM mentions r
                     WHERE r.source = m.source AND r.in_reply_to = m.id AND r.by_brand
                     ORDER BY r.created_at, r.id COLLATE "C" LIMIT 1) r ON true
       ${PARENT_JOIN}
       WHERE NOT m.by_brand AND m.label_source IS DISTINCT FROM 'human'
         AND (m.source COLLATE "C", m.id COLLATE "C") > ($1 COLLATE "C", $2 COLLATE "C")
       ORDER BY m.source COLLATE "C", m.id COLLATE "C" LIMIT $3`,
      [after?.source ?? '', after?.id ?? '', limit],
    )
  }

  /** See ModelRepo.humanExamples: with followUp, as SQLite's ModelStore.humanExamples. */
  async humanExamples(): Promise<TrainingExample[]> {
    return this.run<TrainingExample>(
      `SELECT m.text, m.label, m.lang, coalesce(p.by_brand, false) AS "followUp" FROM mentions m ${PARENT_JOIN} WHERE m.label_source = 'human' ORDER BY m.source COLLATE "C", m.id COLLATE "C"`,
      [],
    )
  }
}
