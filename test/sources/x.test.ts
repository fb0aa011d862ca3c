import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { MockAgent } from 'undici'
import { describe, expect, it } from 'vitest'
import { RateLimitDeferred } from '../../src/http/errors.js'
import { HttpError, UsageError } from '../../src/models/errors.js'
import { buildXQuery, normalizeX, snowflakeTime, x, type XTweet, type XUser } from '../../src/sources/x.js'
import { cassetteJson, samplesDir } from '../helpers/cassette.js'
import { faultSuite } from '../helpers/faults.js'
import { contextFor, nordwind, replayAgent, testHttp, walkAll, walkError } from '../helpers/sources.js'

const samples = samplesDir('twitter')
const secrets = { tokenEnv: 'AAAAAAAAAAAAAAAAAAAAAsecret-bearer' }
const noHandles = { ...nordwind, handles: {} }
type Search = { data?: XTweet[]; includes?: { users?: XUser[] }; meta: { next_token?: string; newest_id?: string } }
const usersOf = (s: Search) => new Map((s.includes?.users ?? []).map((u) => [u.id, u]))

describe.skipIf(samples === null)('x contract (../shared/api-samples/twitter)', () => {
  const dir = samples as string
  const body = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Search

  it('parses recent search without tweet.fields: time from the snowflake id', () => {
    const { data } = cassetteJson<Search>(join(dir, 'tweepy_test_asyncclient_search_recent_tweets.yaml'), '/tweets/search/recent')
    const mentions = (data.data ?? []).map((t) => normalizeX(t, nordwind, usersOf(data)))
    expect(mentions).toHaveLength(10)
    expect(data.meta.next_token).toBe('b26v89c19zqg8o3fpzbn1e0frlukytxrp1o8pel01jb7h')
    const stamped = mentions.find((m) => m.id === '1578522108187283456')
    // Its text is the time it was posted: "2022-10-07 23:06:12.640564 tweepy".
    expect(stamped?.text).toBe('2022-10-07 23:06:12.640564 tweepy')
    // The id's time is when X received it: just after the client wrote its timestamp.
    expect(stamped?.createdAt).toBeGreaterThanOrEqual(Date.parse('2022-10-07T23:06:12.640Z'))
    expect(stamped?.createdAt).toBeLessThan(Date.parse('2022-10-07T23:06:13.640Z'))
    expect(stamped).toMatchObject({ author: null, url: 'https://x.com/i/web/status/1578522108187283456', inReplyTo: null })
  })
  it('parses the gzip + base64 cassette of the same endpoint', () => {
    const { data } = cassetteJson<Search>(join(dir, 'tweepy_test_client_search_recent_tweets.yaml'), '/tweets/search/recent')
    expect((data.data ?? []).map((t) => normalizeX(t, nordwind, usersOf(data)).id).length).toBeGreaterThan(0)
  })
  it('parses full responses with includes.users, replies and conversations', () => {
    const from = body('academictwitteR_search_all_from_kfc.body.json')
    expect(normalizeX(from.data![0]!, { ...nordwind, handles: { x: 'KFC' } }, usersOf(from))).toMatchObject({
      id: '1400942130898554891',
      createdAt: Date.parse('2021-06-04T22:26:46.000Z'),
      author: 'kfc',
      authorId: '15392391',
      url: 'https://x.com/kfc/status/1400942130898554891',
      lang: 'en',
      threadId: '1400942130898554891',
      inReplyTo: null,
      byBrand: true,
    })
    const to = body('academictwitteR_search_all_to_kfc.body.json')
    const mentions = to.data!.map((t) => normalizeX(t, nordwind, usersOf(to)))
    expect(mentions).toHaveLength(206)
    expect(mentions.find((m) => m.id === '1400887989446840324')).toMatchObject({
      author: 'qaytbey',
      lang: 'ar',
      inReplyTo: '1371430980523802624',
      threadId: '1371430980523802624',
      createdAt: Date.parse('2021-06-04T18:51:38.000Z'),
    })
    const rts = body('academictwitteR_search_all_retweets_of_kfc.body.json')
    expect(rts.data!.map((t) => normalizeX(t, nordwind, usersOf(rts)))).toHaveLength(20)
    const mentionsBody = body('academictwitteR_users_mentions_with_includes.body.json')
    expect(normalizeX(mentionsBody.data![0]!, nordwind, usersOf(mentionsBody))).toMatchObject({ id: '1400118288307277824', authorId: '1249336678398877696' })
  })
  it('an empty result and an errors-only 200 through the adapter', async () => {
    for (const [file, expectError] of [
      ['academictwitteR_search_all_empty_result.body.json', false],
      ['academictwitteR_users_mentions_200_errors_only.body.json', true],
    ] as const) {
      const agent = new MockAgent()
      agent.disableNetConnect()
      agent.get('https://api.x.com').intercept({ path: (p) => p.startsWith('/2/tweets/search/recent?') }).reply(200, readFileSync(join(dir, file), 'utf8'))
      const { http } = testHttp(agent)
      const ctx = contextFor(x, http, { secrets, brand: noHandles })
      if (expectError) {
        const err = await walkError(x, ctx)
        expect(err).toBeInstanceOf(HttpError)
        expect(err.message).toContain('answered with errors only: Forbidden User has been suspended: [45648666].')
      } else {
        expect((await walkAll(x, ctx)).mentions).toEqual([])
      }
    }
  })
})

describe('x walk (our fixtures)', () => {
  it('walks two pages with next_token; the brand’s replies come in the same query', async () => {
    const seen: string[] = []
    const { http } = testHttp(replayAgent('x', 'replay.json'), { onEvent: (e) => e.type === 'request' && seen.push(e.url) })
    const { steps, mentions, highWater } = await walkAll(x, contextFor(x, http, { secrets, since: Date.now() - 3 * 24 * 3600_000 }))
    expect(steps.map((s) => s.page.next)).toEqual(['b26v89c19zqg8o3fplmw0e1k2b3t0ab9x8v7u6s5r4q3', null])
    expect(mentions).toHaveLength(5)
    const query = new URL(seen[0] as string).searchParams
    expect(query.get('query')).toBe('(((Nordwind Mobile) (lang:de OR lang:en)) OR from:NordwindHilfe) -is:retweet')
    expect(query.get('expansions')).toBe('author_id')
    expect(query.get('start_time')).not.toBeNull()
    expect(highWater).toBe(mentions[0]?.id)
    const answer = mentions.find((m) => m.byBrand)
    const customer = mentions.find((m) => m.author === 'hh_lars')
    expect(answer).toMatchObject({ author: 'NordwindHilfe', inReplyTo: customer?.id, threadId: customer?.id, lang: 'de' })
    expect(snowflakeTime(customer!.id)).toBe(customer!.createdAt)
  })
  it('with a cursor asks for since_id and keeps the cursor when nothing is new', async () => {
    const seen: string[] = []
    const { http } = testHttp(replayAgent('x', 'replay-empty.json'), { onEvent: (e) => e.type === 'request' && seen.push(e.url) })
    const { mentions, highWater } = await walkAll(x, contextFor(x, http, { secrets, cursor: '1922627291462000000' }))
    expect(mentions).toEqual([])
    expect(highWater).toBe('1922627291462000000')
    expect(new URL(seen[0] as string).searchParams.get('since_id')).toBe('1922627291462000000')
  })
  it('reads x-rate-limit-reset as epoch seconds', async () => {
    const { http, clock } = testHttp(replayAgent('x', 'replay-429.json', 'replay.json'), { maxWaitMs: 3_600_000 }, Date.parse('2025-05-14T08:00:00Z'))
    await walkAll(x, contextFor(x, http, { secrets }))
    // 1747212300 = 2025-05-14T08:45:00Z
    expect(clock.slept).toEqual([45 * 60_000])
  })
  it('defers when the reset is beyond --max-wait', async () => {
    const { http } = testHttp(replayAgent('x', 'replay-429.json'), {}, Date.parse('2025-05-14T08:00:00Z'))
    const err = await walkError(x, contextFor(x, http, { secrets }))
    expect(err).toBeInstanceOf(RateLimitDeferred)
    expect((err as RateLimitDeferred).resetAt).toBe(1747212300_000)
  })
  it('401: names source and URL, never the bearer token', async () => {
    const { http } = testHttp(replayAgent('x', 'replay-error.json'))
    const err = await walkError(x, contextFor(x, http, { secrets }))
    expect(err.message).toMatch(/^x: GET https:\/\/api\.x\.com\/2\/tweets\/search\/recent\?.* → 401: .*Unauthorized/)
    expect(err.message).not.toContain('secret-bearer')
  })
  it('needs X_BEARER_TOKEN', async () => {
    const { http } = testHttp(replayAgent('x', 'replay.json'))
    const err = await walkError(x, contextFor(x, http))
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toContain('X_BEARER_TOKEN')
  })
  it.each([
    [{ ...nordwind, languages: undefined, handles: {} }, '(Nordwind Mobile) -is:retweet'],
    [{ ...nordwind, languages: undefined, handles: { x: ['@A', 'B'] } }, '((Nordwind Mobile) OR from:A OR from:B) -is:retweet'],
    // brands[].languages become lang: (https://docs.x.com/x-api/posts/search/integrate/operators); the brand's own posts in any language.
    [{ ...nordwind, languages: ['de'], handles: {} }, '((Nordwind Mobile) lang:de) -is:retweet'],
    [{ ...nordwind, languages: ['de', 'en'], handles: { x: 'A' } }, '(((Nordwind Mobile) (lang:de OR lang:en)) OR from:A) -is:retweet'],
  ])('buildXQuery %#', (brand, query) => expect(buildXQuery(brand)).toBe(query))
})

faultSuite({
  adapter: x,
  platform: 'x',
  secrets,
  secretValues: ['AAAAAAAAAAAAAAAAAAAAAsecret-bearer'],
  origin: 'https://api.x.com',
  path: '/2/tweets/search/recent',
  emptyBody: 'empty.json',
  missingField: { body: { data: [{ text: 'no id' }], meta: { result_count: 1 } }, field: 'data.0.id' },
})
