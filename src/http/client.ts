// The one HTTP client: undici with timeouts, retries (undici's retry interceptor, our backoff with
// jitter), one rate-limit governor per host, a per-host concurrency limit, User-Agent and redaction.
import pLimit, { type LimitFunction } from 'p-limit'
import { Agent, interceptors, request as undiciRequest, type Dispatcher } from 'undici'
import { promisify } from 'node:util'
import { brotliDecompress, gunzip as gunzipCb, inflate as inflateCb } from 'node:zlib'
import { HttpError } from '../models/errors.js'
import { RateLimitDeferred } from './errors.js'
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

function describeError(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : ''
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

export function createHttp(options: HttpOptions): HttpClient {
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? defaultSleep
  const random = options.random ?? Math.random
  const maxRetries = options.maxRetries ?? 3
  const retryBaseMs = options.retryBaseMs ?? 500
  const retryMaxMs = options.retryMaxMs ?? 15_000
  const maxWaitMs = options.maxWaitMs ?? 60_000
  const maxRateLimitRetries = options.maxRateLimitRetries ?? 3
  const defaultRateLimitWaitMs = options.defaultRateLimitWaitMs ?? 30_000
  const perHost = options.perHostConcurrency ?? 2
  const headersTimeout = options.headersTimeoutMs ?? 30_000
  const bodyTimeout = options.bodyTimeoutMs ?? 30_000
  const userAgent = `listen/${options.version}`
  const emit = options.onEvent ?? (() => {})

  const ownAgent = options.dispatcher
    ? null
    : new Agent({ connect: { timeout: options.connectTimeoutMs ?? 10_000 }, headersTimeout, bodyTimeout })
  const base: Dispatcher = options.dispatcher ?? (ownAgent as Agent)
  // undici's retry interceptor covers resets and timeouts (it can resume a broken body with Range).
  // Statuses are left to request() below: deciding a 5xx retry asynchronously (after our backoff)
  // is not supported by the interceptor when the transport ignores pause(), as MockAgent does,
  // and the governor needs to see every 429 anyway.
  const dispatcher = base.compose(
    interceptors.retry({ maxRetries, statusCodes: [], errorCodes: RETRY_CODES, methods: ['GET', 'POST'] }),
  )

  const limits = new Map<string, LimitFunction>()
  const blockedUntil = new Map<string, number>()
  const totals = emptyStats()
  const bySource = new Map<string, HttpStats>()

  function count(source: string | null, update: (s: HttpStats) => void): void {
    update(totals)
    if (source === null) return
    let s = bySource.get(source)
    if (!s) bySource.set(source, (s = emptyStats()))
    update(s)
  }

  function block(host: string, until: number): void {
    blockedUntil.set(host, Math.max(blockedUntil.get(host) ?? 0, until))
  }

  function limitFor(host: string): LimitFunction {
    let limit = limits.get(host)
    if (!limit) limits.set(host, (limit = pLimit(perHost)))
    return limit
  }

  /** Waits out a known rate-limit window for `host`, or defers when it is longer than maxWaitMs. */
  async function gate(host: string, safeUrl: string, label: string, source: string | null, signal?: AbortSignal) {
    const until = blockedUntil.get(host) ?? 0
    const wait = until - now()
    if (wait <= 0) return
    if (wait > maxWaitMs) {
      count(source, (s) => s.deferrals++)
      emit({ type: 'deferred', source, host, url: safeUrl, resetAt: until })
      throw new RateLimitDeferred(
        `${label}: rate limited until ${new Date(until).toISOString()} (${Math.ceil(wait / 1000)} s), ` +
          `longer than --max-wait ${Math.round(maxWaitMs / 1000)} s; deferred to the next run`,
        safeUrl,
        until,
        host,
        source,
      )
    }
    count(source, (s) => {
      s.rateLimitWaits++
      s.rateLimitWaitMs += wait
    })
    emit({ type: 'rate-limit-wait', source, host, url: safeUrl, waitMs: wait })
    await sleep(wait, signal)
  }

  async function request(req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse> {
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

    return limitFor(host)(async () => {
      let attempts = 0
      let refusals = 0
      const backoff = (retryNo: number, headers: Record<string, string> | null): number => {
        const exp = Math.min(retryMaxMs, retryBaseMs * 2 ** (retryNo - 1))
        // "Equal jitter": half fixed, half random, so concurrent clients spread out.
        // https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
        const delay = Math.round(exp / 2 + (random() * exp) / 2)
        const announced = headers ? parseRateLimitReset(headers, now()) : null
        return announced === null ? delay : Math.min(maxWaitMs, Math.max(delay, announced - now()))
      }
      const noteRetry = (delayMs: number, reason: string) => {
        count(source, (s) => s.retries++)
        emit({ type: 'retry', source, method, url: safeUrl, attempt: attempts + 1, delayMs, reason })
      }
      // Called by undici's retry interceptor for transport errors (resets, timeouts).
      const retry = (err: Error, ctx: { state: { counter: number } }, callback: (err?: Error | null) => void): void => {
        const code = (err as { code?: unknown }).code
        if (typeof code !== 'string' || !RETRY_CODES.includes(code) || attempts > maxRetries || signal?.aborted) {
          return callback(err)
        }
        const delayMs = backoff(attempts, null)
        noteRetry(delayMs, describeError(err))
        attempts++
        count(source, (s) => s.requests++)
        sleep(delayMs, signal).then(
          () => callback(null),
          (abortReason: unknown) => callback(abortReason instanceof Error ? abortReason : err),
        )
      }

      for (;;) {
        await gate(host, safeUrl, label, source, signal)
        attempts++
        count(source, (s) => s.requests++)
        emit({ type: 'request', source, method, url: safeUrl, attempt: attempts })
        const started = now()
        let status: number
        let headers: Record<string, string>
        let body: string
        try {
          const res = await undiciRequest(req.url, {
            method,
            headers: { 'user-agent': userAgent, ...req.headers },
            body: req.body ?? null,
            dispatcher,
            signal: signal ?? null,
            headersTimeout,
            bodyTimeout,
            // Per-request options reach the retry interceptor (undici merges opts.retryOptions).
            retryOptions: { retry },
          } as Parameters<typeof undiciRequest>[1])
          status = res.statusCode
          headers = flattenHeaders(res.headers)
          body = await readBody(res.body, headers['content-encoding'])
        } catch (cause) {
          if (signal?.aborted) throw signal.reason
          const tries = attempts > 1 ? ` after ${attempts} attempts` : ''
          throw new HttpError(`${label} failed${tries}: ${redactText(describeError(cause), secrets)}`, safeUrl, null, {
            cause,
          })
        }
        emit({ type: 'response', source, method, url: safeUrl, status, ms: now() - started })

        const reset = parseRateLimitReset(headers, now())
        if (isRateLimited(status, headers)) {
          block(host, reset ?? now() + defaultRateLimitWaitMs * 2 ** refusals)
          refusals++
          if (refusals > maxRateLimitRetries) {
            throw new HttpError(
              `${label} → ${status}: still rate limited after ${refusals} attempts: ${snippet(body, secrets)}`,
              safeUrl,
              status,
            )
          }
          continue
        }
        // This response spent the window: the next request waits for the reset instead of being refused.
        if (reset !== null && parseRateLimitRemaining(headers) === 0) block(host, reset)

        if (RETRY_STATUS.includes(status) && attempts <= maxRetries) {
          const delayMs = backoff(attempts, headers)
          noteRetry(delayMs, `status ${status}`)
          await sleep(delayMs, signal)
          continue
        }

        const ok = (status >= 200 && status < 300) || (req.okStatuses?.includes(status) ?? false)
        if (!ok) {
          const tries = attempts > 1 ? ` (after ${attempts} attempts)` : ''
          throw new HttpError(`${label} → ${status}${tries}: ${snippet(body, secrets) || '(empty body)'}`, safeUrl, status)
        }
        return { status, url: safeUrl, headers, body }
      }
    })
  }

  async function json<T = unknown>(req: HttpRequest, signal?: AbortSignal): Promise<{ data: T; response: HttpResponse }> {
    const response = await request(req, signal)
    const label = `${req.source ? `${req.source}: ` : ''}${req.method ?? 'GET'} ${response.url}`
    const type = response.headers['content-type'] ?? ''
    if (/html/i.test(type) || /^\s*</.test(response.body)) {
      throw new HttpError(
        `${label}: expected JSON but got an HTML page (status ${response.status}): ${snippet(response.body, req.secrets ?? [])}`,
        response.url,
        response.status,
      )
    }
    let data: T
    try {
      data = JSON.parse(response.body) as T
    } catch (cause) {
      const why = cause instanceof Error ? cause.message : String(cause)
      throw new HttpError(`${label}: malformed JSON (${why}) (status ${response.status})`, response.url, response.status, {
        cause,
      })
    }
    const until = parseBodyBackoff(data, now())
    if (until !== null) block(hostOf(req.url), until)
    return { data, response }
  }

  return {
    request,
    json,
    stats(source?: string): HttpStats {
      return { ...(source === undefined ? totals : (bySource.get(source) ?? emptyStats())) }
    },
    noteBackoff(urlOrHost: string, seconds: number): void {
      block(hostOf(urlOrHost), now() + seconds * 1000)
    },
    async close(): Promise<void> {
      await ownAgent?.close()
    },
  }
}
