// src/http — the network: one undici client, rate-limit governor, redaction, replay, webhooks.
// The one HTTP client: undici with timeouts, retries with backoff and jitter, one rate-limit
// governor per host, a per-host concurrency limit, User-Agent and redaction.
import { setMaxListeners } from 'node:events'
import { promisify } from 'node:util'
import { brotliDecompress, gunzip as gunzipCb, inflate as inflateCb } from 'node:zlib'
import pLimit, { type LimitFunction } from 'p-limit'
import { Agent, type Dispatcher, request as undiciRequest } from 'undici'
import { HttpError } from '../models/errors.js'
import { MaybeDelivered, RateLimitDeferred } from './errors.js'
import { isRateLimited, parseBodyBackoff, parseRateLimitRemaining, parseRateLimitReset } from './ratelimit.js'
import { redactText, redactUrl } from './redact.js'
import type { Http, HttpEvent, HttpRequest, HttpResponse, HttpStats } from './types.js'

export interface HttpOptions {
  /** Sent as `User-Agent: listen/<version>`. */
  version: string
  /** Injected transport: a MockAgent in tests, the replay dispatcher for `--replay`. Default: an Agent with the timeouts below. */
  dispatcher?: Dispatcher | undefined
  connectTimeoutMs?: number | undefined
  headersTimeoutMs?: number | undefined
  bodyTimeoutMs?: number | undefined
  /** Retries after the first attempt on 5xx, resets and timeouts. */
  maxRetries?: number | undefined
  retryBaseMs?: number | undefined
  retryMaxMs?: number | undefined
  /** Longest rate-limit wait (`--max-wait`); a longer one throws RateLimitDeferred. */
  maxWaitMs?: number | undefined
  /** How many rate-limit refusals one request may wait out before it fails. */
  maxRateLimitRetries?: number | undefined
  /** Wait after a 429 that names no reset time. */
  defaultRateLimitWaitMs?: number | undefined
  perHostConcurrency?: number | undefined
  now?: (() => number) | undefined
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined
  /** [0, 1) — the jitter source. */
  random?: (() => number) | undefined
  /** For --verbose: every event carries only redacted URLs. */
  onEvent?: ((event: HttpEvent) => void) | undefined
}

export interface HttpClient extends Http {
  /** Traffic figures for one source (by HttpRequest.source), or for all requests. */
  stats(source?: string): HttpStats
  /** A hint from a body (e.g. Stack Exchange `backoff`): no request to that host before `seconds` have passed. */
  noteBackoff(urlOrHost: string, seconds: number): void
  /** Closes the Agent this client created (not an injected dispatcher). */
  close(): Promise<void>
}

const gunzip = promisify(gunzipCb)
const inflate = promisify(inflateCb)
const brotli = promisify(brotliDecompress)

const RETRY_STATUS = [500, 502, 503, 504]
const RETRY_CODES = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]

// Failures before the request left: safe to send again even when it must not arrive twice.
const UNSENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETDOWN', 'ENETUNREACH', 'EHOSTDOWN', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })

function emptyStats(): HttpStats {
  return { requests: 0, retries: 0, rateLimitWaits: 0, rateLimitWaitMs: 0, deferrals: 0 }
}

function hostOf(urlOrHost: string): string {
  try {
    return new URL(urlOrHost).host
  } catch {
    return urlOrHost
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

/** The error code of a transport failure, looked up through undici's wrapping `cause`s. */
function errorCode(err: unknown): string {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && code) return code
  }
  return ''
}

function describeError(err: unknown): string {
  const code = errorCode(err)
  const message = err instanceof Error ? err.message : String(err)
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
      return 'timed out waiting for response headers'
    case 'UND_ERR_BODY_TIMEOUT':
      return 'timed out reading the response body'
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'timed out connecting'
    case 'ECONNRESET':
      return 'connection reset by peer (ECONNRESET)'
    case 'UND_ERR_SOCKET':
      return `connection reset: ${message} (UND_ERR_SOCKET)`
    case '':
      return message
    default:
      return `${message} (${code})`
  }
}

/**
 * Stack Exchange compresses every response whatever Accept-Encoding says
 * (https://api.stackexchange.com/docs/compression) and undici.request does not decompress; undici's
 * decompress interceptor is still experimental and warns on stderr, so zlib does it here.
 */
async function readBody(body: Dispatcher.ResponseData['body'], encoding: string | undefined): Promise<string> {
  const coding = encoding?.trim().toLowerCase()
  if (!coding || coding === 'identity') return body.text()
  const raw = Buffer.from(await body.arrayBuffer())
  if (coding === 'gzip' || coding === 'x-gzip') return (await gunzip(raw)).toString('utf8')
  if (coding === 'deflate') return (await inflate(raw)).toString('utf8')
  if (coding === 'br') return (await brotli(raw)).toString('utf8')
  return raw.toString('utf8')
}

/** One line of a body for an error message: whitespace collapsed, secrets removed, cut short. */
function snippet(body: string, secrets: readonly string[]): string {
  const flat = redactText(body.replace(/\s+/g, ' ').trim(), secrets)
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat
}

interface Settings {
  now: () => number
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  random: () => number
  maxRetries: number
  retryBaseMs: number
  retryMaxMs: number
  maxWaitMs: number
  maxRateLimitRetries: number
  defaultRateLimitWaitMs: number
  perHost: number
  headersTimeout: number
  bodyTimeout: number
  userAgent: string
  emit: (event: HttpEvent) => void
}

function settingsOf(options: HttpOptions): Settings {
  return {
    now: options.now ?? Date.now,
    sleep: options.sleep ?? defaultSleep,
    random: options.random ?? Math.random,
    maxRetries: options.maxRetries ?? 3,
    retryBaseMs: options.retryBaseMs ?? 500,
    retryMaxMs: options.retryMaxMs ?? 15_000,
    maxWaitMs: options.maxWaitMs ?? 60_000,
    maxRateLimitRetries: options.maxRateLimitRetries ?? 3,
    defaultRateLimitWaitMs: options.defaultRateLimitWaitMs ?? 30_000,
    perHost: options.perHostConcurrency ?? 2,
    headersTimeout: options.headersTimeoutMs ?? 30_000,
    bodyTimeout: options.bodyTimeoutMs ?? 30_000,
    userAgent: `listen/${options.version}`,
    emit: options.onEvent ?? (() => {}),
  }
}

/** Traffic figures, in total and per source. */
function createCounters() {
  const totals = emptyStats()
  const bySource = new Map<string, HttpStats>()
  return {
    count(source: string | null, update: (s: HttpStats) => void): void {
      update(totals)
      if (source === null) return
      let s = bySource.get(source)
      if (!s) bySource.set(source, (s = emptyStats()))
      update(s)
    },
    of(source?: string): HttpStats {
      return { ...(source === undefined ? totals : (bySource.get(source) ?? emptyStats())) }
    },
  }
}

type Counters = ReturnType<typeof createCounters>

/** What one request is, for messages and counters: every URL in it already redacted. */
interface Call {
  req: HttpRequest
  method: string
  secrets: readonly string[]
  safeUrl: string
  source: string | null
  label: string
  host: string
}

function describeCall(req: HttpRequest): Call {
  const method = req.method ?? 'GET'
  const secrets = req.secrets ?? []
  const safeUrl = redactUrl(req.url, secrets)
  const source = req.source ?? null
  const label = `${source ? `${source}: ` : ''}${method} ${safeUrl}`
  let host: string
  try {
    host = new URL(req.url).host
  } catch (cause) {
    throw new HttpError(`${label}: not an absolute URL`, safeUrl, null, { cause })
  }
  return { req, method, secrets, safeUrl, source, label, host }
}

/** Per host: the rate-limit window (when the next request may go) and the concurrency limit. */
function createGovernor(s: Settings, counters: Counters) {
  const limits = new Map<string, LimitFunction>()
  const blockedUntil = new Map<string, number>()
  return {
    block(host: string, until: number): void {
      blockedUntil.set(host, Math.max(blockedUntil.get(host) ?? 0, until))
    },
    limitFor(host: string): LimitFunction {
      let limit = limits.get(host)
      if (!limit) limits.set(host, (limit = pLimit(s.perHost)))
      return limit
    },
    /** Waits out a known rate-limit window for the host, or defers when it is longer than maxWaitMs. */
    async gate(c: Call, signal?: AbortSignal): Promise<void> {
      const until = blockedUntil.get(c.host) ?? 0
      const wait = until - s.now()
      if (wait <= 0) return
      if (wait > s.maxWaitMs) {
        counters.count(c.source, (x) => x.deferrals++)
        s.emit({ type: 'deferred', source: c.source, host: c.host, url: c.safeUrl, resetAt: until })
        throw new RateLimitDeferred(
          `${c.label}: rate limited until ${new Date(until).toISOString()} (${Math.ceil(wait / 1000)} s), ` +
            `longer than --max-wait ${Math.round(s.maxWaitMs / 1000)} s; deferred to the next run`,
          c.safeUrl,
          until,
          c.host,
          c.source,
        )
      }
      counters.count(c.source, (x) => {
        x.rateLimitWaits++
        x.rateLimitWaitMs += wait
      })
      s.emit({ type: 'rate-limit-wait', source: c.source, host: c.host, url: c.safeUrl, waitMs: wait })
      await s.sleep(wait, signal)
    },
  }
}

/** The delay before retry number `retryNo`: exponential, with jitter, at least an announced reset. */
function backoffMs(s: Settings, retryNo: number, headers: Record<string, string> | null): number {
  const exp = Math.min(s.retryMaxMs, s.retryBaseMs * 2 ** (retryNo - 1))
  // "Equal jitter": half fixed, half random, so concurrent clients spread out.
  // https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
  const delay = Math.round(exp / 2 + (s.random() * exp) / 2)
  const announced = headers ? parseRateLimitReset(headers, s.now()) : null
  return announced === null ? delay : Math.min(s.maxWaitMs, Math.max(delay, announced - s.now()))
}

type Sent = { ok: true; status: number; headers: Record<string, string>; body: string } | { ok: false; error: unknown }

/**
 * One attempt, body read to the end. A failure anywhere, headers or body, is returned, not
 * thrown: the caller retries from scratch. (undici's retry interceptor resumes a broken body with
 * a Range header, which JSON APIs do not honour: https://github.com/nodejs/undici/issues/3356.)
 */
async function sendOnce(s: Settings, dispatcher: Dispatcher, c: Call, signal?: AbortSignal): Promise<Sent> {
  try {
    const res = await undiciRequest(c.req.url, {
      method: c.method as Dispatcher.HttpMethod,
      headers: { 'user-agent': s.userAgent, ...c.req.headers },
      body: c.req.body ?? null,
      dispatcher,
      signal: signal ?? null,
      headersTimeout: s.headersTimeout,
      bodyTimeout: s.bodyTimeout,
    })
    const headers = flattenHeaders(res.headers)
    return { ok: true, status: res.statusCode, headers, body: await readBody(res.body, headers['content-encoding']) }
  } catch (error) {
    return { ok: false, error }
  }
}

/**
 * An abort controller for a walk of many requests that all listen on its one signal. undici's
 * MockAgent (--replay) drops a finished request's listener a macrotask late, which trips Node's
 * default limit of 10.
 */
export function walkController(): AbortController {
  const controller = new AbortController()
  setMaxListeners(200, controller.signal)
  return controller
}

export function createHttp(options: HttpOptions): HttpClient {
  const s = settingsOf(options)
  const ownAgent = options.dispatcher
    ? null
    : new Agent({ connect: { timeout: options.connectTimeoutMs ?? 10_000 }, headersTimeout: s.headersTimeout, bodyTimeout: s.bodyTimeout })
  const dispatcher: Dispatcher = options.dispatcher ?? (ownAgent as Agent)
  const counters = createCounters()
  const governor = createGovernor(s, counters)

  async function attempts(c: Call, signal?: AbortSignal): Promise<HttpResponse> {
    let attempt = 0
    let refusals = 0
    const retryAfter = async (delayMs: number, reason: string) => {
      counters.count(c.source, (x) => x.retries++)
      s.emit({ type: 'retry', source: c.source, method: c.method, url: c.safeUrl, attempt: attempt + 1, delayMs, reason })
      await s.sleep(delayMs, signal)
    }
    for (;;) {
      await governor.gate(c, signal)
      attempt++
      counters.count(c.source, (x) => x.requests++)
      s.emit({ type: 'request', source: c.source, method: c.method, url: c.safeUrl, attempt })
      const started = s.now()
      const sent = await sendOnce(s, dispatcher, c, signal)
      if (!sent.ok) {
        if (signal?.aborted) throw signal.reason
        const code = errorCode(sent.error)
        const unsent = UNSENT_CODES.includes(code)
        if (c.req.resend === 'if-unsent' && !unsent && RETRY_CODES.includes(code)) {
          const why = redactText(describeError(sent.error), c.secrets)
          throw new MaybeDelivered(`${c.label}: ${why}; it may have arrived, so it was not sent again`, c.safeUrl, null, { cause: sent.error })
        }
        if (RETRY_CODES.includes(code) && attempt <= s.maxRetries) {
          await retryAfter(backoffMs(s, attempt, null), describeError(sent.error))
          continue
        }
        const tries = attempt > 1 ? ` after ${attempt} attempts` : ''
        throw new HttpError(`${c.label} failed${tries}: ${redactText(describeError(sent.error), c.secrets)}`, c.safeUrl, null, { cause: sent.error })
      }
      const { status, headers, body } = sent
      s.emit({ type: 'response', source: c.source, method: c.method, url: c.safeUrl, status, ms: s.now() - started })

      const reset = parseRateLimitReset(headers, s.now())
      if (isRateLimited(status, headers)) {
        governor.block(c.host, reset ?? s.now() + s.defaultRateLimitWaitMs * 2 ** refusals)
        if (++refusals > s.maxRateLimitRetries) {
          throw new HttpError(`${c.label} → ${status}: still rate limited after ${refusals} attempts: ${snippet(body, c.secrets)}`, c.safeUrl, status)
        }
        continue
      }
      // This response spent the window: the next request waits for the reset instead of being refused.
      if (reset !== null && parseRateLimitRemaining(headers) === 0) governor.block(c.host, reset)

      if (RETRY_STATUS.includes(status) && attempt <= s.maxRetries) {
        await retryAfter(backoffMs(s, attempt, headers), `status ${status}`)
        continue
      }
      const ok = (status >= 200 && status < 300) || (c.req.okStatuses?.includes(status) ?? false)
      if (!ok) {
        const tries = attempt > 1 ? ` (after ${attempt} attempts)` : ''
        throw new HttpError(`${c.label} → ${status}${tries}: ${snippet(body, c.secrets) || '(empty body)'}`, c.safeUrl, status)
      }
      return { status, url: c.safeUrl, headers, body }
    }
  }

  async function request(req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse> {
    const c = describeCall(req)
    return governor.limitFor(c.host)(() => attempts(c, signal))
  }

  async function json<T = unknown>(req: HttpRequest, signal?: AbortSignal): Promise<{ data: T; response: HttpResponse }> {
    const response = await request(req, signal)
    const data = parseJsonBody<T>(req, response)
    const until = parseBodyBackoff(data, s.now())
    if (until !== null) governor.block(hostOf(req.url), until)
    return { data, response }
  }

  return {
    request,
    json,
    stats: (source?: string) => counters.of(source),
    noteBackoff(urlOrHost: string, seconds: number): void {
      governor.block(hostOf(urlOrHost), s.now() + seconds * 1000)
    },
    async close(): Promise<void> {
      await ownAgent?.close()
    },
  }
}

/** A JSON body, or an HttpError that says what came instead (an HTML page, broken JSON). */
function parseJsonBody<T>(req: HttpRequest, response: HttpResponse): T {
  const label = `${req.source ? `${req.source}: ` : ''}${req.method ?? 'GET'} ${response.url}`
  const type = response.headers['content-type'] ?? ''
  if (/html/i.test(type) || /^\s*</.test(response.body)) {
    throw new HttpError(
      `${label}: expected JSON but got an HTML page (status ${response.status}): ${snippet(response.body, req.secrets ?? [])}`,
      response.url,
      response.status,
    )
  }
  try {
    return JSON.parse(response.body) as T
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause)
    throw new HttpError(`${label}: malformed JSON (${why}) (status ${response.status})`, response.url, response.status, { cause })
  }
}
