// The ground floor (src/models): data shapes every layer shares. This file: mentions and labels, as fetched and as stored.
import type { TopicSource } from './topics.js'
export const LABELS = ['outage', 'complaint', 'question', 'praise', 'other'] as const
export type Label = (typeof LABELS)[number]

/** Labels that a social-care team must answer ("priority 1"). */
export const NEEDS_RESPONSE: ReadonlySet<Label> = new Set<Label>(['outage', 'complaint', 'question'])

export function isLabel(value: unknown): value is Label {
  return typeof value === 'string' && (LABELS as readonly string[]).includes(value)
}

/** One post about a brand, as stored. Times are epoch milliseconds, UTC. */
export interface Mention {
  source: string
  id: string
  brand: string | null
  createdAt: number
  author: string | null
  authorId: string | null
  text: string
  url: string | null
  lang: string | null
  inReplyTo: string | null
  threadId: string | null
  /** Written by one of the brand's own handles (a reply from the care team). */
  byBrand: boolean
  /** The platform item as received, kept for re-normalising later. */
  raw: unknown
}

/** How a mention got its label: the tagger, or a human correction (which always wins). */
export type LabelSource = 'model' | 'human' | 'import'

export interface Classification {
  label: Label
  scores: Record<Label, number>
  needsResponse: boolean
  lang: string | null
}

export interface Brand {
  name: string
  query: string
  languages?: string[] | undefined
  /** The brand's own account per platform (or several), e.g. { x: "AcmeHelp", reddit: ["acme_support"] }. */
  handles?: Record<string, string | string[]> | undefined
}

/** A mention on its way into the store, optionally already tagged. */
export interface MentionInput extends Mention {
  label?: Label | null
  labelSource?: LabelSource | null
  scores?: Record<string, number> | null
  /** Kinds of personal data in the text, comma-joined ('' = none, null = not checked); never the values. */
  pii?: string | null
  /** Topic (billing, delivery …) and how it got it; see models/topics.ts. */
  topic?: string | null
  topicSource?: TopicSource | null
}

export interface StoredMention extends Omit<Mention, 'raw'> {
  label: Label | null
  labelSource: LabelSource | null
  scores: Record<string, number> | null
  fetchedAt: number
  /** See MentionInput.pii. */
  pii: string | null
  topic: string | null
  topicSource: TopicSource | null
}

export interface UpsertCounts {
  inserted: number
  updated: number
  unchanged: number
}

export interface MentionFilter {
  from?: number | undefined
  until?: number | undefined
  sources?: string[] | undefined
  brands?: string[] | undefined
  /** 'untagged': mentions without a label yet. */
  labels?: LabelKey[] | undefined
  search?: string | undefined
  /** Only these topics ('untagged': none yet). */
  topics?: string[] | undefined
  /** true: only the brand's own posts; false: only customers' posts; undefined: both. */
  byBrand?: boolean | undefined
  /** true: only mentions holding personal data (listen mentions --flag pii). */
  pii?: boolean | undefined
  limit?: number | undefined
}

/** Label columns of a bucket row; '' is untagged. */
export const BUCKET_LABELS = ['outage', 'complaint', 'question', 'praise', 'other', ''] as const

export interface BucketRow {
  /** UTC quarter hour: floor(created_at / 900000). */
  bucket: number
  /** Counts in BUCKET_LABELS order. */
  counts: number[]
}

export type LabelKey = Label | 'untagged'

export const LABEL_KEYS: readonly LabelKey[] = [...LABELS, 'untagged']

/** Customer posts in one local hour of the week. */
export interface HourOfWeekRow {
  /** 0 = Monday … 6 = Sunday. */
  weekday: number
  hour: number
  /** Counts in BUCKET_LABELS order ('' = untagged last). */
  counts: number[]
}
