import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RateLimitDeferred } from '../../src/http/errors.js'
import { HttpError } from '../../src/models/errors.js'
import { bluesky, type BlueskyPost, normalizeBluesky } from '../../src/sources/bluesky.js'
import { cassetteJson, readCassette, samplesDir } from '../helpers/cassette.js'
import { faultSuite } from '../helpers/faults.js'
import { contextFor, nordwind, replayAgent, testHttp, walkAll, walkError } from '../helpers/sources.js'

const samples = samplesDir('bluesky')
const secrets = { identifierEnv: 'listen-demo.bsky.social', appPasswordEnv: 'abcd-efgh-ijkl-mnop' }
const noHandles = { ...nordwind, handles: {} }

describe.skipIf(samples === null)('bluesky contract (../shared/api-samples)', () => {
  const dir = samples as string
  it('parses every post of a recorded searchPosts (with cursor and RateLimit-* headers)', () => {
    const { data, interaction } = cassetteJson<{ posts: BlueskyPost[]; cursor: string }>(join(dir, 'bskyr_f_search.yml'), 'searchPosts')
    const mentions = data.posts.map((p) => normalizeBluesky(p, nordwind))
    expect(mentions).toHaveLength(25)
    expect(data.cursor).toBe('25')
    expect(interaction.headers['ratelimit-reset']).toBe('1747676784')
    expect(mentions[0]).toMatchObject({
      id: 'at://did:plc:kkergqgbhb56ptpwj2wenkje/app.bsky.feed.post/3lpk2u6qo222m',
      createdAt: Date.parse('2025-05-19T17:10:09.561Z'),
      author: 'socpaperbot.bsky.social',
      authorId: 'did:plc:kkergqgbhb56ptpwj2wenkje',
      url: 'https://bsky.app/profile/socpaperbot.bsky.social/post/3lpk2u6qo222m',
      inReplyTo: null,
      threadId: 'at://did:plc:kkergqgbhb56ptpwj2wenkje/app.bsky.feed.post/3lpk2u6qo222m',
    })
    expect(mentions[0]?.text.startsWith('Ends Versus Means: Public Opinion on Congressional Redistricting https://osf.io/v87fn State-level')).toBe(true)
    const reply = mentions.find((m) => m.id === 'at://did:plc:7nagdvjqrzaquzk7mueohne5/app.bsky.feed.post/3lpjzka2pzc2l')
    expect(reply).toMatchObject({
      lang: 'en',
      inReplyTo: 'at://did:plc:7nagdvjqrzaquzk7mueohne5/app.bsky.feed.post/3lpjzgltpa22l',
      threadId: 'at://did:plc:7nagdvjqrzaquzk7mueohne5/app.bsky.feed.post/3lpjy3eabqs2l',
    })
  })
  it('parses timeline, thread and quote views', () => {
    const feed = cassetteJson<{ feed: { post: BlueskyPost }[] }>(join(dir, 'bskyr_f_timeline.yml'), 'getTimeline').data.feed
    const mentions = feed.map((f) => normalizeBluesky(f.post, nordwind))
    expect(mentions).toHaveLength(49)
    expect(mentions[0]).toMatchObject({
      id: 'at://did:plc:qnzaaisqa3lafzmtjxt5nt52/app.bsky.feed.post/3lpk3nnns5u2b',
      author: 'cranupdates.bsky.social',
      text: 'New on CRAN: sfclust (1.0.1). View at https://CRAN.R-project.org/package=sfclust',
      createdAt: Date.parse('2025-05-19T17:24:22.643Z'),
    })
    const thread = cassetteJson<{ thread: { post: BlueskyPost } }>(join(dir, 'bskyr_f_postthread.yml'), 'getPostThread').data.thread
    expect(normalizeBluesky(thread.post, nordwind)).toMatchObject({
      author: 'soubhikbarari.bsky.social',
      createdAt: Date.parse('2023-09-19T11:32:54.574Z'),
      url: 'https://bsky.app/profile/soubhikbarari.bsky.social/post/3k7qmjev5lr2s',
    })
    const quotes = cassetteJson<{ posts: BlueskyPost[] }>(join(dir, 'bskyr_f_getquotes.yml'), 'getQuotes').data.posts
    expect(quotes.map((p) => normalizeBluesky(p, nordwind).id)).toHaveLength(2)
  })
  it('reads the recorded XRPC error body', () => {
    const [err] = readCassette(join(dir, 'bskyr_r_post_errors.yml'))
    expect(err?.status).toBe(400)
    expect(JSON.parse(err?.body ?? '{}').error).toBe('InvalidRequest')
  })
})

describe('bluesky walk (our fixtures)', () => {
  it('creates a session, walks two pages of searchPosts, then the brand’s author feed', async () => {
    const seen: string[] = []
    const { http } = testHttp(replayAgent('bluesky', 'replay.json'), { onEvent: (e) => e.type === 'request' && seen.push(e.url) })
    const { steps, mentions, highWater } = await walkAll(bluesky, contextFor(bluesky, http, { secrets }))
    expect(steps.map((s) => s.page.next)).toEqual(['search:1', 'replies:0', null])
    expect(mentions).toHaveLength(6)
    expect(highWater).toBe(String(Date.parse('2025-05-14T08:12:40.112Z')))
    const search = new URL(seen[1] as string)
    expect(search.searchParams.get('sort')).toBe('latest')
    expect(search.searchParams.get('since')).toBe('2025-05-01T00:00:00.000Z')
    const answers = mentions.filter((m) => m.byBrand)
    expect(answers.map((m) => m.inReplyTo)).toEqual([mentions[1]?.id, mentions[2]?.id])
    expect(answers[0]?.threadId).toBe(mentions[1]?.id)
    expect(mentions[2]).toMatchObject({ lang: 'de', author: 'katrin-f.bsky.social', byBrand: false })
  })
  it('asks searchPosts for the brand\'s one language (lang); with two or more, the filter is local', async () => {
    for (const [languages, lang] of [[['de'], 'de'], [['de', 'en'], null], [undefined, null]] as const) {
      const seen: string[] = []
      const { http } = testHttp(replayAgent('bluesky', 'replay-empty.json'), { onEvent: (e) => e.type === 'request' && seen.push(e.url) })
      await walkAll(bluesky, contextFor(bluesky, http, { secrets, brand: { ...noHandles, languages: languages as string[] | undefined } }))
      const search = new URL(seen.find((u) => u.includes('searchPosts'))!)
      expect(search.searchParams.get('lang')).toBe(lang)
    }
  })
  it('an empty search keeps the cursor', async () => {
    const { http } = testHttp(replayAgent('bluesky', 'replay-empty.json'))
    const { mentions, highWater } = await walkAll(bluesky, contextFor(bluesky, http, { secrets, cursor: '1747200000000', brand: noHandles }))
    expect(mentions).toEqual([])
    expect(highWater).toBe('1747200000000')
  })
  it('reads RateLimit-Reset as epoch seconds', async () => {
    const { http, clock } = testHttp(replayAgent('bluesky', 'replay-429.json', 'replay.json'), { maxWaitMs: 3_600_000 })
    await walkAll(bluesky, contextFor(bluesky, http, { secrets, brand: noHandles }))
    // 1747227600 = 2025-05-14T13:00:00Z; the fake clock starts at 12:00:00Z.
    expect(clock.slept).toEqual([3_600_000])
  })
  it('defers when the reset is beyond --max-wait', async () => {
    const { http } = testHttp(replayAgent('bluesky', 'replay-429.json'), { maxWaitMs: 1000 })
    expect(await walkError(bluesky, contextFor(bluesky, http, { secrets, brand: noHandles }))).toBeInstanceOf(RateLimitDeferred)
  })
  it('reports an XRPC error without the app password or session token', async () => {
    const { http } = testHttp(replayAgent('bluesky', 'replay-error.json'))
    const err = await walkError(bluesky, contextFor(bluesky, http, { secrets, brand: noHandles }))
    expect(err).toBeInstanceOf(HttpError)
    expect(err.message).toMatch(/^bluesky: GET https:\/\/bsky\.social\/xrpc\/app\.bsky\.feed\.searchPosts\?.* → 400: .*ExpiredToken/)
    expect(err.message).not.toContain('replay-access-jwt')
    expect(err.message).not.toContain('abcd-efgh-ijkl-mnop')
  })
})

faultSuite({
  adapter: bluesky,
  platform: 'bluesky',
  secrets,
  secretValues: ['abcd-efgh-ijkl-mnop', 'session-jwt-secret'],
  auth: (agent) =>
    agent
      .get('https://bsky.social')
      .intercept({ path: '/xrpc/com.atproto.server.createSession', method: 'POST' })
      .reply(200, { accessJwt: 'session-jwt-secret', refreshJwt: 'refresh-jwt-secret', did: 'did:plc:x', handle: 'a.bsky.social' })
      .persist(),
  origin: 'https://bsky.social',
  path: '/xrpc/app.bsky.feed.searchPosts',
  emptyBody: 'search-empty.json',
  missingField: {
    body: { posts: [{ uri: 'at://did:plc:x/app.bsky.feed.post/1', cid: 'c', author: { did: 'did:plc:x', handle: 'a' }, record: { text: 'no date' } }] },
    field: 'posts.0.record.createdAt',
  },
})
