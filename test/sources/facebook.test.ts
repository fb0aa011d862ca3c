import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RateLimitDeferred } from '../../src/http/errors.js'
import type { Http } from '../../src/http/types.js'
import { HttpError } from '../../src/models/errors.js'
import type { Brand } from '../../src/models/mention.js'
import { facebook, type FacebookComment, type FacebookPost, normalizeFacebook, parseGraphTime, rebasePagingUrl } from '../../src/sources/facebook.js'
import type { FetchContext } from '../../src/sources/types.js'
import { samplesDir } from '../helpers/cassette.js'
import { collect, fakeHttp, replayHttpFrom, type Reply } from '../helpers/sources.js'

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/facebook')
const PAGE = '1122334455'
const brand: Brand = { name: 'Acme Air', query: 'Acme Air', handles: { facebook: PAGE } }
const TOKEN = 'EAAtestpagetoken123'
const SINCE = Date.parse('2025-03-01T00:00:00Z')

const replayHttp = (file: string) => replayHttpFrom(FIXTURES, file)

function context(http: Http, over: Partial<FetchContext> = {}): FetchContext {
  return {
    brand,
    config: { baseUrl: facebook.defaultBaseUrl },
    cursor: null,
    since: SINCE,
    maxPages: 10,
    secrets: { tokenEnv: TOKEN },
    http,
    signal: new AbortController().signal,
    ...over,
  }
}

const fixture = <T>(name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as { data: T[] }

describe('facebook contract: ../shared/api-samples/facebook', () => {
  const dir = samplesDir('facebook')
  const sample = <T>(file: string) => JSON.parse(readFileSync(join(dir!, file), 'utf8')) as { data: T[]; paging?: { next?: string } }

  it.skipIf(!dir).each([
    // file, index, id, time, text start, url
    ['python-facebook_posts_feed_fields_p1.json', 0, '4_10113477241177441', '2021-07-04T19:50:58Z', 'Happy July 4th! 🇺🇸', 'https://www.facebook.com/4_10113477241177441'],
    ['python-facebook_posts_feed_fields_p2.json', 4, '4_10113319652002411', '2021-06-22T18:06:08Z', 'New commerce features coming to support businesses', 'https://www.facebook.com/4_10113319652002411'],
    ['python-facebook_posts_feeds_default_fields_p1.json', 0, '19292868552_10158349356748553', '2021-07-09T19:09:52Z', 'Singaporean logistics company Ninja Van Singapore', 'https://www.facebook.com/19292868552/posts/10158349356748553/'],
  ] as const)('post %s #%i → %s', (file, index, id, time, text, url) => {
    const m = normalizeFacebook(sample<FacebookPost>(file).data[index]!, brand)
    expect(m).toMatchObject({ source: 'facebook', id, createdAt: Date.parse(time), url, author: null, authorId: null, inReplyTo: null, threadId: id, byBrand: false })
    expect(m.text.startsWith(text)).toBe(true)
  })

  it.skipIf(!dir).each([
    // index, id (rebuilt from the permalink), time, inReplyTo, text start
    [0, '10158407654328553_10158407835073553', '2021-08-10T18:45:03Z', '19292868552_10158407654328553', 'Boa noite peço ajuda'],
    [5, '10158407654328553_10158409983033553', '2021-08-11T23:22:14Z', '10158407654328553_10158407903973553', 'Hi, please access the Instagram Help Center'],
    [7, '10158407654328553_10158409984103553', '2021-08-11T23:23:06Z', '10158407654328553_10158407835073553', 'Hi, you can learn more about the new Page experience'],
  ] as const)('comment p1 #%i → %s replies to %s', (index, id, time, inReplyTo, text) => {
    const item = sample<FacebookComment>('python-facebook_comments_comments_p1.json').data[index]!
    const m = normalizeFacebook(item, brand)
    expect(m).toMatchObject({ id, createdAt: Date.parse(time), inReplyTo, threadId: '19292868552_10158407654328553', url: item.permalink_url })
    expect(m.text.startsWith(text)).toBe(true)
  })

  it.skipIf(!dir).each([
    ['python-facebook_posts_feed_fields_p1.json', 5],
    ['python-facebook_posts_feed_fields_p2.json', 5],
    ['python-facebook_posts_feeds_default_fields_p1.json', 5],
    ['python-facebook_comments_comments_p1.json', 10],
    ['python-facebook_comments_comments_p2.json', 5],
  ] as const)('every item of %s normalises (%i)', (file, n) => {
    const mentions = sample<FacebookPost>(file).data.map((i) => normalizeFacebook(i, brand))
    expect(mentions).toHaveLength(n)
    expect(new Set(mentions.map((m) => m.id)).size).toBe(n)
    expect(mentions.every((m) => Number.isFinite(m.createdAt))).toBe(true)
  })

  it.skipIf(!dir)('walks the recorded feed pages by paging.next, rebased onto the configured base URL', async () => {
    const p1 = sample<FacebookPost>('python-facebook_posts_feed_fields_p1.json')
    const p2 = sample<FacebookPost>('python-facebook_posts_feed_fields_p2.json')
    const { http, calls } = fakeHttp((u) => ({ body: u.searchParams.get('until') === '1624385168' ? p2 : p1 }))
    const steps = await collect(facebook.walk(context(http, { since: 0, brand: { name: 'Meta', query: 'x', handles: { facebook: '4' } }, config: { baseUrl: 'http://127.0.0.1:9/v21.0' } })))
    expect(steps.map((s) => s.page.mentions.length)).toEqual([5, 5])
    expect(calls.map((c) => c.origin)).toEqual(['http://127.0.0.1:9', 'http://127.0.0.1:9'])
    expect(steps[1]!.highWater).toBe(String(Date.parse('2021-07-04T19:50:58Z')))
  })

  it.skipIf(!dir).each([['python-facebook_error.json'], ['python-facebook_base_error_data.json']])(
    'the recorded error %s names source, URL, type, code and message',
    async (file) => {
      const body = JSON.parse(readFileSync(join(dir!, file), 'utf8'))
      const { http } = fakeHttp(() => ({ status: 400, body }))
      const err = await collect(facebook.walk(context(http))).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(HttpError)
      expect((err as Error).message).toMatch(/^facebook: https:\/\/graph\.facebook\.com\/v21\.0\/1122334455\/feed\?.*access_token=\*\*\*.* → 400 OAuthException \(code 100\): \(#100\) /)
      expect((err as Error).message).not.toContain(TOKEN)
    },
  )
})

describe('paging.next on the configured base URL', () => {
  const next = 'https://graph.facebook.com/v21.0/1122334455/feed?after=QVFI&limit=25'
  it.each([
    ['https://graph.facebook.com/v21.0', next],
    ['http://127.0.0.1:9/v21.0', 'http://127.0.0.1:9/v21.0/1122334455/feed?after=QVFI&limit=25'],
    // A proxy with a path prefix: the prefix stays (it was dropped, and the proxy answered 404).
    ['https://proxy.example/fb/v21.0', 'https://proxy.example/fb/v21.0/1122334455/feed?after=QVFI&limit=25'],
    ['https://proxy.example/fb/v21.0/', 'https://proxy.example/fb/v21.0/1122334455/feed?after=QVFI&limit=25'],
    ['https://proxy.example/graph', 'https://proxy.example/graph/v21.0/1122334455/feed?after=QVFI&limit=25'],
  ])('base %s → %s', (base, expected) => {
    expect(rebasePagingUrl(next, base)).toBe(expected)
  })
  it('keeps a next link the proxy already rewrote', () => {
    const rewritten = 'https://proxy.example/fb/v21.0/1122334455/feed?after=QVFI'
    expect(rebasePagingUrl(rewritten, 'https://proxy.example/fb/v21.0')).toBe(rewritten)
  })
  it('walks page 2 through a proxy with a path prefix', async () => {
    const { http, calls } = fakeHttp((u) => ({ body: fixture(u.searchParams.has('after') ? 'page2.json' : 'page1.json') }))
    await collect(facebook.walk(context(http, { config: { baseUrl: 'https://proxy.example/fb/v21.0' } })))
    expect(calls.filter((c) => c.pathname.endsWith('/feed')).map((c) => c.pathname)).toEqual(['/fb/v21.0/1122334455/feed', '/fb/v21.0/1122334455/feed'])
    expect(calls.every((c) => c.host === 'proxy.example' && c.pathname.startsWith('/fb/v21.0/'))).toBe(true)
  })
})

describe('normalizeFacebook on our fixtures', () => {
  const [p1, p2] = fixture<FacebookPost>('page1.json').data
  it.each([
    // which, id, author, inReplyTo, byBrand
    ['post', `${PAGE}_900000000000003`, 'Acme Air', null, true],
    ['page reply', '900000000000003_800000000000006', 'Acme Air', '900000000000003_800000000000005', true],
    ['customer comment', '900000000000003_800000000000005', 'Lena Hoffmann', `${PAGE}_900000000000003`, false],
  ] as const)('%s → %s', (_which, id, author, inReplyTo, byBrand) => {
    const all = [normalizeFacebook(p1!, brand, { pageId: PAGE }), ...p1!.comments!.data.map((c) => normalizeFacebook(c, brand, { pageId: PAGE, postId: p1!.id }))]
    expect(all.find((m) => m.id === id)).toMatchObject({ author, inReplyTo, byBrand, threadId: `${PAGE}_900000000000003` })
  })

  it('a top-level page comment on a visitor post replies to the post', () => {
    const c = normalizeFacebook(p2!.comments!.data[0]!, brand, { pageId: PAGE, postId: p2!.id })
    expect(c).toMatchObject({ inReplyTo: p2!.id, byBrand: true, createdAt: Date.parse('2025-03-09T20:05:00Z') })
  })

  it.each([
    ['2021-08-10T18:45:03+0000', Date.parse('2021-08-10T18:45:03Z')],
    ['2025-03-10T10:00:00+0100', Date.parse('2025-03-10T09:00:00Z')],
  ])('parseGraphTime(%s)', (s, ms) => expect(parseGraphTime(s)).toBe(ms))
})

describe('facebook walk through the HTTP client (fixtures/facebook replays)', () => {
  it('walks the feed (two pages) and the busy post’s older comments, keeping the page’s replies', async () => {
    const steps = await collect(facebook.walk(context(replayHttp('replay.json'))))
    expect(steps.map((s) => s.page.mentions.length)).toEqual([6, 2, 1])
    expect(steps[1]!.page.mentions.map((m) => m.id)).toEqual(['900000000000003_800000000000003', '900000000000003_800000000000001'])
    expect(steps[2]!.page.mentions.map((m) => m.id)).toEqual([`${PAGE}_900000000000001`])
    const first = steps[0]!.page.mentions
    expect(first.map((m) => m.createdAt)).toEqual([...first.map((m) => m.createdAt)].sort((a, b) => b - a))
    expect(new Set(first.map((m) => m.id))).toEqual(
      new Set([
        '900000000000003_800000000000006',
        '900000000000003_800000000000005',
        '900000000000003_800000000000004',
        `${PAGE}_900000000000003`,
        '900000000000002_800000000000002',
        `${PAGE}_900000000000002`,
      ]),
    )
    expect(steps.flatMap((s) => s.page.mentions).filter((m) => m.byBrand).map((m) => m.id).sort()).toEqual([
      `${PAGE}_900000000000003`,
      '900000000000002_800000000000002',
      '900000000000003_800000000000006',
    ])
    expect(steps.at(-1)!.highWater).toBe(String(Date.parse('2025-03-10T09:40:00Z')))
  })

  it('an empty feed yields one empty page', async () => {
    const steps = await collect(facebook.walk(context(replayHttp('replay-empty.json'))))
    expect(steps).toEqual([{ page: { mentions: [], next: null }, highWater: null }])
  })

  it('code 32 with X-Business-Use-Case-Usage defers the source for the announced minutes', async () => {
    const before = Date.now()
    const err = await collect(facebook.walk(context(replayHttp('replay-ratelimit.json')))).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RateLimitDeferred)
    expect((err as Error).message).toMatch(/^facebook: rate limited at https:\/\/graph\.facebook\.com\/.*access_token=\*\*\*.* \(code 32: \(#32\) Page request limit reached\); access returns in about 15 min$/)
    expect((err as RateLimitDeferred).resetAt - before).toBeGreaterThanOrEqual(15 * 60_000)
  })

  it('an expired token (code 190) says what to do', async () => {
    const err = await collect(facebook.walk(context(replayHttp('replay-error.json')))).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HttpError)
    expect((err as Error).message).toMatch(/→ 400 OAuthException \(code 190\): Error validating access token.*set FACEBOOK_PAGE_TOKEN\)$/)
  })

  it('a payload missing a required field names source, URL and field', async () => {
    const err = await collect(facebook.walk(context(replayHttp('replay-missing-field.json')))).catch((e: unknown) => e)
    expect((err as Error).message).toMatch(/^facebook: unexpected payload from https:\/\/graph\.facebook\.com\/v21\.0\/1122334455\/feed\?.*: data\.0\.created_time/)
  })
})

describe('facebook walk logic (fake Http)', () => {
  const route = (u: URL): Reply => {
    if (u.pathname.endsWith('/comments')) return { body: fixture('comments.json') }
    return { body: u.searchParams.get('after') === 'QVFIUm9sZGVy' ? fixture('page2.json') : fixture('page1.json') }
  }

  it('asks for the page feed with comments expanded, since = lower bound minus the comment window', async () => {
    const { http, calls } = fakeHttp(route)
    const cursor = String(Date.parse('2025-03-10T00:00:00Z'))
    await collect(facebook.walk(context(http, { cursor, config: { baseUrl: facebook.defaultBaseUrl, commentWindowDays: 2 } })))
    const first = calls[0]!
    expect(first.pathname).toBe(`/v21.0/${PAGE}/feed`)
    expect(first.searchParams.get('since')).toBe(String(Date.parse('2025-03-08T00:00:00Z') / 1000))
    expect(first.searchParams.get('fields')).toContain('comments.filter(stream).order(reverse_chronological)')
    expect(first.searchParams.get('access_token')).toBe(TOKEN)
  })

  it('keeps only mentions after the cursor; a post older than the window ends the feed walk', async () => {
    const { http, calls } = fakeHttp(route)
    const cursor = String(Date.parse('2025-03-10T09:20:00Z'))
    const steps = await collect(facebook.walk(context(http, { cursor, config: { baseUrl: facebook.defaultBaseUrl, commentWindowDays: 0.5 } })))
    expect(steps.flatMap((s) => s.page.mentions.map((m) => m.id))).toEqual(['900000000000003_800000000000006', '900000000000003_800000000000005'])
    // The nested comments already reach back past the cursor, so no comment page; the feed stops at the post
    // older than cursor − 12 h.
    expect(calls.map((c) => c.pathname)).toEqual([`/v21.0/${PAGE}/feed`])
  })

  it.each([
    [null, String(Date.parse('2025-03-10T09:40:00Z'))],
    [String(Date.parse('2025-03-02T00:00:00Z')), String(Date.parse('2025-03-02T00:00:00Z'))],
  ])('maxPages=1 with cursor %s: one request; an incremental walk keeps its cursor', async (cursor, highWater) => {
    const { http, calls } = fakeHttp(route)
    const steps = await collect(facebook.walk(context(http, { cursor, maxPages: 1 })))
    expect(calls).toHaveLength(1)
    expect(steps.map((s) => s.highWater)).toEqual([highWater])
  })

  it('refuses to run without a token or a page id', async () => {
    const { http } = fakeHttp(route)
    await expect(collect(facebook.walk(context(http, { secrets: {} })))).rejects.toThrow(/FACEBOOK_PAGE_TOKEN/)
    await expect(collect(facebook.walk(context(http, { brand: { name: 'X', query: 'x' } })))).rejects.toThrow(/sources\.facebook\.pageId/)
    expect(facebook.credentials).toEqual([expect.objectContaining({ key: 'tokenEnv', defaultEnv: 'FACEBOOK_PAGE_TOKEN', required: true })])
  })
})

describe('facebook comment paging (fake Http)', () => {
  it('pages a busy post’s older comments until they reach the cursor', async () => {
    const { http, calls } = fakeHttp((u) =>
      u.pathname.endsWith('/comments') ? { body: fixture('comments.json') } : { body: fixture(u.searchParams.get('after') ? 'page2.json' : 'page1.json') },
    )
    const cursor = String(Date.parse('2025-03-10T08:30:00Z'))
    const steps = await collect(facebook.walk(context(http, { cursor, config: { baseUrl: facebook.defaultBaseUrl, commentWindowDays: 0.5 } })))
    expect(calls.map((c) => c.pathname)).toEqual([`/v21.0/${PAGE}/feed`, `/v21.0/${PAGE}_900000000000003/comments`])
    expect(steps[1]!.page.mentions.map((m) => m.id)).toEqual(['900000000000003_800000000000003'])
    expect(steps[1]!.page.mentions[0]).toMatchObject({ inReplyTo: `${PAGE}_900000000000003`, threadId: `${PAGE}_900000000000003` })
  })
})
