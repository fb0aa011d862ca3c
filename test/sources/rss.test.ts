import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { MockAgent } from 'undici'
import { describe, expect, it } from 'vitest'
import { createHttp } from '../../src/http/client.js'
import { RateLimitDeferred } from '../../src/http/errors.js'
import { loadReplayFile } from '../../src/http/replay.js'
import type { Http, HttpRequest, HttpResponse } from '../../src/http/types.js'
import { HttpError } from '../../src/models/errors.js'
import type { Brand } from '../../src/models/mention.js'
import { feedFilterKey, normalizeRss, parseFeed, parseRssCursor, rss, unwrapGoogleUrl } from '../../src/sources/rss.js'
import { brandFilterOf, queryDropReason } from '../../src/sources/brand-filter.js'
import type { FetchContext, WalkStep } from '../../src/sources/types.js'
import { samplesDir } from '../helpers/cassette.js'
import { collect } from '../helpers/sources.js'

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/rss')
const ALERT = 'https://www.google.com/alerts/feeds/00000000000000000001/1000000000000000001'
const FORUM = 'https://forum.example.de/feed.rss'
const brand: Brand = { name: 'Acme Air', query: '"Acme Air" OR AcmeAir' }
const SINCE = Date.parse('2025-03-01T00:00:00Z')
const FEEDS = [{ url: ALERT, brand: 'Acme Air' }, FORUM]
/** The ids the fetch keeps of one step, as commands/fetch.ts checks them against the brand query. */
const kept = (s: WalkStep) => s.page.mentions.filter((m) => queryDropReason(brandFilterOf(brand), m, s.page.brandFilter) === null).map((m) => m.id)
const ALERT_FILTER = feedFilterKey(brand, 'Acme Air')
const SHARED_FILTER = feedFilterKey(brand, undefined)

type Reply = { status?: number; body: string; headers?: Record<string, string> }
/** A stand-in for the HTTP client: routes by URL and request headers, enforces okStatuses like the real one. */
function fakeHttp(route: (url: string, headers: Record<string, string>) => Reply | undefined) {
  const calls: HttpRequest[] = []
  const request = async (req: HttpRequest): Promise<HttpResponse> => {
    calls.push(req)
    const r = route(req.url, req.headers ?? {})
    if (!r) throw new Error(`unexpected request ${req.url}`)
    const status = r.status ?? 200
    if ((status < 200 || status > 299) && !req.okStatuses?.includes(status)) throw new HttpError(`${req.source}: ${req.url} → ${status}`, req.url, status)
    return { status, url: req.url, headers: r.headers ?? {}, body: r.body }
  }
  const http: Http = { request, json: async <T>(req: HttpRequest) => { const response = await request(req); return { data: JSON.parse(response.body) as T, response } } }
  return { http, calls }
}

function mockAgent(file?: string): MockAgent {
  const agent = new MockAgent()
  agent.disableNetConnect()
  if (file) loadReplayFile(agent, join(FIXTURES, file))
  return agent
}
const clientFor = (agent: MockAgent) => createHttp({ version: 'test', dispatcher: agent, maxRetries: 0, maxWaitMs: 1_000, sleep: async () => {} })

function context(http: Http, over: Partial<FetchContext> = {}): FetchContext {
  return {
    brand,
    config: { baseUrl: rss.defaultBaseUrl, feeds: FEEDS },
    cursor: null,
    since: SINCE,
    maxPages: 10,
    secrets: {},
    http,
    signal: new AbortController().signal,
    ...over,
  }
}

const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8')

describe('rss contract: ../shared/api-samples/rss', () => {
  const dir = samplesDir('rss')
  const mentionsOf = (file: string) => {
    const url = `https://feeds.example/${file}`
    const feed = parseFeed(readFileSync(join(dir!, file), 'utf8'), { url, status: 200 })
    return feed.items.map((i) => normalizeRss(i, brand, { format: feed.format, feedUrl: url, lang: feed.lang }))
  }

  it.skipIf(!dir).each([
    // file, index, id, time, author, authorId, text start, url
    ['feedjira_google_alerts_atom.xml', 0, 'tag:google.com,2013:googlealerts/feed:8974135267215335962', '2019-07-10T11:53:37Z', null, null,
      'Report offers Prediction of Automotive Slack Market by Top key players like Haldex, Meritor, Bendix ...\n\nAutomotive Slack Market reports provides a comprehensive overview of the global market size and share. It provides strategists, marketers and senior ...',
      'https://www.aglobalmarketresearch.com/report-offers-prediction-of-automotive-slack-market-by-top-key-players-like-haldex-meritor-bendix-mei-wabco-accuride-stemco-tbk-febi-aydinsan/'],
    ['feedjira_google_alerts_atom.xml', 1, 'tag:google.com,2013:googlealerts/feed:13685523368333461374', '2019-07-10T11:46:48Z', null, null,
      "Slack Stock Has a Compelling Story and the Numbers to Back It Up\n\nIn the run up to the IPO for Slack Technologies Inc (NYSE:WORK), much of the news coverage centered on the Company's decision",
      'https://investorplace.com/2019/07/slack-stock-truly-compelling/'],
    ['rss-parser_reddit-home_atom.xml', 0, 't3_42tizy', '2016-01-26T20:31:34+00:00', '/u/AngryRedditorsBelow', 'https://www.reddit.com/user/AngryRedditorsBelow',
      'How the British as seen by Americans and Europeans\n\nsubmitted by /u/AngryRedditorsBelow to /r/funny [link] [1143 comments]',
      'https://www.reddit.com/r/funny/comments/42tizy/how_the_british_as_seen_by_americans_and_europeans/'],
    ['rss-parser_reddit_rss2.xml', 0, 'https://www.reddit.com/r/funny/comments/3skxqc/the_water_is_too_deep_so_he_improvises/', '2015-11-12T21:16:39Z', null, null,
      'The water is too deep, so he improvises\n\nsubmitted by cakebeerandmorebeer to funny [link] [275 comments]',
      'https://www.reddit.com/r/funny/comments/3skxqc/the_water_is_too_deep_so_he_improvises/'],
    ['rss-parser_reddit_rss2.xml', 1, 'https://www.reddit.com/r/IAmA/comments/3sl82z/we_are_aziz_ansari_and_alan_yang_from_master_of/', '2015-11-12T22:27:28Z', null, null,
      "We are Aziz Ansari and Alan Yang from Master of None - Ask Us Anything\n\nIt's Aziz Ansari. I'm here to chat about my new Netflix series Master of None.",
      'https://www.reddit.com/r/IAmA/comments/3sl82z/we_are_aziz_ansari_and_alan_yang_from_master_of/'],
  ] as const)('%s #%i → %s', (file, index, id, time, author, authorId, text, url) => {
    const m = mentionsOf(file)[index]!
    expect(m).toMatchObject({ source: 'rss', id, createdAt: Date.parse(time), author, authorId, url, inReplyTo: null, threadId: null, byBrand: false })
    expect(m.text.startsWith(text)).toBe(true)
    expect(m.text).not.toMatch(/<[a-z/]|&[a-z]+;|&#\d+;/i)
  })

  it.skipIf(!dir).each([
    ['feedjira_google_alerts_atom.xml', 'atom', 20],
    ['rss-parser_reddit-home_atom.xml', 'atom', 24],
    ['rss-parser_reddit_rss2.xml', 'rss', 24],
  ] as const)('every entry of %s (%s) normalises (%i), Google links unwrapped', (file, _format, n) => {
    const mentions = mentionsOf(file)
    expect(mentions).toHaveLength(n)
    expect(mentions.every((m) => Number.isFinite(m.createdAt) && m.url !== null && !m.url.startsWith('https://www.google.com/url'))).toBe(true)
  })

  it.skipIf(!dir)('the recorded Google Alerts feed walks as one page, newest first', async () => {
    const body = readFileSync(join(dir!, 'feedjira_google_alerts_atom.xml'), 'utf8')
    const { http } = fakeHttp(() => ({ body, headers: { etag: '"v1"' } }))
    const steps = await collect(rss.walk(context(http, { since: 0, brand: { name: 'Slack', query: 'Slack' }, config: { baseUrl: '', feeds: [ALERT] } })))
    const times = steps[0]!.page.mentions.map((m) => m.createdAt)
    expect(times).toHaveLength(20)
    expect(times).toEqual([...times].sort((a, b) => b - a))
    expect(parseRssCursor(steps[0]!.highWater)).toEqual({ [ALERT]: { etag: '"v1"', newest: Date.parse('2019-07-10T11:53:37Z'), filter: feedFilterKey({ name: 'Slack', query: 'Slack' }, undefined) } })
  })
})

describe('rss pure helpers', () => {
  it.each([
    ['https://www.google.com/url?rct=j&sa=t&url=https://news.example.com/a&ct=ga&usg=x', 'https://news.example.com/a'],
    ['https://www.google.de/url?q=https://reise.example.de/x%3Fref%3Drss&sa=U', 'https://reise.example.de/x?ref=rss'],
    ['https://news.example.com/url?url=https://elsewhere.example', 'https://news.example.com/url?url=https://elsewhere.example'],
    ['/relative/link', '/relative/link'],
  ])('unwrapGoogleUrl(%s) = %s', (input, output) => expect(unwrapGoogleUrl(input)).toBe(output))

  it('reads HTML titles, CDATA, entities and German named entities from our fixtures', () => {
    const atom = parseFeed(read('alerts.xml'), { url: ALERT, status: 200 })
    const m = atom.items.map((i) => normalizeRss(i, brand, { format: 'atom', feedUrl: ALERT }))
    expect(m[1]).toMatchObject({
      text: 'Warum Acme Air beim Kundenservice aufholt\n\nDie Airline beantwortet Anfragen in sozialen Medien inzwischen in unter 30 Minuten. Für Fluggäste ...',
      url: 'https://reise.example.de/acme-air-kundenservice?ref=rss',
    })
    const feed = parseFeed(read('forum.rss'), { url: FORUM, status: 200 })
    expect(feed.lang).toBe('de')
    expect(normalizeRss(feed.items[0]!, brand, { format: 'rss', feedUrl: FORUM, lang: feed.lang })).toMatchObject({
      id: 'forum.example.de-topic-4812',
      author: 'reisemaus',
      lang: 'de',
      text: 'Nordwind Mobile: kein Roaming in Italien?\n\nSeit gestern habe ich in Mailand kein Netz mit meiner Nordwind Mobile Karte. Roaming ist aktiviert & das Handy neu gestartet.',
    })
  })

  it('an entry without a date is an error naming the feed', () => {
    const feed = parseFeed(read('missing-field.xml'), { url: FORUM, status: 200 })
    expect(() => normalizeRss(feed.items[0]!, brand, { format: 'rss', feedUrl: FORUM })).toThrow(
      /^rss: unexpected payload from https:\/\/forum\.example\.de\/feed\.rss: entry forum\.example\.de-topic-1 has no readable date/,
    )
  })

  it.each([
    ['{"feeds":{"https://a.test/f":{"etag":"\\"x\\"","newest":5}}}', { 'https://a.test/f': { etag: '"x"', newest: 5 } }],
    ['not json', {}],
    [null, {}],
  ])('parseRssCursor(%s)', (cursor, state) => expect(parseRssCursor(cursor)).toEqual(state))
})

describe('rss walk through the HTTP client (fixtures/rss replays)', () => {
  it('reads both feeds: the brand’s Google Alert whole, the shared forum feed checked against the brand query', async () => {
    const steps = await collect(rss.walk(context(clientFor(mockAgent('replay.json')))))
    expect(steps.map((s) => s.page.brandFilter)).toEqual(['exclusions', 'query'])
    expect(steps.map(kept)).toEqual([
      ['tag:google.com,2013:googlealerts/feed:1111111111111111111', 'tag:google.com,2013:googlealerts/feed:2222222222222222222', 'tag:google.com,2013:googlealerts/feed:3333333333333333333'],
      ['forum.example.de-topic-4809'],
    ])
    expect(steps[0]!.page.mentions[0]).toMatchObject({
      createdAt: Date.parse('2025-03-10T09:30:00Z'),
      url: 'https://news.example.com/2025/03/10/acme-air-check-in-outage',
      text: "Acme Air check-in outage strands passengers at Vienna airport\n\nTravellers flying with Acme Air reported long queues after the airline's check-in system failed on Monday morning ...",
    })
    expect(parseRssCursor(steps.at(-1)!.highWater)).toEqual({
      [ALERT]: { etag: '"ga-acme-20250310"', lastModified: 'Mon, 10 Mar 2025 09:30:00 GMT', newest: Date.parse('2025-03-10T09:30:00Z'), filter: ALERT_FILTER },
      // The newest entry read, kept or not: the next run starts after it either way.
      [FORUM]: { etag: 'W/"forum-4812"', lastModified: 'Mon, 10 Mar 2025 08:05:00 GMT', newest: Date.parse('2025-03-10T08:05:00Z'), filter: SHARED_FILTER },
    })
  })

  it('sends the validators from the cursor and treats 304 as “nothing new”', async () => {
    const cursor = JSON.stringify({ feeds: { [ALERT]: { etag: '"ga-acme-20250310"', lastModified: 'Mon, 10 Mar 2025 09:30:00 GMT', newest: 1, filter: SHARED_FILTER } } })
    const agent = mockAgent()
    agent
      .get('https://www.google.com')
      .intercept({ path: new URL(ALERT).pathname, method: 'GET', headers: { 'if-none-match': '"ga-acme-20250310"', 'if-modified-since': 'Mon, 10 Mar 2025 09:30:00 GMT' } })
      .reply(304, '')
    const steps = await collect(rss.walk(context(clientFor(agent), { cursor, config: { baseUrl: '', feeds: [ALERT] } })))
    expect(steps).toEqual([])
  })

  it('an empty feed yields one empty page', async () => {
    const url = 'https://www.google.com/alerts/feeds/00000000000000000001/1000000000000000002'
    const steps = await collect(rss.walk(context(clientFor(mockAgent('replay-empty.json')), { config: { baseUrl: '', feeds: [url] } })))
    expect(steps.map((s) => s.page)).toEqual([{ mentions: [], next: null, brandFilter: 'query' }])
  })

  it('429 with Retry-After beyond --max-wait defers the source', async () => {
    const err = await collect(rss.walk(context(clientFor(mockAgent('replay-ratelimit.json')), { config: { baseUrl: '', feeds: [ALERT] } }))).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RateLimitDeferred)
    expect((err as Error).message).toMatch(/^rss: GET https:\/\/www\.google\.com\/alerts\/feeds\//)
  })

  it('an HTML error page with status 200 is an error naming source and URL', async () => {
    const err = await collect(rss.walk(context(clientFor(mockAgent('replay-error.json')), { config: { baseUrl: '', feeds: [ALERT] } }))).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HttpError)
    expect((err as Error).message).toMatch(/^rss: (unexpected payload|malformed XML) from https:\/\/www\.google\.com\/alerts\/feeds\/00000000000000000001\/1000000000000000001: /)
  })

  it('an item missing its date names source, URL and entry', async () => {
    const err = await collect(rss.walk(context(clientFor(mockAgent('replay-missing-field.json')), { config: { baseUrl: '', feeds: [FORUM] } }))).catch((e: unknown) => e)
    expect((err as Error).message).toMatch(/^rss: unexpected payload from https:\/\/forum\.example\.de\/feed\.rss: entry forum\.example\.de-topic-1 has no readable date/)
  })
})

describe('rss walk logic (fake Http)', () => {
  const route = (url: string): Reply | undefined =>
    url === ALERT ? { body: read('alerts.xml'), headers: { etag: '"e2"' } } : url === FORUM ? { body: read('forum.rss') } : undefined

  it('keeps only entries at or after the feed’s newest time from the cursor', async () => {
    const cursor = JSON.stringify({ feeds: { [ALERT]: { etag: '"e1"', newest: Date.parse('2025-03-09T14:00:00Z'), filter: SHARED_FILTER } } })
    const { http, calls } = fakeHttp(route)
    const steps = await collect(rss.walk(context(http, { cursor, config: { baseUrl: '', feeds: [ALERT] } })))
    expect(calls[0]!.headers).toMatchObject({ 'if-none-match': '"e1"' })
    expect(calls[0]!.okStatuses).toEqual([304])
    expect(steps[0]!.page.mentions.map((m) => m.createdAt)).toEqual([Date.parse('2025-03-10T09:30:00Z'), Date.parse('2025-03-09T14:00:00Z')])
    expect(parseRssCursor(steps[0]!.highWater)[ALERT]).toEqual({ etag: '"e2"', newest: Date.parse('2025-03-10T09:30:00Z'), filter: SHARED_FILTER })
  })

  it('state kept under another brand filter is not used: no validators, the whole window again', async () => {
    // The last run kept the forum's ETag while the brand's languages dropped every entry; the brand is fixed now.
    const stale = JSON.stringify({ feeds: { [FORUM]: { etag: '"f1"', newest: Date.parse('2025-03-10T00:00:00Z'), filter: feedFilterKey({ ...brand, languages: ['fr'] }, undefined) } } })
    const { http, calls } = fakeHttp((url, headers) => (headers['if-none-match'] ? { status: 304, body: '' } : route(url)))
    const steps = await collect(rss.walk(context(http, { cursor: stale, config: { baseUrl: '', feeds: [FORUM] } })))
    expect(calls[0]!.headers).not.toHaveProperty('if-none-match')
    expect(kept(steps[0]!)).toEqual(['forum.example.de-topic-4809'])
    expect(parseRssCursor(steps[0]!.highWater)[FORUM]).toMatchObject({ filter: SHARED_FILTER })
  })

  it('a backfill drops entries before since', async () => {
    const { http } = fakeHttp(route)
    const steps = await collect(rss.walk(context(http, { since: Date.parse('2025-03-09T00:00:00Z'), config: { baseUrl: '', feeds: [ALERT] } })))
    expect(steps[0]!.page.mentions).toHaveLength(2)
  })

  it('maxPages caps the feeds read; unread feeds keep their old state in the cursor', async () => {
    const cursor = JSON.stringify({ feeds: { [FORUM]: { etag: '"old"', newest: 7 } } })
    const { http, calls } = fakeHttp(route)
    const steps = await collect(rss.walk(context(http, { cursor, maxPages: 1 })))
    expect(calls.map((c) => c.url)).toEqual([ALERT])
    expect(parseRssCursor(steps[0]!.highWater)[FORUM]).toEqual({ etag: '"old"', newest: 7 })
  })

  it('a feed assigned to another brand is skipped; bad config is a usage error', async () => {
    const { http, calls } = fakeHttp(route)
    await collect(rss.walk(context(http, { config: { baseUrl: '', feeds: [{ url: ALERT, brand: 'Nordwind Mobile' }] } })))
    expect(calls).toHaveLength(0)
    await expect(collect(rss.walk(context(http, { config: { baseUrl: '', feeds: [] } })))).rejects.toThrow(/sources\.rss\.feeds: list at least one feed URL/)
    await expect(collect(rss.walk(context(http, { config: { baseUrl: '', feeds: ['feed.xml'] } })))).rejects.toThrow(/not an absolute/)
    expect(rss.credentials).toEqual([])
  })
})
