// help_articles: the cached copy of an imported help centre (listen help-articles).
import type { ArticleSaveCounts, StoredArticle } from '../../models/care.js'
import type { Db } from './db.js'

export class ArticleStore {
  constructor(readonly db: Db) {}

  saveArticles(articles: readonly Omit<StoredArticle, 'importedAt' | 'origin'>[], origin: string, at: number): ArticleSaveCounts {
    const find = this.db.prepare('SELECT url, title, body, lang FROM help_articles WHERE id = ?')
    const upsert = this.db.prepare(`INSERT INTO help_articles (id, url, title, body, lang, origin, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET url = excluded.url, title = excluded.title, body = excluded.body, lang = excluded.lang,
        origin = excluded.origin, imported_at = excluded.imported_at`)
    const counts: ArticleSaveCounts = { inserted: 0, updated: 0, unchanged: 0 }
    this.db.transaction(() => {
      for (const a of articles) {
        const old = find.get(a.id) as { url: string; title: string; body: string; lang: string | null } | undefined
        if (old && old.url === a.url && old.title === a.title && old.body === a.body && old.lang === a.lang) {
          counts.unchanged++
          continue
        }
        upsert.run(a.id, a.url, a.title, a.body, a.lang, origin, at)
        counts[old ? 'updated' : 'inserted']++
      }
    })()
    return counts
  }

  listArticles(): StoredArticle[] {
    return this.db
      .prepare('SELECT id, url, title, body, lang, origin, imported_at AS importedAt FROM help_articles ORDER BY lang, title, id')
      .all() as StoredArticle[]
  }
}
