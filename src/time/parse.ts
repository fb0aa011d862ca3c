// Parsing of instants and durations from flags, configs and imported files.
import { resolveWallTime } from './zone.js'

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
}

// Twitter's classic v1.1 format: "Tue Oct 31 22:10:47 +0000 2017".
const TWITTER = /^[A-Za-z]{3} ([A-Za-z]{3}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2}):?(\d{2}) (\d{4})$/
// ISO 8601 / RFC 3339 and the common "2015-02-24 11:15:59 -0800" variant; date-only allowed.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/
// RFC 2822: "Tue, 31 Oct 2017 22:10:47 +0000" (weekday optional; also GMT/UT and US zone names).
const RFC2822 = /^(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{2}:\d{2}(?::\d{2})?\s+(?:[+-]\d{4}|GMT|UT|UTC|[ECMP][SD]T|Z)$/
const EPOCH = /^-?\d+(?:\.\d+)?$/

function offsetMs(token: string): number {
  if (token === 'Z' || token === 'z') return 0
  const sign = token.startsWith('-') ? -1 : 1
  const digits = token.slice(1).replace(':', '')
  const h = Number(digits.slice(0, 2))
  const m = digits.length > 2 ? Number(digits.slice(2, 4)) : 0
  return sign * (h * 60 + m) * 60_000
}

/**
 * Parses an instant. Accepts ISO 8601 with or without offset (without one, the wall time is read
 * in `tz`), epoch seconds or milliseconds (numbers ≥ 1e11 are milliseconds: 1e11 s lies in the
 * year 5138), RFC 2822 and Twitter's classic format. Returns epoch ms, or null if unparseable.
 */
export function parseInstant(input: string | number, tz = 'UTC'): number | null {
  return parseInstantChecked(input, tz)?.instant ?? null
}

/**
 * parseInstant, and whether a wall time without offset fell in a spring-forward gap of `tz` (it
 * does not exist; the instant is then the same distance past the gap's start).
 */
export function parseInstantChecked(input: string | number, tz = 'UTC'): { instant: number; inGap: boolean } | null {
  if (typeof input === 'number') return Number.isFinite(input) ? { instant: epochToMs(input), inGap: false } : null
  const s = input.trim()
  if (!s) return null
  if (EPOCH.test(s)) return { instant: epochToMs(Number(s)), inGap: false }
  let m = ISO.exec(s)
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', off] = m
    const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0
    const parts = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec)] as const
    if (!validParts(...parts)) return null
    if (off) return { instant: Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], ms) - offsetMs(off), inGap: false }
    return resolveWallTime(tz, ...parts, ms)
  }
  m = TWITTER.exec(s)
  if (m) {
    const [, mon, d, h, mi, sec, sign, oh, om, y] = m
    const month = MONTHS[mon!.toLowerCase()]
    if (!month) return null
    const parts = [Number(y), month, Number(d), Number(h), Number(mi), Number(sec)] as const
    if (!validParts(...parts)) return null
    return { instant: Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]) - offsetMs(`${sign}${oh}${om}`), inGap: false }
  }
  if (RFC2822.test(s)) {
    const t = Date.parse(s)
    return Number.isNaN(t) ? null : { instant: t, inGap: false }
  }
  return null
}

/** The wall time of an ISO value without offset, for naming its gap: [y, mo, d, h, mi, s]. */
export function isoWallParts(input: string): [number, number, number, number, number, number] | null {
  const m = ISO.exec(input.trim())
  if (!m || m[8]) return null
  const [, y, mo, d, h = '0', mi = '0', sec = '0'] = m
  return [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec)]
}

function epochToMs(n: number): number {
  return Math.round(Math.abs(n) >= 1e11 ? n : n * 1000)
}

function validParts(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 24 || mi > 59 || s > 60) return false
  const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate()
  return d <= dim
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** "90s", "6m", "1.5h", "7d", "2w", or a combination like "1h30m" → ms; null if unparseable. */
export function parseDuration(input: string): number | null {
  const s = input.trim().toLowerCase()
  if (!s) return null
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y
  let total = 0
  let pos = 0
  while (pos < s.length) {
    re.lastIndex = pos
    const m = re.exec(s)
    if (!m) return null
    total += Number(m[1]) * UNITS[m[2]!]!
    pos = re.lastIndex
  }
  return total
}
