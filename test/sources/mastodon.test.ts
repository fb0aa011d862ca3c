import { join } from 'node:path'
import { MockAgent } from 'undici'
import { describe, expect, it } from 'vitest'
import { RateLimitDeferred } from '../../src/http/errors.js'
import { HttpError } from '../../src/models/errors.js'
import { mastodon, mastodonIdAt, type MastodonStatus, normalizeMastodon, prevMinId } from '../../src/sources/mastodon.js'
import { cassetteJson, readCassette, samplesDir } from '../helpers/cassette.js'
import { faultSuite } from '../helpers/faults.js'
import { contextFor, nordwind, replayAgent, testHttp, walkAll, walkError } from '../helpers/sources.js'

const samples = samplesDir('mastodon')
const brandNoHandles = { ...nordwind, handles: {} }

describe.skipIf(samples === null)('mastodon contract (../shared/api-samples)', () => {
  const dir = samples as string
  it('parses the statuses of a real mastodon.social v2 search (remote replies)', () => {
    const { data } = cassetteJson<{ statuses: MastodonStatus[] }>(join(dir, 'Mastodon.py_cassettes_entity_tests_test_entity_searchv2.yaml'), '/api/v2/search')
    const mentions = data.statuses.map((s) => normalizeMastodon(s, nordwind, 'mastodon.social'))
    expect(mentions).toHaveLength(2)
    expect(mentions[0]).toMatchObject({
      id: '116388149027005349',
      createdAt: Date.parse('2026-04-11T21:16:53.000Z'),
      author: 'greg@icosahedron.website',
      authorId: '108902549022722291',
      url: 'https://icosahedron.website/@greg/116388148912635764',
      lang: 'en',
      inReplyTo: '116387888508422624',
      threadId: null,
    })
    expect(mentions[1]).toMatchObject({
      id: '116388107849695302',
      author: 'Jo@social.sublingual.xyz',
      text: '@halcy me when im riding my horse in stop and go traffic',
      inReplyTo: '116387872475672523',
    })
    expect(mentions[0]?.text).not.toMatch(/<[a-z]/)
  })
  it('parses the hashtag, public and home timelines', () => {
    const tag = cassetteJson<MastodonStatus[]>(join(dir, 'Mastodon.py_cassettes_test_hashtag_tl.yaml'), '/timelines/tag/hoot')
    expect(normalizeMastodon(tag.data[0] as MastodonStatus, nordwind, 'localhost:3000')).toMatchObject({
      id: '117020593741189701',
      text: '#hoot (hashtag toot)',
      author: 'mastodonpy_test_2',
      lang: 'ja',
      url: 'http://localhost:3000/@mastodonpy_test_2/117020593741189701',
      inReplyTo: null,
      threadId: '117020593741189701',
      createdAt: Date.parse('2026-08-01T13:55:55.867Z'),
    })
    expect(prevMinId(tag.interaction.headers.link)).toBe('117020593741189701')
    const pub = cassetteJson<MastodonStatus[]>(join(dir, 'Mastodon.py_cassettes_test_public_tl_anonymous.yaml'), '/timelines/public')
    const mentions = pub.data.map((s) => normalizeMastodon(s, nordwind, 'localhost:3000'))
    expect(mentions).toHaveLength(8)
    expect(mentions[0]).toMatchObject({ id: '117020593134559451', text: 'Toot, finally!' })
    const home = readCassette(join(dir, 'Mastodon.py_cassettes_test_min_max_id.yaml')).filter((i) => i.uri.includes('/timelines/home'))
    expect(home.map((i) => (JSON.parse(i.body) as MastodonStatus[]).map((s) => normalizeMastodon(s, nordwind, 'localhost:3000').id))).toEqual([
      ['117020594094054884'],
      [],
      [],
      ['117020594094054884'],
    ])
  })
  it('walks a recorded hashtag timeline forward with the Link header, tokenless', async () => {
    const tl = readCassette(join(dir, 'Mastodon.py_cassettes_test_hashtag_tl.yaml')).find((i) => i.uri.includes('/timelines/tag/hoot'))!
    const agent = new MockAgent()
    agent.disableNetConnect()
    const pool = agent.get('http://localhost:3000')
    pool.intercept({ path: (p) => p.startsWith('/api/v1/timelines/tag/hoot?') && !p.includes('min_id=117020593741189701') }).reply(200, tl.body, { headers: { link: tl.headers.link ?? '' } })
    pool.intercept({ path: (p) => p.includes('min_id=117020593741189701') }).reply(200, '[]')
    const { http } = testHttp(agent)
    const ctx = contextFor(mastodon, http, { config: { baseUrl: 'http://localhost:3000', tag: 'hoot' }, since: Date.parse('2026-07-01T00:00:00Z'), brand: brandNoHandles })
    const { mentions, highWater } = await walkAll(mastodon, ctx)
    expect(mentions.map((m) => m.id)).toEqual(['117020593741189701'])
    expect(highWater).toBe('117020593741189701')
  })
  it('reads the recorded 401 body', () => {
    const [unauthorized] = readCassette(join(dir, 'Mastodon.py_cassettes_test_home_tl_anonymous_throws.yaml'))
    expect(unauthorized?.status).toBe(401)
    expect(JSON.parse(unauthorized?.body ?? '{}')).toEqual({ error: 'The access token is invalid' })
  })
})

describe('mastodon walk (our fixtures)', () => {
  it('without a token: the hashtag timeline forward (min_id), then the brand account’s replies', async () => {
    const { http } = testHttp(replayAgent('mastodon', 'replay.json'))
    const { steps, mentions, highWater } = await walkAll(mastodon, contextFor(mastodon, http))
    expect(steps.map((s) => s.page.next)).toEqual(['main:1', 'main:2', 'replies:0', 'replies:0:1', null])
    expect(mentions.map((m) => m.createdAt)).toEqual(
      ['08:47:36', '08:03:11', '12:02:44', '11:20:05', '12:30:00', '09:58:20'].map((t) => Date.parse(`2025-05-14T${t}Z`)),
    )
    // Fixture ids are (ms << 16) + a sequence number; #4 is the newest tagged status.
    expect(highWater).toBe((BigInt(mastodonIdAt(Date.parse('2025-05-14T12:02:44Z'))) + 4n).toString())
    const reply = mentions.find((m) => m.byBrand && m.text.includes('Kernnetz'))
    expect(reply).toMatchObject({ author: 'nordwindhilfe', inReplyTo: mentions[1]?.id, lang: 'de' })
    expect(mentions[1]?.text).toBe('Totalausfall bei #NordwindMobile in Hamburg: kein Netz, keine Daten, und die Störungsseite lädt auch nicht. Super.')
    expect(mentions[0]?.text).toContain('"no service" since 8am & their hotline is busy.')
  })
  it('with a token: v2 search newest first, paged back with max_id', async () => {
    const { http } = testHttp(replayAgent('mastodon', 'replay.json'))
    const { steps, mentions } = await walkAll(mastodon, contextFor(mastodon, http, { secrets: { tokenEnv: 'mastodon-secret-token' }, brand: brandNoHandles }))
    expect(steps).toHaveLength(3)
    expect(mentions.map((m) => m.author)).toEqual(['maren', 'ellie@tech.lgbt', 'kaffeekarl', 'fjordfuchs@norden.social'])
  })
  it('an empty tag timeline keeps the cursor', async () => {
    const { http } = testHttp(replayAgent('mastodon', 'replay-empty.json'))
    const { mentions, highWater } = await walkAll(mastodon, contextFor(mastodon, http, { cursor: '114500000000000000', brand: brandNoHandles }))
    expect(mentions).toEqual([])
    expect(highWater).toBe('114500000000000000')
  })
  it('reads X-RateLimit-Reset as an ISO timestamp', async () => {
    const { http, clock } = testHttp(replayAgent('mastodon', 'replay-429.json', 'replay.json'), { maxWaitMs: 3_600_000 })
    // The fake clock starts at 12:00:00Z; the fixture resets at 12:35:00Z.
    await walkAll(mastodon, contextFor(mastodon, http, { brand: brandNoHandles }))
    expect(clock.slept).toEqual([35 * 60_000])
  })
  it('defers a 35-minute reset under the default --max-wait', async () => {
    const { http } = testHttp(replayAgent('mastodon', 'replay-429.json'))
    const err = await walkError(mastodon, contextFor(mastodon, http, { brand: brandNoHandles }))
    expect(err).toBeInstanceOf(RateLimitDeferred)
    expect((err as RateLimitDeferred).resetAt).toBe(Date.parse('2025-05-14T12:35:00Z'))
  })
  it('reports an invalid token without printing it', async () => {
    const { http } = testHttp(replayAgent('mastodon', 'replay-error.json'))
    const err = await walkError(mastodon, contextFor(mastodon, http, { secrets: { tokenEnv: 'mastodon-secret-token' }, brand: brandNoHandles }))
    expect(err).toBeInstanceOf(HttpError)
    expect(err.message).toMatch(/^mastodon: GET https:\/\/mastodon\.social\/api\/v2\/search\?.* → 401: \{"error":"The access token is invalid"\}$/)
    expect(err.message).not.toContain('mastodon-secret-token')
  })
})

faultSuite({
  adapter: mastodon,
  platform: 'mastodon',
  secrets: { tokenEnv: 'mastodon-secret-token' },
  secretValues: ['mastodon-secret-token'],
  origin: 'https://mastodon.social',
  path: '/api/v2/search',
  emptyBody: 'search-empty.json',
  missingField: { body: { statuses: [{ id: '1', content: '<p>x</p>', uri: 'u', account: { id: '1', acct: 'a', username: 'a' } }] }, field: 'statuses.0.created_at' },
})
