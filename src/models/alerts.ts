// Shapes of listen alerts: what was counted against which baseline, what fired, what the webhook got.
import type { Completeness } from './completeness.js'

export const ALERT_KINDS = ['outage', 'complaint'] as const

/** 'topic-storm': one topic's complaints against their own baseline (commands/alerts.ts, the topic named). */
export type AlertKind = (typeof ALERT_KINDS)[number] | 'topic-storm'

export type TailMethod = 'poisson' | 'negative-binomial'

// ---------------------------------------------------------------------------------------------
// The decision and what an alert says.

export type AlertStatus = 'fired' | 'cooldown' | 'normal' | 'below-min' | 'no-baseline'

/** What the webhook message needs from one alert. */
export interface AlertMessage {
  brand: string
  kind: AlertKind
  count: number
  expected: number
  p: number | null
  method: TailMethod
  windowMs: number
  from: string
  until: string
  bySource: Record<string, number>
  singlePlatform: boolean
  authors: number
  terms: string[]
  examples: ExampleMention[]
  warnings: string[]
  /** Set when this is an earlier alert delivered late (its webhook post had failed). */
  delayed?: boolean
  /** The topic of a 'topic-storm' (its complaints about this topic). */
  topic?: string | undefined
}

// ---------------------------------------------------------------------------------------------
// Baseline: the same hour(s) of the week in each of the previous weeks.

export interface Span {
  from: number
  until: number
}

export type WeekExclusion = 'before-data' | 'fetch-holes'

export interface BaselineWeek {
  from: string
  until: string
  /** Why this week is left out of the baseline; null = used. */
  excluded: WeekExclusion | null
  completeness: boolean | null
}

export interface AlertExample {
  source: string
  createdAt: string
  author: string | null
  text: string
  url: string | null
}

export interface AlertEvaluation {
  brand: string
  kind: AlertKind
  /** The topic of a 'topic-storm'. */
  topic?: string | undefined
  status: AlertStatus
  count: number
  expected: number | null
  /** P(X ≥ count) under the baseline; null without one. */
  p: number | null
  method: TailMethod | null
  /** Slot counts per baseline week, newest first; null = week left out. */
  baseline: Array<number | null>
  dispersion: { mean: number; variance: number | null; size: number | null } | null
  bySource: Record<string, number>
  platforms: number
  singlePlatform: boolean
  /** Set for alerts (fired or held back by the cooldown). */
  authors: number | null
  terms: string[]
  examples: AlertExample[]
  warnings: string[]
  cooldownUntil: string | null
  alertId: number | null
}

export interface UndeliveredAlert {
  id: number
  brand: string
  kind: AlertKind
  firedAt: string
  attempts: number
  error: string | null
}

export interface AlertsModel {
  kind: 'alerts'
  timezone: string
  at: string
  from: string
  until: string
  params: { window: string; windowMs: number; weeks: number; p: number; min: number; cooldown: string; cooldownMs: number }
  weeks: BaselineWeek[]
  evaluations: AlertEvaluation[]
  fired: number
  suppressed: number
  dryRun: boolean
  /** unknown: no answer in time, the post may have arrived; kept as undelivered and sent again (same key) next run. */
  delivery: { webhook: boolean; status: 'not-requested' | 'nothing-to-send' | 'dry-run' | 'delivered' | 'failed' | 'unknown'; alerts: number; delayed: number; error: string | null }
  undelivered: { total: number; alerts: UndeliveredAlert[] }
  completeness: { window: Completeness; baselineHoles: number }
}

export interface AlertPost {
  source: string
  createdAt: number
  author: string | null
  text: string
  url: string | null
}

export type Delivery = 'none' | 'delivered' | 'failed'

export interface AlertRecordInput {
  brand: string
  kind: AlertKind
  firedAt: number
  windowFrom: number
  count: number
  expected: number
  p: number | null
  method: string
  /** JSON of what the webhook posts about this alert. */
  message: string
  delivery: Delivery
  error?: string | null
}

export interface StoredAlert {
  id: number
  brand: string
  kind: AlertKind
  firedAt: number
  count: number
  message: string
  attempts: number
  error: string | null
}

export interface ExampleMention {
  source: string
  createdAt: number
  author: string | null
  text: string
  url: string | null
}
