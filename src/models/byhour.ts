// Shapes of report --by-hour: volume per local hour and weekday, and the staffing plan built on it.
import type { Completeness } from './completeness.js'
import type { LabelKey } from './mention.js'
import type { EmptyWindow } from './scope.js'

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const

export interface HourRow {
  hour: number
  total: number
  /** total ÷ days in the window: the mean volume of this hour on one day. */
  perDay: number
  byLabel: Record<LabelKey, number>
}

export interface HeatCell {
  weekday: (typeof WEEKDAYS)[number]
  hour: number
  total: number
  /** total ÷ how many of this weekday the window holds. */
  perDay: number
}

export interface ByHourModel {
  kind: 'by-hour'
  timezone: string
  from: string
  until: string
  days: number
  total: number
  filters: { sources: string[]; brands: string[] }
  hours: HourRow[]
  heatmap?: { weekdays: typeof WEEKDAYS; weekdayDays: number[]; cells: HeatCell[] }
  /** Present when the window held no mention at all: where the data is instead. */
  emptyWindow?: EmptyWindow | undefined
  /** Only from listen demo. */
  demo?: DemoInfo | undefined
}

export interface BucketInput {
  bucket: number
  /** Counts per label in LABEL_KEYS order (the store's BUCKET_LABELS). */
  counts: readonly number[]
}

export interface StaffingParams {
  ahtMs: number
  targetMs: number
  serviceLevel: number
  shrinkage: number
  maxOccupancy: number
  /** Which labels count as work; 'untagged' = mentions the tagger has not labelled. */
  labels: LabelKey[]
  /** null: plan for the mean week; 0.9: for the 90th-percentile week of each weekday-hour. */
  percentile: number | null
}

export interface StaffingCell {
  weekday: (typeof WEEKDAYS)[number]
  hour: number
  /** Planned arrivals per hour: the mean over the window, or the chosen percentile across weeks. */
  perHour: number
  /** Erlang C (live queue): fewest agents meeting the service level with capped occupancy. */
  agents: number
  /** agents ÷ (1 − shrinkage), rounded up: heads on the rota. */
  scheduled: number
  /** Workload in agent-hours per hour (= erlangs). */
  workload: number
  /** Backlog model (asynchronous replies): workload ÷ max occupancy, rounded up. */
  backlogAgents: number
  /** Service level the Erlang C agents reach. */
  serviceLevel: number
  /** How many whole weekday-hours of this kind the window held (the sample behind perHour). */
  weeks: number
}

export interface HourStaffing {
  /** Busiest weekday at this hour: the figures below plan for it. */
  peakWeekday: (typeof WEEKDAYS)[number]
  perHour: number
  agents: number
  scheduled: number
  workload: number
  backlogAgents: number
}

export interface StaffingPlan {
  params: {
    aht: string
    target: string
    serviceLevel: number
    shrinkage: number
    maxOccupancy: number
    labels: LabelKey[]
    percentile: number | null
  }
  models: Record<'agents' | 'scheduled' | 'backlogAgents', string>
  /** Mentions counted as work over the window, and how many of them were untagged. */
  counted: number
  untaggedCounted: number
  untaggedLeftOut: number
  hours: HourStaffing[]
  cells: StaffingCell[]
}

/** What `listen demo` adds to its by-hour report: where the data went. */
export interface DemoInfo {
  /** The --db file the demo wrote and kept, or null for a temporary database (deleted again). */
  database: string | null
  kept: boolean
  /** The fixtures' four weeks, ISO with offset. */
  window: { from: string; until: string }
}

export interface ByHourReport extends ByHourModel {
  completeness: Completeness
  /** Per local hour 0–23: share of source-hours in the window a successful fetch covered, 0–1; null when unknown (imported data). */
  coverageByHour: Array<number | null>
  staffing?: StaffingPlan & { basedOnHoles: boolean }
}

export const STAFFING_MODELS = {
  agents: 'Erlang C (M/M/N live queue): fewest agents with P(wait ≤ target) ≥ service level and occupancy ≤ cap',
  scheduled: 'agents ÷ (1 − shrinkage), rounded up',
  backlogAgents: 'backlog model for asynchronous replies: workload hours ÷ max occupancy, rounded up',
}
