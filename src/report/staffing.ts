// Staffing per weekday-hour from quarter-hour volume: Erlang C for live answering, the backlog
// figure for asynchronous answering, and the parameters both share (config `staffing` or flags).
import { round } from '../lib/number.js'
import { type BucketInput, type HourStaffing, STAFFING_MODELS, type StaffingCell, type StaffingParams, type StaffingPlan, WEEKDAYS } from '../models/byhour.js'
import { UsageError } from '../models/errors.js'
import { type Label, LABEL_KEYS, type LabelKey, LABELS, NEEDS_RESPONSE } from '../models/mention.js'
import { parseDuration } from '../time/parse.js'
import { backlogAgents, requiredAgents, scheduledAgents } from './erlang.js'
import { createBucketLocalizer } from './localize.js'

export interface StaffingFlags {
  aht?: string | undefined
  target?: string | undefined
  serviceLevel?: string | undefined
  shrinkage?: string | undefined
  maxOccupancy?: string | undefined
  labels?: string[] | undefined
  percentile?: string | undefined
}

export interface StaffingConfig {
  aht?: string | undefined
  target?: string | undefined
  serviceLevel?: number | undefined
  shrinkage?: number | undefined
  maxOccupancy?: number | undefined
  labels?: Label[] | undefined
}

/** Shrinkage and occupancy cap when neither config nor flags say: common planning values. */
export const DEFAULT_SHRINKAGE = 0.3
export const DEFAULT_MAX_OCCUPANCY = 0.85
/** Work that needs an answer; untagged mentions count too, because the tagger may not have run. */
export const DEFAULT_STAFFING_LABELS: readonly LabelKey[] = [...LABELS.filter((l) => NEEDS_RESPONSE.has(l)), 'untagged']

export function parseDurationValue(value: string, flag: string): number {
  const ms = parseDuration(value)
  if (ms === null || ms <= 0) throw new UsageError(`${flag}: cannot read "${value}" as a duration (expected e.g. 240s, 6m, 1h)`)
  return ms
}

/** "0.8", "80%" → 0.8; checks the open/closed range and names the flag. */
export function parseFraction(value: string, flag: string, range: { min: number; max: number; minOpen?: boolean; maxOpen?: boolean }): number {
  const s = value.trim()
  const pct = s.endsWith('%')
  const n = Number(pct ? s.slice(0, -1) : s) / (pct ? 100 : 1)
  const low = range.minOpen ? n > range.min : n >= range.min
  const high = range.maxOpen ? n < range.max : n <= range.max
  if (!s || !Number.isFinite(n) || !low || !high) {
    const bounds = `${range.minOpen ? '>' : '≥'} ${range.min} and ${range.maxOpen ? '<' : '≤'} ${range.max}`
    throw new UsageError(`${flag}: expected a share ${bounds} such as 0.8 or 80%, got "${value}"`)
  }
  return n
}

export function parseLabelKeys(values: string[] | undefined, flag = '--labels'): LabelKey[] | undefined {
  const list = values?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)
  if (!list?.length) return undefined
  for (const l of list) {
    if (!(LABEL_KEYS as readonly string[]).includes(l)) {
      throw new UsageError(`${flag}: unknown label "${l}" (${LABEL_KEYS.join(', ')})`)
    }
  }
  return [...new Set(list)] as LabelKey[]
}

/**
 * Flags win over the config. Returns null when nothing asks for staffing (no config section and
 * no staffing flag); throws when asked for but aht, target or service level is missing.
 */
export function resolveStaffing(config: StaffingConfig | undefined, flags: StaffingFlags): StaffingParams | null {
  const anyFlag = Object.values(flags).some((v) => v !== undefined)
  if (!config && !anyFlag) return null
  const aht = flags.aht ?? config?.aht
  const target = flags.target ?? config?.target
  const level = flags.serviceLevel ?? config?.serviceLevel
  const missing = [aht === undefined && '--aht', target === undefined && '--target', level === undefined && '--service-level'].filter(Boolean)
  if (missing.length) {
    throw new UsageError(`staffing needs ${missing.join(', ')} (as flags or in the config's "staffing" section), e.g. --aht 6m --target 60m --service-level 0.8`)
  }
  const num = (v: string | number | undefined, flag: string, range: Parameters<typeof parseFraction>[2], fallback: number) =>
    v === undefined ? fallback : typeof v === 'number' ? v : parseFraction(v, flag, range)
  return {
    ahtMs: parseDurationValue(aht!, '--aht'),
    targetMs: parseDurationValue(target!, '--target'),
    serviceLevel: num(level, '--service-level', { min: 0, max: 1, minOpen: true, maxOpen: true }, 0.8),
    shrinkage: num(flags.shrinkage ?? config?.shrinkage, '--shrinkage', { min: 0, max: 1, maxOpen: true }, DEFAULT_SHRINKAGE),
    maxOccupancy: num(flags.maxOccupancy ?? config?.maxOccupancy, '--max-occupancy', { min: 0, max: 1, minOpen: true }, DEFAULT_MAX_OCCUPANCY),
    labels: parseLabelKeys(flags.labels) ?? config?.labels ?? [...DEFAULT_STAFFING_LABELS],
    percentile: flags.percentile === undefined ? null : parseFraction(flags.percentile, '--percentile', { min: 0, max: 1, minOpen: true, maxOpen: true }),
  }
}

const Q = 900_000
const H = 3_600_000
const DAY = 86_400_000

/** Linear interpolation between order statistics (R's type 7); xs need not be sorted. */
export function quantile(xs: readonly number[], p: number): number {
  if (!xs.length) return 0
  const s = [...xs].sort((a, b) => a - b)
  const pos = (s.length - 1) * p
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo)
}

/**
 * Plans every weekday-hour of the local week. Each local hour of the window (a concrete date and
 * hour) is one sample: its count ÷ its length (a fall-back hour lasts two, a partial edge hour
 * less). The mean rate of a weekday-hour is its count ÷ its total length; a percentile looks only at
 * whole hours across the weeks. Per hour of day, the busiest weekday is planned for.
 */
export function planStaffing(buckets: readonly BucketInput[], o: { timezone: string; from: number; until: number; params: StaffingParams }): StaffingPlan {
  const slotOf = createBucketLocalizer(o.timezone)
  const include = LABEL_KEYS.map((k) => o.params.labels.includes(k))
  const untaggedIndex = LABEL_KEYS.indexOf('untagged')
  // Local day number from the UTC day and the weekday: offsets are within ±14 h, so the local date is
  // the UTC date or a neighbour, and only one of the three has the right weekday.
  const localSlot = (bucket: number) => {
    const { hour, weekday } = slotOf(bucket)
    const utcDay = Math.floor((bucket * Q) / DAY)
    let day = utcDay
    for (const d of [utcDay, utcDay - 1, utcDay + 1]) if ((((d + 3) % 7) + 7) % 7 === weekday) day = d
    return { key: day * 24 + hour, cell: weekday * 24 + hour }
  }
  const slots = new Map<number, { cell: number; hours: number; count: number }>()
  const slotAt = (bucket: number) => {
    const { key, cell } = localSlot(bucket)
    let s = slots.get(key)
    if (!s) slots.set(key, (s = { cell, hours: 0, count: 0 }))
    return s
  }
  for (let q = Math.floor(o.from / Q); q * Q < o.until; q++) {
    const overlap = Math.min(o.until, (q + 1) * Q) - Math.max(o.from, q * Q)
    if (overlap > 0) slotAt(q).hours += overlap / H
  }
  let counted = 0
  let untaggedCounted = 0
  let untaggedLeftOut = 0
  for (const b of buckets) {
    let n = 0
    for (let i = 0; i < include.length; i++) if (include[i]) n += b.counts[i] ?? 0
    const u = b.counts[untaggedIndex] ?? 0
    if (include[untaggedIndex]) untaggedCounted += u
    else untaggedLeftOut += u
    if (n === 0) continue
    slotAt(b.bucket).count += n
    counted += n
  }
  const cellHours = new Array<number>(168).fill(0)
  const cellCount = new Array<number>(168).fill(0)
  const samples = Array.from({ length: 168 }, () => [] as number[])
  for (const s of slots.values()) {
    cellHours[s.cell]! += s.hours
    cellCount[s.cell]! += s.count
    if (s.hours >= 1 - 1e-9) samples[s.cell]!.push(s.count / s.hours)
  }
  const p = o.params
  const cells: StaffingCell[] = cellCount.map((count, i) => {
    const perHour = p.percentile === null ? (cellHours[i]! > 0 ? count / cellHours[i]! : 0) : quantile(samples[i]!, p.percentile)
    const e = requiredAgents({ perHour, ahtMs: p.ahtMs, targetMs: p.targetMs, serviceLevel: p.serviceLevel, maxOccupancy: p.maxOccupancy })
    return {
      weekday: WEEKDAYS[Math.floor(i / 24)]!,
      hour: i % 24,
      perHour: round(perHour),
      agents: e.agents,
      scheduled: scheduledAgents(e.agents, p.shrinkage),
      workload: round(e.erlangs),
      backlogAgents: backlogAgents(e.erlangs, p.maxOccupancy),
      serviceLevel: round(e.serviceLevel, 4),
      weeks: samples[i]!.length,
    }
  })
  const hours: HourStaffing[] = Array.from({ length: 24 }, (_, h) => {
    let best = cells[h]!
    for (let wd = 1; wd < 7; wd++) {
      const c = cells[wd * 24 + h]!
      if (c.agents > best.agents || (c.agents === best.agents && c.perHour > best.perHour)) best = c
    }
    const { weekday, perHour, agents, scheduled, workload, backlogAgents: backlog } = best
    return { peakWeekday: weekday, perHour, agents, scheduled, workload, backlogAgents: backlog }
  })
  return {
    params: {
      aht: formatDuration(p.ahtMs),
      target: formatDuration(p.targetMs),
      serviceLevel: p.serviceLevel,
      shrinkage: p.shrinkage,
      maxOccupancy: p.maxOccupancy,
      labels: p.labels,
      percentile: p.percentile,
    },
    models: STAFFING_MODELS,
    counted,
    untaggedCounted,
    untaggedLeftOut,
    hours,
    cells,
  }
}


/** 360000 → "6m", 5400000 → "1h30m", 20000 → "20s". */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s'
  const parts: string[] = []
  let rest = Math.round(ms / 1000)
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size)
    if (n) parts.push(`${n}${unit}`)
    rest -= n * size
  }
  return parts.join('') || `${ms}ms`
}
