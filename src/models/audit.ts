// Shapes of the first-response audit: shares answered within 1 h / 24 h, per source, label and hour of week, and the ledger.
import { WEEKDAYS } from './byhour.js'
import type { Completeness } from './completeness.js'
import type { LabelKey } from './mention.js'
import type { EmptyWindow } from './scope.js'

export interface AuditStats {
  mentions: number
  answered: number
  within1h: number
  within1to24h: number
  later: number
  never: number
  /** Shares of `mentions`, 0–1. */
  shareWithin1h: number
  shareWithin24h: number
  shareNever: number
  /** Over answered posts, minutes; null when none was answered. */
  medianMinutes: number | null
  p90Minutes: number | null
}

export interface HourOfWeekCell extends Omit<AuditStats, 'medianMinutes' | 'p90Minutes'> {
  weekday: (typeof WEEKDAYS)[number]
  hour: number
  /** ≥ MIN_CELL_POSTS posts and under half of them answered within 1 h. */
  uncovered: boolean
}

export interface UncoveredRange {
  weekday: (typeof WEEKDAYS)[number]
  fromHour: number
  /** Exclusive. */
  untilHour: number
  mentions: number
  shareWithin1h: number
}

export interface LedgerItem {
  source: string
  id: string
  brand: string | null
  createdAt: string
  ageHours: number
  label: LabelKey
  author: string | null
  text: string
  url: string | null
}

export interface AuditModel {
  kind: 'audit'
  /** What table/csv/ndjson rows show: the breakdown, the 168 hour-of-week cells, or the ledger. */
  view: 'breakdown' | 'hours' | 'ledger' | 'agents'
  timezone: string
  from: string
  until: string
  now: string
  filters: { sources: string[]; brands: string[] }
  labels: string[]
  untagged: 'included' | 'excluded'
  handles: { description: string; known: boolean }
  overall: AuditStats
  bySource: Array<AuditStats & { source: string }>
  byLabel: Array<AuditStats & { label: LabelKey }>
  /** Per topic ('untagged': no topic yet), most posts first. */
  byTopic: Array<AuditStats & { topic: string }>
  hourOfWeek: HourOfWeekCell[]
  uncovered: UncoveredRange[]
  ledger: { total: number; shown: number; items: LedgerItem[] }
  completeness: Completeness
  /** Present when the window held no post at all: where the data is instead. */
  emptyWindow?: EmptyWindow | undefined
  /** Posts by the config's shift they arrived in (present when the config has shifts). */
  byShift?: Array<AuditStats & { shift: string }> | undefined
  /** Brand replies in the window by account and signed agent (--agents); `mentions` = posts answered. */
  byAgent?: Array<AuditStats & { account: string; agent: string | null }> | undefined
}

/** [source, created_at, label, first brand answer or null] (the naive baseline's rows). */
export type AuditRow = [string, number, string, number | null]

export interface LedgerRow {
  source: string
  id: string
  brand: string | null
  createdAt: number
  author: string | null
  label: string | null
  text: string
  url: string | null
}

/** Hour-of-week cells with fewer posts are not judged covered or uncovered. */
export const MIN_CELL_POSTS = 3
