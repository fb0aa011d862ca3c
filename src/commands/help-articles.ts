// listen help-articles: import a help centre (file, or a URL fetched with the project's HTTP client),
// list what is stored, match a question against it.
import { readFileSync } from 'node:fs'
import pLimit from 'p-limit'
import type { Dispatcher } from 'undici'
import { detectArticleFormat, parseArticleFeed, parseArticleHtml, parseArticlesCsv, parseArticlesJsonl, parseSitemap } from '../care/article-sources.js'
import { type HelpArticle, topArticles } from '../care/articles.js'
import { createHttp, type HttpClient } from '../http/client.js'
import type { ArticleMatchModel, HelpArticlesModel, StoredArticle } from '../models/care.js'
import { ExitError, UsageError } from '../models/errors.js'
import type { Store } from '../store/types.js'
import { withStore } from '../store/open.js'
import { loadStoredArticleIndex } from './article-index.js'
import { storeAuth, type CommandContext } from './context.js'

export interface HelpImportOptions {
  /** A file path or an http(s) URL. */
  source: string
  version: string
  /** Pages of a sitemap fetched at most (a sitemap index counts its pages together). */
  maxPages: number
  dispatcher?: Dispatcher | undefined
}

const isUrl = (s: string) => /^https?:\/\//i.test(s)

/** The articles of a source's text; a sitemap's pages are fetched (a failing page is skipped and named). */
async function articlesOf(
  name: string,
  text: string,
  fetchText: ((url: string) => Promise<string>) | null,
  maxPages: number,
  skipped: Array<{ url: string; error: string }>,
  depth = 0,
): Promise<HelpArticle[]> {
  const format = detectArticleFormat(name, text)
  if (format === 'jsonl') return parseArticlesJsonl(text)
  if (format === 'csv') return parseArticlesCsv(text)
  if (format === 'feed') return parseArticleFeed(text)
  if (format === 'html') {
    if (!isUrl(name)) throw new UsageError(`${name}: an article page needs its URL; import the page by URL or a sitemap of the pages`)
    return [parseArticleHtml(text, name)]
  }
  const sitemap = parseSitemap(text)
  if (!fetchText) throw new UsageError(`${name}: a sitemap names pages on the web; import it by URL (listen help-articles import https://…/sitemap.xml)`)
  if (sitemap.kind === 'sitemapindex') {
    if (depth >= 2) throw new UsageError(`${name}: sitemap indexes nested deeper than two levels`)
    const out: HelpArticle[] = []
    for (const url of sitemap.urls) {
      if (out.length >= maxPages) break
      try {
        out.push(...(await articlesOf(url, await fetchText(url), fetchText, maxPages - out.length, skipped, depth + 1)))
      } catch (e) {
        skipped.push({ url, error: (e as Error).message })
      }
    }
    return out
  }
  const urls = sitemap.urls.slice(0, maxPages)
  for (const url of sitemap.urls.slice(maxPages)) skipped.push({ url, error: `beyond --max-pages ${maxPages}` })
  const limit = pLimit(4)
  const pages = await Promise.all(
    urls.map((url) =>
      limit(async () => {
        try {
          return parseArticleHtml(await fetchText(url), url)
        } catch (e) {
          skipped.push({ url, error: (e as Error).message })
          return null
        }
      }),
    ),
  )
  return pages.filter((a): a is HelpArticle => a !== null)
}

function listModel(store: Store, rows: StoredArticle[], extra: Partial<HelpArticlesModel> = {}): HelpArticlesModel {
  return {
    kind: 'help-articles',
    action: 'list',
    database: store.location,
    articles: rows.map((a) => ({
      id: a.id,
      title: a.title,
      url: a.url,
      lang: a.lang,
      words: a.body.split(/\s+/).filter(Boolean).length,
      origin: a.origin,
      importedAt: new Date(a.importedAt).toISOString(),
    })),
    ...extra,
  }
}

export async function runHelpImport(o: HelpImportOptions, ctx: CommandContext): Promise<HelpArticlesModel> {
  const skipped: Array<{ url: string; error: string }> = []
  let http: HttpClient | null = null
  let articles: HelpArticle[]
  try {
    let text: string
    let fetchText: ((url: string) => Promise<string>) | null = null
    if (isUrl(o.source)) {
      const client = (http = createHttp({ version: o.version, dispatcher: o.dispatcher, onEvent: (e) => ctx.log.debug(`http ${JSON.stringify(e)}`) }))
      fetchText = async (url) => (await client.request({ url, source: 'help-articles', headers: { accept: 'application/xml, text/html, application/json, text/csv, */*' } })).body
      text = await fetchText(o.source)
    } else {
      try {
        text = readFileSync(o.source, 'utf8')
      } catch (e) {
        throw new UsageError(`cannot read ${o.source}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`)
      }
    }
    articles = await articlesOf(o.source, text, fetchText, o.maxPages, skipped)
  } finally {
    await http?.close()
  }
  for (const s of skipped) ctx.log.warn(`help-articles: skipped ${s.url}: ${s.error}`)
  if (!articles.length) throw new ExitError(`${o.source}: no article could be read${skipped.length ? ` (${skipped.length} page(s) skipped)` : ''}; nothing was stored`, 1)
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: true }, async (store) => {
    const counts = await store.articles.saveArticles(articles, o.source, ctx.now)
    const rows = await store.articles.listArticles()
    const mine = new Set(articles.map((a) => a.id))
    return { ...listModel(store, rows.filter((a) => mine.has(a.id)), { action: 'import', origin: o.source, counts, skipped }) }
  })
}

export async function runHelpList(ctx: CommandContext): Promise<HelpArticlesModel> {
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: false, readonly: true }, async (store) => listModel(store, await store.articles.listArticles()))
}

export interface HelpMatchOptions {
  text: string
  lang?: string | undefined
  /** How many candidates to list. */
  top: number
}

export async function runHelpMatch(o: HelpMatchOptions, ctx: CommandContext): Promise<ArticleMatchModel> {
  if (!o.text.trim()) throw new UsageError('help-articles match: give the question text, e.g. listen help-articles match "how do I return a jacket?"')
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: false, readonly: true }, async (store) => {
    const index = await loadStoredArticleIndex(store)
    if (!index) throw new UsageError(`no help articles in ${store.location}: run listen help-articles import FILE|URL first`)
    const matches = topArticles(index, o.text, o.top, o.lang)
    return {
      kind: 'article-match',
      text: o.text,
      lang: o.lang ?? null,
      threshold: index.calibration.threshold,
      matches: matches.map((m, i) => ({
        rank: i + 1,
        id: m.article.id,
        title: m.article.title,
        url: m.article.url,
        lang: m.article.lang,
        score: Math.round(m.score * 1000) / 1000,
        confidence: Math.round(m.confidence * 1000) / 1000,
        shown: i === 0 && m.confidence >= index.calibration.threshold,
      })),
    }
  })
}
