import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RateLimitDeferred } from '../../src/http/errors.js'
import type { Http } from '../../src/http/types.js'
import { HttpError } from '../../src/models/errors.js'
import type { Brand } from '../../src/models/mention.js'
import { normalizeStackExchange, siteHost, stackexchange, type StackExchangeItem } from '../../src/sources/stackexchange.js'
import type { FetchContext } from '../../src/sources/types.js'
import { samplesDir } from '../helpers/cassette.js'
import { collect, fakeHttp, replayHttpFrom, type Reply } from '../helpers/sources.js'

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/stackexchange')
const brand: Brand = { name: 'Acme Air', query: 'Acme Air', handles: { stackexchange: '4711' } }
const KEY = 'se-test-key-123'
const SINCE = Date.parse('2025-03-01T00:00:00Z')

const replayHttp = (file: string) => replayHttpFrom(FIXTURES, file)

function context(http: Http, over: Partial<FetchContext> = {}): FetchContext {
  return {
    brand,
    config: { baseUrl: stackexchange.defaultBaseUrl },
    cursor: null,
    since: SINCE,
    maxPages: 10,
    secrets: { keyEnv: KEY },
    http,
    signal: new AbortController().signal,
    ...over,
  }
}

const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as { items: StackExchangeItem[]; has_more: boolean }

describe('stackexchange contract: ../shared/api-samples/stackexchange', () => {
  const dir = samplesDir('stackexchange')
  const sample = (file: string) => JSON.parse(readFileSync(join(dir!, file), 'utf8')) as { items: StackExchangeItem[] }

  it.skipIf(!dir).each([
    // file, question_id, creation_date (s), author, user_id, text, url
    ['ruby-stackoverflow_search_advanced_q_rails.body.json', 21666733, 1391989581, 'Guilherme Berger', '2085107', 'Two different compiled assets in Rails 4', 'http://stackoverflow.com/questions/21666733/two-different-compiled-assets-in-rails-4'],
    ['ruby-stackoverflow_search_advanced_q_rails.body.json', 21666460, 1391987938, 'franksort', '1550111', 'In Ruby on Rails, what is an "asset"?', 'http://stackoverflow.com/questions/21666460/in-ruby-on-rails-what-is-an-asset'],
    ['ruby-stackoverflow_search_advanced_v2.body.json', 21674703, 1392028338, 'Lucas', '1412149', 'Submit form directly from the controller', 'http://stackoverflow.com/questions/21674703/submit-form-directly-from-the-controller'],
    ['ruby-stackoverflow_search_advanced_q_rails.body.json', 21664268, 1391976067, 'Moacir', '2352635', "Ember: Error while loading route: TypeError: Object function… has no method 'create'", 'http://stackoverflow.com/questions/21664268/ember-error-while-loading-route-typeerror-object-function-has-no-method-cre'],
    ['ruby-stackoverflow_questions.body.json', 19599495, 1382735501, 'Kay', '2479931', 'jQuery post not loading from PHP file', 'http://stackoverflow.com/questions/19599495/jquery-post-not-loading-from-php-file'],
  ] as const)('%s: question %i', (file, qid, created, author, authorId, text, url) => {
    const item = sample(file).items.find((i) => i.question_id === qid)!
    expect(normalizeStackExchange(item, brand, 'stackoverflow')).toEqual({
      source: 'stackexchange',
      id: `stackoverflow:${qid}`,
      brand: 'Acme Air',
      createdAt: created * 1000,
      author,
      authorId,
      text,
      url,
      lang: null,
      inReplyTo: null,
      threadId: `stackoverflow:${qid}`,
      byBrand: false,
      raw: item,
    })
  })

  it.skipIf(!dir).each([
    ['ruby-stackoverflow_search_advanced_q_rails.body.json', 30],
    ['ruby-stackoverflow_search_advanced_v2.body.json', 30],
    ['ruby-stackoverflow_questions.body.json', 30],
    ['ruby-stackoverflow_questions_comments.body.json', 2],
  ] as const)('every item of %s normalises (%i)', (file, n) => {
    const mentions = sample(file).items.map((i) => normalizeStackExchange(i, brand, 'stackoverflow'))
    expect(mentions).toHaveLength(n)
    expect(mentions.every((m) => Number.isFinite(m.createdAt) && m.url !== null)).toBe(true)
  })

  it.skipIf(!dir)('a recorded comment replies to its post', () => {
    const item = sample('ruby-stackoverflow_questions_comments.body.json').items[0]!
    expect(normalizeStackExchange(item, brand, 'stackoverflow')).toMatchObject({
      id: 'stackoverflow:c18990742',
      createdAt: 1355156949000,
      author: 'tadman',
      authorId: '87189',
      text: '',
      url: 'https://stackoverflow.com/posts/comments/18990742',
      inReplyTo: 'stackoverflow:13804832',
      threadId: null,
    })
  })

  it.skipIf(!dir)('the recorded search page walks with its has_more and quota fields', async () => {
    const body = sample('ruby-stackoverflow_search_advanced_q_rails.body.json')
    const { http } = fakeHttp(() => ({ body: { ...body, has_more: false } }))
    const steps = await collect(stackexchange.walk(context(http, { brand: { name: 'Rails', query: 'rails' }, since: 0 })))
    expect(steps).toHaveLength(1)
    expect(steps[0]!.page.mentions).toHaveLength(30)
    expect(steps[0]!.highWater).toBe(String(1391989581 * 1000))
  })

  it.skipIf(!dir)('the recorded HTTP 400 error body names error_name, error_id and message', async () => {
    const body = JSON.parse(readFileSync(join(dir!, 'ruby-stackoverflow_error_400.body.json'), 'utf8'))
    const { http } = fakeHttp(() => ({ status: 400, body }))
    const err = await collect(stackexchange.walk(context(http))).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HttpError)
    expect((err as Error).message).toMatch(/^stackexchange: https:\/\/api\.stackexchange\.com\/2\.3\/search\/advanced\?.* → 400 no_method \(error_id 404\): no method found with this name$/)
    expect((err as Error).message).not.toContain(KEY)
  })
})

describe('normalizeStackExchange', () => {
  it.each([
    // fixture, index, id, inReplyTo, threadId, byBrand, author, text start
    ['page1.json', 0, 'stackoverflow:79500003', null, 'stackoverflow:79500003', false, 'Jonas Becker', 'Acme Air booking API returns 401 "invalid_client" since this morning\n\nSince 07:00 UTC'],
    ['page1.json', 1, 'stackoverflow:79500002', null, 'stackoverflow:79500002', false, 'Müller Dev', 'Wie bekomme ich mit der Acme Air API die Gepäckregeln pro Tarif?\n\nIch finde in der Doku keinen Endpunkt für die Gepäckregeln.'],
    ['answers.json', 0, 'stackoverflow:79500010', 'stackoverflow:79500002', 'stackoverflow:79500002', true, 'Acme Air Developer Support', 'Hallo!'],
    ['comments.json', 0, 'stackoverflow:c140000001', 'stackoverflow:79500003', 'stackoverflow:79500003', true, 'Acme Air Developer Support', 'We are looking into it'],
  ] as const)('%s #%i → %s', (file, index, id, inReplyTo, threadId, byBrand, author, text) => {
    const m = normalizeStackExchange(fixture(file).items[index]!, brand, 'stackoverflow')
    expect(m).toMatchObject({ id, inReplyTo, threadId, byBrand, author })
    expect(m.text.startsWith(text)).toBe(true)
  })

  it.each([
    ['stackoverflow', 'stackoverflow.com'],
    ['superuser', 'superuser.com'],
    ['de.stackoverflow', 'de.stackoverflow.com'],
    ['android', 'android.stackexchange.com'],
    ['mathoverflow', 'mathoverflow.net'],
  ])('siteHost(%s) = %s', (site, host) => expect(siteHost(site)).toBe(host))
})

describe('stackexchange walk through the HTTP client (fixtures/stackexchange replays)', () => {
  it('walks two search pages, then the brand user’s answers and comments', async () => {
    const steps = await collect(stackexchange.walk(context(replayHttp('replay.json'))))
    expect(steps.map((s) => s.page.mentions.map((m) => m.id))).toEqual([
      ['stackoverflow:79500003', 'stackoverflow:79500002'],
      ['stackoverflow:79500001'],
      ['stackoverflow:79500010'],
      ['stackoverflow:c140000001'],
    ])
    expect(steps.map((s) => s.page.next)).toEqual(['2', null, null, null])
    expect(steps.at(-1)!.highWater).toBe(String(Date.parse('2025-03-10T08:40:00Z')))
  })

  it('an empty result yields one empty page (no brand handles: no replies pass)', async () => {
    const steps = await collect(stackexchange.walk(context(replayHttp('replay-empty.json'), { brand: { name: 'Acme Air', query: 'Acme Air' } })))
    expect(steps).toEqual([{ page: { mentions: [], next: null, brandFilter: 'query' }, highWater: null }])
  })

  it('a body with backoff still parses (the client’s governor honours the wait)', async () => {
    const steps = await collect(stackexchange.walk(context(replayHttp('replay-backoff.json'), { brand: { name: 'A', query: 'a' } })))
    expect(steps).toHaveLength(1)
  })

  it('throttle_violation defers the source with the announced wait', async () => {
    const err = await collect(stackexchange.walk(context(replayHttp('replay-throttle.json')))).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RateLimitDeferred)
    expect((err as Error).message).toMatch(/^stackexchange: throttled at https:\/\/api\.stackexchange\.com\/2\.3\/search\/advanced\?.*: too many requests from this IP/)
    const wait = (err as RateLimitDeferred).resetAt - Date.now()
    expect(wait).toBeGreaterThan(3_500_000)
    expect(wait).toBeLessThanOrEqual(3_600_000)
  })

  it('an error body names source, URL and error', async () => {
    const err = await collect(stackexchange.walk(context(replayHttp('replay-error.json')))).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HttpError)
    expect((err as Error).message).toMatch(/^stackexchange: https:\/\/api\.stackexchange\.com\/.*key=\*\*\*.* → 400 bad_parameter \(error_id 400\): site$/)
  })

  it('a payload missing a required field names source, URL and field', async () => {
    const err = await collect(stackexchange.walk(context(replayHttp('replay-missing-field.json')))).catch((e: unknown) => e)
    expect((err as Error).message).toMatch(/^stackexchange: unexpected payload from https:\/\/api\.stackexchange\.com\/2\.3\/search\/advanced\?.*: items\.0\.creation_date/)
  })
})

describe('stackexchange walk logic (fake Http)', () => {
  const route = (u: URL): Reply => {
    if (u.pathname.endsWith('/answers')) return { body: fixture('answers.json') }
    if (u.pathname.endsWith('/comments')) return { body: fixture('comments.json') }
    return { body: fixture(u.searchParams.get('page') === '2' ? 'page2.json' : 'page1.json') }
  }

  it('sends q, site, fromdate from the cursor, newest first with bodies, and the key', async () => {
    const { http, calls } = fakeHttp(route)
    const cursor = String(Date.parse('2025-03-09T00:00:00Z'))
    await collect(stackexchange.walk(context(http, { cursor, config: { baseUrl: stackexchange.defaultBaseUrl, site: 'de.stackoverflow' } })))
    const first = calls[0]!
    expect(Object.fromEntries(first.searchParams)).toEqual({
      q: 'Acme Air',
      site: 'de.stackoverflow',
      order: 'desc',
      sort: 'creation',
      fromdate: String(Date.parse('2025-03-09T00:00:00Z') / 1000),
      filter: 'withbody',
      pagesize: '100',
      page: '1',
      key: KEY,
    })
    expect(calls.map((c) => c.pathname)).toEqual(['/2.3/search/advanced', '/2.3/search/advanced', '/2.3/users/4711/answers', '/2.3/users/4711/comments'])
  })

  it('drops items older than the cursor and stops paging when a page holds none newer', async () => {
    const { http, calls } = fakeHttp(route)
    const cursor = String(Date.parse('2025-03-09T20:00:00Z'))
    const steps = await collect(stackexchange.walk(context(http, { cursor, brand: { name: 'Acme Air', query: 'Acme Air' } })))
    expect(steps.flatMap((s) => s.page.mentions.map((m) => m.id))).toEqual(['stackoverflow:79500003'])
    expect(calls).toHaveLength(2)
  })

  it.each([
    [null, String(Date.parse('2025-03-10T08:10:00Z'))],
    [String(Date.parse('2025-03-02T00:00:00Z')), String(Date.parse('2025-03-02T00:00:00Z'))],
  ])('maxPages=1 with cursor %s: one request; an incremental walk keeps its cursor', async (cursor, highWater) => {
    const { http, calls } = fakeHttp(route)
    const steps = await collect(stackexchange.walk(context(http, { cursor, maxPages: 1 })))
    expect(calls).toHaveLength(1)
    expect(steps.map((s) => s.highWater)).toEqual([highWater])
  })

  it('works without a key and rejects a bad site name', async () => {
    const { http, calls } = fakeHttp(() => ({ body: fixture('empty.json') }))
    await collect(stackexchange.walk(context(http, { secrets: {}, brand: { name: 'A', query: 'a' } })))
    expect(calls[0]!.searchParams.has('key')).toBe(false)
    await expect(collect(stackexchange.walk(context(http, { config: { baseUrl: 'https://x.test', site: 'Stack Overflow' } })))).rejects.toThrow(/sources\.stackexchange\.site/)
  })

  it('declares an optional key', () => {
    expect(stackexchange.credentials).toEqual([expect.objectContaining({ key: 'keyEnv', defaultEnv: 'STACKEXCHANGE_KEY', required: false })])
  })
})
