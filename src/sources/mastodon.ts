// Mastodon (any instance: set baseUrl). With a token: full-text `/api/v2/search?type=statuses`
// (https://docs.joinmastodon.org/methods/search/#v2). Without: the public hashtag timeline
// `/api/v1/timelines/tag/:tag`, walked forward with `min_id` and the Link header's rel="prev"
// (https://docs.joinmastodon.org/api/guidelines/#pagination). The brand handle's own statuses come
// from `/api/v1/accounts/:id/statuses` (replies included, with in_reply_to_id).
import { z } from 'zod'
import { htmlToText, parsePayload } from '../http/payload.js'
import type { HttpResponse } from '../http/types.js'
import { HttpError } from '../models/errors.js'
import type { Brand, Mention } from '../models/mention.js'
import { handlesOf } from './handles.js'
import { type Credential, type FetchContext, LOOKUP_BRAND, type LookupContext, type LookupOutcome, type LookupPost, type SourceAdapter, type WalkStep } from './types.js'

const SOURCE = 'mastodon'
const LIMIT = 40

const statusSchema = z.looseObject({
  id: z.string(),
  created_at: z.string(),
  content: z.string(),
  spoiler_text: z.string().nullish(),
  url: z.string().nullish(),
  uri: z.string(),
  language: z.string().nullish(),
  in_reply_to_id: z.string().nullish(),
  reblog: z.unknown().optional(),
  account: z.looseObject({ id: z.string(), acct: z.string(), username: z.string() }),
})
export type MastodonStatus = z.infer<typeof statusSchema>

const searchSchema = z.looseObject({ statuses: z.array(statusSchema) })
const timelineSchema = z.array(statusSchema)
const accountSchema = z.looseObject({ id: z.string(), acct: z.string() })

/** `user` on this instance and `user@instance` are the same account. */
function fullAcct(acct: string, instanceHost: string): string {
  return (acct.includes('@') ? acct : `${acct}@${instanceHost}`).toLowerCase()
}

/** A status → Mention; `content` HTML becomes plain text. `instanceHost` resolves local accts. Pure. */
export function normalizeMastodon(status: MastodonStatus, brand: Brand, instanceHost: string): Mention {
  const body = htmlToText(status.content)
  const warning = status.spoiler_text ? status.spoiler_text.trim() : ''
  const createdAt = Date.parse(status.created_at)
  if (Number.isNaN(createdAt)) throw new TypeError(`mastodon status ${status.id}: bad created_at ${status.created_at}`)
  const own = new Set(handlesOf(brand, SOURCE).map((h) => fullAcct(h, instanceHost)))
  return {
    source: SOURCE,
    id: status.id,
    brand: brand.name,
    createdAt,
    author: status.account.acct,
    authorId: status.account.id,
    text: warning ? `${warning}\n\n${body}` : body,
    url: status.url ?? status.uri,
    lang: status.language ?? null,
    inReplyTo: status.in_reply_to_id ?? null,
    // The status entity does not name the root of a reply chain: known only for roots.
    threadId: status.in_reply_to_id ? null : status.id,
    byBrand: own.has(fullAcct(status.account.acct, instanceHost)),
    raw: status,
  }
}

/** Mastodon ids are time-based (ms << 16), so a time can stand in for an id in min_id. */
export function mastodonIdAt(epochMs: number): string {
  return (BigInt(Math.max(0, Math.floor(epochMs))) << 16n).toString()
}

function idGreater(a: string, b: string): boolean {
  return BigInt(a) > BigInt(b)
}

/** The min_id of the Link header's rel="prev" (the next newer page), or null. */
export function prevMinId(linkHeader: string | undefined): string | null {
  if (!linkHeader) return null
  for (const part of linkHeader.split(',')) {
    const m = part.match(/<([^>]+)>\s*;\s*rel="?prev"?/)
    if (m?.[1]) {
      try {
        return new URL(m[1]).searchParams.get('min_id')
      } catch {
        return null
      }
    }
  }
  return null
}

const credentials: readonly Credential[] = [
  {
    key: 'tokenEnv',
    defaultEnv: 'MASTODON_TOKEN',
    required: false,
    purpose: 'full-text search (read:search); without it only the hashtag timeline is read',
  },
]

/**
 * Statuses again by id on the instance they were read from: 404 once deleted (or hidden from this
 * account). https://docs.joinmastodon.org/methods/statuses/#get
 */
async function lookupMastodon(posts: readonly LookupPost[], ctx: LookupContext): Promise<Map<string, LookupOutcome>> {
  const base = ctx.config.baseUrl.replace(/\/$/, '')
  const token = ctx.secrets[(credentials[0] as Credential).key]
  const headers: Record<string, string> = { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }
  const out = new Map<string, LookupOutcome>()
  for (const p of posts) {
    const { data, response } = await ctx.http.json(
      { url: `${base}/api/v1/statuses/${encodeURIComponent(p.id)}`, source: SOURCE, headers, secrets: token ? [token] : [], okStatuses: [404, 410] },
      ctx.signal,
    )
    if (response.status === 404 || response.status === 410) out.set(p.id, { state: 'gone', reason: 'deleted' })
    else out.set(p.id, { state: 'live', text: normalizeMastodon(parsePayload(statusSchema, data, { source: SOURCE, response }), LOOKUP_BRAND, new URL(base).host).text })
  }
  return out
}

export const mastodon: SourceAdapter = {
  name: SOURCE,
  description: 'Mastodon statuses (v2 search with a token, else the hashtag timeline) and the brand account’s own posts',
  defaultBaseUrl: 'https://mastodon.social',
  credentials,
  lookup: lookupMastodon,
  async *walk(ctx: FetchContext): AsyncIterable<WalkStep> {
    const base = ctx.config.baseUrl.replace(/\/$/, '')
    const instanceHost = new URL(base).host
    const token = ctx.secrets[(credentials[0] as Credential).key]
    const headers: Record<string, string> = { accept: 'application/json' }
    if (token) headers.authorization = `Bearer ${token}`
    const secrets = token ? [token] : []
    const get = async (url: URL): Promise<{ data: unknown; response: HttpResponse }> =>
      ctx.http.json({ url: url.toString(), source: SOURCE, headers, secrets }, ctx.signal)
    const floorId = ctx.cursor ?? mastodonIdAt(ctx.since)
    const keep = (s: MastodonStatus) => s.reblog == null && idGreater(s.id, floorId)
    const normalize = (list: MastodonStatus[]) => list.filter(keep).map((s) => normalizeMastodon(s, ctx.brand, instanceHost))

    let newest: string | null = null
    let truncated = false
    const track = (list: MastodonStatus[]) => {
      for (const s of list) if (keep(s) && (newest === null || idGreater(s.id, newest))) newest = s.id
    }
    const highWater = () => (truncated && ctx.cursor !== null && !forward ? ctx.cursor : (newest ?? ctx.cursor))

    // Forward walk (oldest → newest) with min_id: every page extends a gap-free range, so highWater is always safe.
    async function* forwardWalk(path: string, trackIt: boolean) {
      let minId = floorId
      for (let page = 1; ; page++) {
        const url = new URL(`${base}${path}`)
        url.searchParams.set('min_id', minId)
        url.searchParams.set('limit', String(LIMIT))
        const { data, response } = await get(url)
        const list = parsePayload(timelineSchema, data, { source: SOURCE, response })
        if (trackIt) track(list)
        const newer = prevMinId(response.headers.link) ?? list.map((s) => s.id).reduce<string | null>((a, b) => (a === null || idGreater(b, a) ? b : a), null)
        const more = list.length > 0 && newer !== null && idGreater(newer, minId)
        const capped = more && page >= ctx.maxPages
        yield { mentions: normalize(list), more: more && !capped }
        if (!more || capped || newer === null) return
        minId = newer
      }
    }

    // Search is ranked newest first: page back with max_id until an id at or below the floor.
    async function* searchWalk() {
      let maxId: string | null = null
      for (let page = 1; ; page++) {
        const url = new URL(`${base}/api/v2/search`)
        url.searchParams.set('q', ctx.brand.query)
        url.searchParams.set('type', 'statuses')
        url.searchParams.set('resolve', 'false')
        url.searchParams.set('limit', String(LIMIT))
        if (maxId) url.searchParams.set('max_id', maxId)
        const { data, response } = await get(url)
        const list = parsePayload(searchSchema, data, { source: SOURCE, response }).statuses
        track(list)
        const oldest = list.reduce<string | null>((a, s) => (a === null || idGreater(a, s.id) ? s.id : a), null)
        const more = oldest !== null && idGreater(oldest, floorId)
        const capped = more && page >= ctx.maxPages
        if (capped) truncated = true
        yield { mentions: normalize(list), more: more && !capped }
        if (!more || capped) return
        maxId = oldest
      }
    }

    const forward = !token
    const tag = String(typeof ctx.config.tag === 'string' ? ctx.config.tag : ctx.brand.query).replace(/[^\p{L}\p{N}_]/gu, '')
    if (forward && !tag) throw new HttpError(`${SOURCE}: no hashtag to follow for brand "${ctx.brand.name}" (set sources.mastodon.tag)`, base, null)
    const handles = handlesOf(ctx.brand, SOURCE)
    const main = forward ? forwardWalk(`/api/v1/timelines/tag/${encodeURIComponent(tag)}`, true) : searchWalk()
    let page = 0
    for await (const step of main) {
      page++
      const next = step.more ? `main:${page}` : handles.length > 0 ? 'replies:0' : null
      // A tag timeline holds every post with the tag (only the query's exclusions apply); search
      // results are checked against the whole query, which Mastodon's search does not evaluate.
      yield { page: { mentions: step.mentions, next, brandFilter: forward ? 'exclusions' : 'query' }, highWater: highWater() }
    }
    for (const [i, handle] of handles.entries()) {
      const lookup = new URL(`${base}/api/v1/accounts/lookup`)
      lookup.searchParams.set('acct', handle)
      const { data, response } = await get(lookup)
      const account = parsePayload(accountSchema, data, { source: SOURCE, response })
      let replyPage = 0
      for await (const step of forwardWalk(`/api/v1/accounts/${encodeURIComponent(account.id)}/statuses`, false)) {
        replyPage++
        const next = step.more ? `replies:${i}:${replyPage}` : i + 1 < handles.length ? `replies:${i + 1}` : null
        yield { page: { mentions: step.mentions, next }, highWater: highWater() }
      }
    }
  },
}
