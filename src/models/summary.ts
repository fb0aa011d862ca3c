// Shapes of report --summary: counts and shares against the previous period, distinctive terms, top authors.
import type { Completeness } from './completeness.js'
import type { EmptyWindow } from './scope.js'

export interface Share {
  key: string
  count: number
  /** Of this period's total, 0–1. */
  share: number
  previous: number
  /** (count − previous) ÷ previous; null when previous is 0. */
  change: number | null
}

export interface Term {
  term: string
  /** Occurrences in complaints and outages. */
  count: number
  /** Occurrences in every other post. */
  background: number
  /** Log-odds ratio with an informative Dirichlet prior, divided by its standard error. */
  z: number
}

export interface SummaryModel {
  kind: 'summary'
  timezone: string
  from: string
  until: string
  /** comparable false: the previous period is (mostly) before the data, so no change is given. */
  previous: { from: string; until: string; total: number; comparable: boolean }
  /** UTC days with at least one customer post, in this period and the previous one. */
  activeDays: { current: number; previous: number }
  filters: { sources: string[]; brands: string[] }
  total: number
  change: number | null
  byLabel: Share[]
  /** Per topic ('untagged': none yet). */
  byTopic: Share[]
  bySource: Share[]
  byBrand: Share[]
  /** Share of voice between the configured brands (and competitors); null with fewer than two. */
  shareOfVoice: Share[] | null
  terms: { labels: string[]; documents: number; background: number; sampled: boolean; items: Term[] }
  authors: Array<{ author: string; source: string; posts: number; share: number; negative: number }>
  needsResponse: { labels: string[]; total: number; unanswered: number; untaggedIncluded: boolean }
  completeness: Completeness
  /** Present when the window held no post at all: where the data is instead. */
  emptyWindow?: EmptyWindow | undefined
}

/** Customer posts per (source, brand, label); brand and label '' when none. */
export interface GroupCount {
  source: string
  brand: string
  label: string
  n: number
}
