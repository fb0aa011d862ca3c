// Facebook Graph API: a managed Page's feed (visitor and Page posts) with every post's comments and
// replies expanded in the same request, so the Page's own replies and their parent ids come along.
// https://developers.facebook.com/docs/graph-api/reference/page/feed
// https://developers.facebook.com/docs/graph-api/reference/object/comments (filter=stream flattens replies)
// New comments land on older posts, so each run re-reads the posts of the last `commentWindowDays`.
import { z } from 'zod'
import { RateLimitDeferred } from '../http/errors.js'
import { parsePayload } from '../http/payload.js'
import type { HttpResponse } from '../http/types.js'
import { HttpError, UsageError } from '../models/errors.js'
import type { Brand, Mention } from '../models/mention.js'
import { lowerHandlesOf } from './handles.js'
import { type FetchContext, type LookupContext, type LookupOutcome, type LookupPost, requireSecrets, type SourceAdapter, type WalkStep } from './types.js'

const SOURCE = 'facebook'

const fromSchema = z.object({ id: z.string(), name: z.string().optional() })
// Graph times look like "2021-08-10T18:45:03+0000" (no colon in the offset).
const graphTime = z.string().refine((s) => !Number.isNaN(parseGraphTime(s)), 'expected a Graph API time')

const commentSchema = z
  .object({
    id: z.string().optional(),
    message: z.string().optional(),
    created_time: graphTime,
    from: fromSchema.optional(),
    permalink_url: z.string().optional(),
    parent: z.object({ id: z.string() }).optional(),
  })
  .refine((c) => c.id !== undefined || c.permalink_url !== undefined, { message: 'comment without id or permalink_url' })
export type FacebookComment = z.infer<typeof commentSchema>

const pagingSchema = z
  .object({ next: z.string().optional(), cursors: z.object({ after: z.string().optional() }).optional() })
  .optional()

const postSchema = z.object({
  id: z.string(),
  message: z.string().optional(),
  story: z.string().optional(),
  created_time: graphTime,
  updated_time: graphTime.optional(),
  from: fromSchema.optional(),
  permalink_url: z.string().optional(),
  comments: z.object({ data: z.array(commentSchema), paging: pagingSchema }).optional(),
})
export type FacebookPost = z.infer<typeof postSchema>

const feedSchema = z.object({ data: z.array(postSchema), paging: pagingSchema })
const commentsSchema = z.object({ data: z.array(commentSchema), paging: pagingSchema })

const errorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    fbtrace_id: z.string().optional(),
  }),
})

const configSchema = z.object({
  pageId: z.string().min(1).optional(),
  commentWindowDays: z.number().positive().default(7),
})

const COMMENT_FIELDS = 'id,message,created_time,from{id,name},permalink_url,parent{id}'
const POST_FIELDS =
  'id,message,story,created_time,updated_time,from{id,name},permalink_url,' +
  `comments.filter(stream).order(reverse_chronological).limit(100){${COMMENT_FIELDS}}`

export function parseGraphTime(s: string): number {
  return Date.parse(s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'))
}

export interface FacebookContext {
  /** The managed Page's id: its posts and comments are the brand's. */
  pageId?: string | null | undefined
  /** Set when normalising a comment: the id of the post it belongs to. */
  postId?: string | null | undefined
}

/** Ids from a comment permalink: …/<page>/posts/<post>/?comment_id=<c>&reply_comment_id=<r>. */
function permalinkIds(permalink: string | undefined) {
  if (!permalink) return null
  try {
    const u = new URL(permalink)
    const m = u.pathname.match(/^\/([^/]+)\/posts\/([^/]+)/)
    const comment = u.searchParams.get('comment_id')
    if (!m || !comment) return null
    return { page: m[1]!, post: m[2]!, comment, reply: u.searchParams.get('reply_comment_id') }
  } catch {
    return null
  }
}

/**
 * A Page post or a comment → a mention. Pure. Comment ids follow Graph's "<post>_<comment>" form;
 * when a payload lacks `id`, it is rebuilt from the permalink (comment_id / reply_comment_id).
 */
export function normalizeFacebook(item: FacebookPost | FacebookComment, brand: Brand, ctx: FacebookContext = {}): Mention {
  const link = permalinkIds(item.permalink_url)
  const isComment = ctx.postId != null || link !== null || 'parent' in item
  let id: string
  let inReplyTo: string | null = null
  let threadId: string
  if (isComment) {
    const c = item as FacebookComment
    const ownId = link ? (link.reply ?? link.comment) : null
    id = c.id ?? `${link!.post}_${ownId}`
    threadId = ctx.postId ?? (link ? `${link.page}_${link.post}` : id)
    inReplyTo = c.parent?.id ?? (link?.reply ? `${link.post}_${link.comment}` : threadId)
  } else {
    id = item.id!
    threadId = id
  }
  const from = item.from
  const handles = lowerHandlesOf(brand, SOURCE)
  const byBrand =
    from !== undefined &&
    ((ctx.pageId != null && from.id === ctx.pageId) ||
      handles.includes(from.id.toLowerCase()) ||
      (from.name !== undefined && handles.includes(from.name.toLowerCase())))
  const text = item.message ?? ('story' in item ? item.story : undefined) ?? ''
  return {
    source: SOURCE,
    id,
    brand: brand.name,
    createdAt: parseGraphTime(item.created_time),
    author: from?.name ?? null,
    authorId: from?.id ?? null,
    text: text.trim(),
    url: item.permalink_url ?? `https://www.facebook.com/${id}`,
    lang: null,
    inReplyTo,
    threadId,
    byBrand,
    raw: item,
  }
}

// Throttling codes: 4 app, 17 user, 32 page, 613 custom, 80001+ business use case.
// https://developers.facebook.com/docs/graph-api/overview/rate-limiting
const THROTTLE_CODES = new Set([4, 17, 32, 613])

function regainMinutes(headers: Record<string, string>): number | null {
  const raw = headers['x-business-use-case-usage']
  if (!raw) return null
  try {
    const usage = JSON.parse(raw) as Record<string, Array<{ estimated_time_to_regain_access?: number }>>
    const minutes = Object.values(usage)
      .flat()
      .map((u) => u.estimated_time_to_regain_access ?? 0)
    return minutes.length > 0 ? Math.max(...minutes) : null
  } catch {
    return null
  }
}

function fail(res: HttpResponse, data: unknown): never {
  const parsed = errorSchema.safeParse(data)
  if (!parsed.success) throw new HttpError(`${SOURCE}: ${res.url} → ${res.status}: error without an error object`, res.url, res.status)
  const { message, code, type } = parsed.data.error
  if (code !== undefined && (THROTTLE_CODES.has(code) || (code >= 80001 && code <= 80014))) {
    const minutes = regainMinutes(res.headers) ?? 60
    const resetAt = Date.now() + Math.max(1, minutes) * 60_000
    throw new RateLimitDeferred(
      `${SOURCE}: rate limited at ${res.url} (code ${code}: ${message ?? ''}); access returns in about ${minutes} min`,
      res.url,
      resetAt,
      new URL(res.url).host,
      SOURCE,
    )
  }
  const hint = code === 190 ? ' (the page token is invalid or expired: create a new one and set FACEBOOK_PAGE_TOKEN)' : ''
  throw new HttpError(
    `${SOURCE}: ${res.url} → ${res.status} ${type ?? 'error'} (code ${code ?? '?'}): ${message ?? ''}${hint}`,
    res.url,
    res.status,
  )
}

/**
 * Graph paging links point at graph.facebook.com; keep them on the configured base (tests, replay,
 * proxies), including a proxy's path prefix: https://proxy/fb/v21.0 turns /v21.0/… into /fb/v21.0/….
 */
export function rebasePagingUrl(next: string, baseUrl: string): string {
  const u = new URL(next)
  const b = new URL(baseUrl)
  // The base path without the Graph version segment is the proxy's own prefix.
  const prefix = b.pathname.replace(/\/+$/, '').replace(/\/v\d+(?:\.\d+)?$/, '')
  const rewritten = u.host === b.host && (prefix === '' || u.pathname === prefix || u.pathname.startsWith(`${prefix}/`))
  u.protocol = b.protocol
  u.host = b.host
  if (!rewritten) u.pathname = `${prefix}${u.pathname}`
  return u.toString()
}

async function* walk(ctx: FetchContext): AsyncIterable<WalkStep> {
  const cfg = configSchema.safeParse(ctx.config)
  if (!cfg.success) {
    const issue = cfg.error.issues[0]
    throw new UsageError(`sources.${SOURCE}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`)
  }
  const [token] = requireSecrets(ctx, SOURCE, facebook.credentials, 'a Page access token') as [string]
  const handle = [ctx.brand.handles?.[SOURCE] ?? []].flat()[0]
  const pageId = cfg.data.pageId ?? handle
  if (!pageId) {
    throw new UsageError(`${SOURCE}: no page for brand "${ctx.brand.name}": set sources.${SOURCE}.pageId or brands[].handles.${SOURCE}`)
  }
  const base = ctx.config.baseUrl.replace(/\/$/, '')
  const cursorMs = ctx.cursor !== null && /^\d+$/.test(ctx.cursor) ? Number(ctx.cursor) : null
  const lower = cursorMs ?? ctx.since
  const postsFrom = lower - cfg.data.commentWindowDays * 86_400_000
  const nctx = { pageId }
  let newest = cursorMs
  let pages = 0

  const first = new URL(`${base}/${encodeURIComponent(pageId)}/feed`)
  first.searchParams.set('fields', POST_FIELDS)
  first.searchParams.set('limit', '25')
  first.searchParams.set('since', String(Math.floor(postsFrom / 1000)))
  first.searchParams.set('access_token', token)

  const get = async (url: string) => {
    const { data, response } = await ctx.http.json(
      { url, secrets: [token], source: SOURCE, okStatuses: [400, 401, 403] },
      ctx.signal,
    )
    if (response.status >= 400) fail(response, data)
    return { data, response }
  }
  const step = (mentions: Mention[], next: string | null, more: boolean): WalkStep & { capped: boolean } => {
    const kept = mentions.filter((m) => m.createdAt >= lower).sort((a, b) => b.createdAt - a.createdAt)
    for (const m of kept) if (newest === null || m.createdAt > newest) newest = m.createdAt
    const capped = pages >= ctx.maxPages && more
    const highWater = capped && cursorMs !== null ? String(cursorMs) : newest === null ? null : String(newest)
    return { page: { mentions: kept, next }, highWater, capped }
  }

  let feedUrl: string | null = first.toString()
  while (feedUrl !== null) {
    const { data, response } = await get(feedUrl)
    const feed = parsePayload(feedSchema, data, { source: SOURCE, response })
    pages++
    const posts = feed.data
    const reachedOld = posts.some((p) => parseGraphTime(p.created_time) < postsFrom)
    feedUrl = !reachedOld && posts.length > 0 && feed.paging?.next ? rebasePagingUrl(feed.paging.next, base) : null

    const mentions: Mention[] = []
    const moreComments: Array<{ postId: string; url: string }> = []
    for (const post of posts) {
      if (parseGraphTime(post.created_time) < postsFrom) continue
      mentions.push(normalizeFacebook(post, ctx.brand, nctx))
      const comments = (post.comments?.data ?? []).map((c) => normalizeFacebook(c, ctx.brand, { ...nctx, postId: post.id }))
      mentions.push(...comments)
      const oldest = Math.min(...comments.map((c) => c.createdAt))
      const next = post.comments?.paging?.next
      if (next && comments.length > 0 && oldest >= lower) moreComments.push({ postId: post.id, url: rebasePagingUrl(next, base) })
    }
    const s = step(mentions, feedUrl, feedUrl !== null || moreComments.length > 0)
    yield { page: s.page, highWater: s.highWater }
    if (s.capped) return

    // Older comments of busy posts: reverse-chronological pages until one reaches the lower bound.
    for (let i = 0; i < moreComments.length; i++) {
      let url: string | null = moreComments[i]!.url
      const postId = moreComments[i]!.postId
      while (url !== null) {
        const { data: cdata, response: cres } = await get(url)
        const parsed = parsePayload(commentsSchema, cdata, { source: SOURCE, response: cres })
        pages++
        const comments = parsed.data.map((c) => normalizeFacebook(c, ctx.brand, { ...nctx, postId }))
        const reached = comments.length === 0 || comments.some((c) => c.createdAt < lower)
        url = !reached && parsed.paging?.next ? rebasePagingUrl(parsed.paging.next, base) : null
        const cs = step(comments, url, url !== null || i < moreComments.length - 1 || feedUrl !== null)
        yield { page: cs.page, highWater: cs.highWater }
        if (cs.capped) return
      }
    }
  }
}

/**
 * Posts and comments again by id (`/{id}?fields=message,is_hidden`): a deleted object is error code
 * 100 ("does not exist"), a comment the Page hid has is_hidden. https://developers.facebook.com/docs/graph-api/reference/comment/
 */
async function lookupFacebook(posts: readonly LookupPost[], ctx: LookupContext): Promise<Map<string, LookupOutcome>> {
  const [token] = requireSecrets(ctx, SOURCE, facebook.credentials, 'a Page access token') as [string]
  const out = new Map<string, LookupOutcome>()
  for (const p of posts) {
    const comment = p.id.includes('_') && /comment_id=|\/comments?\//.test(p.url ?? '')
    const url = new URL(`${ctx.config.baseUrl.replace(/\/$/, '')}/${encodeURIComponent(p.id)}`)
    url.searchParams.set('fields', comment ? 'message,is_hidden' : 'message')
    url.searchParams.set('access_token', token)
    const res = await ctx.http.request({ url: url.toString(), source: SOURCE, secrets: [token], okStatuses: [400, 404] }, ctx.signal)
    const data: unknown = JSON.parse(res.body || 'null')
    if (res.status >= 400) {
      const e = errorSchema.safeParse(data)
      if (e.success && e.data.error.code === 100) {
        out.set(p.id, { state: 'gone', reason: 'deleted' })
        continue
      }
      fail(res, data)
    }
    const obj = parsePayload(z.looseObject({ message: z.string().optional(), story: z.string().optional(), is_hidden: z.boolean().optional() }), data, { source: SOURCE, response: res })
    out.set(p.id, obj.is_hidden ? { state: 'gone', reason: 'hidden' } : { state: 'live', text: (obj.message ?? obj.story ?? '').trim() })
  }
  return out
}

export const facebook: SourceAdapter = {
  name: SOURCE,
  description: 'A managed Facebook Page: its feed, comments and the Page’s own replies',
  defaultBaseUrl: 'https://graph.facebook.com/v21.0',
  credentials: [
    {
      key: 'tokenEnv',
      defaultEnv: 'FACEBOOK_PAGE_TOKEN',
      required: true,
      purpose: 'Page access token with pages_read_engagement and pages_read_user_content',
    },
  ],
  walk,
  lookup: lookupFacebook,
}
