// Multinomial naive Bayes over binarised features (each feature counted once per post, which
// works better than raw counts on short texts). Counts are the stored, JSON-able model; the
// log-likelihood tables are compiled from them on first use and cached per model revision.
import { UsageError } from '../errors.js'
import { LABELS, isLabel, type Label } from '../types.js'
import { analyze } from './features.js'
import type { ModelLang } from './tokenize.js'

export const MODEL_FORMAT = 'listen-nb'
export const MODEL_VERSION = 1
const K = LABELS.length

export interface LangCounts {
  /** Posts per label, in LABELS order. */
  docs: number[]
  /** Feature occurrences per label, in LABELS order. */
  total: number[]
  /** feature → occurrences per label, in LABELS order. */
  counts: Record<string, number[]>
}

/** The stored model: plain JSON, safe to keep in the database and to extend by training. */
export interface BayesModel {
  format: typeof MODEL_FORMAT
  version: typeof MODEL_VERSION
  /** Increases by one with every training call; lets callers tell models apart. */
  revision: number
  /** Laplace smoothing. */
  alpha: number
  bigrams: boolean
  labels: Label[]
  langs: Record<ModelLang, LangCounts>
}

export interface TrainingExample {
  text: string
  label: Label
  lang?: string | null | undefined
}

function emptyCounts(): LangCounts {
  return { docs: new Array<number>(K).fill(0), total: new Array<number>(K).fill(0), counts: {} }
}

export function emptyModel(options: { alpha?: number; bigrams?: boolean } = {}): BayesModel {
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    revision: 0,
    alpha: options.alpha ?? 0.5,
    bigrams: options.bigrams ?? true,
    labels: [...LABELS],
    langs: { en: emptyCounts(), de: emptyCounts() },
  }
}

const LABEL_INDEX: ReadonlyMap<Label, number> = new Map(LABELS.map((l, i) => [l, i]))

/** Adds one post's features to the counts (mutates `model`). */
export function addFeatures(model: BayesModel, lang: ModelLang, features: readonly string[], label: Label): void {
  const li = LABEL_INDEX.get(label)
  if (li === undefined) throw new UsageError(`unknown label "${String(label)}"; expected one of ${LABELS.join(', ')}`)
  const lc = model.langs[lang]
  lc.docs[li]! += 1
  const seen = new Set(features)
  for (const f of seen) {
    let row = lc.counts[f]
    if (!row) {
      row = new Array<number>(K).fill(0)
      lc.counts[f] = row
    }
    row[li]! += 1
    lc.total[li]! += 1
  }
}

/** Incremental training: adds labelled posts to `model` in place and bumps its revision. */
export function addExamples(model: BayesModel, examples: Iterable<TrainingExample>): BayesModel {
  let n = 0
  for (const ex of examples) {
    n++
    if (!isLabel(ex.label)) {
      throw new UsageError(`training example ${n}: unknown label "${String(ex.label)}"; expected one of ${LABELS.join(', ')}`)
    }
    if (typeof ex.text !== 'string') throw new UsageError(`training example ${n}: "text" must be a string`)
    const a = analyze(ex.text, ex.lang, model.bigrams)
    addFeatures(model, a.modelLang, a.features, ex.label)
  }
  model.revision++
  return model
}

/** A new model: a deep copy of `base` (or an empty one) plus `examples`. `base` is not changed. */
export function trainModel(examples: Iterable<TrainingExample>, base?: BayesModel): BayesModel {
  const model = base ? cloneModel(base) : emptyModel()
  return addExamples(model, examples)
}

export function cloneModel(model: BayesModel): BayesModel {
  return parseModel(JSON.parse(JSON.stringify(model)))
}

/** Validates a model read back from storage; throws a UsageError naming what is wrong. */
export function parseModel(value: unknown): BayesModel {
  const fail = (what: string): never => {
    throw new UsageError(`stored tagger model is invalid: ${what}`)
  }
  if (!value || typeof value !== 'object') return fail('not an object')
  const m = value as Partial<BayesModel>
  if (m.format !== MODEL_FORMAT) fail(`format is ${JSON.stringify(m.format)}, expected "${MODEL_FORMAT}"`)
  if (m.version !== MODEL_VERSION) fail(`version ${String(m.version)} is not supported (expected ${MODEL_VERSION})`)
  if (!Array.isArray(m.labels) || m.labels.join() !== LABELS.join()) fail('labels differ from ' + LABELS.join(','))
  if (typeof m.alpha !== 'number' || !(m.alpha > 0)) fail('alpha must be a positive number')
  if (typeof m.revision !== 'number') fail('revision must be a number')
  if (!m.langs || typeof m.langs !== 'object') fail('langs missing')
  for (const lang of ['en', 'de'] as const) {
    const lc = m.langs![lang]
    if (!lc || !Array.isArray(lc.docs) || lc.docs.length !== K || !Array.isArray(lc.total) || lc.total.length !== K) {
      fail(`langs.${lang} must have docs and total with ${K} numbers`)
    }
    if (!lc!.counts || typeof lc!.counts !== 'object') fail(`langs.${lang}.counts missing`)
  }
  return { ...(m as BayesModel), bigrams: m.bigrams !== false }
}

/** Log-space tables for scoring, compiled from counts. */
export interface CompiledLang {
  logPrior: Float64Array
  loglik: Map<string, Float64Array>
  /** feature → row in `rows` (K log-likelihoods per row); the hot path works on these numbers. */
  index: Map<string, number>
  rows: Float64Array
  /** bigramKey(row of first, row of second) → row of the bigram. */
  bigrams: Map<number, number>
  /** Training posts in this table. */
  docs: number
  /** True when this language has no training data (callers fall back to another language). */
  empty: boolean
}

/** Both parts of a trained bigram are trained unigrams, so a pair of rows identifies it. */
export const bigramKey = (a: number, b: number): number => a * 0x200000 + b

const compiledCache = new WeakMap<BayesModel, { revision: number; langs: Record<ModelLang, CompiledLang> }>()

function compileLang(lc: LangCounts, alpha: number): CompiledLang {
  const docs = lc.docs.reduce((a, b) => a + b, 0)
  const features = Object.keys(lc.counts)
  const vocab = features.length
  const logPrior = new Float64Array(K)
  const denom = new Float64Array(K)
  for (let k = 0; k < K; k++) {
    // Add-one on priors so a class without posts is still possible.
    logPrior[k] = Math.log((lc.docs[k]! + 1) / (docs + K))
    denom[k] = Math.log(lc.total[k]! + alpha * (vocab + 1))
  }
  const loglik = new Map<string, Float64Array>()
  const index = new Map<string, number>()
  const rows = new Float64Array(vocab * K)
  features.forEach((f, r) => {
    const row = lc.counts[f]!
    for (let k = 0; k < K; k++) rows[r * K + k] = Math.log(row[k]! + alpha) - denom[k]!
    loglik.set(f, rows.subarray(r * K, r * K + K))
    index.set(f, r)
  })
  const bigrams = new Map<number, number>()
  for (const f of features) {
    const bar = f.indexOf('|')
    if (bar <= 0) continue
    const a = index.get(f.slice(0, bar))
    const b = index.get(f.slice(bar + 1))
    if (a !== undefined && b !== undefined && b < 0x200000) bigrams.set(bigramKey(a, b), index.get(f)!)
  }
  return { logPrior, loglik, index, rows, bigrams, docs, empty: docs === 0 }
}

export function compileModel(model: BayesModel): Record<ModelLang, CompiledLang> {
  const hit = compiledCache.get(model)
  if (hit && hit.revision === model.revision) return hit.langs
  const langs = { en: compileLang(model.langs.en, model.alpha), de: compileLang(model.langs.de, model.alpha) }
  compiledCache.set(model, { revision: model.revision, langs })
  return langs
}

// Reused across calls (single-threaded); saves an allocation per post on the hot path.
const seen = new Set<string>()

/**
 * Adds log P(label) + Σ log P(feature | label) into `out` (length LABELS.length), each feature
 * counted once. Unknown features are skipped. Returns how many features were known.
 */
export function scoreFeatures(c: CompiledLang, features: readonly string[], out: Float64Array): number {
  for (let k = 0; k < K; k++) out[k] = c.logPrior[k]!
  let known = 0
  seen.clear()
  for (let i = 0; i < features.length; i++) {
    const f = features[i]!
    const v = c.loglik.get(f)
    if (v === undefined || seen.has(f)) continue
    seen.add(f)
    known++
    for (let k = 0; k < K; k++) out[k]! += v[k]!
  }
  return known
}
