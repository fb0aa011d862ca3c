// Hour-of-week counts from quarter-hour rows, in the report's zone (the SQLite path; PostgreSQL does it on the server). Pure.
import { BUCKET_LABELS, type BucketRow, type HourOfWeekRow } from '../models/mention.js'
import { createBucketLocalizer } from './localize.js'

/** The TypeScript mapping of quarter-hour rows to hours of the week (the SQLite path's), in the same shape. */
export function summarizeHourOfWeek(buckets: readonly BucketRow[], timezone: string): HourOfWeekRow[] {
  const slotOf = createBucketLocalizer(timezone)
  const cells = new Map<number, number[]>()
  for (const b of buckets) {
    const { weekday, hour } = slotOf(b.bucket)
    const key = weekday * 24 + hour
    let c = cells.get(key)
    if (!c) cells.set(key, (c = BUCKET_LABELS.map(() => 0)))
    b.counts.forEach((n, i) => (c[i]! += n))
  }
  return [...cells.entries()]
    .filter(([, c]) => c.some((n) => n !== 0))
    .sort(([a], [b]) => a - b)
    .map(([key, counts]) => ({ weekday: Math.floor(key / 24), hour: key % 24, counts }))
}
