import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RateLimitDeferred } from '../../src/http/errors.js'
import type { Http } from '../../src/http/types.js'
import { HttpError } from '../../src/models/errors.js'
import type { Brand } from '../../src/models/mention.js'
import type { FetchContext } from '../../src/sources/types.js'
import { normalizeYoutube, normalizeYoutubeThread, youtube, type YoutubeThread } from '../../src/sources/youtube.js'
import { samplesDir } from '../helpers/cassette.js'
import { collect, fakeHttp, replayHttpFrom, type Reply } from '../helpers/sources.js'

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/youtube')
const BRAND_CHANNEL = 'UCacmeAirHelp0000000000a'
const brand: Brand = { name: 'Acme Air', query: 'Acme Air', handles: { youtube: BRAND_CHANNEL } }
const KEY = 'yt-test-key-123'
const SINCE = Date.parse('2025-03-01T00:00:00Z')

const replayHttp = (file: string) => replayHttpFrom(FIXTURES, file)

function context(http: Http, over: Partial<FetchContext> = {}): FetchContext {
  return {
    brand,
    config: { baseUrl: youtube.defaultBaseUrl, videos: [] },
    cursor: null,
    since: SINCE,
    maxPages: 10,
    secrets: { apiKeyEnv: KEY },
    http,
    signal: new AbortController().signal,
    ...over,
  }
}

const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as { items: YoutubeThread[]; nextPageToken?: string }

describe('youtube contract: ../shared/api-samples/youtube', () => {
  const dir = samplesDir('youtube')
  const sample = (file: string) => JSON.parse(readFileSync(join(dir!, file), 'utf8')) as { items: YoutubeThread[]; nextPageToken?: string }

  it.skipIf(!dir).each([
    // file, index, id, createdAt, author, authorId, text, url
    ['python-youtube_comment_threads_comment_threads_all_to_me.json', 0, 'UgyWeTdgc4sc1xgmbld4AaABAg', '2019-12-01T03:36:55.000Z', 'kun liu', 'UCNvMBmCASzTNNX8lW3JRMbw', 'Hope to go next time. yah!', 'https://www.youtube.com/watch?v=JE8xdDp5B8Q&lc=UgyWeTdgc4sc1xgmbld4AaABAg'],
    ['python-youtube_comment_threads_comment_threads_all_to_me.json', 2, 'Ugy0FhSzKMNMT9qs6zt4AaABAg', '2019-11-29T02:58:25.000Z', '杨佳名', 'UCupGECpPBlTnanhGHLe6GpA', '大满贯', 'https://www.youtube.com/channel/UCa-vrCLQHviTOVnEKDOdetQ/community?lc=Ugy0FhSzKMNMT9qs6zt4AaABAg'],
    ['python-youtube_comment_threads_comment_threads_by_video_paged_1.json', 0, 'UgyZ1jqkHKYvi1-ruOZ4AaABAg', '2019-11-26T15:51:44.000Z', 'himani agarwal', 'UCzj-CjKYmGlZ7vTL-vOe57A', 'Google.com', 'https://www.youtube.com/watch?v=F1UP7wRCPH8&lc=UgyZ1jqkHKYvi1-ruOZ4AaABAg'],
    ['python-youtube_comment_threads_comment_threads_by_video_paged_2.json', 4, 'UgwI_ylXVnzPS8Q-oAV4AaABAg', '2019-11-14T23:31:33.000Z', 'matrix uduma', 'UCACHW4qVHoE4zqhHxcVE3Kw', "Lot's of good light coming in from here #ChromeDevSummit", 'https://www.youtube.com/watch?v=F1UP7wRCPH8&lc=UgwI_ylXVnzPS8Q-oAV4AaABAg'],
    ['python-youtube_comment_threads_comment_threads_with_search.json', 0, 'UgyUBI0HsgL9emxcZpR4AaABAg', '2019-06-23T02:49:00.000Z', 'DevRagz', 'UCTWlvHQQXUs-4IVfdnGOUbw', 'Hello', 'https://www.youtube.com/channel/UC_x5XG1OV2P6uZZ5FSM9Ttw/community?lc=UgyUBI0HsgL9emxcZpR4AaABAg'],
  ] as const)('%s #%i → %s', (file, index, id, time, author, authorId, text, url) => {
    const thread = sample(file).items[index]!
    const [m] = normalizeYoutubeThread(thread, brand)
    expect(m).toMatchObject({ source: 'youtube', id, createdAt: Date.parse(time), author, url, inReplyTo: null, threadId: id, byBrand: false, brand: 'Acme Air' })
    expect(m!.text.startsWith(text)).toBe(true)
    expect(m!.authorId).toBe(authorId)
  })

  it.skipIf(!dir)('every thread of every commentThreads sample normalises', () => {
    const files = [
      'python-youtube_comment_threads_comment_threads_all_to_me.json',
      'python-youtube_comment_threads_comment_threads_by_video_paged_1.json',
      'python-youtube_comment_threads_comment_threads_by_video_paged_2.json',
      'python-youtube_comment_threads_comment_threads_with_search.json',
    ]
    const counts = files.map((f) => sample(f).items.flatMap((t) => normalizeYoutubeThread(t, brand)).length)
    expect(counts).toEqual([4, 5, 5, 1])
  })

  it.skipIf(!dir).each([
    [0, 'Ugw5zYU6n9pmIgAZWvN4AaABAg.91zT3cYb5B291za6voUoRh', '2019-12-01T04:46:31.000Z', 'this is the third reply!'],
    [1, 'Ugw5zYU6n9pmIgAZWvN4AaABAg.91zT3cYb5B291za5eJxzs1', '2019-12-01T04:46:20.000Z', 'this is the second reply!'],
  ] as const)('comments.list reply #%i keeps its parent as inReplyTo and threadId', (index, id, time, text) => {
    const item = sample('python-youtube_comments_comments_by_parent_paged_1.json').items[index] as unknown as Parameters<typeof normalizeYoutube>[0]
    expect(normalizeYoutube(item, brand)).toMatchObject({
      id,
      createdAt: Date.parse(time),
      author: 'kun liu',
      authorId: 'UCNvMBmCASzTNNX8lW3JRMbw',
      text,
      inReplyTo: 'Ugw5zYU6n9pmIgAZWvN4AaABAg',
      threadId: 'Ugw5zYU6n9pmIgAZWvN4AaABAg',
    })
  })

  it.skipIf(!dir)('byBrand follows handles.youtube (channel id)', () => {
    const thread = sample('python-youtube_comment_threads_comment_threads_all_to_me.json').items[0]!
    const own: Brand = { ...brand, handles: { youtube: 'UCNvMBmCASzTNNX8lW3JRMbw' } }
    expect(normalizeYoutubeThread(thread, own)[0]!.byBrand).toBe(true)
  })

  it.skipIf(!dir)('walks the recorded pages by nextPageToken', async () => {
    const p1 = sample('python-youtube_comment_threads_comment_threads_by_video_paged_1.json')
    const p2 = sample('python-youtube_comment_threads_comment_threads_by_video_paged_2.json')
    const { http, calls } = fakeHttp((u) => ({ body: u.searchParams.get('pageToken') === p1.nextPageToken ? p2 : p1 }))
    const steps = await collect(
      youtube.walk(
        context(http, { brand: { name: 'Google', query: 'google' }, since: 0, config: { baseUrl: youtube.defaultBaseUrl, videos: ['F1UP7wRCPH8'] } }),
      ),
    )
    expect(steps.map((s) => s.page.mentions.length)).toEqual([5, 5])
    expect(steps[0]!.page.next).toBe(p1.nextPageToken)
    expect(steps[1]!.highWater).toBe(String(Date.parse('2019-11-26T15:51:44.000Z')))
    expect(calls.map((c) => c.searchParams.get('videoId'))).toEqual(['F1UP7wRCPH8', 'F1UP7wRCPH8'])
  })

  it.skipIf(!dir)('the recorded 403 error body becomes an error naming source, reason and redacted URL', async () => {
    const body = JSON.parse(readFileSync(join(dir!, 'python-youtube_error_permission_resp.json'), 'utf8'))
    const { http } = fakeHttp(() => ({ status: 403, body }))
    const err = await collect(youtube.walk(context(http))).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HttpError)
    expect((err as Error).message).toMatch(/^youtube: .*commentThreads.* → 403 SERVICE_UNAVAILABLE: The caller does not have permission/)
    expect((err as Error).message).not.toContain(KEY)
  })
})

describe('normalizeYoutubeThread on our fixtures', () => {
  it.each([
    // id, author, inReplyTo, threadId, byBrand
    ['UgzAcme0001aaaaaaaaaaaa.AcmeReply0002', 'Acme Air Hilfe', 'UgzAcme0001aaaaaaaaaaaa', 'UgzAcme0001aaaaaaaaaaaa', true],
    ['UgzAcme0001aaaaaaaaaaaa.AcmeReply0001', 'Lena Hoffmann', 'UgzAcme0001aaaaaaaaaaaa', 'UgzAcme0001aaaaaaaaaaaa', false],
    ['UgzAcme0001aaaaaaaaaaaa', 'Lena Hoffmann', null, 'UgzAcme0001aaaaaaaaaaaa', false],
  ] as const)('%s by %s', (id, author, inReplyTo, threadId, byBrand) => {
    const mentions = normalizeYoutubeThread(fixture('page1.json').items[0]!, brand)
    expect(mentions.find((m) => m.id === id)).toMatchObject({ author, inReplyTo, threadId, byBrand })
  })

  it('orders a thread newest first and strips HTML only when textOriginal is missing', () => {
    const [thread] = fixture('page1.json').items
    expect(normalizeYoutubeThread(thread!, brand).map((m) => m.createdAt)).toEqual(
      [...normalizeYoutubeThread(thread!, brand).map((m) => m.createdAt)].sort((a, b) => b - a),
    )
    const praise = structuredClone(fixture('page1.json').items[2]!)
    delete praise.snippet.topLevelComment.snippet.textOriginal
    expect(normalizeYoutubeThread(praise, brand)[0]!.text).toBe('Crew on AC 212 was fantastic, thank you Acme Air!')
  })
})

describe('youtube walk through the HTTP client (fixtures/youtube replays)', () => {
  it('walks two pages of the brand channel without searchTerms and keeps the brand replies', async () => {
    const steps = await collect(youtube.walk(context(replayHttp('replay.json'))))
    expect(steps.map((s) => s.page.mentions.length)).toEqual([5, 3])
    expect(steps.map((s) => s.page.next)).toEqual(['CAoQAA', null])
    const all = steps.flatMap((s) => s.page.mentions)
    expect(all.filter((m) => m.byBrand).map((m) => m.id)).toEqual([
      'UgzAcme0001aaaaaaaaaaaa.AcmeReply0002',
      'UgzAcme0004dddddddddddd.AcmeReply0003',
    ])
    expect(steps.at(-1)!.highWater).toBe(String(Date.parse('2025-03-10T09:20:00Z')))
  })

  it('an empty result yields one empty page and keeps the cursor', async () => {
    const cursor = String(Date.parse('2025-03-05T00:00:00Z'))
    const steps = await collect(youtube.walk(context(replayHttp('replay-empty.json'), { cursor })))
    expect(steps).toEqual([{ page: { mentions: [], next: null }, highWater: cursor }])
  })

  it('quotaExceeded defers the source to the next run', async () => {
    const err = await collect(youtube.walk(context(replayHttp('replay-quota.json')))).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RateLimitDeferred)
    expect((err as RateLimitDeferred).message).toMatch(/^youtube: API quota exceeded \(quotaExceeded\) at https:\/\/www\.googleapis\.com\/youtube\/v3\/commentThreads\?.*key=\*\*\*/)
    expect((err as RateLimitDeferred).resetAt).toBeGreaterThan(Date.now())
  })

  it('an error body names source, status, reason and message', async () => {
    const err = await collect(youtube.walk(context(replayHttp('replay-error.json')))).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HttpError)
    expect((err as HttpError).status).toBe(400)
    expect((err as Error).message).toMatch(/^youtube: https:\/\/www\.googleapis\.com\/.* → 400 badRequest: API key not valid/)
    expect((err as Error).message).not.toContain(KEY)
  })

  it('a payload missing a required field names source, URL and field', async () => {
    const err = await collect(youtube.walk(context(replayHttp('replay-missing-field.json')))).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HttpError)
    expect((err as Error).message).toMatch(
      /^youtube: unexpected payload from https:\/\/www\.googleapis\.com\/youtube\/v3\/commentThreads\?.*: items\.0\.snippet\.topLevelComment\.snippet\.publishedAt/,
    )
  })
})

describe('youtube walk logic (fake Http)', () => {
  const p1 = fixture('page1.json')
  const p2 = fixture('page2.json')
  const pages = (u: URL): Reply => ({ body: u.searchParams.get('pageToken') === 'CAoQAA' ? p2 : p1 })

  it('asks for snippet+replies, newest first, plain text, with the key as a secret; searchTerms only off the brand channel', async () => {
    const { http, calls } = fakeHttp((u) => (u.searchParams.get('videoId') ? { body: { items: [] } } : pages(u)))
    await collect(youtube.walk(context(http, { config: { baseUrl: youtube.defaultBaseUrl, videos: ['vid12345678'] } })))
    expect(calls.map((c) => [c.searchParams.get('allThreadsRelatedToChannelId'), c.searchParams.get('videoId'), c.searchParams.get('searchTerms')])).toEqual([
      [BRAND_CHANNEL, null, null],
      [BRAND_CHANNEL, null, null],
      [null, 'vid12345678', 'Acme Air'],
    ])
    expect(calls[0]!.searchParams.get('part')).toBe('snippet,replies')
    expect(calls[0]!.searchParams.get('order')).toBe('time')
    expect(calls[0]!.searchParams.get('textFormat')).toBe('plainText')
    expect(calls[0]!.searchParams.get('key')).toBe(KEY)
  })

  it('stops at the cursor: older threads end the walk and are not returned', async () => {
    const { http, calls } = fakeHttp(pages)
    const cursor = String(Date.parse('2025-03-10T07:00:00Z'))
    const steps = await collect(youtube.walk(context(http, { cursor })))
    expect(calls).toHaveLength(1)
    expect(steps[0]!.page.mentions.map((m) => m.id)).toEqual([
      'UgzAcme0001aaaaaaaaaaaa.AcmeReply0002',
      'UgzAcme0001aaaaaaaaaaaa.AcmeReply0001',
      'UgzAcme0001aaaaaaaaaaaa',
      'UgzAcme0002bbbbbbbbbbbb',
    ])
    expect(steps[0]!.page.next).toBeNull()
  })

  it('a new reply on an old thread is kept without its old top-level comment', async () => {
    const { http } = fakeHttp(pages)
    const cursor = String(Date.parse('2025-03-10T09:10:00Z'))
    const steps = await collect(youtube.walk(context(http, { cursor })))
    expect(steps[0]!.page.mentions.map((m) => m.id)).toEqual(['UgzAcme0001aaaaaaaaaaaa.AcmeReply0002'])
    expect(steps[0]!.highWater).toBe(String(Date.parse('2025-03-10T09:20:00Z')))
  })

  it('stops at since on a backfill', async () => {
    const { http, calls } = fakeHttp(pages)
    const steps = await collect(youtube.walk(context(http, { since: Date.parse('2025-03-09T20:00:00Z') })))
    expect(calls).toHaveLength(1)
    expect(steps.flatMap((s) => s.page.mentions)).toHaveLength(4)
  })

  it.each([
    // cursor, expected highWater after the capped first page
    [null, String(Date.parse('2025-03-10T09:20:00Z'))],
    [String(Date.parse('2025-03-02T00:00:00Z')), String(Date.parse('2025-03-02T00:00:00Z'))],
  ])('maxPages=1 with cursor %s stops after one page; an incremental walk keeps its old cursor', async (cursor, highWater) => {
    const { http, calls } = fakeHttp(pages)
    const steps = await collect(youtube.walk(context(http, { cursor, maxPages: 1 })))
    expect(calls).toHaveLength(1)
    expect(steps).toHaveLength(1)
    expect(steps[0]!.highWater).toBe(highWater)
  })

  it('refuses to run without an API key or without anything to watch', async () => {
    const { http } = fakeHttp(pages)
    await expect(collect(youtube.walk(context(http, { secrets: {} })))).rejects.toThrow(/YOUTUBE_API_KEY/)
    await expect(collect(youtube.walk(context(http, { brand: { name: 'X', query: 'x' } })))).rejects.toThrow(
      /sources\.youtube\.channels or \.videos/,
    )
  })

  it('declares its credential', () => {
    expect(youtube.credentials).toEqual([expect.objectContaining({ key: 'apiKeyEnv', defaultEnv: 'YOUTUBE_API_KEY', required: true })])
  })
})
