// listen queue: the customer posts that still wait for a first answer, most urgent first.
import type { Label, LabelKey } from './mention.js'
import type { BrandMatcher } from './scope.js'

/** Labels the queue holds, most urgent first (untagged last: nobody has read it yet). */
export const QUEUE_LABELS = ['outage', 'complaint', 'question', 'untagged'] as const
export type QueueLabel = (typeof QUEUE_LABELS)[number]

export interface QueueScope {
  from: number
  until: number
  sources?: readonly string[] | undefined
  brands?: readonly string[] | undefined
  /** Subset of QUEUE_LABELS. */
  labels: readonly LabelKey[]
  brand: BrandMatcher
}

/** An unanswered customer post as the store returns it. */
export interface QueueCandidate {
  source: string
  id: string
  brand: string | null
  createdAt: number
  author: string | null
  authorId: string | null
  label: Label | null
  text: string
  url: string | null
  /** Comma-joined personal-data kinds ('' none, null not checked). */
  pii: string | null
  /** The mention's topic where the store has one (null until topics are tagged). */
  topic: string | null
  /** Customer replies below this post since it was written: the thread has grown. */
  replies: number
}

export interface QueueItem {
  rank: number
  source: string
  id: string
  brand: string | null
  createdAt: string
  author: string | null
  label: QueueLabel
  topic: string | null
  /** One line, personal data masked. */
  text: string
  url: string | null
  ageMinutes: number
  slaMinutes: number
  /** Negative once breached. */
  slaLeftMinutes: number
  breached: boolean
  /** DM: personal data in public, take it to a private channel. */
  flags: string[]
  pii: string[]
  piiMasked: string[]
  /** Earlier posts of the same author still waiting in the queue. */
  authorWaiting: number
  replies: number
}

export interface QueueModel {
  kind: 'queue'
  timezone: string
  /** The instant the queue is worked out for (now, or --at). */
  at: string
  window: { from: string; until: string }
  sla: Record<QueueLabel, number>
  total: number
  shown: number
  breached: number
  /** Any brand post in the window at all; without one every post looks unanswered. */
  brandPostsKnown: boolean
  items: QueueItem[]
}
