import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RateLimitDeferred } from '../../src/http/errors.js'
import { HttpError } from '../../src/models/errors.js'
import { hackernews, type HackerNewsItem, normalizeHackerNews } from '../../src/sources/hackernews.js'
import { samplesDir } from '../helpers/cassette.js'
import { faultSuite } from '../helpers/faults.js'
import { contextFor, nordwind, replayAgent, testHttp, walkAll, walkError } from '../helpers/sources.js'

const samples = samplesDir('hackernews')

describe.skipIf(samples === null)('hackernews contract (../shared/api-samples)', () => {
  const dir = samples as string
  it('parses every hit of the Algolia search sample', () => {
    const body = JSON.parse(readFileSync(join(dir, 'communal_hn_search_by_url.json'), 'utf8')) as { hits: HackerNewsItem[] }
    const mentions = body.hits.map((h) => normalizeHackerNews(h, nordwind))
    expect(mentions.map((m) => m.id)).toEqual(['8828543', '11516582', '13566801', '8830693'])
    expect(mentions[0]).toMatchObject({
      source: 'hackernews',
      createdAt: 1420232746000,
      author: 'dkua',
      text: 'Why aren’t we using SSH for everything?',
      url: 'https://news.ycombinator.com/item?id=8828543',
      inReplyTo: null,
      threadId: '8828543',
      byBrand: false,
    })
  })
  it('parses every node of the items comment tree, HTML stripped', () => {
    type Node = HackerNewsItem & { children?: Node[] }
    const root = JSON.parse(readFileSync(join(dir, 'communal_hn_items_8828543_comment_tree.json'), 'utf8')) as Node
    const all: Node[] = []
    const visit = (n: Node) => {
      all.push(n)
      n.children?.forEach(visit)
    }
    visit(root)
    const mentions = all.map((n) => normalizeHackerNews(n, nordwind))
    expect(mentions).toHaveLength(105)
    const first = mentions.find((m) => m.id === '8829186')
    expect(first).toMatchObject({
      createdAt: 1420241808000,
      author: 'silbak04',
      inReplyTo: '8828543',
      threadId: '8828543',
    })
    expect(first?.text).toContain('Somewhat relevant: I think Mosh solves a few problems that SSH lacks.')
    expect(first?.text).toContain('https://news.ycombinator.com/item?id=8252093')
    expect(first?.text).not.toContain('<p>')
  })
})

describe('hackernews walk (our fixtures)', () => {
  it('walks two pages of search, then the brand handle’s comments', async () => {
    const { http } = testHttp(replayAgent('hackernews', 'replay.json'))
    const { steps, mentions, highWater } = await walkAll(hackernews, contextFor(hackernews, http))
    expect(steps.map((s) => s.page.next)).toEqual(['search:1', 'replies:0', null])
    expect(mentions.map((m) => m.id)).toEqual(['43912007', '43911888', '43911702', '43905121', '43904410', '43912230'])
    expect(highWater).toBe(String(Date.parse('2025-05-14T09:41:12Z') / 1000))
    const reply = mentions.at(-1)
    expect(reply).toMatchObject({ author: 'nordwind_support', byBrand: true, inReplyTo: '43912007', threadId: '43911500' })
    expect(reply?.text).toContain('we had a core network fault in Hamburg')
    expect(mentions[0]?.text).toBe("Is anyone else seeing Nordwind Mobile's 5G drop out in Hamburg since this morning? No data at all, calls still work.")
  })

  it('asks Algolia only for items since the cursor (minus a short overlap)', async () => {
    const agent = replayAgent('hackernews', 'replay-empty.json')
    const seen: string[] = []
    const { http } = testHttp(agent, { onEvent: (e) => e.type === 'request' && seen.push(e.url) })
    const { mentions, highWater } = await walkAll(hackernews, contextFor(hackernews, http, { cursor: '1747215672', brand: { ...nordwind, handles: {} } }))
    expect(mentions).toEqual([])
    expect(highWater).toBe('1747215672')
    expect(new URL(seen[0] as string).searchParams.get('numericFilters')).toBe('created_at_i>=1747215372')
  })

  it('stops at maxPages and keeps the old cursor, so the next run closes the gap', async () => {
    const { http } = testHttp(replayAgent('hackernews', 'replay.json'))
    const ctx = contextFor(hackernews, http, { cursor: '1747000000', maxPages: 1, brand: { ...nordwind, handles: {} } })
    const { steps, highWater } = await walkAll(hackernews, ctx)
    expect(steps).toHaveLength(1)
    expect(highWater).toBe('1747000000')
  })

  it('waits out a 429 with Retry-After seconds, then continues', async () => {
    const { http, clock } = testHttp(replayAgent('hackernews', 'replay-429.json', 'replay.json'), { maxWaitMs: 300_000 })
    const { mentions } = await walkAll(hackernews, contextFor(hackernews, http))
    expect(mentions).toHaveLength(6)
    expect(clock.slept).toEqual([120_000])
    expect(http.stats('hackernews')).toMatchObject({ rateLimitWaits: 1, rateLimitWaitMs: 120_000 })
  })

  it('defers when Retry-After is longer than --max-wait', async () => {
    const { http } = testHttp(replayAgent('hackernews', 'replay-429.json', 'replay.json'), { maxWaitMs: 60_000 })
    const err = await walkError(hackernews, contextFor(hackernews, http))
    expect(err).toBeInstanceOf(RateLimitDeferred)
    expect((err as RateLimitDeferred).resetAt).toBe(Date.parse('2025-05-14T12:00:00Z') + 120_000)
  })

  it('reports an error body with status, source and URL', async () => {
    const { http } = testHttp(replayAgent('hackernews', 'replay-error.json'))
    const err = await walkError(hackernews, contextFor(hackernews, http))
    expect(err).toBeInstanceOf(HttpError)
    expect((err as HttpError).status).toBe(400)
    expect(err.message).toMatch(/^hackernews: GET https:\/\/hn\.algolia\.com\/api\/v1\/search_by_date\?.* → 400: .*Invalid syntax/)
  })
})

faultSuite({
  adapter: hackernews,
  platform: 'hackernews',
  secrets: {},
  secretValues: [],
  origin: 'https://hn.algolia.com',
  path: '/api/v1/search_by_date',
  emptyBody: 'empty.json',
  missingField: { body: { hits: [{ objectID: '1', title: 'no time' }], page: 0, nbPages: 1 }, field: 'hits.0.created_at_i' },
})
