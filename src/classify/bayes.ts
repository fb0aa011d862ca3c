// Multinomial naive Bayes over binarised features (each feature counted once per post, which
// works better than raw counts on short texts). Counts are the stored, JSON-able model; the
// log-likelihood tables are compiled from them on first use and cached per model revision.
import { UsageError } from '../models/errors.js'
import { isLabel, type Label, LABELS } from '../models/mention.js'
import type { ModelLang, TrainingExample } from '../models/tagger.js'
import { analyze } from './features.js'

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
  /**
   * The part of `langs` that training added on top of the base (built-in) corpus. Optional: the
   * built-in model and models stored before this field existed have none, so all their counts are
   * base counts. Kept apart so that the user's own examples can outweigh the base corpus.
   */
  trained?: Record<ModelLang, LangCounts>
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

function countInto(lc: LangCounts, features: ReadonlySet<string>, li: number): void {
  lc.docs[li]! += 1
  for (const f of features) {
    let row = lc.counts[f]
    if (!row) {
      row = new Array<number>(K).fill(0)
      lc.counts[f] = row
    }
    row[li]! += 1
    lc.total[li]! += 1
  }
}

/** Adds one post's features to the counts, and to the trained part when the model keeps one (mutates `model`). */
export function addFeatures(model: BayesModel, lang: ModelLang, features: readonly string[], label: Label): void {
  const li = LABEL_INDEX.get(label)
  if (li === undefined) throw new UsageError(`unknown label "${String(label)}"; expected one of ${LABELS.join(', ')}`)
  const seen = new Set(features)
  countInto(model.langs[lang], seen, li)
  if (model.trained) countInto(model.trained[lang], seen, li)
}

/** Incremental training: adds labelled posts to `model` in place and bumps its revision. */
export function addExamples(model: BayesModel, examples: Iterable<TrainingExample>): BayesModel {
  model.trained ??= { en: emptyCounts(), de: emptyCounts() }
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

/**
 * A new model: a deep copy of `base` (or an empty one) plus `examples`, which are kept apart as
 * the trained part. `base` is not changed.
 */
export function trainModel(examples: Iterable<TrainingExample>, base?: BayesModel): BayesModel {
  const model = base ? cloneModel(base) : emptyModel()
  return addExamples(model, examples)
}

export function cloneModel(model: BayesModel): BayesModel {
  return parseModel(JSON.parse(JSON.stringify(model)))
}

/** The model's counts as base counts: the trained part is forgotten, not the examples (the built-in model). */
export function asBaseModel(model: BayesModel): BayesModel {
  delete model.trained
  return model
}

function isLangCounts(lc: Partial<LangCounts> | undefined): boolean {
  return !!lc && Array.isArray(lc.docs) && lc.docs.length === K && Array.isArray(lc.total) && lc.total.length === K && !!lc.counts && typeof lc.counts === 'object'
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
    if (m.trained !== undefined && !isLangCounts(m.trained?.[lang])) fail(`trained.${lang} must have docs and total with ${K} numbers and counts`)
  }
  return { ...(m as BayesModel), bigrams: m.bigrams !== false }
}

/** Log-space tables for scoring, compiled from counts. */
export interface CompiledLang {
  logPrior: Float64Array
  /** feature → row in `rows` (K log-likelihoods per row); the hot path works on these numbers. */
  index: Map<string, number>
  rows: Float64Array
  /** bigramKey(row of first, row of second) → row of the bigram. */
  bigrams: Map<number, number>
  /** Training posts in this table. */
  docs: number
  /** True when this language has no training data (callers fall back to another language). */
  empty: boolean
  /**
   * Share of the (weighted) posts that come from the base corpus: 1 for the built-in model, towards
   * 0 as trained examples grow. Calibration made for the base corpus applies in this proportion.
   */
  baseShare: number
}

/**
 * How many trained posts weigh as much as the whole base corpus: base counts are multiplied by
 * strength / (strength + trained posts), so a few corrections nudge the built-in model and
 * thousands of examples from a team's own domain dominate it. Chosen by cross-validation on
 * ../shared/datasets/dev/airline.jsonl (test/classify/dev-eval.mjs).
 */
export const DEFAULT_BASE_STRENGTH = 2000

/**
 * Laplace smoothing for the trained share of a model; the model's own `alpha` applies to the base
 * share. The pseudo-count is spread over a vocabulary that the base corpus makes large, which
 * flattens the likelihoods of a team's smaller classes (neutral posts next to many complaints);
 * their own data needs less of it. Chosen by cross-validation on dev/airline.jsonl.
 */
export const DEFAULT_TRAINED_ALPHA = 0.03

/**
 * Each feature's log-likelihoods are clipped to this distance from their mean over the classes, so
 * no single word weighs more than e^(2·cap) between two classes. A corpus of a few thousand
 * invented posts gives chance words ("during" → praise) ratios that real traffic does not bear out.
 * Chosen on ../shared/datasets/dev (dev-silver.mjs and dev-eval.mjs): 2 raised every dev figure
 * but one, which fell by 0.002; 1.5 and 1 helped English and hurt German. Features with trained
 * counts are not clipped.
 */
export const DEFAULT_FEATURE_CAP = 2

export interface CompileOptions {
  /** See DEFAULT_BASE_STRENGTH. */
  baseStrength?: number
  /** See DEFAULT_TRAINED_ALPHA. */
  trainedAlpha?: number
  /** See DEFAULT_FEATURE_CAP; Infinity turns clipping off. */
  featureCap?: number
}

/** The K log-likelihoods of feature `f` (a view of the table), or undefined when it is unknown. */
export function loglikOf(c: CompiledLang, f: string): Float64Array | undefined {
  const r = c.index.get(f)
  return r === undefined ? undefined : c.rows.subarray(r * K, r * K + K)
}

/** Both parts of a trained bigram are trained unigrams, so a pair of rows identifies it. */
export const bigramKey = (a: number, b: number): number => a * 0x200000 + b

const compiledCache = new WeakMap<BayesModel, { revision: number; strength: number; trainedAlpha: number; cap: number; langs: Record<ModelLang, CompiledLang> }>()

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0)

function compileLang(lc: LangCounts, trained: LangCounts | undefined, baseAlpha: number, trainedAlpha: number, strength: number, cap: number): CompiledLang {
  const docs = sum(lc.docs)
  const trainedDocs = trained ? sum(trained.docs) : 0
  // Effective count = trained + w · (all − trained), per class and feature.
  const w = trainedDocs > 0 ? strength / (strength + trainedDocs) : 1
  const eff = (all: number, t: number): number => t + w * (all - t)
  const effDocs = new Float64Array(K)
  const effTotal = new Float64Array(K)
  for (let k = 0; k < K; k++) {
    effDocs[k] = eff(lc.docs[k]!, trained?.docs[k] ?? 0)
    effTotal[k] = eff(lc.total[k]!, trained?.total[k] ?? 0)
  }
  const effAll = sum([...effDocs])
  const baseShare = effAll > 0 ? (effAll - trainedDocs) / effAll : 1
  const alpha = baseShare * baseAlpha + (1 - baseShare) * trainedAlpha
  const features = Object.keys(lc.counts)
  const vocab = features.length
  const logPrior = new Float64Array(K)
  const denom = new Float64Array(K)
  for (let k = 0; k < K; k++) {
    // Add-one on priors so a class without posts is still possible.
    logPrior[k] = Math.log((effDocs[k]! + 1) / (effAll + K))
    denom[k] = Math.log(effTotal[k]! + alpha * (vocab + 1))
  }
  // No per-feature views of `rows`: 31,000 of them took a third of compiling the built-in model,
  // most of it in garbage collection (loglikOf makes one when asked).
  const index = new Map<string, number>()
  const rows = new Float64Array(vocab * K)
  const tc = trained?.counts
  features.forEach((f, r) => {
    const row = lc.counts[f]!
    const t = tc?.[f]
    const o = r * K
    let mean = 0
    for (let k = 0; k < K; k++) {
      rows[o + k] = Math.log(eff(row[k]!, t?.[k] ?? 0) + alpha) - denom[k]!
      mean += rows[o + k]! / K
    }
    // Words a team trained keep their full weight: their examples are evidence, not chance.
    if (t === undefined) for (let k = 0; k < K; k++) rows[o + k] = Math.min(mean + cap, Math.max(mean - cap, rows[o + k]!))
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
  return { logPrior, index, rows, bigrams, docs, empty: docs === 0, baseShare }
}

/** Scoring tables for both languages. Cached per model revision and options. */
export function compileModel(model: BayesModel, options: CompileOptions = {}): Record<ModelLang, CompiledLang> {
  const strength = options.baseStrength ?? DEFAULT_BASE_STRENGTH
  const trainedAlpha = options.trainedAlpha ?? DEFAULT_TRAINED_ALPHA
  const cap = options.featureCap ?? DEFAULT_FEATURE_CAP
  const hit = compiledCache.get(model)
  if (hit && hit.revision === model.revision && hit.strength === strength && hit.trainedAlpha === trainedAlpha && hit.cap === cap) return hit.langs
  const langs = {
    en: compileLang(model.langs.en, model.trained?.en, model.alpha, trainedAlpha, strength, cap),
    de: compileLang(model.langs.de, model.trained?.de, model.alpha, trainedAlpha, strength, cap),
  }
  compiledCache.set(model, { revision: model.revision, strength, trainedAlpha, cap, langs })
  return langs
}

/**
 * Puts tables compiled ahead of time (the build's, see tagger.ts builtinModel) into the cache, as
 * compileModel(model, options) would have made them; other options still compile from the counts.
 */
export function seedCompiled(model: BayesModel, options: Required<CompileOptions>, langs: Record<ModelLang, CompiledLang>): void {
  compiledCache.set(model, { revision: model.revision, strength: options.baseStrength, trainedAlpha: options.trainedAlpha, cap: options.featureCap, langs })
}

const TABLES_MAGIC = 'LNB1'

interface TablesHeader<T> {
  meta: T
  /** features: the feature of each row, joined by newlines (a feature is part of one word). */
  langs: Record<ModelLang, { features: string; logPrior: number[]; docs: number; empty: boolean; baseShare: number; rows: number; bigrams: number }>
}

/**
 * Compiled tables as one file: magic, header length, a JSON header (feature names, priors and `meta`,
 * which the caller gives meaning to), then per language the rows and the bigram pairs as float64.
 * Reading it back costs about a quarter of reading the counts and compiling them.
 */
export function serializeCompiled<T>(langs: Record<ModelLang, CompiledLang>, meta: T): Buffer {
  const blocks: Float64Array[] = []
  const header: TablesHeader<T> = { meta, langs: {} as TablesHeader<T>['langs'] }
  for (const lang of ['en', 'de'] as const) {
    const c = langs[lang]
    const features: string[] = new Array(c.index.size)
    for (const [f, r] of c.index) {
      if (f.includes('\n')) throw new Error(`serializeCompiled: feature ${JSON.stringify(f)} holds a newline`)
      features[r] = f
    }
    const pairs = new Float64Array(c.bigrams.size * 2)
    let i = 0
    for (const [key, row] of c.bigrams) {
      pairs[i++] = key
      pairs[i++] = row
    }
    header.langs[lang] = { features: features.join('\n'), logPrior: [...c.logPrior], docs: c.docs, empty: c.empty, baseShare: c.baseShare, rows: c.rows.length, bigrams: pairs.length }
    blocks.push(c.rows, pairs)
  }
  const json = Buffer.from(JSON.stringify(header))
  const start = Math.ceil((8 + json.length) / 8) * 8
  const out = Buffer.alloc(start + blocks.reduce((n, b) => n + b.byteLength, 0))
  out.write(TABLES_MAGIC, 0, 'latin1')
  out.writeUInt32LE(json.length, 4)
  json.copy(out, 8)
  let at = start
  for (const b of blocks) {
    Buffer.from(b.buffer, b.byteOffset, b.byteLength).copy(out, at)
    at += b.byteLength
  }
  return out
}

/** Reads serializeCompiled's file back; throws on a file that is not one. */
export function parseCompiled<T>(buf: Buffer): { meta: T; langs: Record<ModelLang, CompiledLang> } {
  if (buf.length < 8 || buf.toString('latin1', 0, 4) !== TABLES_MAGIC) throw new Error('not a compiled naive Bayes table')
  const len = buf.readUInt32LE(4)
  const header = JSON.parse(buf.toString('utf8', 8, 8 + len)) as TablesHeader<T>
  let at = Math.ceil((8 + len) / 8) * 8
  // A copy: a Float64Array view needs an offset that is a multiple of 8 in its ArrayBuffer.
  const take = (n: number): Float64Array => {
    if (at + n * 8 > buf.length) throw new Error('compiled naive Bayes table is cut short')
    const a = new Float64Array(n)
    Buffer.from(a.buffer).set(buf.subarray(at, at + n * 8))
    at += n * 8
    return a
  }
  const langs = {} as Record<ModelLang, CompiledLang>
  for (const lang of ['en', 'de'] as const) {
    const h = header.langs[lang]
    const rows = take(h.rows)
    const pairs = take(h.bigrams)
    const index = new Map<string, number>()
    // Splitting one string is about twice as fast as JSON.parse of an array of the same strings.
    if (h.features !== '') h.features.split('\n').forEach((f, r) => index.set(f, r))
    const bigrams = new Map<number, number>()
    for (let i = 0; i < pairs.length; i += 2) bigrams.set(pairs[i]!, pairs[i + 1]!)
    langs[lang] = { logPrior: Float64Array.from(h.logPrior), index, rows, bigrams, docs: h.docs, empty: h.empty, baseShare: h.baseShare }
  }
  return { meta: header.meta, langs }
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
    const r = c.index.get(f)
    if (r === undefined || seen.has(f)) continue
    seen.add(f)
    known++
    for (let k = 0; k < K; k++) out[k]! += c.rows[r * K + k]!
  }
  return known
}
