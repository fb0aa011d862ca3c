// Map UTC quarter-hour buckets to local hour-of-day and weekday in an IANA zone.
// Offsets are whole quarter hours everywhere (India +5:30, Nepal +5:45), so a UTC quarter hour
// lies inside exactly one local hour. Intl is asked once per UTC day and again only on days whose
// offset changes (DST), which keeps millions of mentions cheap and exact.
import { localParts, offsetAt } from '../time/zone.js'

const Q = 900_000
const DAY = 86_400_000

export interface LocalSlot {
  hour: number
  /** 0 = Monday … 6 = Sunday. */
  weekday: number
}

export function createBucketLocalizer(tz: string): (bucket: number) => LocalSlot {
  const dayOffset = new Map<number, number | null>() // UTC day → offset, or null if it changes that day
  const slotOf = (instant: number, offset: number): LocalSlot => {
    const local = instant + offset
    const hour = Math.floor((((local % DAY) + DAY) % DAY) / 3_600_000)
    // 1970-01-01 was a Thursday (weekday 3 with Monday = 0).
    const weekday = (((Math.floor(local / DAY) + 3) % 7) + 7) % 7
    return { hour, weekday }
  }
  return (bucket: number) => {
    const t = bucket * Q
    const day = Math.floor(t / DAY)
    let off = dayOffset.get(day)
    if (off === undefined) {
      const a = offsetAt(day * DAY, tz)
      const b = offsetAt(day * DAY + DAY - 1, tz)
      off = a === b ? a : null
      dayOffset.set(day, off)
    }
    if (off !== null) return slotOf(t, off)
    const p = localParts(t, tz)
    return { hour: p.hour, weekday: p.weekday }
  }
}
