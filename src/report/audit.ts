// First-response audit: how fast, and whether, the brand answered each customer post that needs an
// answer. Pure: rows in (from the store), model out. Medians use answered posts only; the unanswered
// are their own share ("never").
import { round } from '../lib/number.js'
import { type AuditModel, type AuditStats, type HourOfWeekCell, type LedgerItem, type LedgerRow, MIN_CELL_POSTS, type UncoveredRange } from '../models/audit.js'
import { WEEKDAYS } from '../models/byhour.js'
import { UsageError } from '../models/errors.js'
import type { Brand, LabelKey } from '../models/mention.js'
import type { BrandMatcher } from '../models/scope.js'
import { createBucketLocalizer } from './localize.js'

const MIN = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000
type Counts = Pick<AuditStats, 'mentions' | 'answered' | 'within1h' | 'within1to24h' | 'later' | 'never'>

const LABEL_ORDER: readonly LabelKey[] = ['outage', 'complaint', 'question', 'praise', 'other', 'untagged']

export interface AuditAccumulator {
  /** One post: its source, creation instant, label ('' = untagged) and first answer (null = none). */
  add(source: string, createdAt: number, label: string, answeredAt: number | null, topic?: string): void
  readonly count: number
  summarize(): Pick<AuditModel, 'overall' | 'bySource' | 'byLabel' | 'hourOfWeek' | 'byTopic'>
}

/**
 * Collects posts column-wise in typed arrays (no object per post), so a million posts cost a few
 * MB; summarize() groups them by source, label and local hour of week with exact quantiles.
 */
export function createAuditAccumulator(timezone: string): AuditAccumulator {
  const slotOf = createBucketLocalizer(timezone)
  const sourceIds = new Map<string, number>()
  const sourceNames: string[] = []
  // Topics ('' = none yet) as small ids, like sources.
  const topicIds = new Map<string, number>()
  const topicNames: string[] = []
  const labelIndex = new Map<string, number>(LABEL_ORDER.map((l, i) => [l === 'untagged' ? '' : l, i]))
  let cap = 1024
  let n = 0
  let delta = new Float64Array(cap)
  let src = new Uint16Array(cap)
  let top = new Uint16Array(cap)
  let lab = new Uint8Array(cap)
  let how = new Uint8Array(cap)
  const grown = <T extends Float64Array | Uint16Array | Uint8Array>(a: T, make: (size: number) => T): T => {
    const b = make(cap)
    b.set(a)
    return b
  }
  const groups = (key: Uint8Array | Uint16Array, size: number): Array<{ counts: Counts; sorted: Float64Array }> => {
    const counts = Array.from({ length: size }, (): Counts => ({ mentions: 0, answered: 0, within1h: 0, within1to24h: 0, later: 0, never: 0 }))
    const start = new Int32Array(size + 1)
    for (let i = 0; i < n; i++) {
      const c = counts[key[i]!]!
      const d = delta[i]!
      c.mentions++
      if (d < 0) {
        c.never++
        continue
      }
      c.answered++
      start[key[i]! + 1]!++
      if (d <= HOUR) c.within1h++
      else if (d <= DAY) c.within1to24h++
      else c.later++
    }
    for (let g = 0; g < size; g++) start[g + 1]! += start[g]!
    // Counting sort by group, then a numeric sort inside each group.
    const sorted = new Float64Array(start[size]!)
    const fill = start.slice(0, size)
    for (let i = 0; i < n; i++) if (delta[i]! >= 0) sorted[fill[key[i]!]!++] = delta[i]!
    return counts.map((c, g) => ({ counts: c, sorted: sorted.subarray(start[g]!, start[g + 1]!).sort() }))
  }
  return {
    get count() {
      return n
    },
    add(source, createdAt, label, answeredAt, topic) {
      if (n === cap) {
        cap *= 2
        delta = grown(delta, (k) => new Float64Array(k))
        src = grown(src, (k) => new Uint16Array(k))
        top = grown(top, (k) => new Uint16Array(k))
        lab = grown(lab, (k) => new Uint8Array(k))
        how = grown(how, (k) => new Uint8Array(k))
      }
      let s = sourceIds.get(source)
      if (s === undefined) {
        s = sourceNames.length
        sourceIds.set(source, s)
        sourceNames.push(source)
      }
      src[n] = s
      const tk = topic ?? ''
      let t = topicIds.get(tk)
      if (t === undefined) {
        t = topicNames.length
        topicIds.set(tk, t)
        topicNames.push(tk)
      }
      top[n] = t
      lab[n] = labelIndex.get(label) ?? 5
      const slot = slotOf(Math.floor(createdAt / 900_000))
      how[n] = slot.weekday * 24 + slot.hour
      // -1 marks "never answered"; an answer stamped before the post (clock skew) counts as instant.
      delta[n] = answeredAt === null ? -1 : Math.max(0, answeredAt - createdAt)
      n++
    },
    summarize() {
      const [all] = groups(new Uint8Array(n), 1)
      return {
        overall: finishStats(all!.counts, all!.sorted),
        bySource: groups(src.subarray(0, n), sourceNames.length)
          .map((g, i) => ({ source: sourceNames[i]!, ...finishStats(g.counts, g.sorted) }))
          .sort((a, b) => b.mentions - a.mentions || a.source.localeCompare(b.source)),
        byLabel: groups(lab.subarray(0, n), LABEL_ORDER.length)
          .map((g, i) => ({ label: LABEL_ORDER[i]!, ...finishStats(g.counts, g.sorted) }))
          .filter((l) => l.mentions > 0),
        byTopic: groups(top.subarray(0, n), topicNames.length)
          .map((g, i) => ({ topic: topicNames[i] || 'untagged', ...finishStats(g.counts, g.sorted) }))
          .sort((a, b) => b.mentions - a.mentions || a.topic.localeCompare(b.topic)),
        hourOfWeek: groups(how.subarray(0, n), 168).map(({ counts: c }, i): HourOfWeekCell => {
          const { medianMinutes: _m, p90Minutes: _p, ...stats } = finishStats(c, new Float64Array(0))
          return { weekday: WEEKDAYS[Math.floor(i / 24)]!, hour: i % 24, ...stats, uncovered: c.mentions >= MIN_CELL_POSTS && c.within1h / c.mentions < 0.5 }
        }),
      }
    },
  }
}

function finishStats(c: Counts, sorted: Float64Array): AuditStats {
  const share = (x: number) => (c.mentions ? round(x / c.mentions, 4) : 0)
  const q = (p: number) => (sorted.length ? round(quantileSorted(sorted, p) / MIN, 1) : null)
  return {
    ...c,
    shareWithin1h: share(c.within1h),
    shareWithin24h: share(c.within1h + c.within1to24h),
    shareNever: share(c.never),
    medianMinutes: q(0.5),
    p90Minutes: q(0.9),
  }
}

/** Type-7 quantile of an ascending array. */
export function quantileSorted(s: ArrayLike<number>, p: number): number {
  const pos = (s.length - 1) * p
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo)
}

/** Consecutive uncovered hours of one weekday, merged into ranges. */
export function uncoveredRanges(cells: readonly HourOfWeekCell[]): UncoveredRange[] {
  const out: UncoveredRange[] = []
  for (let wd = 0; wd < 7; wd++) {
    for (let h = 0; h < 24; ) {
      const c = cells[wd * 24 + h]!
      if (!c.uncovered) {
        h++
        continue
      }
      let end = h
      let mentions = 0
      let within = 0
      while (end < 24 && cells[wd * 24 + end]!.uncovered) {
        mentions += cells[wd * 24 + end]!.mentions
        within += cells[wd * 24 + end]!.within1h
        end++
      }
      out.push({ weekday: WEEKDAYS[wd]!, fromHour: h, untilHour: end, mentions, shareWithin1h: round(within / mentions, 4) })
      h = end
    }
  }
  return out
}

export function toLedgerItems(rows: readonly LedgerRow[], now: number): LedgerItem[] {
  return rows.map((r) => ({
    source: r.source,
    id: r.id,
    brand: r.brand,
    createdAt: new Date(r.createdAt).toISOString(),
    ageHours: round((now - r.createdAt) / HOUR, 1),
    label: (r.label ?? 'untagged') as LabelKey,
    author: r.author,
    text: r.text,
    url: r.url,
  }))
}

/** x and twitter name the same platform: the adapter says x, the TWCS dataset twitter. */
const ALIASES: Record<string, string[]> = { x: ['twitter'], twitter: ['x'] }

export const AUTO_NONNUMERIC = 'auto-nonnumeric'

/**
 * Brand handles from the config (per platform) and --handles (every platform). "auto-nonnumeric"
 * in --handles marks authors whose id is not all digits as brands, which is how the Twitter
 * Customer Support dataset tells companies (sprintcare, AppleSupport) from customers (115712).
 */
export function resolveBrandMatcher(brands: readonly Brand[], handlesFlag: string | undefined, onlyBrands?: readonly string[]): BrandMatcher {
  const bySource = new Map<string, string[]>()
  const clean = (h: string) => h.trim().replace(/^@/, '').toLowerCase()
  for (const b of brands) {
    if (onlyBrands?.length && !onlyBrands.includes(b.name)) continue
    for (const [platform, h] of Object.entries(b.handles ?? {})) {
      for (const p of [platform, ...(ALIASES[platform] ?? [])]) {
        const list = bySource.get(p) ?? []
        for (const one of Array.isArray(h) ? h : [h]) if (clean(one)) list.push(clean(one))
        bySource.set(p, list)
      }
    }
  }
  const flag = (handlesFlag ?? '').split(',').map(clean).filter(Boolean)
  if (handlesFlag !== undefined && !flag.length) throw new UsageError('--handles: expected comma-separated handles, e.g. --handles AcmeHelp,acme_support or --handles auto-nonnumeric')
  return { bySource, anySource: flag.filter((h) => h !== AUTO_NONNUMERIC), nonNumeric: flag.includes(AUTO_NONNUMERIC) }
}

export function describeMatcher(m: BrandMatcher): string {
  const parts = ['posts marked by_brand']
  for (const [s, hs] of m.bySource) if (hs.length) parts.push(`${s}: ${hs.join(', ')}`)
  if (m.anySource.length) parts.push(`any source: ${m.anySource.join(', ')}`)
  if (m.nonNumeric) parts.push('authors with a non-numeric id (auto-nonnumeric)')
  return parts.join('; ')
}
