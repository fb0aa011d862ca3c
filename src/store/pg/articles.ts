// help_articles on PostgreSQL: the same contract as store/sqlite/articles.ts (ArticleRepo).
import type { ArticleSaveCounts, StoredArticle } from '../../models/care.js'
import type { ArticleRepo } from '../types.js'
import { pgError, type PgHandle, withTransaction } from './connect.js'
import { run } from './sql.js'

export class PgArticleStore implements ArticleRepo {
  constructor(readonly h: PgHandle) {}

  async saveArticles(articles: readonly Omit<StoredArticle, 'importedAt' | 'origin'>[], origin: string, at: number): Promise<ArticleSaveCounts> {
    try {
      return await withTransaction(this.h, async (client) => {
        const counts: ArticleSaveCounts = { inserted: 0, updated: 0, unchanged: 0 }
        for (const a of articles) {
          // xmax = 0 on a freshly inserted row; an unchanged article is not written at all.
          const r = await client.query<{ inserted: boolean }>(
            `INSERT INTO help_articles AS h (id, url, title, body, lang, origin, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (id) DO UPDATE SET url = excluded.url, title = excluded.title, body = excluded.body, lang = excluded.lang,
               origin = excluded.origin, imported_at = excluded.imported_at
             WHERE (h.url, h.title, h.body, h.lang) IS DISTINCT FROM (excluded.url, excluded.title, excluded.body, excluded.lang)
             RETURNING (xmax = 0) AS inserted`,
            [a.id, a.url, a.title, a.body, a.lang, origin, at],
          )
          const row = r.rows[0]
          counts[row === undefined ? 'unchanged' : row.inserted ? 'inserted' : 'updated']++
        }
        return counts
      })
    } catch (e) {
      throw pgError(e, this.h.url)
    }
  }

  async listArticles(): Promise<StoredArticle[]> {
    // ORDER BY as SQLite sorts: NULL languages first, byte order (COLLATE "C").
    return (await run<StoredArticle>(this.h, `SELECT id, url, title, body, lang, origin, imported_at AS "importedAt" FROM help_articles
      ORDER BY lang COLLATE "C" NULLS FIRST, title COLLATE "C", id COLLATE "C"`)).rows
  }
}
