// Each adapter's lookup (listen recheck) against MockAgent answers in the platform's shapes: what
// counts as live (and its text), deleted, removed, hidden, and what the platform left unsaid.
import { MockAgent } from 'undici'
import { describe, expect, it } from 'vitest'
import { createHttp } from '../../src/http/client.js'
import { sources as registry } from '../../src/sources/registry.js'
import type { LookupPost, SourceAdapter } from '../../src/sources/types.js'

function agent(): MockAgent {
  const a = new MockAgent()
  a.disableNetConnect()
  return a
}

async function lookup(name: keyof typeof registry, a: MockAgent, posts: LookupPost[], secrets: Record<string, string> = {}) {
  const adapter = registry[name] as SourceAdapter
  const http = createHttp({ version: 'test', dispatcher: a, maxRetries: 0, maxWaitMs: 1_000, sleep: async () => {} })
  try {
    const out = await adapter.lookup!(posts, { config: { baseUrl: adapter.defaultBaseUrl }, secrets, http, signal: new AbortController().signal })
    return Object.fromEntries(out)
  } finally {
    await http.close()
  }
}

const post = (id: string, url: string | null = null): LookupPost => ({ id, url })

describe('adapter lookups', () => {
  it('bluesky: getPosts leaves deleted posts out', async () => {
    const a = agent()
    const pds = a.get('https://bsky.social')
    pds.intercept({ path: '/xrpc/com.atproto.server.createSession', method: 'POST' }).reply(200, { accessJwt: 'jwt', did: 'did:plc:me' })
    const live = { uri: 'at://did:plc:a/app.bsky.feed.post/1', cid: 'c', author: { did: 'did:plc:a', handle: 'a.bsky.social' }, record: { text: 'still here', createdAt: '2026-11-02T08:00:00Z' } }
    pds.intercept({ path: (p) => p.startsWith('/xrpc/app.bsky.feed.getPosts?') && p.includes('uris=') }).reply(200, { posts: [live] })
    expect(await lookup('bluesky', a, [post(live.uri), post('at://did:plc:a/app.bsky.feed.post/2')], { identifierEnv: 'me', appPasswordEnv: 'pw' })).toEqual({
      [live.uri]: { state: 'live', text: 'still here' },
      'at://did:plc:a/app.bsky.feed.post/2': { state: 'gone', reason: 'deleted' },
    })
  })

  it('x: Not Found is deleted, Authorization Error hidden, an id not named is unknown', async () => {
    const a = agent()
    a.get('https://api.x.com')
      .intercept({ path: (p) => decodeURIComponent(p).includes('ids=1,2,3,4') })
      .reply(200, {
        data: [{ id: '1', text: 'hello @acme' }],
        errors: [
          { resource_id: '2', title: 'Not Found Error', detail: 'Could not find tweet with ids: [2].' },
          { resource_id: '3', title: 'Authorization Error', detail: 'Sorry, you are not authorized to see the Tweet with ids: [3].' },
        ],
      })
    expect(await lookup('x', a, [post('1'), post('2'), post('3'), post('4')], { tokenEnv: 't' })).toEqual({
      '1': { state: 'live', text: 'hello @acme' },
      '2': { state: 'gone', reason: 'deleted' },
      '3': { state: 'gone', reason: 'hidden' },
    })
  })

  it('youtube: comments.list without the id is a deleted comment', async () => {
    const a = agent()
    const c = { id: 'Ugx1', snippet: { textOriginal: 'bad update', textDisplay: 'bad update', publishedAt: '2026-11-02T08:00:00Z', videoId: 'v' } }
    a.get('https://www.googleapis.com').intercept({ path: (p) => p.startsWith('/youtube/v3/comments?') }).reply(200, { items: [c] })
    expect(await lookup('youtube', a, [post('Ugx1'), post('Ugx2')], { apiKeyEnv: 'k' })).toEqual({
      Ugx1: { state: 'live', text: 'bad update' },
      Ugx2: { state: 'gone', reason: 'deleted' },
    })
  })

  it('facebook: code 100 is deleted, is_hidden is hidden', async () => {
    const a = agent()
    const g = a.get('https://graph.facebook.com')
    g.intercept({ path: (p) => p.startsWith('/v21.0/1_2?') }).reply(200, { id: '1_2', message: 'Wann kommt die Rechnung?' })
    g.intercept({ path: (p) => p.startsWith('/v21.0/1_3?') }).reply(400, { error: { message: 'Unsupported get request. Object with ID does not exist', type: 'GraphMethodException', code: 100, error_subcode: 33 } })
    g.intercept({ path: (p) => p.startsWith('/v21.0/1_4?') }).reply(200, { id: '1_4', message: 'spam', is_hidden: true })
    const out = await lookup('facebook', a, [post('1_2'), post('1_3'), post('1_4', 'https://www.facebook.com/1/posts/2?comment_id=4')], { tokenEnv: 't' })
    expect(out).toEqual({
      '1_2': { state: 'live', text: 'Wann kommt die Rechnung?' },
      '1_3': { state: 'gone', reason: 'deleted' },
      '1_4': { state: 'gone', reason: 'hidden' },
    })
  })

  it('stackexchange: posts and comments per site; a missing one is deleted', async () => {
    const a = agent()
    const api = a.get('https://api.stackexchange.com')
    api.intercept({ path: (p) => p.startsWith('/2.3/posts/11;12?') }).reply(200, { items: [{ post_id: 11, post_type: 'question', title: 'Acme &amp; SSO', body: '<p>How?</p>' }] })
    api.intercept({ path: (p) => p.startsWith('/2.3/comments/7?') }).reply(200, { items: [{ comment_id: 7, body: 'thanks' }] })
    expect(await lookup('stackexchange', a, [post('stackoverflow:11'), post('stackoverflow:12'), post('stackoverflow:c7')])).toEqual({
      'stackoverflow:11': { state: 'live', text: 'Acme & SSO\n\nHow?' },
      'stackoverflow:12': { state: 'gone', reason: 'deleted' },
      'stackoverflow:c7': { state: 'live', text: 'thanks' },
    })
  })

  it('github: 410 is deleted, 404 not found; a post without an issue URL is left unsaid', async () => {
    const a = agent()
    const api = a.get('https://api.github.com')
    const issue = { id: 5, number: 1, title: 'Crash on login', body: 'app crashes', html_url: 'https://github.com/acme/app/issues/1', created_at: '2026-11-02T08:00:00Z', user: { login: 'u', id: 9 } }
    api.intercept({ path: '/repos/acme/app/issues/1' }).reply(200, issue)
    api.intercept({ path: '/repos/acme/app/issues/2' }).reply(410, { message: 'This issue was deleted' })
    api.intercept({ path: '/repos/acme/app/issues/3' }).reply(404, { message: 'Not Found' })
    const out = await lookup('github', a, [
      post('5', 'https://github.com/acme/app/issues/1'),
      post('6', 'https://github.com/acme/app/issues/2'),
      post('7', 'https://github.com/acme/app/pull/3'),
      post('8', null),
    ])
    expect(out).toEqual({
      '5': { state: 'live', text: 'Crash on login\n\napp crashes' },
      '6': { state: 'gone', reason: 'deleted' },
      '7': { state: 'gone', reason: 'not found' },
    })
  })

  it('every adapter either looks posts up or says why it cannot', () => {
    for (const [name, adapter] of Object.entries(registry) as Array<[string, SourceAdapter]>) {
      expect(Boolean(adapter.lookup) !== Boolean(adapter.noLookup), name).toBe(true)
    }
  })
})
