// Completeness per local hour of day: for each hour 0–23, the share of source-hours in the window
// that a successful fetch covered. It travels with each hour row into csv and ndjson, where a
// spreadsheet has no room for the completeness line. Pure.
import { round } from '../lib/number.js'
import type { Completeness } from '../models/completeness.js'
import { createBucketLocalizer } from './localize.js'

const Q = 900_000

/**
 * null for an hour no fetched source covers in time (imported data only, or a window shorter than a
 * day). Hours after the newest fetch ("not fetched yet") count as covered, as in the completeness
 * status; the window's partial edge quarter hours count by their overlap.
 */
export function coverageByHour(c: Completeness, o: { from: number; until: number; timezone: string }): Array<number | null> {
  const known = c.sources.filter((s) => s.status !== 'imported')
  const total = new Array<number>(24).fill(0)
  const missing = new Array<number>(24).fill(0)
  if (known.length && o.until > o.from) {
    const slotOf = createBucketLocalizer(o.timezone)
    const holes = known.flatMap((s) => s.holes.filter((h) => h.reason !== 'since-last-fetch').map((h) => [Date.parse(h.from), Date.parse(h.until)] as const))
    for (let q = Math.floor(o.from / Q); q * Q < o.until; q++) {
      const a = Math.max(o.from, q * Q)
      const b = Math.min(o.until, (q + 1) * Q)
      const { hour } = slotOf(q)
      total[hour]! += (b - a) * known.length
      for (const [from, until] of holes) missing[hour]! += Math.max(0, Math.min(b, until) - Math.max(a, from))
    }
  }
  return total.map((t, h) => (t > 0 ? round(1 - missing[h]! / t, 4) : null))
}
