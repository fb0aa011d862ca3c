// Reddit: an app-only OAuth token (client credentials), then `search?sort=new` on oauth.reddit.com,
// paged with `after`. https://github.com/reddit-archive/reddit/wiki/OAuth2#application-only-oauth
// The brand handle's own comments come from /user/<handle>/comments (they carry parent_id/link_id).
import { z } from 'zod'
import { parsePayload } from '../http/payload.js'
import type { Brand, Mention } from '../models/mention.js'
import { handlesOf } from './handles.js'
import { chunks, type Credential, type FetchContext, LOOKUP_BRAND, type LookupContext, type LookupOutcome, type LookupPost, requireSecrets, type SourceAdapter, type WalkStep } from './types.js'

const SOURCE = 'reddit'
const PAGE_SIZE = 100
/** Search results can surface a little late; re-read this much and let the upsert dedupe. */
const OVERLAP_S = 300

const thingSchema = z.looseObject({
  kind: z.string(),
  data: z.looseObject({
    id: z.string(),
    name: z.string(),
    author: z.string().nullish(),
    author_fullname: z.string().nullish(),
    created_utc: z.number(),
    subreddit: z.string().nullish(),
    title: z.string().nullish(),
    selftext: z.string().nullish(),
    body: z.string().nullish(),
    permalink: z.string().nullish(),
    context: z.string().nullish(),
    parent_id: z.string().nullish(),
    link_id: z.string().nullish(),
  }),
})
export type RedditThing = z.infer<typeof thingSchema>

const listingSchema = z.looseObject({
  kind: z.literal('Listing'),
  data: z.looseObject({ after: z.string().nullable(), children: z.array(thingSchema) }),
})

const tokenSchema = z.looseObject({ access_token: z.string().min(1), token_type: z.string().optional() })

/** A t3 (post) or t1 (comment) thing → Mention. Pure. */
export function normalizeReddit(thing: RedditThing, brand: Brand): Mention {
  const d = thing.data
  const isComment = thing.kind === 't1'
  const text = isComment ? (d.body ?? '') : [d.title ?? '', d.selftext ?? ''].filter(Boolean).join('\n\n')
  // Inbox items have `context` instead of `permalink`; search adds `?ref=search_posts`.
  const path = (d.permalink ?? d.context ?? null)?.replace(/\?.*$/, '') ?? null
  const threadFromPath = path?.match(/\/comments\/([a-z0-9]+)\//i)?.[1]
  const threadId = isComment ? (d.link_id ?? (threadFromPath ? `t3_${threadFromPath}` : null)) : d.name
  const author = d.author ?? null
  const own = new Set(handlesOf(brand, SOURCE).map((h) => h.replace(/^\/?u\//, '')).map((h) => h.toLowerCase()))
  return {
    source: SOURCE,
    id: d.name,
    brand: brand.name,
    createdAt: Math.round(d.created_utc * 1000),
    author,
    authorId: d.author_fullname ?? null,
    text,
    url: path ? `https://www.reddit.com${path}` : null,
    lang: null,
    inReplyTo: isComment ? (d.parent_id ?? null) : null,
    threadId,
    byBrand: author !== null && own.has(author.toLowerCase()),
    raw: thing,
  }
}

const credentials: readonly Credential[] = [
  { key: 'clientIdEnv', defaultEnv: 'REDDIT_CLIENT_ID', required: true, purpose: 'app-only OAuth client id' },
  { key: 'clientSecretEnv', defaultEnv: 'REDDIT_CLIENT_SECRET', required: true, purpose: 'app-only OAuth client secret' },
]

async function fetchRedditToken(ctx: Pick<FetchContext, 'config' | 'http' | 'signal'>, clientId: string, clientSecret: string): Promise<string> {
  const authUrl = typeof ctx.config.authUrl === 'string' ? ctx.config.authUrl : 'https://www.reddit.com/api/v1/access_token'
  const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64')
  const { data, response } = await ctx.http.json(
    {
      url: authUrl,
      method: 'POST',
      source: SOURCE,
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
      secrets: [clientSecret, basic],
    },
    ctx.signal,
  )
  return parsePayload(tokenSchema, data, { source: SOURCE, response }).access_token
}

/**
 * Things again by fullname, 100 a request (`/api/info?id=t1_…,t3_…`). A thing left out of the answer
 * no longer exists; "[deleted]" is the author's deletion, "[removed]" (or removed_by_category) a
 * moderator's. https://www.reddit.com/dev/api/#GET_api_info
 */
async function lookupReddit(posts: readonly LookupPost[], ctx: LookupContext): Promise<Map<string, LookupOutcome>> {
  const [clientId, clientSecret] = requireSecrets(ctx, SOURCE, credentials, 'a Reddit "script" or "web" app') as [string, string]
  const token = await fetchRedditToken(ctx, clientId, clientSecret)
  const base = ctx.config.baseUrl.replace(/\/$/, '')
  const out = new Map<string, LookupOutcome>()
  for (const batch of chunks(posts, 100)) {
    const url = `${base}/api/info?raw_json=1&id=${batch.map((p) => encodeURIComponent(p.id)).join(',')}`
    const { data, response } = await ctx.http.json({ url, source: SOURCE, headers: { authorization: `bearer ${token}` }, secrets: [clientSecret, token] }, ctx.signal)
    const things = parsePayload(listingSchema, data, { source: SOURCE, response }).data.children
    const seen = new Map(things.map((t) => [t.data.name, t]))
    for (const p of batch) {
      const t = seen.get(p.id)
      const d = t?.data as (RedditThing['data'] & { removed_by_category?: string | null }) | undefined
      const text = t && d ? (t.kind === 't1' ? d.body : d.selftext) : undefined
      if (!t || !d) out.set(p.id, { state: 'gone', reason: 'not found' })
      else if (text === '[removed]' || d.removed_by_category) out.set(p.id, { state: 'gone', reason: d.removed_by_category === 'deleted' ? 'deleted' : 'removed' })
      else if (text === '[deleted]' || d.author === '[deleted]') out.set(p.id, { state: 'gone', reason: 'deleted' })
      else out.set(p.id, { state: 'live', text: normalizeReddit(t, LOOKUP_BRAND).text })
    }
  }
  return out
}

export const reddit: SourceAdapter = {
  name: SOURCE,
  description: 'Reddit posts (search, sort=new) and the brand handle’s own comments',
  defaultBaseUrl: 'https://oauth.reddit.com',
  credentials,
  lookup: lookupReddit,
  async *walk(ctx: FetchContext): AsyncIterable<WalkStep> {
    const [clientId, clientSecret] = requireSecrets(ctx, SOURCE, credentials, 'a Reddit "script" or "web" app') as [string, string]
    const token = await fetchRedditToken(ctx, clientId, clientSecret)
    const secrets = [clientSecret, token]
    const base = ctx.config.baseUrl.replace(/\/$/, '')

    const cursor = ctx.cursor === null ? null : Number(ctx.cursor)
    const floor = cursor !== null && Number.isFinite(cursor) ? cursor - OVERLAP_S : Math.floor(ctx.since / 1000)
    let newest: number | null = null
    let truncated = false
    const highWater = () =>
      truncated && ctx.cursor !== null ? ctx.cursor : newest !== null ? String(newest) : ctx.cursor

    // Newest first; stops at the first item older than the floor, at the end of the listing or at the page cap.
    async function* listing(path: string, params: Record<string, string>, track: boolean) {
      let after: string | null = null
      for (let page = 1; ; page++) {
        const url = new URL(`${base}${path}`)
        for (const [k, v] of Object.entries({ ...params, limit: String(PAGE_SIZE), raw_json: '1' })) url.searchParams.set(k, v)
        if (after) url.searchParams.set('after', after)
        const { data, response } = await ctx.http.json(
          { url: url.toString(), source: SOURCE, headers: { authorization: `bearer ${token}` }, secrets },
          ctx.signal,
        )
        const payload = parsePayload(listingSchema, data, { source: SOURCE, response })
        const fresh = payload.data.children.filter((t) => t.data.created_utc >= floor)
        if (track) for (const t of fresh) newest = Math.max(newest ?? t.data.created_utc, Math.floor(t.data.created_utc))
        const reachedFloor = fresh.length < payload.data.children.length
        after = payload.data.after
        const more = !reachedFloor && after !== null && payload.data.children.length > 0
        const capped = more && page >= ctx.maxPages
        if (capped && track) truncated = true
        yield { mentions: fresh.map((t) => normalizeReddit(t, ctx.brand)), more: more && !capped }
        if (!more || capped) return
      }
    }

    const handles = handlesOf(ctx.brand, SOURCE).map((h) => h.replace(/^\/?u\//, ''))
    const passes: { path: string; params: Record<string, string>; track: boolean }[] = [
      { path: '/search', params: { q: ctx.brand.query, sort: 'new', type: 'link' }, track: true },
      ...handles.map((h) => ({ path: `/user/${encodeURIComponent(h)}/comments`, params: { sort: 'new' }, track: false })),
    ]
    for (const [i, pass] of passes.entries()) {
      let page = 0
      for await (const step of listing(pass.path, pass.params, pass.track)) {
        page++
        const next = step.more ? `${i}:${page}` : i + 1 < passes.length ? `${i + 1}:0` : null
        yield { page: { mentions: step.mentions, next }, highWater: highWater() }
      }
    }
  },
}
