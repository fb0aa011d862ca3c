// The fault table every adapter must pass: each fault ends in an error that names the source and
// the URL, with no secret in it. 500-then-success must recover.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { errors, MockAgent } from 'undici'
import { describe, expect, it } from 'vitest'
import { RateLimitDeferred } from '../../src/http/errors.js'
import { HttpError } from '../../src/models/errors.js'
import type { SourceAdapter } from '../../src/sources/types.js'
import { contextFor, FIXTURES, nordwind, testHttp, walkAll, walkError } from './sources.js'

// Only the search pass: the brand-replies pass is exercised by each adapter's own tests.
const noHandles = { ...nordwind, handles: {} }

export interface FaultSetup {
  adapter: SourceAdapter
  platform: string
  secrets: Record<string, string>
  /** Secret values that must never show up in an error. */
  secretValues: string[]
  /** Answers login/token requests, if any. */
  auth?: (agent: MockAgent) => void
  origin: string
  /** Path of the first data request (matched on pathname). */
  path: string
  /** Fixture file with a valid, empty result for that request. */
  emptyBody: string
  /** A body that lacks a required field, and the field's name as the message should show it. */
  missingField: { body: unknown; field: string }
}

export function faultSuite(setup: FaultSetup): void {
  const empty = readFileSync(resolve(FIXTURES, setup.platform, setup.emptyBody), 'utf8')
  const json = { headers: { 'content-type': 'application/json' } }

  function agentWith(answer: (agent: MockAgent) => void): MockAgent {
    const agent = new MockAgent()
    agent.disableNetConnect()
    setup.auth?.(agent)
    answer(agent)
    return agent
  }
  const data = (agent: MockAgent) =>
    agent.get(setup.origin).intercept({ path: (p: string) => new URL(p, 'http://x').pathname === setup.path, method: 'GET' })

  function expectNamed(err: Error) {
    expect(err).toBeInstanceOf(HttpError)
    expect(err.message).toContain(`${setup.adapter.name}:`)
    expect(err.message).toContain(`${setup.origin}${setup.path}`)
    expect((err as HttpError).url).toContain(`${setup.origin}${setup.path}`)
    for (const s of setup.secretValues) {
      expect(err.message).not.toContain(s)
      expect((err as HttpError).url).not.toContain(s)
    }
  }

  async function fail(answer: (agent: MockAgent) => void, maxWaitMs?: number) {
    const { http } = testHttp(agentWith(answer), { maxRetries: 2, maxWaitMs })
    return walkError(setup.adapter, contextFor(setup.adapter, http, { secrets: setup.secrets, brand: noHandles }))
  }

  describe(`${setup.adapter.name} faults`, () => {
    it('500 then success recovers', async () => {
      const agent = agentWith((a) => {
        data(a).reply(500, 'upstream hiccup')
        data(a).reply(200, empty, json).persist()
      })
      const { http } = testHttp(agent, { maxRetries: 2 })
      const { mentions } = await walkAll(setup.adapter, contextFor(setup.adapter, http, { secrets: setup.secrets, brand: noHandles }))
      expect(mentions).toEqual([])
      expect(http.stats(setup.adapter.name).retries).toBe(1)
    })
    it('500 every time: error with the status and the body', async () => {
      const err = await fail((a) => data(a).reply(500, 'Internal Server Error').persist())
      expectNamed(err)
      expect((err as HttpError).status).toBe(500)
      expect(err.message).toContain('after 3 attempts')
    })
    it('a timeout every time', async () => {
      const err = await fail((a) => data(a).replyWithError(new errors.HeadersTimeoutError()).persist())
      expectNamed(err)
      expect(err.message).toContain('timed out')
    })
    it('a connection reset every time', async () => {
      const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
      const err = await fail((a) => data(a).replyWithError(reset).persist())
      expectNamed(err)
      expect(err.message).toContain('ECONNRESET')
    })
    it('malformed JSON', async () => {
      const err = await fail((a) => data(a).reply(200, '{"truncated": [', json).persist())
      expectNamed(err)
      expect(err.message).toContain('malformed JSON')
    })
    it('an HTML error page with status 200', async () => {
      const page = '<!DOCTYPE html><html><body><h1>We’ll be right back</h1></body></html>'
      const err = await fail((a) => data(a).reply(200, page, { headers: { 'content-type': 'text/html' } }).persist())
      expectNamed(err)
      expect(err.message).toContain('HTML page')
    })
    it('a payload missing a required field', async () => {
      const err = await fail((a) => data(a).reply(200, JSON.stringify(setup.missingField.body), json).persist())
      expectNamed(err)
      expect(err.message).toContain('unexpected payload')
      expect(err.message).toContain(setup.missingField.field)
    })
    it('a 429 resetting later than --max-wait defers the source', async () => {
      const err = await fail(
        (a) => data(a).reply(429, '{}', { headers: { 'retry-after': '3600', 'content-type': 'application/json' } }).persist(),
        60_000,
      )
      expect(err).toBeInstanceOf(RateLimitDeferred)
      expectNamed(err)
      expect(err.message).toContain('deferred to the next run')
    })
  })
}
