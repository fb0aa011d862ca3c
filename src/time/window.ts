// Report windows: --since / --from / --until resolved to [from, until) instants in the report zone.
import { UsageError } from '../models/errors.js'
import { isoWallParts, parseDuration, parseInstantChecked } from './parse.js'
import { addLocalDays, wallTimeGap } from './zone.js'

export interface WindowFlags {
  since?: string | undefined
  from?: string | undefined
  until?: string | undefined
}

export interface Window {
  from: number
  until: number
}

const WHOLE_DAYS = /^\s*\d+\s*[dw]\s*$/i

/** A date flag in `tz`; a wall time the zone skips (the spring-forward gap) is an error, not moved. */
export function parseInstantFlag(value: string, flag: string, tz: string): number {
  const t = parseInstantChecked(value, tz)
  if (t === null) {
    throw new UsageError(
      `${flag}: cannot read "${value}" as a date (expected ISO 8601 like 2026-11-01 or 2026-11-01T08:00+01:00, or epoch seconds)`,
    )
  }
  // A date alone means the day's first instant, even where the day starts with a gap (Santiago, Beirut).
  if (t.inGap && !/^\s*\d{4}-\d{2}-\d{2}\s*$/.test(value)) {
    const parts = isoWallParts(value)
    const gap = parts && wallTimeGap(tz, ...parts)
    const jump = gap ? `the clocks jump from ${gap.from} to ${gap.to} on ${gap.date}` : 'the clocks skip it'
    const example = gap ? `, or an offset such as ${value.trim()}${gap.offsetBefore}` : ' or an offset'
    throw new UsageError(`${flag}: ${value.trim()} does not exist in ${tz}: ${jump} (daylight saving time); give a time outside the gap${example}`)
  }
  return t.instant
}

export function parseDurationFlag(value: string, flag: string): number {
  const d = parseDuration(value)
  if (d === null || d <= 0) {
    throw new UsageError(`${flag}: cannot read "${value}" as a duration (expected e.g. 90s, 15m, 12h, 7d, 2w)`)
  }
  return d
}

// A date or date-time as twarc2 and gh take it: 2017-11-01, 2017-11-01T08:00, with an offset or Z.
const DATE_LIKE = /^\s*\d{4}-\d{2}-\d{2}(?:[T ]|\s*$)/

/**
 * --since and --until: a duration back from `anchor` ("7d": the same local wall time seven calendar
 * days back, so a window across a DST change still holds whole days) or a date / date-time.
 */
export function parseBackFlag(value: string, flag: string, tz: string, anchor: number): number {
  if (DATE_LIKE.test(value)) return parseInstantFlag(value, flag, tz)
  const d = parseDuration(value)
  if (d === null || d <= 0) {
    throw new UsageError(`${flag}: cannot read "${value}" as a duration or a date (expected e.g. 12h, 7d, 2w, or 2026-11-01, 2026-11-01T08:00)`)
  }
  if (WHOLE_DAYS.test(value)) {
    const n = Number(value.trim().slice(0, -1))
    return addLocalDays(anchor, /w$/i.test(value.trim()) ? -7 * n : -n, tz)
  }
  return anchor - d
}

/** --until: a date or date-time, or a duration back from now ("--until 1d": up to this time yesterday). */
export function parseUntilFlag(value: string, tz: string, now: number): number {
  return parseBackFlag(value, '--until', tz, now)
}

/**
 * --from/--until win over --since. --since is a duration back from --until (or now), or a date.
 */
export function resolveWindow(flags: WindowFlags, tz: string, now: number, defaultSince: string): Window {
  const until = flags.until ? parseUntilFlag(flags.until, tz, now) : now
  let from: number
  if (flags.from) {
    if (flags.since) throw new UsageError('--since cannot be combined with --from (use --from/--until or --since alone)')
    from = parseInstantFlag(flags.from, '--from', tz)
  } else {
    from = parseBackFlag(flags.since ?? defaultSince, '--since', tz, until)
  }
  if (from >= until) {
    throw new UsageError(`the window is empty: --from ${new Date(from).toISOString()} is not before --until ${new Date(until).toISOString()}`)
  }
  return { from, until }
}
