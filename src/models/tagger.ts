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
}

export interface Explanation {
  label: Label
  lang: string | null
  modelLang: ModelLang
  scores: Record<Label, number>
  rulesFired: FiredRule[]
  topTokens: Array<{ token: string; label: Label; weight: number }>
}

export interface TrainingExample {
  text: string
  label: Label
  lang?: string | null | undefined
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
}

export interface ModelLabel {
  rowid: number
  label: Label
  scores: Record<Label, number>
}

/** Serializable, so it can cross into the reader thread: the active model's JSON, null for the built-in one. */
export interface TagSpec {
  model: unknown
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
  scores: Record<Label, number>
  model: ModelInfo
  /** With --explain. */
  rulesFired?: Explanation['rulesFired']
  topTokens?: Explanation['topTokens']
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
  rules?: Explanation['rulesFired']
  topTokens?: Explanation['topTokens']
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
