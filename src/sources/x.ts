// X (Twitter) API v2 recent search with an app bearer token:
// https://docs.x.com/x-api/posts/search-recent-posts — `since_id` for new posts, `next_token` paging,
// `expansions=author_id` for usernames. The brand's own replies ride in the same query
// (`OR from:<handle>`), so they cost no extra request.
import { z } from 'zod'
import { parsePayload } from '../http/payload.js'
import { HttpError } from '../models/errors.js'
import type { Brand, Mention } from '../models/mention.js'
import { handlesOf } from './handles.js'
import { chunks, type Credential, type FetchContext, LOOKUP_BRAND, type LookupContext, type LookupOutcome, type LookupPost, requireSecrets, type SourceAdapter, type WalkStep } from './types.js'

const SOURCE = 'x'
const MAX_RESULTS = 100
/** Recent search only reaches back 7 days; an older start_time is a 400. */
const RECENT_WINDOW_MS = 7 * 24 * 3600_000 - 60_000
/** Snowflake epoch: https://github.com/twitter-archive/snowflake/blob/snowflake-2010/src/main/scala/com/twitter/service/snowflake/IdWorker.scala */
const TWEPOCH = 1288834974657n

const tweetSchema = z.looseObject({
  id: z.string().regex(/^\d+$/),
  text: z.string(),
  created_at: z.string().optional(),
  author_id: z.string().optional(),
  conversation_id: z.string().optional(),
  in_reply_to_user_id: z.string().optional(),
  lang: z.string().optional(),
  referenced_tweets: z.array(z.looseObject({ type: z.string(), id: z.string() })).optional(),
})
export type XTweet = z.infer<typeof tweetSchema>

const userSchema = z.looseObject({ id: z.string(), username: z.string() })
export type XUser = z.infer<typeof userSchema>

const searchSchema = z.looseObject({
  data: z.array(tweetSchema).optional(),
  includes: z.looseObject({ users: z.array(userSchema).optional() }).optional(),
  meta: z.looseObject({
    result_count: z.number(),
    newest_id: z.string().optional(),
    next_token: z.string().optional(),
  }),
  errors: z.array(z.looseObject({ title: z.string().optional(), detail: z.string().optional() })).optional(),
})

/** Creation time encoded in a post id (ms since epoch). */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + TWEPOCH)
}

/** A v2 tweet (+ the `includes.users` of its response) → Mention. Pure. */
export function normalizeX(tweet: XTweet, brand: Brand, users: ReadonlyMap<string, XUser>): Mention {
  const user = tweet.author_id !== undefined ? users.get(tweet.author_id) : undefined
  const parsed = tweet.created_at !== undefined ? Date.parse(tweet.created_at) : Number.NaN
  const own = new Set(handlesOf(brand, SOURCE).map((h) => h.toLowerCase()))
  const replyTo = tweet.referenced_tweets?.find((r) => r.type === 'replied_to')?.id ?? null
  return {
    source: SOURCE,
    id: tweet.id,
    brand: brand.name,
    // created_at is only sent when asked for (tweet.fields); the id carries the time anyway.
    createdAt: Number.isNaN(parsed) ? snowflakeTime(tweet.id) : parsed,
    author: user?.username ?? null,
    authorId: tweet.author_id ?? null,
    text: tweet.text,
    url: `https://x.com/${user?.username ?? 'i/web'}/status/${tweet.id}`,
    lang: tweet.lang ?? null,
    inReplyTo: replyTo,
    threadId: tweet.conversation_id ?? null,
    byBrand: user !== undefined && own.has(user.username.toLowerCase()),
    raw: tweet,
  }
}

/**
 * The search query: the brand's query in its languages (lang:, https://docs.x.com/x-api/posts/search/integrate/operators),
 * plus the brand's own posts in any language, without retweets.
 */
export function buildXQuery(brand: Brand): string {
  const own = handlesOf(brand, SOURCE).map((h) => `from:${h}`)
  const langs = (brand.languages ?? []).map((l) => `lang:${l}`)
  const query = langs.length === 0 ? brand.query : `(${brand.query}) ${langs.length === 1 ? langs[0] : `(${langs.join(' OR ')})`}`
  const core = own.length > 0 ? `(${query}) OR ${own.join(' OR ')}` : query
  return `(${core}) -is:retweet`
}

const credentials: readonly Credential[] = [
  { key: 'tokenEnv', defaultEnv: 'X_BEARER_TOKEN', required: true, purpose: 'app bearer token (v2 recent search)' },
]

const lookupSchema = z.looseObject({
  data: z.array(tweetSchema).optional(),
  errors: z.array(z.looseObject({ resource_id: z.string().optional(), title: z.string().optional(), detail: z.string().optional() })).optional(),
})

/**
 * Tweets again by id, 100 a request (`GET /2/tweets`): a deleted one comes back as a "Not Found
 * Error", a protected or suspended author's as an "Authorization Error" (hidden from us).
 * https://docs.x.com/x-api/posts/post-lookup-by-post-ids
 */
async function lookupX(posts: readonly LookupPost[], ctx: LookupContext): Promise<Map<string, LookupOutcome>> {
  const [token] = requireSecrets(ctx, SOURCE, credentials, 'an app bearer token') as [string]
  const base = ctx.config.baseUrl.replace(/\/$/, '')
  const out = new Map<string, LookupOutcome>()
  for (const batch of chunks(posts, 100)) {
    const url = `${base}/2/tweets?ids=${batch.map((p) => encodeURIComponent(p.id)).join(',')}&tweet.fields=created_at,author_id,referenced_tweets`
    const { data, response } = await ctx.http.json({ url, source: SOURCE, headers: { authorization: `Bearer ${token}` }, secrets: [token] }, ctx.signal)
    const payload = parsePayload(lookupSchema, data, { source: SOURCE, response })
    for (const t of payload.data ?? []) out.set(t.id, { state: 'live', text: normalizeX(t, LOOKUP_BRAND, new Map()).text })
    for (const e of payload.errors ?? []) {
      if (!e.resource_id || out.has(e.resource_id)) continue
      if (/not found/i.test(e.title ?? '')) out.set(e.resource_id, { state: 'gone', reason: 'deleted' })
      else if (/authori[sz]ation/i.test(e.title ?? '')) out.set(e.resource_id, { state: 'gone', reason: 'hidden' })
    }
  }
  return out
}

export const x: SourceAdapter = {
  name: SOURCE,
  description: 'X posts from the last 7 days (v2 recent search) including the brand handle’s own replies',
  defaultBaseUrl: 'https://api.x.com',
  credentials,
  lookup: lookupX,
  async *walk(ctx: FetchContext): AsyncIterable<WalkStep> {
    const [token] = requireSecrets(ctx, SOURCE, credentials, 'an app bearer token') as [string]
    const base = ctx.config.baseUrl.replace(/\/$/, '')
    let newest: bigint | null = ctx.cursor !== null ? BigInt(ctx.cursor) : null
    let truncated = false
    let nextToken: string | null = null
    for (let page = 1; ; page++) {
      const url = new URL(`${base}/2/tweets/search/recent`)
      url.searchParams.set('query', buildXQuery(ctx.brand))
      url.searchParams.set('max_results', String(MAX_RESULTS))
      url.searchParams.set('expansions', 'author_id')
      url.searchParams.set('tweet.fields', 'created_at,conversation_id,in_reply_to_user_id,referenced_tweets,lang,author_id')
      url.searchParams.set('user.fields', 'username')
      if (ctx.cursor !== null) url.searchParams.set('since_id', ctx.cursor)
      else if (ctx.since > Date.now() - RECENT_WINDOW_MS) url.searchParams.set('start_time', new Date(ctx.since).toISOString())
      if (nextToken) url.searchParams.set('next_token', nextToken)
      const { data, response } = await ctx.http.json(
        { url: url.toString(), source: SOURCE, headers: { authorization: `Bearer ${token}` }, secrets: [token] },
        ctx.signal,
      )
      // An errors-only 200 (e.g. a suspended account) has no `meta`: say what X said, not "meta missing".
      if (data && typeof data === 'object' && 'errors' in data && !('meta' in data)) {
        const errors = (data as { errors: { title?: string; detail?: string }[] }).errors
        const first = errors[0]
        throw new HttpError(
          `${SOURCE}: ${response.url} answered with errors only: ${first?.title ?? ''} ${first?.detail ?? ''}`.trim(),
          response.url,
          response.status,
        )
      }
      const payload = parsePayload(searchSchema, data, { source: SOURCE, response })
      const users = new Map((payload.includes?.users ?? []).map((u) => [u.id, u]))
      const tweets = payload.data ?? []
      for (const t of tweets) if (newest === null || BigInt(t.id) > newest) newest = BigInt(t.id)
      nextToken = payload.meta.next_token ?? null
      const more = nextToken !== null && tweets.length > 0
      const capped = more && page >= ctx.maxPages
      if (capped) truncated = true
      const highWater = truncated && ctx.cursor !== null ? ctx.cursor : newest !== null ? newest.toString() : ctx.cursor
      yield {
        page: { mentions: tweets.map((t) => normalizeX(t, ctx.brand, users)), next: more && !capped ? nextToken : null },
        highWater,
      }
      if (!more || capped) return
    }
  },
}
