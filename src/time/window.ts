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

/**
 * --from/--until win over --since. "7d" and "2w" mean the same local wall time that many calendar
 * days back, so a window across a DST change still holds whole days.
 */
export function resolveWindow(flags: WindowFlags, tz: string, now: number, defaultSince: string): Window {
  const until = flags.until ? parseInstantFlag(flags.until, '--until', tz) : now
  let from: number
  if (flags.from) {
    if (flags.since) throw new UsageError('--since cannot be combined with --from (use --from/--until or --since alone)')
    from = parseInstantFlag(flags.from, '--from', tz)
  } else {
    const since = flags.since ?? defaultSince
    const ms = parseDurationFlag(since, '--since')
    if (WHOLE_DAYS.test(since)) {
      const n = Number(since.trim().slice(0, -1))
      from = addLocalDays(until, /w$/i.test(since.trim()) ? -7 * n : -n, tz)
    } else {
      from = until - ms
    }
  }
  if (from >= until) {
    throw new UsageError(`the window is empty: --from ${new Date(from).toISOString()} is not before --until ${new Date(until).toISOString()}`)
  }
  return { from, until }
}
