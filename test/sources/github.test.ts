import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RateLimitDeferred } from '../../src/http/errors.js'
import type { Http } from '../../src/http/types.js'
import { HttpError } from '../../src/models/errors.js'
import type { Brand } from '../../src/models/mention.js'
import { github, type GithubIssue, nextLink, normalizeGithub } from '../../src/sources/github.js'
import type { FetchContext } from '../../src/sources/types.js'
import { samplesDir } from '../helpers/cassette.js'
import { collect, fakeHttp, replayHttpFrom, type Reply } from '../helpers/sources.js'

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/github')
const brand: Brand = { name: 'Acme Air', query: '"Acme Air"', handles: { github: ['acme-air-support'] } }
const TOKEN = 'ghp_testtoken1234567890'
const SINCE = Date.parse('2025-03-01T00:00:00Z')


const replayHttp = (file: string) => replayHttpFrom(FIXTURES, file)

function context(http: Http, over: Partial<FetchContext> = {}): FetchContext {
  return {
    brand,
    config: { baseUrl: github.defaultBaseUrl },
    cursor: null,
    since: SINCE,
    maxPages: 10,
    secrets: { tokenEnv: TOKEN },
    http,
    signal: new AbortController().signal,
    ...over,
  }
}

const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as { items: GithubIssue[] }

describe('github contract: ../shared/api-samples/github', () => {
  const dir = samplesDir('github')
  type Nock = { method: string; path: string; status: number; response: unknown; rawHeaders: string[] }
  const scenario = (file: string) => JSON.parse(readFileSync(join(dir!, file), 'utf8')) as Nock[]
  const search = (file: string) => scenario(file).find((i) => i.path.startsWith('/search/issues'))!

  it.skipIf(!dir).each([
    // file, id, created_at, author, authorId, text, url
    ['octokit-fixtures_search-issues_raw-fixture.json', '1308970076', '2022-07-19T04:40:52Z', 'octokit-fixture-user-b', '31899067', 'Sesame seeds split without a pop!\n\nI’ve waited all year long, but there was no pop 😭', 'https://github.com/octokit-fixture-org/tmp-scenario-search-issues-20220719044045959-jlcli/issues/2'],
    ['octokit-fixtures_search-issues_raw-fixture.json', '1308970043', '2022-07-19T04:40:49Z', 'octokit-fixture-user-a', '31898046', 'The doors don’t open\n\nI tried "open sesame" as seen on Wikipedia but no luck!', 'https://github.com/octokit-fixture-org/tmp-scenario-search-issues-20220719044045959-jlcli/issues/1'],
    ['octokit-fixtures_search-issues_normalized-fixture.json', '1000', '2017-10-10T16:00:00Z', 'octokit-fixture-user-b', null, 'Sesame seeds split without a pop!\n\nI’ve waited all year long, but there was no pop 😭', 'https://github.com/octokit-fixture-org/search-issues/issues/2'],
  ] as const)('%s: issue %s', (file, id, created, author, authorId, text, url) => {
    const item = (search(file).response as { items: GithubIssue[] }).items.find((i) => String(i.id) === id)!
    const m = normalizeGithub(item, brand)
    expect(m).toMatchObject({ source: 'github', id, createdAt: Date.parse(created), author, text, url, lang: null, inReplyTo: null, threadId: id, byBrand: false })
    if (authorId) expect(m.authorId).toBe(authorId)
  })

  it.skipIf(!dir)('the recorded search response walks as one page, with its rate-limit headers', async () => {
    const rec = search('octokit-fixtures_search-issues_raw-fixture.json')
    const headers: Record<string, string> = {}
    for (let i = 0; i < rec.rawHeaders.length; i += 2) headers[rec.rawHeaders[i]!.toLowerCase()] = rec.rawHeaders[i + 1]!
    expect(headers['x-ratelimit-resource']).toBe('search')
    const { http } = fakeHttp(() => ({ body: rec.response, headers }))
    const steps = await collect(github.walk(context(http, { brand: { name: 'Sesame', query: 'sesame' }, since: 0 })))
    expect(steps.map((s) => s.page.mentions.map((m) => m.id))).toEqual([['1308970076', '1308970043']])
    expect(steps[0]!.highWater).toBe(String(Date.parse('2022-07-19T04:40:52Z')))
  })

  it.skipIf(!dir)('issue list pages (same item shape) normalise and their Link headers page on', () => {
    const pages = scenario('octokit-fixtures_paginate-issues_raw-fixture.json').filter((i) => i.method === 'get')
    const mentions = pages.flatMap((p) => (p.response as GithubIssue[]).map((i) => normalizeGithub(i, brand)))
    expect(mentions).toHaveLength(13)
    expect(mentions[0]).toMatchObject({ id: '1308969059', author: 'octokit-fixture-user-a', text: 'Test issue 13', createdAt: Date.parse('2022-07-19T04:39:16Z') })
    const links = pages.map((p) => nextLink(p.rawHeaders[p.rawHeaders.findIndex((h) => h.toLowerCase() === 'link') + 1]))
    expect(links).toEqual([
      'https://api.github.com/repositories/515435940/issues?per_page=3&page=2',
      'https://api.github.com/repositories/515435940/issues?per_page=3&page=3',
      'https://api.github.com/repositories/515435940/issues?per_page=3&page=4',
      'https://api.github.com/repositories/515435940/issues?per_page=3&page=5',
      null,
    ])
  })

  it.skipIf(!dir)('the recorded 422 body becomes an error naming source, URL and the validation errors', async () => {
    const rec = scenario('octokit-fixtures_errors_raw-fixture.json').find((i) => i.status === 422)!
    const { http } = fakeHttp(() => ({ status: 422, body: rec.response }))
    const err = await collect(github.walk(context(http))).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HttpError)
    expect((err as Error).message).toMatch(/^github: https:\/\/api\.github\.com\/search\/issues\?.* → 422: Validation Failed: Label\.color invalid$/)
  })
})

describe('normalizeGithub on our fixtures', () => {
  it.each([
    [0, '3100000004', 'kai-dev', false, 'https://github.com/acme-air/acme-air-sdk-js/issues/88'],
    [1, '3100000003', 'acme-air-support', true, 'https://github.com/acme-air/acme-air-sdk-js/pull/87'],
  ] as const)('page1 #%i → %s by %s (byBrand %s)', (index, id, author, byBrand, url) => {
    expect(normalizeGithub(fixture('page1.json').items[index]!, brand)).toMatchObject({ id, author, byBrand, url })
  })

  it('a null body leaves the title alone', () => {
    expect(normalizeGithub(fixture('page2.json').items[1]!, brand).text).toBe('Question: does the Acme Air SDK support refresh tokens?')
  })

  it.each([
    ['<https://x.test/a?page=2>; rel="next", <https://x.test/a?page=9>; rel="last"', 'https://x.test/a?page=2'],
    ['<https://x.test/a?page=1>; rel="prev"', null],
    [undefined, null],
  ])('nextLink(%s) = %s', (header, next) => expect(nextLink(header)).toBe(next))
})

describe('github walk through the HTTP client (fixtures/github replays)', () => {
  it('follows the Link header over two pages', async () => {
    const steps = await collect(github.walk(context(replayHttp('replay.json'))))
    expect(steps.map((s) => s.page.mentions.map((m) => m.id))).toEqual([
      ['3100000004', '3100000003'],
      ['3100000002', '3100000001'],
    ])
    expect(steps[0]!.page.next).toMatch(/page=2$/)
    expect(steps.at(-1)!.highWater).toBe(String(Date.parse('2025-03-10T07:45:12Z')))
  })

  it('an empty result yields one empty page', async () => {
    const steps = await collect(github.walk(context(replayHttp('replay-empty.json'))))
    expect(steps).toEqual([{ page: { mentions: [], next: null, brandFilter: 'exclusions' }, highWater: null }])
  })

  it('a 403 with x-ratelimit-remaining 0 and a far reset defers the source', async () => {
    const err = await collect(github.walk(context(replayHttp('replay-ratelimit.json')))).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RateLimitDeferred)
    expect((err as RateLimitDeferred).resetAt).toBe(4102444800 * 1000)
    expect((err as Error).message).toMatch(/^github: GET https:\/\/api\.github\.com\/search\/issues/)
  })

  it('a 422 names source, URL and the validation message', async () => {
    const err = await collect(github.walk(context(replayHttp('replay-error.json')))).catch((e: unknown) => e)
    expect((err as Error).message).toMatch(/^github: https:\/\/api\.github\.com\/search\/issues\?.* → 422: Validation Failed: The search is longer than 256 characters\.$/)
  })

  it('a payload missing a required field names source, URL and field', async () => {
    const err = await collect(github.walk(context(replayHttp('replay-missing-field.json')))).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HttpError)
    expect((err as Error).message).toMatch(/^github: unexpected payload from https:\/\/api\.github\.com\/search\/issues\?.*: items\.0\.html_url/)
  })
})

describe('github walk logic (fake Http)', () => {
  const route = (u: URL): Reply =>
    u.searchParams.get('page') === '2'
      ? { body: fixture('page2.json') }
      : { body: fixture('page1.json'), headers: { link: `<${u.origin}${u.pathname}?q=x&page=2>; rel="next"` } }

  it('searches "query created:>=<cursor>" newest first with advanced_search and a bearer token', async () => {
    const { http, requests: calls } = fakeHttp(route)
    const cursor = String(Date.parse('2025-03-09T12:00:00.500Z'))
    await collect(github.walk(context(http, { cursor, config: { baseUrl: 'https://ghe.example.com/api/v3', qualifiers: 'org:acme-air' } })))
    const first = new URL(calls[0]!.url)
    expect(first.origin + first.pathname).toBe('https://ghe.example.com/api/v3/search/issues')
    expect(Object.fromEntries(first.searchParams)).toEqual({
      q: '"Acme Air" org:acme-air created:>=2025-03-09T12:00:00Z',
      sort: 'created',
      order: 'desc',
      per_page: '100',
      advanced_search: 'true',
    })
    expect(calls[0]!.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, accept: 'application/vnd.github+json' })
    expect(calls[0]!.secrets).toEqual([TOKEN])
  })

  it('stops at the cursor without following the Link header', async () => {
    const { http, requests: calls } = fakeHttp(route)
    const steps = await collect(github.walk(context(http, { cursor: String(Date.parse('2025-03-10T00:00:00Z')) })))
    expect(calls).toHaveLength(1)
    expect(steps[0]!.page.mentions.map((m) => m.id)).toEqual(['3100000004'])
    expect(steps[0]!.page.next).toBeNull()
  })

  it.each([
    [null, String(Date.parse('2025-03-10T07:45:12Z'))],
    [String(Date.parse('2025-03-02T00:00:00Z')), String(Date.parse('2025-03-02T00:00:00Z'))],
  ])('maxPages=1 with cursor %s: one request; an incremental walk keeps its cursor', async (cursor, highWater) => {
    const { http, requests: calls } = fakeHttp(route)
    const steps = await collect(github.walk(context(http, { cursor, maxPages: 1 })))
    expect(calls).toHaveLength(1)
    expect(steps.map((s) => s.highWater)).toEqual([highWater])
  })

  it('runs without a token (no Authorization header)', async () => {
    const { http, requests: calls } = fakeHttp(() => ({ body: fixture('empty.json') }))
    await collect(github.walk(context(http, { secrets: {} })))
    expect(calls[0]!.headers).not.toHaveProperty('authorization')
    expect(github.credentials).toEqual([expect.objectContaining({ key: 'tokenEnv', defaultEnv: 'GITHUB_TOKEN', required: false })])
  })
})
