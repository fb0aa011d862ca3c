// src/report — pure report logic: rows from the store in, report models out.
// Hourly volume in the report zone: the input for staffing. Pure: bucket counts in, model out.
import { round } from '../lib/number.js'
import { type BucketInput, type ByHourModel, WEEKDAYS } from '../models/byhour.js'
import { LABEL_KEYS, type LabelKey } from '../models/mention.js'
import { localDaysBetween, localParts } from '../time/zone.js'
import { createBucketLocalizer } from './localize.js'

export interface ByHourOptions {
  timezone: string
  from: number
  until: number
  heatmap: boolean
  sources?: string[]
  brands?: string[]
}

const DAY = 86_400_000

function emptyLabels(): Record<LabelKey, number> {
  return { outage: 0, complaint: 0, question: 0, praise: 0, other: 0, untagged: 0 }
}

export function summarizeByHour(buckets: readonly BucketInput[], o: ByHourOptions): ByHourModel {
  const slotOf = createBucketLocalizer(o.timezone)
  const hours = Array.from({ length: 24 }, () => ({ total: 0, byLabel: emptyLabels() }))
  const heat = Array.from({ length: 7 * 24 }, () => 0)
  let total = 0
  for (const b of buckets) {
    const { hour, weekday } = slotOf(b.bucket)
    const h = hours[hour]!
    let n = 0
    for (let i = 0; i < LABEL_KEYS.length; i++) {
      const c = b.counts[i] ?? 0
      h.byLabel[LABEL_KEYS[i]!] += c
      n += c
    }
    h.total += n
    heat[weekday * 24 + hour]! += n
    total += n
  }
  const days = localDaysBetween(o.from, o.until, o.timezone)
  const model: ByHourModel = {
    kind: 'by-hour',
    timezone: o.timezone,
    from: new Date(o.from).toISOString(),
    until: new Date(o.until).toISOString(),
    days: round(days, 4),
    total,
    filters: { sources: o.sources ?? [], brands: o.brands ?? [] },
    hours: hours.map((h, hour) => ({
      hour,
      total: h.total,
      perDay: days > 0 ? round(h.total / days) : 0,
      byLabel: h.byLabel,
    })),
  }
  if (o.heatmap) {
    const weekdayDays = weekdayOccurrences(o.from, o.until, o.timezone)
    model.heatmap = {
      weekdays: WEEKDAYS,
      weekdayDays: weekdayDays.map((d) => round(d, 4)),
      cells: heat.map((n, i) => {
        const wd = Math.floor(i / 24)
        const occurrences = weekdayDays[wd]!
        return { weekday: WEEKDAYS[wd]!, hour: i % 24, total: n, perDay: occurrences > 0 ? round(n / occurrences) : 0 }
      }),
    }
  }
  return model
}

/**
 * How many Mondays, Tuesdays, … the window holds. Partial days at the edges count by their share
 * of the local clock, as localDaysBetween does, so the seven numbers add up to `days`.
 */
export function weekdayOccurrences(from: number, until: number, tz: string): number[] {
  const out = [0, 0, 0, 0, 0, 0, 0]
  const a = localParts(from, tz)
  const b = localParts(until, tz)
  const dayA = Date.UTC(a.year, a.month - 1, a.day) / DAY
  const dayB = Date.UTC(b.year, b.month - 1, b.day) / DAY
  const tod = (p: typeof a) => (p.hour * 3600 + p.minute * 60 + p.second) / 86_400
  if (dayA === dayB) {
    out[a.weekday]! += tod(b) - tod(a)
    return out
  }
  out[a.weekday]! += 1 - tod(a)
  // 1970-01-01 (day 0) was a Thursday: weekday 3 with Monday = 0.
  for (let d = dayA + 1; d < dayB; d++) out[(d + 3) % 7]! += 1
  out[b.weekday]! += tod(b)
  return out
}
