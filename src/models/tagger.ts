// Shapes of the tagger and its commands: classifications, explanations, model versions, evaluations.
import type { Classification, Label, LabelSource } from './mention.js'
import type { TopicDef } from './topics.js'

/** Languages with their own stemmer, negation rules, lexicon and model. Everything else is 'xx'. */
export type ModelLang = 'en' | 'de'

export interface FiredRule {
  id: string
  label: Label
  weight: number
}

export interface TaggerResult extends Classification {
  /** The model and lexicon used: its own for en/de, English for other languages. */
  modelLang: ModelLang
  /**
   * The post is in a language that is neither en nor de: tagged by the keywords and emoji both
   * rule sets share, with neither language's learnt models; treat the label as a guess.
   */
  lowConfidence: boolean
}

export interface Explanation {
  label: Label
  lang: string | null
  modelLang: ModelLang
  /** See TaggerResult.lowConfidence. */
  lowConfidence: boolean
  scores: Record<Label, number>
  rulesFired: FiredRule[]
  topTokens: Array<{ token: string; label: Label; weight: number }>
  /** The linear model's n-grams that pushed most towards its choice, times its weight in the mix; empty when it takes no part. */
  topNgrams: Array<{ feature: string; label: Label; weight: number }>
}

export interface TrainingExample {
  text: string
  label: Label
  lang?: string | null | undefined
  /** A customer's follow-up to a brand post (the reply chain); the linear model learns it as a feature. */
  followUp?: boolean | undefined
}

/** What the reply chain says about a post, for the tagger. */
export interface PostContext {
  /** The post replies to one by the brand: a follow-up inside a conversation, not a first message. */
  followUp?: boolean | undefined
}

// Pure evaluation: accuracy, per-class precision/recall/F1, macro-F1 and a confusion matrix.

export interface ClassMetrics {
  label: string
  precision: number
  recall: number
  f1: number
  /** Gold count. */
  support: number
}

// Pure evaluation: accuracy, per-class precision/recall/F1, macro-F1 and a confusion matrix.

export interface Evaluation {
  labels: string[]
  total: number
  accuracy: number
  perClass: ClassMetrics[]
  /** Mean F1 over the labels that occur in gold or predictions. */
  macroF1: number
  /** confusion[gold][predicted], rows and columns in `labels` order. */
  confusion: number[][]
}

export interface Interval {
  low: number
  high: number
}

export interface EvaluationIntervals {
  accuracy: Interval
  macroF1: Interval
  /** F1 per class, in the evaluation's `labels` order. */
  f1: Interval[]
}

export interface Difference extends Interval {
  /** first − second on all posts. */
  value: number
  /** better / worse: the whole interval lies above / below 0. */
  verdict: 'better' | 'worse' | 'unclear'
}

export interface PairedEvaluation {
  first: Evaluation & { intervals: EvaluationIntervals }
  second: Evaluation & { intervals: EvaluationIntervals }
  /** first − second, from the same resampled posts (a paired bootstrap). */
  difference: { accuracy: Difference; macroF1: Difference; f1: Difference[] }
}

export type ModelAction = 'train' | 'reset'

export interface ModelVersion {
  version: number
  createdAt: number
  action: ModelAction
  /** The version this one was trained on top of; null = the built-in model. */
  basedOn: number | null
  description: string | null
  /** Examples this version added. */
  examples: number
  /** True when the version holds no model of its own and means the built-in one (--reset). */
  builtin: boolean
}

export interface NewModelVersion {
  action: ModelAction
  basedOn: number | null
  description: string | null
  examples: number
  /** The model as JSON (classify/bayes.ts BayesModel); null = the built-in model. */
  model: unknown
  createdAt: number
}

export interface HumanLabelResult {
  previous: { label: Label | null; labelSource: LabelSource | null }
  text: string
}

/** Which stored mentions `listen classify` re-tags. Human labels are never among them. */
export type TagScope = 'untagged' | 'model' | 'all'

export interface MentionToTag {
  rowid: number
  text: string
  lang: string | null
  label: Label | null
  labelSource: LabelSource | null
  source: string
  id: string
  inReplyTo: string | null
  threadId: string | null
  /** The post it replies to is stored and was written by the brand. */
  parentByBrand: boolean
}

/** A customer post and the first reply the brand wrote to it (listen train --from-replies). */
export interface BrandReplyPair {
  source: string
  id: string
  text: string
  lang: string | null
  /** The post itself replies to a brand post (see PostContext.followUp). */
  followUp: boolean
  reply: string
  replyLang: string | null
}

/** Keyset position for paging BrandReplyPair rows: the last (source, id) read. */
export interface ReplyCursor {
  source: string
  id: string
}

export interface ModelLabel {
  rowid: number
  label: Label
  scores: Record<Label, number>
  /** Personal-data kinds found in the text (see MentionInput.pii); undefined leaves the column as it is. */
  pii?: string | undefined
}

/** Serializable, so it can cross into the reader thread: the active model's JSON, null for the built-in one. */
export interface TagSpec {
  model: unknown
  /** The active linear model's stored form (classify/linear.ts StoredLinear); absent: the built-in one. */
  linear?: unknown
  /** The config's topic taxonomy; null or absent: the built-in one; false: no topics. */
  topics?: TopicDef[] | null | false | undefined
}

export interface ModelInfo {
  /** builtin: the built-in corpus only; active: the database's active version plus human labels. */
  name: 'builtin' | 'active'
  /** Active model version; null = the built-in model. */
  version: number | null
  humanLabels: number
  /** For people: "model version 3 + 12 human labels". */
  description: string
}

export interface ClassifyModel {
  kind: 'classify'
  database: string
  scope: TagScope
  model: ModelInfo
  examined: number
  /** Were untagged. */
  tagged: number
  /** Had another label. */
  relabelled: number
  unchanged: number
  byLabel: Record<Label, number>
  /** Human labels, never touched. */
  humanKept: number
}

// ---------------------------------------------------------------------------------------------
// One text

export interface ClassifyTextModel {
  kind: 'classify-text'
  text: string
  label: Label
  needsResponse: boolean
  lang: string | null
  modelLang: string
  /** See TaggerResult.lowConfidence. */
  lowConfidence: boolean
  scores: Record<Label, number>
  model: ModelInfo
  /** With --explain. */
  rulesFired?: Explanation['rulesFired']
  topTokens?: Explanation['topTokens']
  topNgrams?: Explanation['topNgrams']
}

// ---------------------------------------------------------------------------------------------
// Lines from a file or stdin

export type LineFormat = 'auto' | 'jsonl' | 'text'

// ---------------------------------------------------------------------------------------------
// Lines from a file or stdin

export interface TaggedLine {
  /** The input's `id`, else the line number. */
  id: string | number
  label: Label
  scores: Record<Label, number>
  needsResponse: boolean
  lang: string | null
  /** See TaggerResult.lowConfidence. */
  lowConfidence: boolean
  rules?: Explanation['rulesFired']
  topTokens?: Explanation['topTokens']
  topNgrams?: Explanation['topNgrams']
}

// ---------------------------------------------------------------------------------------------
// Lines from a file or stdin

export interface LineCounts {
  lines: number
  tagged: number
  bad: number
}

export const MAPPINGS = ['auto', 'listen', 'airline', 'complaints', 'germeval'] as const

export type Mapping = (typeof MAPPINGS)[number]

export interface TrainFileResult {
  file: string
  rows: number
  examples: number
  bad: number
  skipped: number
  byLabel: Record<Label, number>
}

export type ModelVersionJson = Omit<ModelVersion, 'createdAt'> & { createdAt: string }

export interface TrainModel {
  kind: 'train'
  database: string
  version: ModelVersionJson
  files: TrainFileResult[]
  totals: Omit<TrainFileResult, 'file'>
  /** Human-labelled mentions, added to this model whenever it is used. */
  humanLabels: number
}

/** listen train --from-replies: the distant labels, and the version trained on them (none with --dry-run). */
export interface TrainRepliesModel {
  kind: 'train-replies'
  database: string
  dryRun: boolean
  /** Customer posts with a brand reply (human-labelled ones left out: their label stands). */
  pairs: number
  /** Those whose first brand reply matched one class clearly. */
  labelled: number
  byLabel: Record<Label, number>
  /** What one distant label weighs against a human label (1). */
  weight: number
  /** Up to `examplesPerClass` per class, in (source, id) order. */
  examples: Array<{ label: Label; source: string; id: string; text: string; reply: string; matched: string }>
  /** The new active version; null with --dry-run. */
  version: ModelVersionJson | null
}

export interface ModelsModel {
  kind: 'models'
  database: string
  active: number | null
  versions: Array<ModelVersionJson & { active: boolean }>
  humanLabels: number
}

export interface LabelModel {
  kind: 'label'
  database: string
  source: string
  id: string
  label: Label
  previousLabel: Label | null
  previousSource: LabelSource | null
  by: string | null
  at: string
  text: string
}

/** How predictions are compared with a dataset that has fewer classes than ours. */
export type Collapse = 'none' | 'sentiment' | 'complaint'

export interface EvalModel {
  kind: 'eval'
  files: string[]
  model: ModelInfo
  mapping: Mapping
  /** The comparisons used (one per dataset kind met). */
  collapse: Collapse[]
  rows: number
  scored: number
  bad: number
  skipped: number
  accuracy: number
  macroF1: number
  labels: string[]
  perClass: ClassMetrics[]
  /** confusion[gold][predicted], in `labels` order. */
  confusion: number[][]
  /** Percentile-bootstrap intervals over the posts (see bootstrapIntervals). */
  intervals: EvaluationIntervals & { level: number; reps: number }
  /** With --against: the other model on the same posts, and model − against. */
  comparison: Comparison | null
  /** With --misses: every post whose prediction differs from its gold label, in file order. */
  misses: Miss[] | null
}

export interface Miss {
  file: string
  line: number
  gold: string
  /** In the dataset's classes (see collapse). */
  predicted: string
  /** The tagger's own five-class label. */
  tagged: Label
  /** The --against model's prediction, in the dataset's classes. */
  against?: string
  lang: string | null
  text: string
}

export interface Comparison {
  against: ModelInfo
  accuracy: number
  macroF1: number
  perClass: ClassMetrics[]
  confusion: number[][]
  intervals: EvaluationIntervals
  difference: { accuracy: Difference; macroF1: Difference; f1: Difference[] }
}
