// The help-article index over what `listen help-articles import` stored, for the commands that
// show the best article beside a question (mentions, help-articles match).
import type { ArticleIndex } from '../care/articles.js'
import type { Store } from '../store/types.js'

/** The index over the stored articles; null when none were imported (the ranking code is not even loaded then). */
export async function loadStoredArticleIndex(store: Store): Promise<ArticleIndex | null> {
  const rows = await store.articles.listArticles()
  if (!rows.length) return null
  const { buildArticleIndex } = await import('../care/articles.js')
  return buildArticleIndex(rows.map((a) => ({ id: a.id, url: a.url, title: a.title, body: a.body, lang: a.lang })))
}
