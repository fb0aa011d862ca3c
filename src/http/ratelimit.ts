// Every reset convention the platforms use, mapped to one number: the epoch ms when the host
// accepts requests again. Pure functions; the governor in client.ts keeps the per-host state.

/** Header values above this are epoch seconds; below it they are seconds remaining (year 2001 in epoch s). */
const EPOCH_SECONDS_FLOOR = 1_000_000_000

/**
 * Reset time announced by a response, or null when it announces none.
 * - `Retry-After`: delta seconds or an HTTP date (RFC 9110 §10.2.3).
 * - `x-rate-limit-reset` (X): epoch seconds.
 * - `x-ratelimit-reset`: epoch seconds (GitHub), seconds remaining (Reddit), ISO 8601 (Mastodon).
 *   Header names are case-insensitive, so the three share one name and are told apart by value.
 * - `ratelimit-reset`: epoch seconds on Bluesky, delta seconds in the IETF draft; same rule.
 */
export function parseRateLimitReset(headers: Record<string, string>, now: number): number | null {
  const retryAfter = headers['retry-after']
  if (retryAfter !== undefined) {
    const at = parseResetValue(retryAfter, now, 'delta')
    if (at !== null) return at
  }
  for (const name of ['x-rate-limit-reset', 'x-ratelimit-reset', 'ratelimit-reset']) {
    const value = headers[name]
    if (value === undefined) continue
    const at = parseResetValue(value, now, 'auto')
    if (at !== null) return at
  }
  return null
}

function parseResetValue(raw: string, now: number, numbers: 'delta' | 'auto'): number | null {
  const value = raw.trim()
  if (value === '') return null
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value)
    if (numbers === 'auto' && n >= EPOCH_SECONDS_FLOOR) return Math.round(n * 1000)
    return now + Math.round(n * 1000)
  }
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : date
}

/** Requests left in the current window, or null when the response does not say. */
export function parseRateLimitRemaining(headers: Record<string, string>): number | null {
  for (const name of ['x-rate-limit-remaining', 'x-ratelimit-remaining', 'ratelimit-remaining']) {
    const value = headers[name]
    if (value === undefined) continue
    const n = Number(value.trim())
    if (Number.isFinite(n)) return n
  }
  return null
}

/**
 * Is this response a rate-limit refusal? 429 everywhere; GitHub and X (v1) also answer 403/420
 * with the remaining counter at zero.
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
 */
export function isRateLimited(status: number, headers: Record<string, string>): boolean {
  if (status === 429 || status === 420) return true
  return status === 403 && parseRateLimitRemaining(headers) === 0
}

/**
 * Stack Exchange reports throttling in the body: `backoff` = seconds to wait before calling the
 * same method again, `quota_remaining` = requests left today (the quota resets at UTC midnight).
 * https://api.stackexchange.com/docs/throttle
 */
export function parseBodyBackoff(data: unknown, now: number): number | null {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null
  const body = data as { backoff?: unknown; quota_remaining?: unknown }
  let until: number | null = null
  if (typeof body.backoff === 'number' && body.backoff > 0) until = now + body.backoff * 1000
  if (body.quota_remaining === 0) {
    const midnight = new Date(now)
    midnight.setUTCHours(24, 0, 0, 0)
    until = Math.max(until ?? 0, midnight.getTime())
  }
  return until
}
