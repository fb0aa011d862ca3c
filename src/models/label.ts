// Shapes of `listen label --next` (posts worth a human label, with their thread) and `label --input`.
import type { Label, LabelSource } from './mention.js'

/** A post in the thread around a candidate: the post it answers, or the brand's first reply to it. */
export interface ThreadPost {
  id: string
  author: string | null
  createdAt: number
  text: string
}

/** A stored customer post without a human label, as the store hands it to the selector. */
export interface LabelCandidateRow {
  rowid: number
  source: string
  id: string
  brand: string | null
  createdAt: number
  author: string | null
  text: string
  lang: string | null
  label: Label | null
  labelSource: LabelSource | null
  parent: ThreadPost | null
  reply: ThreadPost | null
}

export interface LabelCandidateQuery {
  /** The newest posts first; at most this many are scored. */
  pool: number
  sources?: readonly string[] | undefined
  brands?: readonly string[] | undefined
}

/** A post offered for labelling: the current model's guess and scores, and how unsure it is. */
export interface LabelCandidate {
  mention: string
  source: string
  id: string
  brand: string | null
  createdAt: string
  author: string | null
  text: string
  lang: string | null
  guess: Label
  scores: Record<Label, number>
  /** 0 = sure, 1 = the model cannot tell (1 − margin, or normalised entropy). */
  uncertainty: number
  /** The label now stored for the post (model or none). */
  stored: Label | null
  parent: ThreadPostOut | null
  reply: ThreadPostOut | null
}

export type ThreadPostOut = Omit<ThreadPost, 'createdAt'> & { createdAt: string }

export type Uncertainty = 'margin' | 'entropy'

export interface LabelNextModel {
  kind: 'label-next'
  database: string
  /** "built-in model + 12 human labels". */
  model: string
  strategy: Uncertainty
  /** Posts scored (the newest `pool` customer posts without a human label). */
  scored: number
  /** The pool was cut at its limit: older posts were not considered. */
  poolCut: boolean
  candidates: LabelCandidate[]
}

/** One row of a `label --input` file, checked. */
export interface HumanLabelInput {
  source: string
  id: string
  label: Label
  /** The line (CSV record or JSONL line) it came from. */
  line: number
}

export interface HumanLabelsResult {
  /** False when unknown ids stopped the whole file (nothing written). */
  applied: boolean
  saved: number
  /** Already carried the same human label. */
  unchanged: number
  unknown: HumanLabelInput[]
}

export interface LabelInputModel {
  kind: 'label-input'
  database: string
  file: string
  rows: number
  applied: boolean
  saved: number
  unchanged: number
  unknown: Array<{ mention: string; line: number }>
  by: string | null
  at: string
}

export interface UndoResult {
  /** The label now stored again (null = none), and who set it. */
  label: Label | null
  labelSource: LabelSource | null
  /** The human label that was taken back. */
  undone: Label
}
