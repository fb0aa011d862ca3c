import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { MockAgent } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { createHttp } from '../../src/http/client.js'
import { MaybeDelivered, RateLimitDeferred } from '../../src/http/errors.js'
import type { HttpEvent } from '../../src/http/types.js'
import { HttpError } from '../../src/models/errors.js'
import { fakeClock } from '../helpers/sources.js'

const ORIGIN = 'https://api.example.com'
const json = { headers: { 'content-type': 'application/json' } }

/** The rejection of a promise that must fail. */
async function failure(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise
  } catch (err) {
    return err as HttpError
  }
  throw new Error('expected a failure')
}

function setup(options: Parameters<typeof createHttp>[0] extends infer O ? Partial<O> : never = {}) {
  const agent = new MockAgent()
  agent.disableNetConnect()
  const clock = fakeClock()
  const events: HttpEvent[] = []
  const http = createHttp({ version: '1.2.3', dispatcher: agent, now: clock.now, sleep: clock.sleep, random: () => 0.5, onEvent: (e) => events.push(e), ...options })
  return { agent, pool: agent.get(ORIGIN), http, clock, events }
}

describe('createHttp over MockAgent', () => {
  it('sends User-Agent listen/<version>', async () => {
    const { pool, http } = setup()
    pool.intercept({ path: '/ua', headers: { 'user-agent': 'listen/1.2.3' } }).reply(200, '{"ok":true}', json)
    expect((await http.json({ url: `${ORIGIN}/ua` })).data).toEqual({ ok: true })
  })

  it('retries a 500 with exponential backoff and jitter, then succeeds', async () => {
    const { pool, http, clock } = setup({ retryBaseMs: 1000 })
    pool.intercept({ path: '/flaky' }).reply(500, 'oops')
    pool.intercept({ path: '/flaky' }).reply(503, 'still')
    pool.intercept({ path: '/flaky' }).reply(200, '[]', json)
    await http.json({ url: `${ORIGIN}/flaky`, source: 'hn' })
    // random() = 0.5 → half fixed + a quarter: 750 ms, then 1500 ms.
    expect(clock.slept).toEqual([750, 1500])
    expect(http.stats('hn')).toMatchObject({ requests: 3, retries: 2 })
  })

  it('retries a connection reset and a headers timeout from scratch', async () => {
    const { pool, http, events } = setup()
    pool.intercept({ path: '/net' }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
    pool.intercept({ path: '/net' }).replyWithError(Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }))
    pool.intercept({ path: '/net' }).reply(200, '{}', json)
    await http.json({ url: `${ORIGIN}/net`, source: 'x' })
    expect(events.filter((e) => e.type === 'retry').map((e) => (e as { reason: string }).reason)).toEqual([
      'connection reset by peer (ECONNRESET)',
      'timed out waiting for response headers',
    ])
  })

  it('does not retry a 4xx', async () => {
    const { agent, pool, http } = setup()
    pool.intercept({ path: '/bad' }).reply(400, '{"error":"bad query"}', json)
    const err = await failure(http.request({ url: `${ORIGIN}/bad`, source: 'x' }))
    expect(err).toBeInstanceOf(HttpError)
    expect((err as HttpError).message).toBe(`x: GET ${ORIGIN}/bad → 400: {"error":"bad query"}`)
    expect(agent.pendingInterceptors()).toHaveLength(0)
  })

  it('returns okStatuses (304) instead of throwing', async () => {
    const { pool, http } = setup()
    pool.intercept({ path: '/feed' }).reply(304, '')
    expect((await http.request({ url: `${ORIGIN}/feed`, okStatuses: [304] })).status).toBe(304)
  })

  it('waits for a 429 reset within maxWait, counting the wait', async () => {
    const { pool, http, clock } = setup({ maxWaitMs: 60_000 })
    pool.intercept({ path: '/rl' }).reply(429, '{}', { headers: { 'retry-after': '30' } })
    pool.intercept({ path: '/rl' }).reply(200, '{}', json)
    await http.json({ url: `${ORIGIN}/rl`, source: 'reddit' })
    expect(clock.slept).toEqual([30_000])
    expect(http.stats('reddit')).toMatchObject({ rateLimitWaits: 1, rateLimitWaitMs: 30_000, deferrals: 0 })
    expect(http.stats()).toMatchObject({ rateLimitWaits: 1 })
  })

  it('throws RateLimitDeferred for a reset beyond maxWait and keeps deferring that host', async () => {
    const { pool, http, clock } = setup({ maxWaitMs: 60_000 })
    pool.intercept({ path: (p) => p.startsWith('/rl') }).reply(429, '{}', { headers: { 'x-rate-limit-reset': String(Math.floor(clock.now() / 1000) + 900) } })
    const err = await failure(http.request({ url: `${ORIGIN}/rl?access_token=tok-xyz`, source: 'x' }))
    expect(err).toBeInstanceOf(RateLimitDeferred)
    const deferred = err as RateLimitDeferred
    expect(deferred.resetAt).toBe(Math.floor(clock.now() / 1000) * 1000 + 900_000)
    expect(deferred.host).toBe('api.example.com')
    expect(deferred.message).toContain(`x: GET ${ORIGIN}/rl?access_token=***: rate limited until`)
    expect(deferred.message).not.toContain('tok-xyz')
    // The next request to the same host is deferred without touching the network.
    await expect(http.request({ url: `${ORIGIN}/other`, source: 'x' })).rejects.toBeInstanceOf(RateLimitDeferred)
    expect(http.stats('x').deferrals).toBe(2)
  })

  it('a spent window (remaining 0) makes the next request wait for the reset', async () => {
    const { pool, http, clock } = setup()
    const reset = String(Math.floor(clock.now() / 1000) + 20)
    pool.intercept({ path: '/a' }).reply(200, '{}', { headers: { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset } })
    pool.intercept({ path: '/b' }).reply(200, '{}', json)
    await http.request({ url: `${ORIGIN}/a` })
    await http.request({ url: `${ORIGIN}/b` })
    expect(clock.slept).toEqual([20_000])
  })

  it('honours Stack Exchange `backoff` in a JSON body, and noteBackoff()', async () => {
    const { pool, http, clock } = setup()
    pool.intercept({ path: '/2.3/search/advanced' }).reply(200, '{"items":[],"backoff":10,"quota_remaining":290}', json).times(2)
    await http.json({ url: `${ORIGIN}/2.3/search/advanced` })
    await http.json({ url: `${ORIGIN}/2.3/search/advanced` })
    expect(clock.slept).toEqual([10_000])
    http.noteBackoff(ORIGIN, 5)
    pool.intercept({ path: '/c' }).reply(200, '{}', json)
    await http.request({ url: `${ORIGIN}/c` })
    expect(clock.slept).toEqual([10_000, 10_000])
  })

  it('gives up after maxRateLimitRetries refusals', async () => {
    const { pool, http } = setup({ maxRateLimitRetries: 1 })
    pool.intercept({ path: '/rl' }).reply(429, 'slow down', { headers: { 'retry-after': '1' } }).persist()
    await expect(http.request({ url: `${ORIGIN}/rl`, source: 'hn' })).rejects.toThrow(`hn: GET ${ORIGIN}/rl → 429: still rate limited after 2 attempts: slow down`)
  })

  it('an HTML page with status 200 and malformed JSON name the URL, secrets redacted', async () => {
    const { pool, http } = setup()
    pool.intercept({ path: (p) => p.startsWith('/html') }).reply(200, '<html><body>Wartungsarbeiten</body></html>', { headers: { 'content-type': 'text/html; charset=utf-8' } })
    pool.intercept({ path: (p) => p.startsWith('/broken') }).reply(200, '{"items": [1, 2', json)
    const secret = 'AIzaSy-secret-key'
    const html = await failure(http.json({ url: `${ORIGIN}/html?key=${secret}`, source: 'youtube', secrets: [secret] }))
    expect(html.message).toBe(`youtube: GET ${ORIGIN}/html?key=***: expected JSON but got an HTML page (status 200): <html><body>Wartungsarbeiten</body></html>`)
    expect(html.url).toBe(`${ORIGIN}/html?key=***`)
    const broken = await failure(http.json({ url: `${ORIGIN}/broken?q=${secret}`, source: 'youtube', secrets: [secret] }))
    expect(broken.message).toMatch(/^youtube: GET https:\/\/api\.example\.com\/broken\?q=\*\*\*: malformed JSON \(/)
    expect(broken.message).not.toContain(secret)
  })

  it('redacts secrets echoed in an error body', async () => {
    const { pool, http } = setup()
    pool.intercept({ path: '/echo' }).reply(401, '{"error":"token tok-12345 expired"}', json)
    const err = await failure(http.request({ url: `${ORIGIN}/echo`, source: 'mastodon', secrets: ['tok-12345'] }))
    expect(err.message).toBe(`mastodon: GET ${ORIGIN}/echo → 401: {"error":"token *** expired"}`)
  })

  it('events carry only redacted URLs', async () => {
    const { pool, http, events } = setup()
    pool.intercept({ path: (p) => p.startsWith('/ev') }).reply(200, '{}', json)
    await http.request({ url: `${ORIGIN}/ev?api_key=k-999&q=a`, source: 'hn' })
    expect(JSON.stringify(events)).not.toContain('k-999')
    expect(events.map((e) => e.type)).toEqual(['request', 'response'])
  })
})

describe('createHttp over a real local server', () => {
  let server: Server | undefined
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    server?.closeAllConnections()
    server = undefined
  })
  async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
    server = createServer(handler)
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  it('times out a server that never sends headers, after retrying', async () => {
    let hits = 0
    const base = await listen(() => {
      hits++ // never answer
    })
    const http = createHttp({ version: '1', headersTimeoutMs: 100, maxRetries: 1, retryBaseMs: 1 })
    const err = await failure(http.request({ url: `${base}/slow`, source: 'rss' }))
    expect(err).toBeInstanceOf(HttpError)
    expect(err.message).toBe(`rss: GET ${base}/slow failed after 2 attempts: timed out waiting for response headers`)
    expect(hits).toBe(2)
    await http.close()
  })

  it('decompresses a gzip body sent whatever Accept-Encoding said (Stack Exchange)', async () => {
    const body = gzipSync(JSON.stringify({ items: [{ title: 'Grüße' }], quota_remaining: 9 }))
    const base = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip' }).end(body)
    })
    const http = createHttp({ version: '1' })
    expect((await http.json({ url: `${base}/2.3/search/advanced` })).data).toEqual({ items: [{ title: 'Grüße' }], quota_remaining: 9 })
    await http.close()
  })

  it('retries a reset connection and then succeeds', async () => {
    let hits = 0
    const base = await listen((req, res) => {
      hits++
      if (hits === 1) req.socket.destroy()
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":1}')
    })
    const http = createHttp({ version: '1', retryBaseMs: 1 })
    expect((await http.json({ url: `${base}/r` })).data).toEqual({ ok: 1 })
    expect(hits).toBe(2)
    await http.close()
  })

  it('limits concurrent requests per host', async () => {
    let active = 0
    let peak = 0
    const base = await listen((_req, res) => {
      active++
      peak = Math.max(peak, active)
      setTimeout(() => {
        active--
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      }, 20)
    })
    const http = createHttp({ version: '1', perHostConcurrency: 2 })
    await Promise.all(Array.from({ length: 6 }, (_, i) => http.request({ url: `${base}/p${i}` })))
    expect(peak).toBe(2)
    await http.close()
  })
})

describe('createHttp: a connection reset mid-body', () => {
  let server: Server | undefined
  afterEach(async () => {
    server?.closeAllConnections()
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    server = undefined
  })
  /** A JSON API that sends half of its body and destroys the socket on the first `breaks` requests. */
  async function halfBody(breaks: number): Promise<{ base: string; hits: () => number; ranges: () => string[] }> {
    let hits = 0
    const ranges: string[] = []
    const body = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, text: `post ${i}` })) })
    server = createServer((req, res) => {
      hits++
      if (req.headers.range) ranges.push(req.headers.range)
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) })
      if (hits > breaks) return void res.end(body)
      res.write(body.slice(0, body.length / 2), () => setTimeout(() => req.socket.destroy(), 5))
    })
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits, ranges: () => ranges }
  }

  it('restarts the request from scratch (no Range header) and reads the whole body', async () => {
    const s = await halfBody(1)
    const events: HttpEvent[] = []
    const http = createHttp({ version: '1', retryBaseMs: 1, onEvent: (e) => events.push(e) })
    const { data } = await http.json<{ items: unknown[] }>({ url: `${s.base}/search`, source: 'reddit' })
    expect(data.items).toHaveLength(200)
    expect(s.hits()).toBe(2)
    expect(s.ranges()).toEqual([])
    const retry = events.find((e) => e.type === 'retry') as { reason: string } | undefined
    expect(retry?.reason).toContain('connection reset')
    await http.close()
  })

  it('a reset on every try ends in an error that says "connection reset"', async () => {
    const s = await halfBody(Infinity)
    const http = createHttp({ version: '1', retryBaseMs: 1, maxRetries: 2 })
    const err = await failure(http.json({ url: `${s.base}/search`, source: 'reddit' }))
    expect(err).toBeInstanceOf(HttpError)
    expect(err.message).toMatch(new RegExp(`^reddit: GET ${s.base.replace(/[.:/]/g, '\\$&')}/search failed after 3 attempts: connection reset`))
    expect(s.hits()).toBe(3)
    await http.close()
  })
})

describe("createHttp: resend 'if-unsent' (a POST that must not arrive twice)", () => {
  let server: Server | undefined
  afterEach(async () => {
    server?.closeAllConnections()
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    server = undefined
  })

  it('a receiver that answers too late gets the request once, and the error says it may have arrived', async () => {
    let hits = 0
    server = createServer(() => {
      hits++ // reads the request, never answers in time
    })
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const http = createHttp({ version: '1', headersTimeoutMs: 100, maxRetries: 2, retryBaseMs: 1 })
    const err = await failure(http.request({ url: `${base}/hook`, method: 'POST', body: '{}', source: 'webhook', resend: 'if-unsent' }))
    expect(err).toBeInstanceOf(MaybeDelivered)
    expect(err.message).toBe(`webhook: POST ${base}/hook: timed out waiting for response headers; it may have arrived, so it was not sent again`)
    expect(hits).toBe(1)
    await http.close()
  })

  it('a refused connection (nothing sent) is retried', async () => {
    const { agent, pool, http } = setup({ maxRetries: 2 })
    pool.intercept({ path: '/hook', method: 'POST' }).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
    pool.intercept({ path: '/hook', method: 'POST' }).reply(200, 'ok')
    expect((await http.request({ url: `${ORIGIN}/hook`, method: 'POST', body: '{}', resend: 'if-unsent' })).status).toBe(200)
    expect(agent.pendingInterceptors()).toHaveLength(0)
  })
})
