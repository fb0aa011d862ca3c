// YouTube Data API v3: commentThreads.list for configured channels and videos, filtered by the
// brand query (searchTerms). The brand's own channel (handles.youtube = "UC…" id) is walked without
// searchTerms, so every comment there and the channel's replies are kept for the response-time audit.
// https://developers.google.com/youtube/v3/docs/commentThreads/list
import { z } from 'zod'
import { RateLimitDeferred } from '../http/errors.js'
import { htmlToText, parsePayload } from '../http/payload.js'
import type { HttpResponse } from '../http/types.js'
import { HttpError, UsageError } from '../models/errors.js'
import type { Brand, Mention } from '../models/mention.js'
import { lowerHandlesOf } from './handles.js'
import { chunks, type FetchContext, LOOKUP_BRAND, type LookupContext, type LookupOutcome, type LookupPost, requireSecrets, type SourceAdapter, type WalkStep } from './types.js'

const SOURCE = 'youtube'

const commentSchema = z.object({
  id: z.string().min(1),
  snippet: z.object({
    authorDisplayName: z.string().nullish(),
    authorChannelId: z.object({ value: z.string() }).nullish(),
    authorChannelUrl: z.string().nullish(),
    channelId: z.string().nullish(),
    videoId: z.string().nullish(),
    textDisplay: z.string().nullish(),
    textOriginal: z.string().nullish(),
    parentId: z.string().nullish(),
    publishedAt: z.iso.datetime({ offset: true }),
  }),
})
export type YoutubeComment = z.infer<typeof commentSchema>

const threadSchema = z.object({
  id: z.string().min(1),
  snippet: z.object({
    channelId: z.string().nullish(),
    videoId: z.string().nullish(),
    topLevelComment: commentSchema,
    totalReplyCount: z.number().nullish(),
  }),
  replies: z.object({ comments: z.array(commentSchema) }).nullish(),
})
export type YoutubeThread = z.infer<typeof threadSchema>

const listSchema = z.object({
  nextPageToken: z.string().nullish(),
  items: z.array(threadSchema),
})

const errorSchema = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string().optional(),
    errors: z.array(z.object({ reason: z.string().optional(), message: z.string().optional() })).optional(),
  }),
})

const configSchema = z.object({
  channels: z.array(z.string().min(1)).default([]),
  videos: z.array(z.string().min(1)).default([]),
})

export interface YoutubeContext {
  /** The commentThread id; replies carry it as parentId too. */
  threadId?: string | undefined
  videoId?: string | null | undefined
  channelId?: string | null | undefined
}

/** One comment (top-level or reply) → a mention. Pure. */
export function normalizeYoutube(comment: YoutubeComment, brand: Brand, context: YoutubeContext = {}): Mention {
  const s = comment.snippet
  const videoId = s.videoId ?? context.videoId ?? null
  const channelId = s.channelId ?? context.channelId ?? null
  const parentId = s.parentId ?? null
  const authorId = s.authorChannelId?.value ?? null
  const handles = lowerHandlesOf(brand, SOURCE)
  // The channel's handle ("@NordwindMobile") is the last path segment of authorChannelUrl on newer payloads.
  const urlHandle = s.authorChannelUrl?.split('/').pop()?.replace(/^@/, '').toLowerCase() ?? null
  const byBrand =
    handles.length > 0 &&
    [authorId, s.authorDisplayName, urlHandle].some((v) => v != null && handles.includes(v.replace(/^@/, '').toLowerCase()))
  const url = videoId
    ? `https://www.youtube.com/watch?v=${encodeURIComponent(videoId)}&lc=${encodeURIComponent(comment.id)}`
    : channelId
      ? `https://www.youtube.com/channel/${encodeURIComponent(channelId)}/community?lc=${encodeURIComponent(comment.id)}`
      : null
  return {
    source: SOURCE,
    id: comment.id,
    brand: brand.name,
    createdAt: Date.parse(s.publishedAt),
    author: s.authorDisplayName ?? null,
    authorId,
    // textOriginal is the plain text as typed; textDisplay is HTML unless textFormat=plainText was asked.
    text: s.textOriginal ?? htmlToText(s.textDisplay ?? ''),
    url,
    lang: null,
    inReplyTo: parentId,
    threadId: context.threadId ?? parentId ?? comment.id,
    byBrand,
    raw: comment,
  }
}

/** A comment thread → its top-level comment plus the replies embedded in it (newest first). Pure. */
export function normalizeYoutubeThread(thread: YoutubeThread, brand: Brand): Mention[] {
  const context = { threadId: thread.id, videoId: thread.snippet.videoId, channelId: thread.snippet.channelId }
  const top = normalizeYoutube(thread.snippet.topLevelComment, brand, context)
  const replies = (thread.replies?.comments ?? []).map((c) => {
    const m = normalizeYoutube(c, brand, context)
    return m.inReplyTo === null ? { ...m, inReplyTo: thread.id } : m
  })
  return [top, ...replies].sort((a, b) => b.createdAt - a.createdAt)
}

/** Google's error envelope → a clear error; the daily quota defers the source to the next run. */
function fail(res: HttpResponse, data: unknown): never {
  const parsed = errorSchema.safeParse(data)
  const reason = parsed.success ? (parsed.data.error.errors?.[0]?.reason ?? '') : ''
  const message = parsed.success ? (parsed.data.error.message ?? '') : ''
  if (reason === 'quotaExceeded' || reason === 'rateLimitExceeded' || reason === 'dailyLimitExceeded') {
    // The daily quota resets at midnight Pacific time.
    // https://developers.google.com/youtube/v3/getting-started#quota
    const resetAt = nextPacificMidnight(Date.now())
    throw new RateLimitDeferred(
      `${SOURCE}: API quota exceeded (${reason}) at ${res.url}; the quota resets at midnight Pacific time (${new Date(resetAt).toISOString()})`,
      res.url,
      resetAt,
      new URL(res.url).host,
      SOURCE,
    )
  }
  throw new HttpError(
    `${SOURCE}: ${res.url} → ${res.status}${reason ? ` ${reason}` : ''}: ${message || 'error without a message'}`,
    res.url,
    res.status,
  )
}

function nextPacificMidnight(now: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/Los_Angeles',
    hourCycle: 'h23',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(now)
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0)
  const elapsed = ((get('hour') * 60 + get('minute')) * 60 + get('second')) * 1000
  return now - elapsed - (now % 1000) + 86_400_000
}

interface Target {
  param: 'allThreadsRelatedToChannelId' | 'videoId'
  id: string
  search: boolean
}

function targetsOf(ctx: FetchContext): Target[] {
  const parsed = configSchema.safeParse(ctx.config)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new UsageError(`sources.${SOURCE}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`)
  }
  const own = ctx.brand.handles?.[SOURCE]
  const ownChannels = (own === undefined ? [] : [own].flat()).filter((h) => /^UC[\w-]{22}$/.test(h))
  const targets: Target[] = [
    ...ownChannels.map((id) => ({ param: 'allThreadsRelatedToChannelId' as const, id, search: false })),
    ...parsed.data.channels
      .filter((id) => !ownChannels.includes(id))
      .map((id) => ({ param: 'allThreadsRelatedToChannelId' as const, id, search: true })),
    ...parsed.data.videos.map((id) => ({ param: 'videoId' as const, id, search: true })),
  ]
  if (targets.length === 0) {
    throw new UsageError(
      `${SOURCE}: nothing to watch for brand "${ctx.brand.name}": set sources.${SOURCE}.channels or .videos, ` +
        `or brands[].handles.${SOURCE} to the brand's channel id (UC…)`,
    )
  }
  return targets
}

async function* walk(ctx: FetchContext): AsyncIterable<WalkStep> {
  const [key] = requireSecrets(ctx, SOURCE, youtube.credentials, 'a YouTube Data API v3 key') as [string]
  const targets = targetsOf(ctx)
  const cursorMs = ctx.cursor !== null && /^\d+$/.test(ctx.cursor) ? Number(ctx.cursor) : null
  const lower = cursorMs ?? ctx.since
  let newest = cursorMs
  let pages = 0

  for (let t = 0; t < targets.length; t++) {
    const target = targets[t]!
    let pageToken: string | null = null
    do {
      const url = new URL(`${ctx.config.baseUrl.replace(/\/$/, '')}/commentThreads`)
      url.searchParams.set('part', 'snippet,replies')
      url.searchParams.set(target.param, target.id)
      url.searchParams.set('order', 'time')
      url.searchParams.set('maxResults', '100')
      url.searchParams.set('textFormat', 'plainText')
      if (target.search) url.searchParams.set('searchTerms', ctx.brand.query)
      if (pageToken) url.searchParams.set('pageToken', pageToken)
      url.searchParams.set('key', key)
      const { data, response } = await ctx.http.json(
        { url: url.toString(), secrets: [key], source: SOURCE, okStatuses: [400, 403, 404] },
        ctx.signal,
      )
      if (response.status >= 400) fail(response, data)
      const list = parsePayload(listSchema, data, { source: SOURCE, response })
      pages++

      const mentions: Mention[] = []
      let reachedOld = false
      for (const thread of list.items) {
        const ms = normalizeYoutubeThread(thread, ctx.brand)
        // A thread is old once neither its comment nor any embedded reply is newer than the bound;
        // this holds whether order=time sorts by creation or by latest reply.
        if (Math.max(...ms.map((m) => m.createdAt)) < lower) {
          reachedOld = true
          continue
        }
        for (const m of ms) {
          if (m.createdAt < lower) continue
          mentions.push(m)
          if (newest === null || m.createdAt > newest) newest = m.createdAt
        }
      }
      pageToken = reachedOld ? null : (list.nextPageToken ?? null)
      const more = pageToken !== null || t < targets.length - 1
      const capped = pages >= ctx.maxPages && more
      // An incremental walk cut short by the page cap keeps the old cursor: advancing it would leave a gap.
      const highWater = capped && cursorMs !== null ? String(cursorMs) : newest === null ? null : String(newest)
      yield { page: { mentions, next: pageToken }, highWater }
      if (capped) return
    } while (pageToken !== null)
  }
}

/**
 * Comments again by id, 50 a request (`comments?id=…`, 1 quota unit): a deleted or held comment is
 * left out of the answer. https://developers.google.com/youtube/v3/docs/comments/list
 */
async function lookupYoutube(posts: readonly LookupPost[], ctx: LookupContext): Promise<Map<string, LookupOutcome>> {
  const [key] = requireSecrets(ctx, SOURCE, youtube.credentials, 'a YouTube Data API v3 key') as [string]
  const out = new Map<string, LookupOutcome>()
  for (const batch of chunks(posts, 50)) {
    const url = new URL(`${ctx.config.baseUrl.replace(/\/$/, '')}/comments`)
    url.searchParams.set('part', 'snippet')
    url.searchParams.set('textFormat', 'plainText')
    url.searchParams.set('maxResults', '50')
    url.searchParams.set('id', batch.map((p) => p.id).join(','))
    url.searchParams.set('key', key)
    const res = await ctx.http.request({ url: url.toString(), source: SOURCE, secrets: [key], okStatuses: [400, 403, 404] }, ctx.signal)
    const data: unknown = JSON.parse(res.body || 'null')
    if (res.status >= 400) fail(res, data)
    const items = parsePayload(z.object({ items: z.array(commentSchema) }).loose(), data, { source: SOURCE, response: res }).items
    const byId = new Map(items.map((c) => [c.id, c]))
    for (const p of batch) {
      const c = byId.get(p.id)
      out.set(p.id, c ? { state: 'live', text: normalizeYoutube(c, LOOKUP_BRAND).text } : { state: 'gone', reason: 'deleted' })
    }
  }
  return out
}

export const youtube: SourceAdapter = {
  name: SOURCE,
  description: 'YouTube comment threads (and the channel’s replies) on configured channels and videos',
  defaultBaseUrl: 'https://www.googleapis.com/youtube/v3',
  credentials: [
    { key: 'apiKeyEnv', defaultEnv: 'YOUTUBE_API_KEY', required: true, purpose: 'YouTube Data API v3 key (commentThreads.list)' },
  ],
  walk,
  lookup: lookupYoutube,
}
