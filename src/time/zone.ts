// src/time — dates, durations, windows and local time in IANA zones (Intl); floor 1, above models only.
// Local wall-clock arithmetic in an IANA zone with Intl only (exact across DST; no tz database of our own).
import { UsageError } from '../models/errors.js'

const formatters = new Map<string, Intl.DateTimeFormat>()

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

/** Throws UsageError naming the zone if it is not a valid IANA zone. */
export function assertTimeZone(tz: string, where = '--tz'): string {
  try {
    formatterFor(tz)
    return tz
  } catch {
    throw new UsageError(`${where}: unknown time zone "${tz}" (expected an IANA name such as Europe/Berlin or UTC)`)
  }
}

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    })
    formatters.set(tz, f)
  }
  return f
}

const WEEKDAYS: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 }

export interface LocalParts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  /** 0 = Monday … 6 = Sunday (ISO order, as staffing rotas are written). */
  weekday: number
}

export function localParts(instant: number, tz: string): LocalParts {
  const parts = formatterFor(tz).formatToParts(new Date(instant))
  const out: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 0 }
  for (const p of parts) {
    switch (p.type) {
      case 'year': out.year = Number(p.value); break
      case 'month': out.month = Number(p.value); break
      case 'day': out.day = Number(p.value); break
      case 'hour': out.hour = Number(p.value); break
      case 'minute': out.minute = Number(p.value); break
      case 'second': out.second = Number(p.value); break
      case 'weekday': out.weekday = WEEKDAYS[p.value] ?? 0; break
    }
  }
  return out
}

/** Offset of the zone from UTC at `instant`, in ms (Berlin in summer: +7_200_000). */
export function offsetAt(instant: number, tz: string): number {
  const p = localParts(instant, tz)
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return asUtc - Math.floor(instant / 1000) * 1000
}

/**
 * The instant at which the zone's clocks show the given wall time. In a spring-forward gap the
 * wall time does not exist and the instant after the gap is used; in a fall-back overlap the
 * earlier instant is used (as most calendars do).
 */
export function zonedToInstant(
  tz: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): number {
  return resolveWallTime(tz, year, month, day, hour, minute, second, ms).instant
}

/** zonedToInstant, and whether the wall time fell in a spring-forward gap (and was moved past it). */
export function resolveWallTime(
  tz: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): { instant: number; inGap: boolean } {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms)
  // Offsets in force half a day either side cover any transition near this wall time.
  const before = offsetAt(wall - 43_200_000, tz)
  const after = offsetAt(wall + 43_200_000, tz)
  const fits = [before, after].map((o) => wall - o).filter((t) => offsetAt(t, tz) === wall - t)
  if (fits.length) return { instant: Math.min(...fits), inGap: false }
  return { instant: wall - before, inGap: true } // the same distance past the gap's start
}

export interface WallGap {
  /** The local date, "2026-03-29". */
  date: string
  /** Wall clock at which the gap starts and the one the clocks jump to: "02:00", "03:00". */
  from: string
  to: string
  /** UTC offset in force before the gap, "+01:00". */
  offsetBefore: string
}

const pad2 = (n: number) => String(n).padStart(2, '0')
const formatOffset = (ms: number) => {
  const m = Math.round(ms / 60_000)
  return `${m < 0 ? '-' : '+'}${pad2(Math.floor(Math.abs(m) / 60))}:${pad2(Math.abs(m) % 60)}`
}

/** The spring-forward gap that contains this wall time (as from resolveWallTime with inGap), or null. */
export function wallTimeGap(tz: string, year: number, month: number, day: number, hour = 0, minute = 0, second = 0): WallGap | null {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second)
  const before = offsetAt(wall - 43_200_000, tz)
  const after = offsetAt(wall + 43_200_000, tz)
  if (!resolveWallTime(tz, year, month, day, hour, minute, second).inGap || after <= before) return null
  // The transition instant lies in (wall - after, wall - before]; zones change on whole minutes.
  let lo = Math.floor((wall - after) / 60_000)
  let hi = Math.ceil((wall - before) / 60_000)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (offsetAt(mid * 60_000, tz) === before) lo = mid
    else hi = mid
  }
  const at = hi * 60_000
  const clock = (t: number) => new Date(t).toISOString().slice(11, 16)
  return { date: new Date(at + before).toISOString().slice(0, 10), from: clock(at + before), to: clock(at + after), offsetBefore: formatOffset(before) }
}

/** Start of the local calendar day containing `instant`. */
export function startOfLocalDay(instant: number, tz: string): number {
  const p = localParts(instant, tz)
  return zonedToInstant(tz, p.year, p.month, p.day)
}

/** Same local wall time `days` calendar days later (negative = earlier). */
export function addLocalDays(instant: number, days: number, tz: string): number {
  const p = localParts(instant, tz)
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + days))
  return zonedToInstant(tz, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), p.hour, p.minute, p.second, instant % 1000)
}

/**
 * Length of [from, until) in local calendar days: whole days between the local dates plus the
 * difference of the local times of day. A 23- or 25-hour DST day still counts as one day.
 */
export function localDaysBetween(from: number, until: number, tz: string): number {
  const a = localParts(from, tz)
  const b = localParts(until, tz)
  const dayA = Date.UTC(a.year, a.month - 1, a.day)
  const dayB = Date.UTC(b.year, b.month - 1, b.day)
  const todA = a.hour * 3600 + a.minute * 60 + a.second
  const todB = b.hour * 3600 + b.minute * 60 + b.second
  return (dayB - dayA) / 86_400_000 + (todB - todA) / 86_400
}

/** ISO 8601 local time with offset, e.g. 2026-10-25T02:30:00+01:00. */
export function formatLocal(instant: number, tz: string): string {
  const p = localParts(instant, tz)
  const off = Math.round(offsetAt(instant, tz) / 60_000)
  const sign = off < 0 ? '-' : '+'
  const abs = Math.abs(off)
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/** Local wall time to the minute, "2026-11-03 19:45": for notes and tables. */
export function formatLocalMinute(instant: number, tz: string): string {
  return formatLocal(instant, tz).slice(0, 16).replace('T', ' ')
}
