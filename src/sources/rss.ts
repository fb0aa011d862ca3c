// Any RSS 2.0 or Atom feed, including Google Alerts. One request per feed, conditional on the
// ETag / Last-Modified validators kept in the cursor, so an unchanged feed costs a 304 and no parsing.
// https://www.rfc-editor.org/rfc/rfc9110#section-13.1  https://www.rssboard.org/rss-specification
// https://www.rfc-editor.org/rfc/rfc4287
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { normalizeLangTag } from '../classify/lang.js'
import { decodeEntities, stripMarkup } from '../classify/normalize.js'
import type { HttpResponse } from '../http/types.js'
import { createFeedParser } from '../lib/feed-xml.js'
import { HttpError, UsageError } from '../models/errors.js'
import type { Brand, Mention } from '../models/mention.js'
import { lowerHandlesOf } from './handles.js'
import type { FetchContext, SourceAdapter, WalkStep } from './types.js'

const SOURCE = 'rss'

const feedConfigSchema = z.union([
  z.string().min(1),
  z.object({ url: z.string().min(1), brand: z.string().min(1).optional() }),
])
const configSchema = z.object({ feeds: z.array(feedConfigSchema).min(1, 'list at least one feed URL') })

/** Per-feed state carried in the cursor: the validators for the next conditional GET and the newest entry time. */
export interface FeedState {
  etag?: string | undefined
  lastModified?: string | undefined
  newest?: number | undefined
  /** What filtered the entries (feedFilterKey): state kept under another filter is not used. */
  filter?: string | undefined
}
const cursorSchema = z.object({
  feeds: z.record(
    z.string(),
    z.object({ etag: z.string().optional(), lastModified: z.string().optional(), newest: z.number().optional(), filter: z.string().optional() }),
  ),
})

/**
 * The filter a feed's entries went through: the brand's name, query and languages and the feed's
 * own brand. Validators and the newest time are only as good as the filter they were kept under:
 * after the brand changes, a 304 would hide the entries the old filter dropped.
 */
export function feedFilterKey(brand: Brand, feedBrand: string | undefined): string {
  const parts = [brand.name, brand.query, brand.languages ?? null, feedBrand ?? null]
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16)
}

export function parseRssCursor(cursor: string | null): Record<string, FeedState> {
  if (cursor === null) return {}
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(cursor))
    return parsed.success ? parsed.data.feeds : {}
  } catch {
    return {}
  }
}

function renderCursor(feeds: Record<string, FeedState>): string {
  const sorted = Object.fromEntries(Object.entries(feeds).sort(([a], [b]) => a.localeCompare(b)))
  return JSON.stringify({ feeds: sorted })
}

const parser = createFeedParser(['rss.channel.item', 'feed.entry', 'feed.entry.link', 'feed.entry.author', 'rss.channel.item.category'])

const textNode = z.union([z.string(), z.object({ '#text': z.string().optional(), '@_type': z.string().optional() }).loose()])
type TextNode = z.infer<typeof textNode>

const atomEntrySchema = z
  .object({
    id: textNode.optional(),
    title: textNode.optional(),
    link: z.array(z.union([z.string(), z.object({ '@_href': z.string().optional(), '@_rel': z.string().optional() }).loose()])).optional(),
    published: z.string().optional(),
    updated: z.string().optional(),
    content: textNode.optional(),
    summary: textNode.optional(),
    author: z.array(z.union([z.string(), z.object({ name: z.string().optional(), uri: z.string().optional() }).loose()])).optional(),
    'thr:in-reply-to': z.object({ '@_ref': z.string().optional() }).loose().optional(),
  })
  .loose()
export type AtomEntry = z.infer<typeof atomEntrySchema>

const rssItemSchema = z
  .object({
    title: textNode.optional(),
    link: z.string().optional(),
    guid: textNode.optional(),
    pubDate: z.string().optional(),
    'dc:date': z.string().optional(),
    description: textNode.optional(),
    'content:encoded': textNode.optional(),
    author: z.string().optional(),
    'dc:creator': z.string().optional(),
  })
  .loose()
export type RssItem = z.infer<typeof rssItemSchema>

const documentSchema = z.union([
  z.object({
    feed: z.object({ entry: z.array(atomEntrySchema).default([]), '@_xml:lang': z.string().optional() }).loose(),
  }),
  z.object({
    rss: z.object({
      channel: z.object({ item: z.array(rssItemSchema).default([]), language: z.string().optional() }).loose(),
    }),
  }),
])

export type ParsedFeed =
  | { format: 'atom'; lang: string | null; items: AtomEntry[] }
  | { format: 'rss'; lang: string | null; items: RssItem[] }

/** XML text → the feed's entries, or an HttpError naming the URL when it is not RSS 2.0 or Atom. */
export function parseFeed(xml: string, res: Pick<HttpResponse, 'url' | 'status'>): ParsedFeed {
  let doc: unknown
  try {
    doc = parser.parse(xml)
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause)
    throw new HttpError(`${SOURCE}: malformed XML from ${res.url}: ${why}`, res.url, res.status, { cause })
  }
  // No strict validation: real feeds often carry a bare "&" in a URL; the schema below rejects non-feeds.
  const parsed = documentSchema.safeParse(doc)
  if (!parsed.success) {
    const root = doc && typeof doc === 'object' ? Object.keys(doc).filter((k) => !k.startsWith('?')).join(', ') : typeof doc
    // An <feed>/<rss> that fails the schema names the field; anything else (an HTML page) says what it was.
    const isFeed = doc && typeof doc === 'object' && ('feed' in doc || 'rss' in doc)
    const issue = parsed.error.issues[0]
    const detail =
      isFeed && issue
        ? `${issue.path.join('.')}: ${issue.message}`
        : `expected an RSS 2.0 or Atom document, got <${root || 'nothing'}>`
    throw new HttpError(`${SOURCE}: unexpected payload from ${res.url}: ${detail}`, res.url, res.status)
  }
  if ('feed' in parsed.data) {
    return { format: 'atom', lang: normalizeLangTag(parsed.data.feed['@_xml:lang']), items: parsed.data.feed.entry }
  }
  return { format: 'rss', lang: normalizeLangTag(parsed.data.rss.channel.language), items: parsed.data.rss.channel.item }
}

/**
 * HTML (or plain text) → plain text. Uses the tagger's decoder, which knows the German named entities
 * (&uuml; …) that feeds from German sites still send.
 */
export function feedText(html: string): string {
  return decodeEntities(stripMarkup(html)).replace(/\s+/g, ' ').trim()
}

function nodeText(node: TextNode | undefined): string {
  if (node === undefined) return ''
  return typeof node === 'string' ? node : (node['#text'] ?? '')
}

/** Atom content/summary kept raw by the parser: escaped HTML and CDATA for type="html", markup for "xhtml". */
function atomContent(node: TextNode | undefined): string {
  const raw = nodeText(node)
  const type = typeof node === 'object' ? node['@_type'] : undefined
  if (type === 'xhtml') return feedText(raw)
  const html = raw
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) => (part.startsWith('<![CDATA[') ? part.slice(9, -3) : decodeEntities(part)))
    .join('')
  return feedText(html)
}

/** https://www.google.com/url?rct=j&sa=t&url=<real>&ct=ga… → <real>; any other URL unchanged. */
export function unwrapGoogleUrl(url: string): string {
  try {
    const u = new URL(url)
    if (/(^|\.)google\.[a-z.]+$/.test(u.hostname) && u.pathname === '/url') {
      return u.searchParams.get('url') ?? u.searchParams.get('q') ?? url
    }
  } catch {
    // not absolute: leave it
  }
  return url
}

export interface RssContext {
  format: 'atom' | 'rss'
  feedUrl: string
  lang?: string | null | undefined
}

function entryError(ctx: RssContext, detail: string): never {
  throw new HttpError(`${SOURCE}: unexpected payload from ${ctx.feedUrl}: ${detail}`, ctx.feedUrl, null)
}

/** One Atom entry or RSS item → a mention; text = title + content with HTML stripped. Pure. */
export function normalizeRss(item: AtomEntry | RssItem, brand: Brand, ctx: RssContext): Mention {
  let id: string
  let url: string | null
  let date: string | undefined
  let title: string
  let body: string
  let author: string | null
  let authorId: string | null = null
  let inReplyTo: string | null = null
  if (ctx.format === 'atom') {
    const e = item as AtomEntry
    const links = (e.link ?? []).map((l) => (typeof l === 'string' ? { href: l, rel: 'alternate' } : { href: l['@_href'], rel: l['@_rel'] ?? 'alternate' }))
    const href = links.find((l) => l.rel === 'alternate' && l.href)?.href ?? null
    url = href ? unwrapGoogleUrl(href) : null
    id = nodeText(e.id).trim() || url || entryError(ctx, 'entry without <id> or <link>')
    date = e.published ?? e.updated
    title = atomContent(e.title)
    body = atomContent(e.content ?? e.summary)
    const a = e.author?.[0]
    author = (typeof a === 'string' ? a : a?.name)?.trim() || null
    authorId = (typeof a === 'object' ? a.uri : undefined)?.trim() || null
    inReplyTo = e['thr:in-reply-to']?.['@_ref'] ?? null
  } else {
    const i = item as RssItem
    url = i.link ? unwrapGoogleUrl(i.link.trim()) : null
    id = nodeText(i.guid).trim() || url || entryError(ctx, 'item without <guid> or <link>')
    date = i.pubDate ?? i['dc:date']
    title = feedText(nodeText(i.title))
    body = feedText(nodeText(i['content:encoded'] ?? i.description))
    author = (i['dc:creator'] ?? i.author)?.trim() || null
  }
  const createdAt = date ? Date.parse(date.trim()) : NaN
  if (Number.isNaN(createdAt)) entryError(ctx, `entry ${id} has no readable date (${date ?? 'missing'})`)
  const handles = lowerHandlesOf(brand, SOURCE)
  return {
    source: SOURCE,
    id,
    brand: brand.name,
    createdAt,
    author,
    authorId,
    text: [title, body].filter(Boolean).join('\n\n'),
    url,
    lang: ctx.lang ?? null,
    inReplyTo,
    threadId: inReplyTo,
    byBrand: author !== null && handles.includes(author.replace(/^@/, '').toLowerCase()),
    raw: item,
  }
}

function absolute(url: string, base: string): string {
  try {
    return new URL(url, base || undefined).toString()
  } catch {
    throw new UsageError(`sources.${SOURCE}.feeds: "${url}" is not an absolute http(s) URL`)
  }
}

async function* walk(ctx: FetchContext): AsyncIterable<WalkStep> {
  const cfg = configSchema.safeParse(ctx.config)
  if (!cfg.success) {
    const issue = cfg.error.issues[0]
    throw new UsageError(`sources.${SOURCE}.${issue?.path.join('.') || 'feeds'}: ${issue?.message ?? 'invalid'}`)
  }
  // A feed naming a brand belongs to it alone (e.g. its Google Alert); a shared feed is checked against the brand query.
  const feeds = cfg.data.feeds
    .map((f) => (typeof f === 'string' ? { url: f, brand: undefined } : f))
    .filter((f) => f.brand === undefined || f.brand === ctx.brand.name)
    .map((f) => ({ ...f, url: absolute(f.url, ctx.config.baseUrl) }))
  const state = parseRssCursor(ctx.cursor)
  let pages = 0

  for (const feed of feeds) {
    if (pages >= ctx.maxPages) return
    const filter = feedFilterKey(ctx.brand, feed.brand)
    const kept = state[feed.url]
    const before: FeedState = kept && kept.filter === filter ? kept : {}
    const headers: Record<string, string> = {
      accept: 'application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1',
    }
    if (before.etag) headers['if-none-match'] = before.etag
    if (before.lastModified) headers['if-modified-since'] = before.lastModified
    const response = await ctx.http.request({ url: feed.url, headers, source: SOURCE, okStatuses: [304] }, ctx.signal)
    pages++
    if (response.status === 304) continue

    const parsed = parseFeed(response.body, response)
    const lower = before.newest ?? ctx.since
    const context: RssContext = { format: parsed.format, feedUrl: response.url, lang: parsed.lang }
    const mentions = parsed.items
      .map((item) => normalizeRss(item, ctx.brand, context))
      .filter((m) => m.createdAt >= lower)
      .sort((a, b) => b.createdAt - a.createdAt)
    const newest = Math.max(before.newest ?? -Infinity, ...mentions.map((m) => m.createdAt))
    state[feed.url] = {
      etag: response.headers.etag ?? undefined,
      lastModified: response.headers['last-modified'] ?? undefined,
      newest: Number.isFinite(newest) ? newest : undefined,
      filter,
    }
    // A feed of the brand's own (its Google Alert) is about the brand: only the query's exclusions
    // apply. A shared feed (news, a forum) is checked against the whole query.
    yield { page: { mentions, next: null, brandFilter: feed.brand !== undefined ? 'exclusions' : 'query' }, highWater: renderCursor(state) }
  }
}

export const rss: SourceAdapter = {
  name: SOURCE,
  description: 'RSS 2.0 and Atom feeds (Google Alerts, news, forums) with conditional GET',
  defaultBaseUrl: '',
  credentials: [],
  walk,
  noLookup: 'a feed shows only what it lists now: it cannot say whether an item was deleted or edited',
}
