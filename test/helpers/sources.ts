// Shared plumbing for adapter tests: a MockAgent loaded from our replay fixtures, an HTTP client
// on a fake clock (sleeps advance time instantly), and a walk runner.
import { resolve } from 'node:path'
import { MockAgent } from 'undici'
import { expect } from 'vitest'
import { createHttp, type HttpClient, type HttpOptions } from '../../src/http/client.js'
import { redactUrl } from '../../src/http/redact.js'
import { loadReplayFile } from '../../src/http/replay.js'
import type { Http, HttpRequest, HttpResponse } from '../../src/http/types.js'
import { HttpError } from '../../src/models/errors.js'
import type { Brand, Mention } from '../../src/models/mention.js'
import type { FetchContext, SourceAdapter, WalkStep } from '../../src/sources/types.js'

export const FIXTURES = resolve(process.cwd(), 'fixtures')

export const nordwind: Brand = {
  name: 'Nordwind Mobile',
  query: 'Nordwind Mobile',
  languages: ['de', 'en'],
  handles: {
    hackernews: 'nordwind_support',
    reddit: 'NordwindSupport',
    mastodon: '@nordwindhilfe',
    bluesky: 'nordwindhilfe.bsky.social',
    x: 'NordwindHilfe',
  },
}

/** A MockAgent (network off) answering from fixture replay files, in the order given. */
export function replayAgent(platform: string, ...files: string[]): MockAgent {
  const agent = new MockAgent()
  agent.disableNetConnect()
  for (const f of files) loadReplayFile(agent, resolve(FIXTURES, platform, f))
  return agent
}

export interface FakeClock {
  now: () => number
  sleep: (ms: number) => Promise<void>
  slept: number[]
}

export function fakeClock(start = Date.parse('2025-05-14T12:00:00Z')): FakeClock {
  let t = start
  const slept: number[] = []
  return {
    now: () => t,
    sleep: async (ms: number) => {
      slept.push(ms)
      t += ms
    },
    slept,
  }
}

export function testHttp(agent: MockAgent, options: Partial<HttpOptions> = {}, clockStart?: number): { http: HttpClient; clock: FakeClock } {
  const clock = fakeClock(clockStart)
  const http = createHttp({ version: '0.0.0-test', dispatcher: agent, now: clock.now, sleep: clock.sleep, random: () => 0.5, ...options })
  return { http, clock }
}

export function contextFor(adapter: SourceAdapter, http: HttpClient, overrides: Partial<FetchContext> = {}): FetchContext {
  return {
    brand: nordwind,
    config: { baseUrl: adapter.defaultBaseUrl },
    cursor: null,
    since: Date.parse('2025-05-01T00:00:00Z'),
    maxPages: 10,
    secrets: {},
    http,
    signal: new AbortController().signal,
    ...overrides,
  }
}

export async function walkAll(adapter: SourceAdapter, ctx: FetchContext): Promise<{ steps: WalkStep[]; mentions: Mention[]; highWater: string | null }> {
  const steps: WalkStep[] = []
  for await (const step of adapter.walk(ctx)) steps.push(step)
  return { steps, mentions: steps.flatMap((s) => s.page.mentions), highWater: steps.at(-1)?.highWater ?? null }
}

/** Runs the walk expecting a failure; returns the error. */
export async function walkError(adapter: SourceAdapter, ctx: FetchContext): Promise<Error> {
  try {
    await walkAll(adapter, ctx)
  } catch (err) {
    expect(err).toBeInstanceOf(Error)
    return err as Error
  }
  throw new Error(`${adapter.name}: walk was expected to fail`)
}

export type Reply = { status?: number; body: unknown; headers?: Record<string, string> }
/** A stand-in for the HTTP client: routes by URL, enforces okStatuses and redaction like the real one. */
export function fakeHttp(route: (url: URL) => Reply | undefined) {
  /** The URLs asked for, and the whole requests (headers, secrets) for tests that check them. */
  const calls: URL[] = []
  const requests: HttpRequest[] = []
  const request = async (req: HttpRequest): Promise<HttpResponse> => {
    const url = new URL(req.url)
    calls.push(url)
    requests.push(req)
    const r = route(url)
    if (!r) throw new Error(`unexpected request ${req.url}`)
    const status = r.status ?? 200
    const safe = redactUrl(req.url, req.secrets)
    const res = { status, url: safe, headers: r.headers ?? {}, body: typeof r.body === 'string' ? r.body : JSON.stringify(r.body) }
    if ((status < 200 || status > 299) && !req.okStatuses?.includes(status)) throw new HttpError(`${req.source}: ${safe} → ${status}`, safe, status)
    return res
  }
  const http: Http = { request, json: async <T>(req: HttpRequest) => { const response = await request(req); return { data: JSON.parse(response.body) as T, response } } }
  return { http, calls, requests }
}

/** The real client over a MockAgent loaded from one replay file, with no retries or waits. */
export function replayHttpFrom(dir: string, file: string): HttpClient {
  const agent = new MockAgent()
  agent.disableNetConnect()
  loadReplayFile(agent, resolve(dir, file))
  return createHttp({ version: 'test', dispatcher: agent, maxRetries: 0, maxWaitMs: 1_000, sleep: async () => {} })
}

export async function collect(steps: AsyncIterable<WalkStep>): Promise<WalkStep[]> {
  const out: WalkStep[] = []
  for await (const s of steps) out.push(s)
  return out
}
