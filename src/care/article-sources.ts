// Help-centre article sources: a CSV/JSONL export, an RSS/Atom feed, a sitemap and the HTML pages it
// lists, parsed into articles. Apart from the ranking (articles.ts) so that a command that only
// ranks, such as listen mentions, does not load the XML and HTML parsers.
import { parse as parseCsv } from 'csv-parse/sync'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { DomUtils, parseDocument } from 'htmlparser2'
import { detectLang, normalizeLangTag } from '../classify/lang.js'
import { decodeEntities, normalizeText, stripMarkup } from '../classify/normalize.js'
import { splitWords } from '../classify/tokenize.js'
import { createFeedParser } from '../lib/feed-xml.js'
import { UsageError } from '../models/errors.js'
import type { HelpArticle } from './articles.js'

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** Article text from an export: HTML bodies (Zendesk, feeds) lose their markup, entities are decoded. */
function plainText(text: string): string {
  return collapse(decodeEntities(/<[a-z!/][^>]*>/i.test(text) ? stripMarkup(text) : text))
}

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const u = new URL(value)
    return u.protocol === 'http:' || u.protocol === 'https:'
  } catch {
    return false
  }
}

/** The article's language: the given tag, else a vote on its first 1,000 characters. */
export function detectArticleLang(title: string, body: string, tag?: string | null): string | null {
  const given = normalizeLangTag(tag)
  if (given) return given
  const sample = `${title}. ${body}`.slice(0, 1000)
  return detectLang(splitWords(normalizeText(sample)), sample)
}

type Fields = Record<string, unknown>

function field(fields: Fields, name: string, where: string, required: boolean): string | null {
  const value = fields[name]
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    if (required) throw new UsageError(`${where}: "${name}" is missing or empty`)
    return null
  }
  if (typeof value === 'number' && name === 'id') return String(value)
  if (typeof value !== 'string') throw new UsageError(`${where}: "${name}" must be a string, got ${typeof value}`)
  return value.trim()
}

function toArticle(fields: Fields, where: string): HelpArticle {
  const title = plainText(field(fields, 'title', where, true)!)
  if (!title) throw new UsageError(`${where}: "title" has no text once its markup is removed`)
  const body = plainText(field(fields, 'body', where, false) ?? '')
  const url = field(fields, 'url', where, true)!
  if (!isAbsoluteHttpUrl(url)) throw new UsageError(`${where}: "url" must be an absolute http(s) URL, got "${url}"`)
  const id = field(fields, 'id', where, false) ?? url
  return { id, url, title, body, lang: detectArticleLang(title, body, field(fields, 'lang', where, false)) }
}

function rejectDuplicateIds(articles: readonly HelpArticle[], whereOf: (i: number) => string): void {
  const first = new Map<string, number>()
  articles.forEach((a, i) => {
    const seen = first.get(a.id)
    if (seen !== undefined) throw new UsageError(`${whereOf(i)}: duplicate id "${a.id}" (first at ${whereOf(seen)})`)
    first.set(a.id, i)
  })
}

/** JSON Lines, one article a line: `title`, `body`, `url` (absolute), optional `id` (default: the url) and `lang`. */
export function parseArticlesJsonl(text: string): HelpArticle[] {
  const out: HelpArticle[] = []
  const lines: number[] = []
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return
    const where = `line ${i + 1}`
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (error) {
      throw new UsageError(`${where}: not valid JSON (${(error as Error).message})`)
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new UsageError(`${where}: expected a JSON object with title, body and url`)
    }
    out.push(toArticle(value as Fields, where))
    lines.push(i + 1)
  })
  rejectDuplicateIds(out, (i) => `line ${lines[i]}`)
  return out
}

const CSV_REQUIRED = ['title', 'body', 'url'] as const

/** CSV (comma, semicolon or tab, from the header line) with columns title, body, url and optional id, lang. */
export function parseArticlesCsv(text: string): HelpArticle[] {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? ''
  const delimiter = [',', ';', '\t'].reduce((best, d) => (header.split(d).length > header.split(best).length ? d : best), ',')
  let records: Array<{ record: Record<string, string>; info: { lines: number; raw?: string } }>
  try {
    records = parseCsv(text, {
      bom: true,
      delimiter,
      columns: (names: string[]) => names.map((n) => n.trim().toLowerCase()),
      skip_empty_lines: true,
      info: true,
      raw: true,
    }) as typeof records
  } catch (error) {
    throw new UsageError(`CSV: ${(error as Error).message}`)
  }
  const columns = header.split(delimiter).map((n) => n.trim().replace(/^"|"$/g, '').toLowerCase())
  for (const name of CSV_REQUIRED) {
    if (!columns.includes(name)) throw new UsageError(`CSV header: missing column "${name}" (found: ${columns.join(', ')})`)
  }
  const lines: number[] = []
  const out = records.map(({ record, info }) => {
    // info.lines is where the record ends; a quoted body may span several lines.
    const line = info.lines - ((info.raw ?? '').replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0)
    lines.push(line)
    return toArticle(record, `line ${line}`)
  })
  rejectDuplicateIds(out, (i) => `line ${lines[i]}`)
  return out
}

function validateXml(xml: string, what: string): void {
  const result = XMLValidator.validate(xml)
  if (result !== true) throw new UsageError(`${what}: invalid XML at line ${result.err.line}: ${result.err.msg}`)
}

const sitemapParser = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (_name, jpath) => ['urlset.url', 'sitemapindex.sitemap'].includes(String(jpath)),
})

export interface Sitemap {
  /** `urlset`: `urls` are pages; `sitemapindex`: `urls` are further sitemaps to read. */
  kind: 'urlset' | 'sitemapindex'
  urls: string[]
}

/** A sitemap (sitemaps.org 0.9) or a sitemap index → the page (or sitemap) URLs in document order. */
export function parseSitemap(xml: string): Sitemap {
  validateXml(xml, 'sitemap')
  const doc = sitemapParser.parse(xml) as Record<string, unknown>
  const kind = 'urlset' in doc ? 'urlset' : 'sitemapindex' in doc ? 'sitemapindex' : null
  if (kind === null) throw new UsageError('sitemap: the root element must be <urlset> or <sitemapindex>')
  const root = doc[kind]
  const entries = (root && typeof root === 'object' ? (root as Record<string, unknown>)[kind === 'urlset' ? 'url' : 'sitemap'] : undefined) ?? []
  const entryName = kind === 'urlset' ? 'url' : 'sitemap'
  return {
    kind,
    urls: (entries as unknown[]).map((entry, i) => {
      const loc = entry && typeof entry === 'object' ? (entry as Record<string, unknown>).loc : undefined
      if (typeof loc !== 'string' || loc === '') throw new UsageError(`sitemap: <${entryName}> ${i + 1} has no <loc>`)
      if (!isAbsoluteHttpUrl(loc)) throw new UsageError(`sitemap: <${entryName}> ${i + 1}: <loc> is not an absolute http(s) URL: "${loc}"`)
      return loc
    }),
  }
}

type DomNode = Parameters<typeof DomUtils.textContent>[0] extends infer T ? (T extends Array<infer U> ? U : T) : never
type DomElement = NonNullable<ReturnType<typeof DomUtils.findOne>>

// Page furniture that is never the article: menus, cookie banners, "was this helpful?", related links.
const SKIP_TAGS = new Set(['script', 'style', 'noscript', 'template', 'svg', 'nav', 'header', 'footer', 'aside', 'form', 'iframe', 'button', 'select', 'h1'])
const SKIP_CLASS = /\b(?:cookie|consent|breadcrumbs?|related|share|sharing|feedback|vote|voting|sidebar|skip-link|sr-only)\b/i
const BLOCK_TAGS = new Set(['p', 'div', 'br', 'li', 'ul', 'ol', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'td', 'th', 'table', 'section', 'blockquote', 'dd', 'dt', 'pre'])

function isSkipped(el: DomElement): boolean {
  if (SKIP_TAGS.has(el.name)) return true
  const a = el.attribs
  if (a.hidden !== undefined || a['aria-hidden'] === 'true' || a.role === 'navigation') return true
  return SKIP_CLASS.test(`${a.class ?? ''} ${a.id ?? ''}`)
}

function textOf(node: DomNode, out: string[]): void {
  if (node.type === 'text') {
    out.push((node as { data: string }).data)
    return
  }
  if (!('attribs' in node)) return
  if (isSkipped(node)) return
  const block = BLOCK_TAGS.has(node.name)
  if (block) out.push(' ')
  for (const child of node.children) textOf(child, out)
  if (block) out.push(' ')
}

const CONTENT_SELECTORS: ReadonlyArray<(el: DomElement) => boolean> = [
  (el) => el.attribs.itemprop === 'articleBody',
  (el) => /\barticle[-_]?(?:body|content)\b/i.test(el.attribs.class ?? ''),
  (el) => el.name === 'article',
  (el) => el.name === 'main' || el.attribs.role === 'main',
  (el) => el.name === 'body',
]

function metaContent(doc: DomNode[], property: string): string | null {
  const el = DomUtils.findOne((e) => e.name === 'meta' && (e.attribs.property === property || e.attribs.name === property), doc)
  const value = el?.attribs.content?.trim()
  return value ? value : null
}

/**
 * One article page → an article. Title: the page's <h1>, else og:title, else <title> without a site
 * suffix (" | Help Centre"). Body: the text of the article element (itemprop=articleBody, an
 * "article-body" class, <article>, <main>, else <body>), without scripts, navigation, headers,
 * footers and cookie banners. Language: <html lang>, else og:locale, else detected.
 */
export function parseArticleHtml(html: string, url: string): HelpArticle {
  if (!isAbsoluteHttpUrl(url)) throw new UsageError(`article page: "url" must be an absolute http(s) URL, got "${url}"`)
  const doc = parseDocument(html).children as DomNode[]
  let root: DomElement | null = null
  for (const test of CONTENT_SELECTORS) {
    root = DomUtils.findOne(test, doc)
    if (root) break
  }
  const h1 = DomUtils.findOne((e) => e.name === 'h1', root ? [root] : doc) ?? DomUtils.findOne((e) => e.name === 'h1', doc)
  const titleEl = DomUtils.findOne((e) => e.name === 'title', doc)
  const pageTitle = titleEl ? collapse(DomUtils.textContent(titleEl)).replace(/\s+[|–—-]\s+[^|–—-]+$/, '') : ''
  const title = collapse(h1 ? DomUtils.textContent(h1) : '') || metaContent(doc, 'og:title') || pageTitle
  if (!title) throw new UsageError(`${url}: no title (no <h1>, og:title or <title>)`)
  const parts: string[] = []
  for (const child of (root ?? { children: doc }).children) textOf(child, parts)
  const body = collapse(parts.join(''))
  if (!body) throw new UsageError(`${url}: no article text found`)
  const htmlEl = DomUtils.findOne((e) => e.name === 'html', doc)
  const tag = htmlEl?.attribs.lang ?? metaContent(doc, 'og:locale')
  return { id: url, url, title, body, lang: detectArticleLang(title, body, tag) }
}

const feedParser = createFeedParser(['rss.channel.item', 'feed.entry', 'feed.entry.link'])

function nodeText(node: unknown): string | null {
  if (typeof node === 'string') return node
  if (node && typeof node === 'object' && '#text' in node && typeof node['#text'] === 'string') return node['#text']
  return null
}

/** Atom text constructs are kept raw (stopNodes): type="html" is escaped HTML, "xhtml" inline markup, "text" escaped text. */
function atomText(node: unknown): string | null {
  const raw = nodeText(node)
  if (raw === null) return null
  const type = node && typeof node === 'object' ? (node as Record<string, unknown>)['@_type'] : undefined
  return type === 'xhtml' ? raw : decodeEntities(raw)
}

function atomLink(links: unknown): string | null {
  if (!Array.isArray(links)) return null
  let fallback: string | null = null
  for (const link of links) {
    if (typeof link === 'string') fallback ??= link
    else if (link && typeof link === 'object') {
      const href = (link as Record<string, unknown>)['@_href']
      const rel = (link as Record<string, unknown>)['@_rel']
      if (typeof href !== 'string') continue
      if (rel === undefined || rel === 'alternate') return href
      fallback ??= href
    }
  }
  return fallback
}

/** An RSS 2.0 or Atom feed of articles → articles (body from content:encoded / content, else description / summary). */
export function parseArticleFeed(xml: string): HelpArticle[] {
  validateXml(xml, 'feed')
  const doc = feedParser.parse(xml) as Record<string, Record<string, unknown> | undefined>
  const out: HelpArticle[] = []
  if (doc.rss) {
    const channel = (doc.rss.channel ?? {}) as Record<string, unknown>
    const feedLang = nodeText(channel.language)
    const items = (channel.item ?? []) as Array<Record<string, unknown>>
    items.forEach((item, i) => {
      const guid = nodeText(item.guid)
      out.push(
        toArticle(
          {
            id: guid ?? undefined,
            title: nodeText(item.title) ?? undefined,
            url: nodeText(item.link) ?? undefined,
            body: nodeText(item['content:encoded']) ?? nodeText(item.description) ?? undefined,
            lang: nodeText(item['dc:language']) ?? feedLang ?? undefined,
          },
          `feed item ${i + 1}`,
        ),
      )
    })
  } else if (doc.feed) {
    const feedLang = doc.feed['@_xml:lang']
    const entries = (doc.feed.entry ?? []) as Array<Record<string, unknown>>
    entries.forEach((entry, i) => {
      out.push(
        toArticle(
          {
            id: nodeText(entry.id) ?? undefined,
            title: nodeText(entry.title) ?? undefined,
            url: atomLink(entry.link) ?? undefined,
            body: atomText(entry.content) ?? atomText(entry.summary) ?? undefined,
            lang: (entry['@_xml:lang'] as string | undefined) ?? (feedLang as string | undefined),
          },
          `feed entry ${i + 1}`,
        ),
      )
    })
  } else {
    throw new UsageError('feed: the root element must be <rss> or <feed> (Atom)')
  }
  rejectDuplicateIds(out, (i) => `feed ${doc.rss ? 'item' : 'entry'} ${i + 1}`)
  return out
}

export type ArticleSourceFormat = 'jsonl' | 'csv' | 'feed' | 'sitemap' | 'html'

/**
 * Which parser a file or a fetched page needs: by the name's extension (a URL's path counts), else by
 * the first bytes. A sitemap's URLs are fetched and read with parseArticleHtml, a sitemap index's
 * with parseSitemap again.
 */
export function detectArticleFormat(name: string, text: string): ArticleSourceFormat {
  let file = name
  try {
    file = new URL(name).pathname
  } catch {
    // a local path
  }
  const ext = /\.([a-z0-9]+)(?:\.gz)?$/i.exec(file)?.[1]?.toLowerCase()
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl'
  if (ext === 'csv' || ext === 'tsv') return 'csv'
  if (ext === 'rss' || ext === 'atom') return 'feed'
  if (ext === 'html' || ext === 'htm') return 'html'
  const head = text.replace(/^\uFEFF/, '').slice(0, 2000).trimStart()
  if (head.startsWith('{')) return 'jsonl'
  if (head.startsWith('<')) {
    const root = /<(?!\?|!)([\w:-]+)/.exec(head)?.[1]?.toLowerCase().replace(/^[\w-]+:/, '')
    if (root === 'urlset' || root === 'sitemapindex') return 'sitemap'
    if (root === 'rss' || root === 'feed' || root === 'rdf') return 'feed'
    if (ext === 'xml' || head.startsWith('<?xml')) throw new UsageError(`${name}: XML with root <${root}>, neither a feed nor a sitemap`)
    return 'html'
  }
  return 'csv'
}
