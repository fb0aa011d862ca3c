// Stack Exchange API 2.3: /search/advanced on one site, newest first, bounded by `fromdate`.
// With brands[].handles.stackexchange set to user ids, the brand's own answers and comments are
// fetched too (two more requests per walk), carrying the question/post they reply to.
// https://api.stackexchange.com/docs/advanced-search
// Throttling (`backoff`, `quota_remaining` in the body) is honoured by the HTTP client's governor.
import { z } from 'zod'
import { RateLimitDeferred } from '../http/errors.js'
import { decodeEntities, htmlToText, parsePayload } from '../http/payload.js'
import type { HttpResponse } from '../http/types.js'
import { HttpError, UsageError } from '../models/errors.js'
import type { Brand, Mention } from '../models/mention.js'
import { lowerHandlesOf } from './handles.js'
import { chunks, type FetchContext, type LookupContext, type LookupOutcome, type LookupPost, type SourceAdapter, type WalkStep } from './types.js'

const SOURCE = 'stackexchange'

const ownerSchema = z.object({
  user_id: z.number().nullish(),
  display_name: z.string().nullish(),
  link: z.string().nullish(),
})

// One schema for the three post shapes: a question has only question_id, an answer has answer_id,
// a comment has comment_id + post_id.
const itemSchema = z
  .object({
    question_id: z.number().nullish(),
    answer_id: z.number().nullish(),
    comment_id: z.number().nullish(),
    post_id: z.number().nullish(),
    post_type: z.string().nullish(),
    creation_date: z.number(),
    title: z.string().nullish(),
    body: z.string().nullish(),
    link: z.string().nullish(),
    owner: ownerSchema.nullish(),
  })
  .refine((i) => i.comment_id != null || i.answer_id != null || i.question_id != null, {
    message: 'expected question_id, answer_id or comment_id',
  })
export type StackExchangeItem = z.infer<typeof itemSchema>

const wrapperSchema = z.object({
  items: z.array(itemSchema),
  has_more: z.boolean(),
  quota_max: z.number().optional(),
  quota_remaining: z.number().optional(),
  backoff: z.number().optional(),
})

const errorSchema = z.object({
  error_id: z.number(),
  error_name: z.string().optional(),
  error_message: z.string().optional(),
})

const configSchema = z.object({
  site: z.string().regex(/^[a-z0-9.-]+$/, 'expected a site name such as stackoverflow or superuser').default('stackoverflow'),
  tagged: z.string().optional(),
})

const COM_SITES = new Set(['stackoverflow', 'superuser', 'serverfault', 'askubuntu', 'stackapps'])

/** API site parameter → web host: "stackoverflow" → stackoverflow.com, "android" → android.stackexchange.com. */
export function siteHost(site: string): string {
  if (site.includes('.')) return site.endsWith('.com') || site.endsWith('.net') ? site : `${site}.com`
  if (site === 'mathoverflow') return 'mathoverflow.net'
  return COM_SITES.has(site) ? `${site}.com` : `${site}.stackexchange.com`
}

/** A question, answer or comment → a mention. Ids are "<site>:<post id>" ("<site>:c<id>" for comments). Pure. */
export function normalizeStackExchange(item: StackExchangeItem, brand: Brand, site: string): Mention {
  const host = siteHost(site)
  const post = (id: number) => `${site}:${id}`
  let id: string
  let url: string | null
  let inReplyTo: string | null = null
  let threadId: string | null
  if (item.comment_id != null) {
    id = `${site}:c${item.comment_id}`
    url = item.link ?? `https://${host}/posts/comments/${item.comment_id}`
    inReplyTo = item.post_id != null ? post(item.post_id) : null
    threadId = item.post_type === 'question' ? inReplyTo : null
  } else if (item.answer_id != null) {
    id = post(item.answer_id)
    url = item.link ?? `https://${host}/a/${item.answer_id}`
    inReplyTo = item.question_id != null ? post(item.question_id) : null
    threadId = inReplyTo
  } else {
    id = post(item.question_id!)
    url = item.link ?? `https://${host}/q/${item.question_id}`
    threadId = id
  }
  const title = item.title ? htmlToText(item.title) : ''
  const body = item.body ? htmlToText(item.body) : ''
  const author = item.owner?.display_name ? decodeEntities(item.owner.display_name) : null
  const authorId = item.owner?.user_id != null ? String(item.owner.user_id) : null
  const handles = lowerHandlesOf(brand, SOURCE)
  return {
    source: SOURCE,
    id,
    brand: brand.name,
    createdAt: item.creation_date * 1000,
    author,
    authorId,
    text: [title, body].filter(Boolean).join('\n\n'),
    url,
    lang: null,
    inReplyTo,
    threadId,
    byBrand: [authorId, author].some((v) => v !== null && handles.includes(v.toLowerCase())),
    raw: item,
  }
}

/** Errors come as HTTP 400 with error_id/error_name/error_message; 502 throttle_violation names the wait. */
function fail(res: HttpResponse, data: unknown): never {
  const parsed = errorSchema.safeParse(data)
  if (!parsed.success) throw new HttpError(`${SOURCE}: ${res.url} → ${res.status}: error without error_id`, res.url, res.status)
  const { error_id, error_name, error_message } = parsed.data
  const wait = error_message?.match(/available in (\d+) seconds/)
  if (error_name === 'throttle_violation' || error_id === 502) {
    // https://api.stackexchange.com/docs/error-handling
    const resetAt = Date.now() + (wait ? Number(wait[1]) * 1000 : 86_400_000)
    throw new RateLimitDeferred(
      `${SOURCE}: throttled at ${res.url}: ${error_message ?? error_name} (until ${new Date(resetAt).toISOString()})`,
      res.url,
      resetAt,
      new URL(res.url).host,
      SOURCE,
    )
  }
  throw new HttpError(
    `${SOURCE}: ${res.url} → ${res.status} ${error_name ?? ''} (error_id ${error_id}): ${error_message ?? ''}`.trim(),
    res.url,
    res.status,
  )
}

async function* walk(ctx: FetchContext): AsyncIterable<WalkStep> {
  const cfg = configSchema.safeParse(ctx.config)
  if (!cfg.success) {
    const issue = cfg.error.issues[0]
    throw new UsageError(`sources.${SOURCE}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`)
  }
  const { site, tagged } = cfg.data
  const key = ctx.secrets.keyEnv
  const cursorMs = ctx.cursor !== null && /^\d+$/.test(ctx.cursor) ? Number(ctx.cursor) : null
  const lower = cursorMs ?? ctx.since
  let newest = cursorMs
  let pages = 0

  const userIds = lowerHandlesOf(ctx.brand, SOURCE).filter((h) => /^\d+$/.test(h))
  const endpoints: Array<{ path: string; params: Record<string, string> }> = [
    { path: '/search/advanced', params: { q: ctx.brand.query, ...(tagged ? { tagged } : {}) } },
    ...(userIds.length > 0
      ? [
          { path: `/users/${userIds.join(';')}/answers`, params: {} },
          { path: `/users/${userIds.join(';')}/comments`, params: {} },
        ]
      : []),
  ]

  for (let e = 0; e < endpoints.length; e++) {
    const endpoint = endpoints[e]!
    for (let page = 1; ; page++) {
      const url = new URL(`${ctx.config.baseUrl.replace(/\/$/, '')}${endpoint.path}`)
      for (const [k, v] of Object.entries(endpoint.params)) url.searchParams.set(k, v)
      url.searchParams.set('site', site)
      url.searchParams.set('order', 'desc')
      url.searchParams.set('sort', 'creation')
      url.searchParams.set('fromdate', String(Math.floor(lower / 1000)))
      url.searchParams.set('filter', 'withbody')
      url.searchParams.set('pagesize', '100')
      url.searchParams.set('page', String(page))
      if (key) url.searchParams.set('key', key)
      const { data, response } = await ctx.http.json(
        { url: url.toString(), secrets: key ? [key] : [], source: SOURCE, okStatuses: [400] },
        ctx.signal,
      )
      if (response.status >= 400) fail(response, data)
      const body = parsePayload(wrapperSchema, data, { source: SOURCE, response })
      pages++

      const mentions = body.items
        .map((item) => normalizeStackExchange(item, ctx.brand, site))
        .filter((m) => m.createdAt >= lower)
      for (const m of mentions) if (newest === null || m.createdAt > newest) newest = m.createdAt
      const hasMore = body.has_more && mentions.length > 0
      const more = hasMore || e < endpoints.length - 1
      const capped = pages >= ctx.maxPages && more
      // An incremental walk cut short by the page cap keeps the old cursor: advancing it would leave a gap.
      const highWater = capped && cursorMs !== null ? String(cursorMs) : newest === null ? null : String(newest)
      // Stack Exchange's free-text q knows no OR or -exclusion; the brand's own answers and comments are kept.
      yield { page: { mentions, next: hasMore ? String(page + 1) : null, ...(e === 0 ? { brandFilter: 'query' as const } : {}) }, highWater }
      if (capped) return
      if (!hasMore) break
    }
  }
}

const lookupSchema = z.looseObject({
  items: z.array(z.looseObject({ post_id: z.number().nullish(), comment_id: z.number().nullish(), title: z.string().nullish(), body: z.string().nullish() })),
  backoff: z.number().optional(),
})

/**
 * Questions, answers (`/posts/{ids}`) and comments (`/comments/{ids}`) again, 100 a request: a
 * deleted one is left out of the answer. https://api.stackexchange.com/docs/posts-by-ids
 */
async function lookupStackExchange(posts: readonly LookupPost[], ctx: LookupContext): Promise<Map<string, LookupOutcome>> {
  const key = ctx.secrets.keyEnv
  const out = new Map<string, LookupOutcome>()
  const groups = new Map<string, Array<{ id: string; n: string }>>()
  for (const p of posts) {
    const m = /^([a-z0-9.-]+):(c?)(\d+)$/.exec(p.id)
    if (!m) continue
    const k = `${m[1]}|${m[2] ? 'comments' : 'posts'}`
    groups.set(k, [...(groups.get(k) ?? []), { id: p.id, n: m[3]! }])
  }
  for (const [k, list] of groups) {
    const [site, kind] = k.split('|') as [string, string]
    for (const batch of chunks(list, 100)) {
      const url = new URL(`${ctx.config.baseUrl.replace(/\/$/, '')}/${kind}/${batch.map((b) => b.n).join(';')}`)
      url.searchParams.set('site', site)
      url.searchParams.set('filter', 'withbody')
      url.searchParams.set('pagesize', '100')
      if (key) url.searchParams.set('key', key)
      const res = await ctx.http.request({ url: url.toString(), source: SOURCE, secrets: key ? [key] : [], okStatuses: [400, 502] }, ctx.signal)
      const data: unknown = JSON.parse(res.body || 'null')
      if (res.status >= 400) fail(res, data)
      const payload = parsePayload(lookupSchema, data, { source: SOURCE, response: res })
      const byN = new Map(payload.items.map((i) => [String(kind === 'comments' ? i.comment_id : i.post_id), i]))
      for (const b of batch) {
        const i = byN.get(b.n)
        const text = i ? [i.title ? htmlToText(i.title) : '', i.body ? htmlToText(i.body) : ''].filter(Boolean).join('\n\n') : ''
        out.set(b.id, i ? { state: 'live', text } : { state: 'gone', reason: 'deleted' })
      }
    }
  }
  return out
}

export const stackexchange: SourceAdapter = {
  name: SOURCE,
  description: 'Stack Exchange questions matching the brand query (plus the brand’s own answers and comments)',
  defaultBaseUrl: 'https://api.stackexchange.com/2.3',
  credentials: [
    {
      key: 'keyEnv',
      defaultEnv: 'STACKEXCHANGE_KEY',
      required: false,
      purpose: 'app key: raises the daily quota from 300 to 10,000 requests per IP',
    },
  ],
  walk,
  lookup: lookupStackExchange,
}
