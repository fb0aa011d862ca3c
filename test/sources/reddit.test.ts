import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RateLimitDeferred } from '../../src/http/errors.js'
import { HttpError, UsageError } from '../../src/models/errors.js'
import { normalizeReddit, reddit, type RedditThing } from '../../src/sources/reddit.js'
import { cassetteJson, readCassette, samplesDir } from '../helpers/cassette.js'
import { faultSuite } from '../helpers/faults.js'
import { contextFor, nordwind, replayAgent, testHttp, walkAll, walkError } from '../helpers/sources.js'

const samples = samplesDir('reddit')
const secrets = { clientIdEnv: 'replay-client-id', clientSecretEnv: 'very-secret-client-secret' }
type Listing = { data: { children: RedditThing[]; after: string | null } }

describe.skipIf(samples === null)('reddit contract (../shared/api-samples)', () => {
  const dir = samples as string
  it('parses every username mention (t1 from the inbox, thread from `context`)', () => {
    const { data } = cassetteJson<Listing>(join(dir, 'praw_TestInbox.test_mentions.json'), '/message/mentions')
    const mentions = data.data.children.map((t) => normalizeReddit(t, nordwind))
    expect(mentions).toHaveLength(16)
    expect(mentions[0]).toMatchObject({
      id: 't1_ekftbox',
      createdAt: 1554774308000,
      author: '2Botter2Loop',
      authorId: 't2_3efd9zdo',
      url: 'https://www.reddit.com/r/RemovedByBotter/comments/bb24k7/just_a_normal_girl_going_for_her_10th_class_exam/ekftbox/',
      inReplyTo: 't3_bb24k7',
      threadId: 't3_bb24k7',
    })
    expect(mentions[0]?.text.startsWith('Hello /u/<USERNAME>,\n\nYour [submission](https://redd.it/bb1sep)')).toBe(true)
  })
  it('parses every search result (t3), dropping the ?ref= from permalinks', () => {
    const { data } = cassetteJson<Listing>(join(dir, 'praw_TestSubreddit.test_search.json'), '/search/')
    const mentions = data.data.children.map((t) => normalizeReddit(t, nordwind))
    expect(mentions).toHaveLength(6)
    expect(mentions[0]).toMatchObject({
      id: 't3_3gpbiu',
      createdAt: 1439370514000,
      author: 'dClauzel',
      url: 'https://www.reddit.com/r/redditdev/comments/3gpbiu/prawoauth2util_problem_using_get_banned_raise/',
      inReplyTo: null,
      threadId: 't3_3gpbiu',
    })
    expect(mentions[0]?.text.startsWith('[PRAW][OAuth2Util] Problem using get_banned() : raise Forbidden(_raw=response)\n\n# solved')).toBe(true)
  })
  it('parses a full /new listing and a comment stream', () => {
    const { data } = cassetteJson<Listing>(join(dir, 'praw_TestSubredditListings.test_new.json'), '/new')
    expect(data.data.children.map((t) => normalizeReddit(t, nordwind))).toHaveLength(100)
    expect(data.data.after).toBe('t3_48f6io')
    const comments = cassetteJson<Listing>(join(dir, 'praw_TestSubredditStreams.test_comments__with_pause.json'), '/comments/').data
    const first = normalizeReddit(comments.data.children[0] as RedditThing, nordwind)
    expect(first).toMatchObject({ id: 't1_dgauydy', author: 'butt_woman', inReplyTo: 't1_dg7dqfd', threadId: 't3_654eqk', text: 'i lick it', createdAt: 1492274908000 })
  })
  it('parses the unauthenticated search.json and a comments page', () => {
    const search = JSON.parse(readFileSync(join(dir, 'communal_reddit_search_json_by_url.json'), 'utf8')) as Listing
    expect(search.data.children.map((t) => normalizeReddit(t, nordwind).id)).toEqual(['t3_2r539r', 't3_2r8es6', expect.any(String), expect.any(String)])
    const [post, comments] = JSON.parse(readFileSync(join(dir, 'communal_reddit_comments_json.json'), 'utf8')) as [Listing, Listing]
    expect(normalizeReddit(post.data.children[0] as RedditThing, nordwind)).toMatchObject({ id: 't3_2r8es6', author: 'speckz', authorId: 't2_7ccf', createdAt: 1420317685000 })
    const c = normalizeReddit(comments.data.children[0] as RedditThing, nordwind)
    expect(c).toMatchObject({
      id: 't1_cndelez',
      author: 'ElectroSpore',
      inReplyTo: 't3_2r8es6',
      threadId: 't3_2r8es6',
      url: 'https://www.reddit.com/r/sysadmin/comments/2r8es6/why_arent_we_using_ssh_for_everything_medium/cndelez/',
    })
  })
  it('reads the recorded token response and 403 body', () => {
    const [token, forbidden] = readCassette(join(dir, 'praw_TestInbox.test_message__unauthorized.json'))
    expect(JSON.parse(token?.body ?? '').access_token).toBe('<ACCESS_TOKEN>')
    expect(forbidden?.status).toBe(403)
    expect(forbidden?.headers['x-ratelimit-reset']).toBe('51')
  })
})

describe('reddit walk (our fixtures)', () => {
  it('gets an app-only token, walks two search pages, then the support account’s comments', async () => {
    const { http } = testHttp(replayAgent('reddit', 'replay.json'))
    const { steps, mentions, highWater } = await walkAll(reddit, contextFor(reddit, http, { secrets }))
    expect(steps.map((s) => s.page.next)).toEqual(['0:1', '1:0', null])
    expect(mentions.map((m) => m.id)).toEqual(['t3_1kmf2x9', 't3_1kmdz01', 't3_1kl0a7c', 't3_1kkx3bq', 't1_mr3k2dd', 't1_mr3h9q1'])
    expect(highWater).toBe(String(Date.parse('2025-05-14T09:12:44Z') / 1000))
    expect(mentions[4]).toMatchObject({ byBrand: true, author: 'NordwindSupport', inReplyTo: 't3_1kmf2x9', threadId: 't3_1kmf2x9' })
    expect(mentions[0]?.text).toContain('Nordwind Mobile: seit heute früh kein mobiles Internet in Hamburg?')
  })
  it('stops at the cursor: older items are neither returned nor paged past', async () => {
    const { http } = testHttp(replayAgent('reddit', 'replay.json'))
    const cursor = String(Date.parse('2025-05-14T08:30:00Z') / 1000)
    const ctx = contextFor(reddit, http, { secrets, cursor, brand: { ...nordwind, handles: {} } })
    const { steps, mentions, highWater } = await walkAll(reddit, ctx)
    expect(steps).toHaveLength(1)
    expect(mentions.map((m) => m.id)).toEqual(['t3_1kmf2x9'])
    expect(highWater).toBe(String(Date.parse('2025-05-14T09:12:44Z') / 1000))
  })
  it('an empty search leaves the cursor as it was', async () => {
    const { http } = testHttp(replayAgent('reddit', 'replay-empty.json'))
    const { mentions, highWater } = await walkAll(reddit, contextFor(reddit, http, { secrets, cursor: '1747000000', brand: { ...nordwind, handles: {} } }))
    expect(mentions).toEqual([])
    expect(highWater).toBe('1747000000')
  })
  it('reads x-ratelimit-reset as seconds remaining', async () => {
    const { http, clock } = testHttp(replayAgent('reddit', 'replay-429.json', 'replay.json'))
    const { mentions } = await walkAll(reddit, contextFor(reddit, http, { secrets }))
    expect(mentions).toHaveLength(6)
    expect(clock.slept).toEqual([42_000])
  })
  it('defers when the reset is beyond --max-wait', async () => {
    const { http } = testHttp(replayAgent('reddit', 'replay-429.json'), { maxWaitMs: 10_000 })
    const err = await walkError(reddit, contextFor(reddit, http, { secrets }))
    expect(err).toBeInstanceOf(RateLimitDeferred)
  })
  it('names the unset credentials, as the config names them', async () => {
    const { http } = testHttp(replayAgent('reddit', 'replay.json'))
    const err = await walkError(reddit, contextFor(reddit, http, { config: { baseUrl: reddit.defaultBaseUrl, clientSecretEnv: 'ACME_REDDIT_SECRET' } }))
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toBe('reddit: set REDDIT_CLIENT_ID and ACME_REDDIT_SECRET (a Reddit "script" or "web" app)')
  })
  it('reports a 403 body without leaking the token', async () => {
    const { http } = testHttp(replayAgent('reddit', 'replay-error.json'))
    const err = await walkError(reddit, contextFor(reddit, http, { secrets }))
    expect(err).toBeInstanceOf(HttpError)
    expect(err.message).toMatch(/^reddit: GET https:\/\/oauth\.reddit\.com\/search\?.* → 403: \{"message":"Forbidden","error":403\}$/)
    expect(err.message).not.toContain('replay-access-token-0000')
  })
})

faultSuite({
  adapter: reddit,
  platform: 'reddit',
  secrets,
  secretValues: ['very-secret-client-secret', 'replay-access-token-0000'],
  auth: (agent) =>
    agent
      .get('https://www.reddit.com')
      .intercept({ path: '/api/v1/access_token', method: 'POST' })
      .reply(200, { access_token: 'replay-access-token-0000', token_type: 'bearer', expires_in: 86400 })
      .persist(),
  origin: 'https://oauth.reddit.com',
  path: '/search',
  emptyBody: 'empty.json',
  missingField: { body: { kind: 'Listing', data: { after: null, children: [{ kind: 't3', data: { id: 'a', name: 't3_a', title: 'x' } }] } }, field: 'data.children.0.data.created_utc' },
})
