// Hacker News through the Algolia search API: https://hn.algolia.com/api
// Stories and comments newest first (`search_by_date`), filtered server-side with
// `numericFilters=created_at_i>=N`. No credentials.
import { z } from 'zod'
import { htmlToText, parsePayload } from '../http/payload.js'
import type { Brand, Mention } from '../models/mention.js'
import { handlesOf } from './handles.js'
import { type FetchContext, LOOKUP_BRAND, type LookupContext, type LookupOutcome, type LookupPost, type SourceAdapter, type WalkStep } from './types.js'

const SOURCE = 'hackernews'
/** Algolia indexes a few seconds to minutes late; re-reading a short overlap costs little and the upsert dedupes. */
const OVERLAP_S = 300
const HITS_PER_PAGE = 100

/** One search hit (`/search`, `/search_by_date`) or one node of an `/items/:id` tree. */
const hnItemSchema = z.looseObject({
  objectID: z.string().optional(),
  id: z.number().optional(),
  created_at_i: z.number(),
  author: z.string().nullish(),
  title: z.string().nullish(),
  url: z.string().nullish(),
  story_text: z.string().nullish(),
  comment_text: z.string().nullish(),
  text: z.string().nullish(),
  type: z.string().nullish(),
  story_id: z.number().nullish(),
  parent_id: z.number().nullish(),
  _tags: z.array(z.string()).optional(),
})
export type HackerNewsItem = z.infer<typeof hnItemSchema>

const searchSchema = z.looseObject({
  hits: z.array(hnItemSchema),
  page: z.number(),
  nbPages: z.number(),
})

/** A search hit or an items-API node → Mention. Pure. */
export function normalizeHackerNews(item: HackerNewsItem, brand: Brand): Mention {
  const id = item.objectID ?? (item.id !== undefined ? String(item.id) : null)
  if (id === null) throw new TypeError('hackernews item has neither objectID nor id')
  const isComment = item.type === 'comment' || item._tags?.includes('comment') === true || item.comment_text != null
  const body = isComment ? (item.comment_text ?? item.text ?? '') : (item.story_text ?? item.text ?? '')
  const bodyText = htmlToText(body)
  const text = isComment ? bodyText : [item.title ?? '', bodyText].filter(Boolean).join('\n\n')
  const author = item.author ?? null
  const own = new Set(handlesOf(brand, SOURCE).map((h) => h.toLowerCase()))
  return {
    source: SOURCE,
    id,
    brand: brand.name,
    createdAt: item.created_at_i * 1000,
    author,
    authorId: author,
    text,
    url: `https://news.ycombinator.com/item?id=${id}`,
    lang: null,
    inReplyTo: isComment && item.parent_id != null ? String(item.parent_id) : null,
    threadId: isComment ? (item.story_id != null ? String(item.story_id) : null) : id,
    byBrand: author !== null && own.has(author.toLowerCase()),
    raw: item,
  }
}

async function* walkQuery(
  ctx: FetchContext,
  params: Record<string, string>,
  floor: number,
  onItem: (createdAtS: number) => void,
): AsyncGenerator<{ mentions: Mention[]; more: boolean; truncated: boolean }> {
  for (let page = 0; ; page++) {
    const url = new URL(`${ctx.config.baseUrl.replace(/\/$/, '')}/search_by_date`)
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
    url.searchParams.set('numericFilters', `created_at_i>=${floor}`)
    url.searchParams.set('hitsPerPage', String(HITS_PER_PAGE))
    url.searchParams.set('page', String(page))
    const { data, response } = await ctx.http.json(
      { url: url.toString(), source: SOURCE, headers: { accept: 'application/json' } },
      ctx.signal,
    )
    const payload = parsePayload(searchSchema, data, { source: SOURCE, response })
    const mentions = payload.hits.map((hit) => normalizeHackerNews(hit, ctx.brand))
    for (const hit of payload.hits) onItem(hit.created_at_i)
    const more = payload.hits.length > 0 && payload.page + 1 < payload.nbPages
    const truncated = more && page + 1 >= ctx.maxPages
    yield { mentions, more: more && !truncated, truncated }
    if (!more || truncated) return
  }
}

/**
 * Items again by id (`/items/:id`): 404 when Algolia no longer has it; a deleted item keeps its id
 * with neither author nor text (the HN API's `deleted: true`). https://hn.algolia.com/api
 */
async function lookupHackerNews(posts: readonly LookupPost[], ctx: LookupContext): Promise<Map<string, LookupOutcome>> {
  const out = new Map<string, LookupOutcome>()
  const base = ctx.config.baseUrl.replace(/\/$/, '')
  for (const p of posts) {
    const { data, response } = await ctx.http.json(
      { url: `${base}/items/${encodeURIComponent(p.id)}`, source: SOURCE, headers: { accept: 'application/json' }, okStatuses: [404] },
      ctx.signal,
    )
    if (response.status === 404) {
      out.set(p.id, { state: 'gone', reason: 'not found' })
      continue
    }
    const item = parsePayload(hnItemSchema, data, { source: SOURCE, response })
    const raw = data as { deleted?: boolean; dead?: boolean }
    if (raw.deleted === true || (item.author == null && item.text == null && item.title == null)) out.set(p.id, { state: 'gone', reason: 'deleted' })
    else if (raw.dead === true) out.set(p.id, { state: 'gone', reason: 'removed' })
    else out.set(p.id, { state: 'live', text: normalizeHackerNews(item, LOOKUP_BRAND).text })
  }
  return out
}

export const hackernews: SourceAdapter = {
  name: SOURCE,
  description: 'Hacker News stories and comments (Algolia search_by_date); the brand handle’s own comments',
  defaultBaseUrl: 'https://hn.algolia.com/api/v1',
  credentials: [],
  lookup: lookupHackerNews,
  async *walk(ctx: FetchContext): AsyncIterable<WalkStep> {
    const cursor = ctx.cursor === null ? null : Number(ctx.cursor)
    const floor = cursor !== null && Number.isFinite(cursor) ? cursor - OVERLAP_S : Math.floor(ctx.since / 1000)
    let newest: number | null = null
    let truncated = false
    // The cursor follows the mention search only; the replies pass re-reads from the same floor.
    const highWater = () =>
      truncated && ctx.cursor !== null ? ctx.cursor : newest !== null ? String(newest) : ctx.cursor
    const handles = handlesOf(ctx.brand, SOURCE)

    const query = walkQuery(ctx, { query: ctx.brand.query, tags: '(story,comment)' }, floor, (t) => {
      newest = Math.max(newest ?? t, t)
    })
    let page = 0
    for await (const step of query) {
      truncated ||= step.truncated
      page++
      const next = step.more ? `search:${page}` : handles.length > 0 ? 'replies:0' : null
      // Algolia reads no OR or -exclusion: the brand query is checked on what it returns.
      yield { page: { mentions: step.mentions, next, brandFilter: 'query' }, highWater: highWater() }
    }
    for (const [i, handle] of handles.entries()) {
      let replyPage = 0
      for await (const step of walkQuery(ctx, { tags: `comment,author_${handle}` }, floor, () => {})) {
        replyPage++
        const next = step.more ? `replies:${i}:${replyPage}` : i + 1 < handles.length ? `replies:${i + 1}` : null
        yield { page: { mentions: step.mentions, next }, highWater: highWater() }
      }
    }
  },
}
