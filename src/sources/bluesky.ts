// Bluesky: an app-password session (com.atproto.server.createSession), then
// app.bsky.feed.searchPosts?sort=latest&since=… paged with `cursor`
// (https://docs.bsky.app/docs/api/app-bsky-feed-search-posts). The brand handle's own posts and
// replies come from app.bsky.feed.getAuthorFeed?filter=posts_with_replies (record.reply keeps parent/root).
import { z } from 'zod'
import { parsePayload } from '../http/payload.js'
import type { Brand, Mention } from '../models/mention.js'
import { handlesOf } from './handles.js'
import { chunks, type Credential, type FetchContext, LOOKUP_BRAND, type LookupContext, type LookupOutcome, type LookupPost, requireSecrets, type SourceAdapter, type WalkStep } from './types.js'

const SOURCE = 'bluesky'
const LIMIT = 100
/** Posts are indexed shortly after creation; re-read a small overlap and let the upsert dedupe. */
const OVERLAP_MS = 5 * 60_000

const strongRef = z.looseObject({ uri: z.string(), cid: z.string().optional() })
const postViewSchema = z.looseObject({
  uri: z.string().startsWith('at://'),
  cid: z.string(),
  author: z.looseObject({ did: z.string(), handle: z.string(), displayName: z.string().nullish() }),
  record: z.looseObject({
    text: z.string(),
    createdAt: z.string(),
    langs: z.array(z.string()).nullish(),
    reply: z.looseObject({ parent: strongRef, root: strongRef }).nullish(),
  }),
  indexedAt: z.string().optional(),
})
export type BlueskyPost = z.infer<typeof postViewSchema>

const searchSchema = z.looseObject({ posts: z.array(postViewSchema), cursor: z.string().nullish() })
const feedSchema = z.looseObject({
  feed: z.array(z.looseObject({ post: postViewSchema, reason: z.unknown().optional() })),
  cursor: z.string().nullish(),
})
const sessionSchema = z.looseObject({ accessJwt: z.string().min(1), refreshJwt: z.string().optional(), did: z.string() })

/** A PostView (search, feeds, threads, quotes) → Mention. Pure. */
export function normalizeBluesky(post: BlueskyPost, brand: Brand): Mention {
  const createdAt = Date.parse(post.record.createdAt)
  if (Number.isNaN(createdAt)) throw new TypeError(`bluesky post ${post.uri}: bad createdAt ${post.record.createdAt}`)
  const rkey = post.uri.split('/').pop() ?? ''
  const own = new Set(handlesOf(brand, SOURCE).map((h) => h.toLowerCase()))
  return {
    source: SOURCE,
    id: post.uri,
    brand: brand.name,
    createdAt,
    author: post.author.handle,
    authorId: post.author.did,
    text: post.record.text,
    url: `https://bsky.app/profile/${post.author.handle}/post/${rkey}`,
    lang: post.record.langs?.[0] ?? null,
    inReplyTo: post.record.reply?.parent.uri ?? null,
    threadId: post.record.reply?.root.uri ?? post.uri,
    byBrand: own.has(post.author.handle.toLowerCase()) || own.has(post.author.did.toLowerCase()),
    raw: post,
  }
}

const credentials: readonly Credential[] = [
  { key: 'identifierEnv', defaultEnv: 'BLUESKY_IDENTIFIER', required: true, purpose: 'handle or DID of the reading account' },
  { key: 'appPasswordEnv', defaultEnv: 'BLUESKY_APP_PASSWORD', required: true, purpose: 'an app password (Settings → App passwords)' },
]

/**
 * Posts again by AT URI, 25 a request (`app.bsky.feed.getPosts`): a deleted post is left out of the
 * answer. https://docs.bsky.app/docs/api/app-bsky-feed-get-posts
 */
async function lookupBluesky(posts: readonly LookupPost[], ctx: LookupContext): Promise<Map<string, LookupOutcome>> {
  const [identifier, password] = requireSecrets(ctx, SOURCE, credentials, 'the reading account and an app password') as [string, string]
  const base = ctx.config.baseUrl.replace(/\/$/, '')
  const login = await ctx.http.json(
    {
      url: `${base}/xrpc/com.atproto.server.createSession`,
      method: 'POST',
      source: SOURCE,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ identifier, password }),
      secrets: [password],
    },
    ctx.signal,
  )
  const session = parsePayload(sessionSchema, login.data, { source: SOURCE, response: login.response })
  const out = new Map<string, LookupOutcome>()
  for (const batch of chunks(posts, 25)) {
    const url = new URL(`${base}/xrpc/app.bsky.feed.getPosts`)
    for (const p of batch) url.searchParams.append('uris', p.id)
    const { data, response } = await ctx.http.json(
      { url: url.toString(), source: SOURCE, headers: { authorization: `Bearer ${session.accessJwt}`, accept: 'application/json' }, secrets: [password, session.accessJwt] },
      ctx.signal,
    )
    const found = parsePayload(z.looseObject({ posts: z.array(postViewSchema) }), data, { source: SOURCE, response }).posts
    const byUri = new Map(found.map((post) => [post.uri, post]))
    for (const p of batch) {
      const post = byUri.get(p.id)
      out.set(p.id, post ? { state: 'live', text: normalizeBluesky(post, LOOKUP_BRAND).text } : { state: 'gone', reason: 'deleted' })
    }
  }
  return out
}

export const bluesky: SourceAdapter = {
  name: SOURCE,
  description: 'Bluesky posts (searchPosts, sort=latest) and the brand handle’s own posts and replies',
  defaultBaseUrl: 'https://bsky.social',
  credentials,
  lookup: lookupBluesky,
  async *walk(ctx: FetchContext): AsyncIterable<WalkStep> {
    const [identifier, password] = requireSecrets(ctx, SOURCE, credentials, 'the reading account and an app password') as [string, string]
    const base = ctx.config.baseUrl.replace(/\/$/, '')
    const login = await ctx.http.json(
      {
        url: `${base}/xrpc/com.atproto.server.createSession`,
        method: 'POST',
        source: SOURCE,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ identifier, password }),
        secrets: [password],
      },
      ctx.signal,
    )
    const session = parsePayload(sessionSchema, login.data, { source: SOURCE, response: login.response })
    const secrets = [password, session.accessJwt, ...(session.refreshJwt ? [session.refreshJwt] : [])]
    const headers = { authorization: `Bearer ${session.accessJwt}`, accept: 'application/json' }

    const cursorMs = ctx.cursor === null ? null : Number(ctx.cursor)
    const floor = cursorMs !== null && Number.isFinite(cursorMs) ? cursorMs - OVERLAP_MS : ctx.since
    let newest: number | null = null
    let truncated = false
    const highWater = () =>
      truncated && ctx.cursor !== null ? ctx.cursor : newest !== null ? String(newest) : ctx.cursor

    async function* pages(
      method: string,
      params: Record<string, string>,
      list: (data: unknown, response: Parameters<typeof parsePayload>[2]['response']) => { posts: BlueskyPost[]; cursor: string | null },
      trackIt: boolean,
    ) {
      let cursor: string | null = null
      for (let page = 1; ; page++) {
        const url = new URL(`${base}/xrpc/${method}`)
        for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
        url.searchParams.set('limit', String(LIMIT))
        if (cursor) url.searchParams.set('cursor', cursor)
        const { data, response } = await ctx.http.json({ url: url.toString(), source: SOURCE, headers, secrets }, ctx.signal)
        const result = list(data, response)
        const fresh = result.posts.filter((p) => Date.parse(p.record.createdAt) >= floor)
        if (trackIt) for (const p of fresh) newest = Math.max(newest ?? 0, Date.parse(p.record.createdAt))
        cursor = result.cursor
        const more = cursor !== null && result.posts.length > 0 && fresh.length === result.posts.length
        const capped = more && page >= ctx.maxPages
        if (capped && trackIt) truncated = true
        yield { mentions: fresh.map((p) => normalizeBluesky(p, ctx.brand)), more: more && !capped }
        if (!more || capped) return
      }
    }

    // searchPosts filters by one language (`lang`); two or more are filtered after the fetch.
    const lang: Record<string, string> = ctx.brand.languages?.length === 1 ? { lang: ctx.brand.languages[0]! } : {}
    const search = pages(
      'app.bsky.feed.searchPosts',
      { q: ctx.brand.query, sort: 'latest', since: new Date(floor).toISOString(), ...lang },
      (data, response) => {
        const r = parsePayload(searchSchema, data, { source: SOURCE, response })
        return { posts: r.posts, cursor: r.cursor ?? null }
      },
      true,
    )
    const handles = handlesOf(ctx.brand, SOURCE)
    let page = 0
    for await (const step of search) {
      page++
      const next = step.more ? `search:${page}` : handles.length > 0 ? 'replies:0' : null
      yield { page: { mentions: step.mentions, next }, highWater: highWater() }
    }
    for (const [i, handle] of handles.entries()) {
      const feed = pages(
        'app.bsky.feed.getAuthorFeed',
        { actor: handle, filter: 'posts_with_replies' },
        (data, response) => {
          const r = parsePayload(feedSchema, data, { source: SOURCE, response })
          // Reposts (with a `reason`) are someone else's post: not the brand speaking.
          return { posts: r.feed.filter((f) => f.reason == null).map((f) => f.post), cursor: r.cursor ?? null }
        },
        false,
      )
      let replyPage = 0
      for await (const step of feed) {
        replyPage++
        const next = step.more ? `replies:${i}:${replyPage}` : i + 1 < handles.length ? `replies:${i + 1}` : null
        yield { page: { mentions: step.mentions, next }, highWater: highWater() }
      }
    }
  },
}
