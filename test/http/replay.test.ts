import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createHttp } from '../../src/http/client.js'
import { createReplayDispatcher, matchesRule } from '../../src/http/replay.js'
import { UsageError } from '../../src/models/errors.js'

describe('matchesRule', () => {
  it.each([
    ['/api/v1/search_by_date?query=a&page=1', { path: '/api/v1/search_by_date', query: { page: '1' } }, true],
    ['/api/v1/search_by_date?query=a&page=0', { path: '/api/v1/search_by_date', query: { page: '1' } }, false],
    ['/search?q=x', { path: '/search', query: { after: null } }, true],
    ['/search?q=x&after=t3_a', { path: '/search', query: { after: null } }, false],
    ['/search/other', { path: '/search' }, false],
    ['/search?anything=1', { path: '/search' }, true],
  ])('%s', (path, rule, expected) => expect(matchesRule(path, rule)).toBe(expected))
})

describe('createReplayDispatcher', () => {
  it('answers from every platform folder of fixtures/ and never touches the network', async () => {
    const http = createHttp({ version: '1', dispatcher: createReplayDispatcher(resolve(process.cwd(), 'fixtures')) })
    const page = await http.json<{ hits: unknown[]; nbPages: number }>({
      url: 'https://hn.algolia.com/api/v1/search_by_date?query=Nordwind&tags=(story,comment)&page=1&numericFilters=created_at_i>=1',
    })
    expect(page.data.hits).toHaveLength(2)
    const x = await http.json<{ meta: { result_count: number } }>({ url: 'https://api.x.com/2/tweets/search/recent?query=a' })
    expect(x.data.meta.result_count).toBe(3)
    await expect(http.request({ url: 'https://unknown.example/nothing', source: 'demo' })).rejects.toThrow(/demo: GET https:\/\/unknown\.example\/nothing failed/)
  })

  it('reads inline bodies and a single replay.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-'))
    writeFileSync(
      join(dir, 'replay.json'),
      JSON.stringify({ interactions: [{ origin: 'https://a.example', path: '/x', status: 200, body: { ok: 1 }, times: 1 }] }),
    )
    const http = createHttp({ version: '1', dispatcher: createReplayDispatcher(dir) })
    expect((await http.json({ url: 'https://a.example/x' })).data).toEqual({ ok: 1 })
    await expect(http.request({ url: 'https://a.example/x' })).rejects.toThrow()
  })

  it.each([
    ['{"interactions": [{"origin": "https://a.example", "path": "x", "status": 200}]}', /replay\.json: interactions\.0\.path/],
    ['{not json', /replay\.json: /],
  ])('a bad replay file is a UsageError naming the file (%#)', (text, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-'))
    writeFileSync(join(dir, 'replay.json'), text)
    expect(() => createReplayDispatcher(dir)).toThrow(UsageError)
    expect(() => createReplayDispatcher(dir)).toThrow(message)
  })

  it('a directory without replays is a UsageError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-'))
    mkdirSync(join(dir, 'empty'))
    expect(() => createReplayDispatcher(dir)).toThrow(/no replay\.json/)
  })
})
