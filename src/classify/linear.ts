// A linear model over hashed features — an averaged perceptron, or softmax regression trained by
// AdaGrad with L2 — the part of the tagger that learns a team's own labels quickly. Features are the words of scanWords (the same
// words as splitWords(normalizeText(text))) as stems (unigrams, negation-marked like toFeatures)
// and adjacent pairs, character n-grams of each lower-cased word padded with spaces, and a few
// whole-post signals. Everything derived from a word is hashed once and cached, so the hot path is
// a Map lookup and a copy per word, then K multiply-adds per feature.
import { UsageError } from '../models/errors.js'
import { isLabel, type Label, LABELS } from '../models/mention.js'
import type { ModelLang } from '../models/tagger.js'
import { fmix32, fnvStep, hashPair, hashString } from './hashing.js'
import { detectLang, modelLangFor } from './lang.js'
import { scanWords } from './scan.js'
import { BOUNDARY, DE_POST_NEGATORS, DE_PRE_NEGATORS, EN_NEGATORS, KEEP_NUMBERS, NEG_SCOPE, stem } from './tokenize.js'

export const LINEAR_FORMAT = 'listen-linear'
export const LINEAR_VERSION = 1
/** Names the hash functions and seeds: a model hashed otherwise means other features. */
export const LINEAR_HASHING = 'fnv1a32-fmix32-v1'
const K = LABELS.length
const LANGS: readonly ModelLang[] = ['en', 'de']
const langIndex = (lang: ModelLang): number => (lang === 'de' ? 1 : 0)

/** Which features a model uses; fixed when it is trained. */
export interface FeatureSpec {
  /** Stems of words and markers, negated ones marked. */
  words: boolean
  /** Adjacent words within a clause. */
  bigrams: boolean
  /** Shortest and longest character n-gram of each space-padded word; 0 and 0 for none. */
  charMin: number
  charMax: number
  /** Length bucket, starts with a handle (a reply), ends with a question. */
  dense: boolean
}

export const FULL_FEATURES: FeatureSpec = { words: true, bigrams: true, charMin: 2, charMax: 5, dense: true }
/**
 * Half the time and a third of the stored size of FULL_FEATURES, and as good in the combination on
 * dev (dev-linear.mjs features and speed), but worse alone and explained in character n-grams only.
 */
export const FAST_FEATURES: FeatureSpec = { words: false, bigrams: false, charMin: 3, charMax: 4, dense: false }

export interface LinearModel {
  format: typeof LINEAR_FORMAT
  version: typeof LINEAR_VERSION
  hashing: typeof LINEAR_HASHING
  labels: Label[]
  /** log2 of the number of buckets. */
  bits: number
  features: FeatureSpec
  /** Summed weights of the team's examples per model language (the combination's weight depends on it). */
  examples: Record<ModelLang, number>
  /** The same for the base corpus (LinearOptions.base), which the weight does not count as team data. */
  baseExamples: Record<ModelLang, number>
  /** Summed example weights per model language and label (LABELS order), for class balancing across updates. */
  labelCounts: Record<ModelLang, number[]>
  /** Weigh each class as if all seen classes were equally frequent (see LinearOptions.balance). */
  balance: boolean
  algorithm: LinearAlgorithm
  /** Increases with every training call. */
  revision: number
  /** Kept so updates continue with the same settings. */
  learningRate: number
  l2: number
  epochs: number
  /** K weights per bucket, bucket-major. */
  weights: Float32Array
  /** AdaGrad's sum of squared gradients per bucket (all K classes share it). */
  adagrad: Float32Array
  /** K biases per model language (en, de), and their AdaGrad sums. */
  bias: Float32Array
  biasAdagrad: Float32Array
}

export interface LinearExample {
  text: string
  lang?: string | null | undefined
  label: Label
  /** 1 for a human label (the default), less for a distant one. */
  weight?: number | undefined
  /** A customer's follow-up to a brand post (see FOLLOW_UP). */
  followUp?: boolean | undefined
  /**
   * Another model's log scores for this post (K numbers, LABELS order), added to the logits while
   * training: the model then learns a correction to that model rather than the classes from scratch.
   */
  offset?: ArrayLike<number> | undefined
}

/**
 * logreg: softmax regression by AdaGrad with L2. perceptron: averaged multi-class perceptron (each
 * training call averages its own steps, so an update needs no stored averaging state); its
 * softmaxed scores are not calibrated probabilities, the combination's weight absorbs their scale.
 */
export type LinearAlgorithm = 'logreg' | 'perceptron'

export interface LinearOptions {
  /** See LinearAlgorithm and DEFAULT_ALGORITHM. */
  algorithm?: LinearAlgorithm
  /** log2 of the buckets; 18 unless told (see DEFAULT_BITS). */
  bits?: number
  features?: FeatureSpec
  epochs?: number
  learningRate?: number
  l2?: number
  /** Seed of the example order. */
  seed?: number
  /**
   * Examples learnt beside the team's, each at `baseWeight` for its language (the built-in corpus):
   * they give the model something to say before the team has labelled much, and are not counted
   * as team data.
   */
  base?: Iterable<LinearExample>
  /** See DEFAULT_BASE_WEIGHT. */
  baseWeight?: Partial<Record<ModelLang, number>>
  /**
   * Weigh examples by total / (classes seen · examples of their class), per language: a team's
   * labels are mostly complaints, and unweighted the model learns to say complaint. On dev it
   * raised the combination's macro-F1 by 0.007–0.059 (dev-linear.mjs variants). Default true.
   */
  balance?: boolean
}

/**
 * 2^18 buckets. All of dev (airline, GermEval) plus the built-in corpus update about 200,000
 * distinct features, which share 143,000 buckets at 2^18; still 2^16, 2^18 and 2^20 scored the
 * same within the seeds' spread (dev-linear.mjs features). 2^18 keeps the weights at 5 MB per
 * process (20 MB at 2^20) and leaves room for a team with ten times dev's vocabulary.
 */
export const DEFAULT_BITS = 18
/**
 * A base (built-in corpus) post weighs this much against a team's label, per language. English:
 * 0.3 was as good as or better than 0.1 at every n (dev-linear.mjs curve --tune --base W), and
 * better than none by 0.007–0.014 macro-F1 on airline. German: the invented German posts lowered
 * the combination on GermEval by 0.01–0.03 from 200 labels on, and dev-silver out of the box, so
 * the German part of the model learns from the team's labels alone.
 */
export const DEFAULT_BASE_WEIGHT: Record<ModelLang, number> = { en: 0.3, de: 0 }
/**
 * On dev (dev-linear.mjs variants, each at its best combination weight) the perceptron's
 * combination with the tagger beat logistic regression's: airline macro-F1 0.704 against 0.695 at
 * 200 labels and 0.713 against 0.710 at 1,000; GermEval 0.447 against 0.427 and 0.528 against
 * 0.518. Logistic regression is better alone; the combination is what tags.
 */
export const DEFAULT_ALGORITHM: LinearAlgorithm = 'perceptron'
export const DEFAULT_EPOCHS = 5
export const DEFAULT_LEARNING_RATE = 0.3
export const DEFAULT_L2 = 1e-3

// ── Features ─────────────────────────────────────────────────────────────────────────────────

const enum Kind {
  Content,
  /** A clause boundary that is no feature (punctuation). */
  Boundary,
  /** A clause boundary that is a feature (_q, _ex, _url, _user …). */
  BoundaryFeature,
  Stop,
  /** German "nicht": negates the word before and the next ones. */
  PostNegator,
  Negator,
}

interface WordEntry {
  kind: Kind
  /** Hash of the unigram (stem or marker) and of its negated form. */
  uni: number
  neg: number
  /** Where the hashes of the word's character n-grams lie in its cache's arena; none for markers and numbers. */
  g0: number
  gn: number
  /** The unigram as a readable name (explain). */
  name: string
}

// Seeds per model language and feature kind, so en and de weights do not share buckets by design.
const SEEDS = {
  word: [hashString('word:en'), hashString('word:de')],
  char: [hashString('char:en'), hashString('char:de')],
  neg: [hashString('neg:en'), hashString('neg:de')],
  dense: [hashString('dense:en'), hashString('dense:de')],
} as const

const STOP_WORDS: Record<ModelLang, ReadonlySet<string>> = {
  en: new Set(['the', 'a', 'an', 'and', 'or', 'of', 'to', 'in', 'on', 'at', 'for', 'it', 'its', 'this', 'that', 'is', 'are', 'be', 'as', 'by', 'with', 'from', 'so', 'was', 'rt']),
  de: new Set(['der', 'die', 'das', 'den', 'dem', 'des', 'ein', 'eine', 'einen', 'einem', 'einer', 'und', 'oder', 'in', 'im', 'am', 'an', 'auf', 'zu', 'zum', 'zur', 'von', 'vom', 'mit', 'für', 'ist', 'sind', 'es', 'so', 'rt', 'bei', 'beim']),
}

const DENSE_NAMES = ['len:0-3', 'len:4-7', 'len:8-15', 'len:16-31', 'len:32+', 'reply', 'ends-with-question'] as const
const DENSE: readonly (readonly number[])[] = [0, 1].map((li) => DENSE_NAMES.map((n) => hashString(n, SEEDS.dense[li])))
/**
 * A customer's follow-up inside a conversation with the brand (its parent is a brand post): a
 * different kind of post from a first message ("yes, order 4411", "still nothing"). Whatever the
 * feature spec, since it costs one bucket.
 */
export const FOLLOW_UP = 'thread:follow-up'
const FOLLOW_UP_HASH = [0, 1].map((li) => hashString(FOLLOW_UP, SEEDS.dense[li]))
const lengthBucket = (words: number): number => (words < 4 ? 0 : words < 8 ? 1 : words < 16 ? 2 : words < 32 ? 3 : 4)

/**
 * Hashes of the character n-grams (lengths min..max) of " word ", appended to `out` (when given)
 * from its `used` mark; returns their count. With `names`, each n-gram's text is pushed too.
 */
function charGrams(w: string, min: number, max: number, seed: number, names?: string[], out?: WordCache): number {
  if (max < min || max === 0) return 0
  const padded = ' ' + w + ' '
  const L = padded.length
  if (out) reserve(out, L * (max - min + 1))
  let count = 0
  for (let i = 0; i < L; i++) {
    let h = seed
    for (let j = i; j < L && j - i < max; j++) {
      h = fnvStep(h, padded.charCodeAt(j))
      if (j - i + 1 >= min) {
        if (out) out.arena[out.used + count] = fmix32(h) | 0
        count++
        names?.push(padded.slice(i, j + 1))
      }
    }
  }
  if (out) out.used += count
  return count
}

function makeEntry(w: string, lang: ModelLang, spec: FeatureSpec, cache?: WordCache): WordEntry {
  const li = langIndex(lang)
  const de = lang === 'de'
  let kind: Kind
  if (BOUNDARY.has(w)) kind = w.charCodeAt(0) === 95 ? Kind.BoundaryFeature : Kind.Boundary
  else if (de ? DE_POST_NEGATORS.has(w) || DE_PRE_NEGATORS.has(w) : EN_NEGATORS.has(w)) kind = de && DE_POST_NEGATORS.has(w) ? Kind.PostNegator : Kind.Negator
  else if (STOP_WORDS[lang].has(w)) kind = Kind.Stop
  else kind = Kind.Content
  const c0 = w.charCodeAt(0)
  const numeric = c0 >= 48 && c0 <= 57
  const name = numeric && !KEEP_NUMBERS.has(w) ? '_num' : c0 === 95 || kind !== Kind.Content ? w : stem(w, lang)
  const g0 = cache ? cache.used : 0
  const gn = kind === Kind.Boundary || kind === Kind.BoundaryFeature || c0 === 95 || numeric || !cache ? 0 : charGrams(w, spec.charMin, spec.charMax, SEEDS.char[li]!, undefined, cache)
  return { kind, uni: hashString(name, SEEDS.word[li]!) | 0, neg: hashString(name, SEEDS.neg[li]!) | 0, g0, gn, name }
}

/**
 * word → entry, the entries' n-gram hashes side by side in one arena: a typed array per word cost
 * two more cache misses per word on real text (posts in random order), where the hot path is
 * bound by memory, not arithmetic.
 */
interface WordCache {
  map: Map<string, WordEntry>
  arena: Int32Array
  used: number
}

function reserve(c: WordCache, more: number): void {
  if (c.used + more <= c.arena.length) return
  const next = new Int32Array(Math.max(2 * c.arena.length, c.used + more))
  next.set(c.arena.subarray(0, c.used))
  c.arena = next
}

const ENTRY_CACHE_MAX = 50_000
const entryCaches = new WeakMap<FeatureSpec, WordCache[]>()
const newCache = (): WordCache => ({ map: new Map(), arena: new Int32Array(1 << 16), used: 0 })

function cacheFor(lang: ModelLang, spec: FeatureSpec): WordCache {
  let pair = entryCaches.get(spec)
  if (pair === undefined) {
    pair = [newCache(), newCache()]
    entryCaches.set(spec, pair)
  }
  const c = pair[langIndex(lang)]!
  if (c.map.size >= ENTRY_CACHE_MAX) {
    c.map.clear()
    c.used = 0
  }
  return c
}

/** Reusable scratch space for one post's features: bucket indices, all of value `scale`. */
export interface FeatureBuffer {
  idx: Int32Array
  n: number
  /** 1/√n: every post's feature vector has unit length, whatever its length. */
  scale: number
}

export const newFeatureBuffer = (capacity = 1024): FeatureBuffer => ({ idx: new Int32Array(capacity), n: 0, scale: 0 })

/** Room for `need` indices, keeping the first `used`. */
function grow(buf: FeatureBuffer, need: number, used: number): void {
  if (need <= buf.idx.length) return
  const next = new Int32Array(Math.max(need, 2 * buf.idx.length))
  next.set(buf.idx.subarray(0, used))
  buf.idx = next
}

/**
 * Words (from scanWords) → bucket indices in `buf` (cleared first). With `names`, the readable
 * name of each feature is pushed in the same order (explain; slow).
 */
export function extractLinearFeatures(words: readonly string[], lang: ModelLang, spec: FeatureSpec, bits: number, buf: FeatureBuffer, names?: string[], charsByWord = false, followUp = false): void {
  const mask = (1 << bits) - 1
  const cache = cacheFor(lang, spec)
  const li = langIndex(lang)
  const de = lang === 'de'
  let n = 0
  let prevUni = 0
  let hasPrev = false
  let negLeft = 0
  // Position in buf of the last content unigram, for German post-negation ("geht nicht").
  let lastPos = -1
  let lastEntry: WordEntry | null = null
  let lastNegated = false
  let tokens = 0
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    let e = cache.map.get(w)
    if (e === undefined) {
      e = makeEntry(w, lang, spec, cache)
      cache.map.set(w, e)
    }
    grow(buf, n + 3 + e.gn, n)
    const idx = buf.idx
    if (e.kind === Kind.Boundary || e.kind === Kind.BoundaryFeature) {
      negLeft = 0
      hasPrev = false
      lastPos = -1
      if (e.kind === Kind.BoundaryFeature && spec.words) {
        idx[n++] = e.uni & mask
        names?.push(e.name)
      }
      continue
    }
    tokens++
    let negated = false
    if (e.kind === Kind.PostNegator || e.kind === Kind.Negator) {
      if (de && e.kind === Kind.PostNegator && lastPos >= 0 && !lastNegated && lastEntry) {
        idx[lastPos] = lastEntry.neg & mask
        if (names) names[lastPos] = 'not_' + lastEntry.name
      }
      negLeft = NEG_SCOPE
      lastPos = -1
    } else if (e.kind === Kind.Content && negLeft > 0) {
      negated = true
      negLeft--
    }
    if (spec.words) {
      if (e.kind === Kind.Content && e.name.charCodeAt(0) !== 95) {
        lastPos = n
        lastEntry = e
        lastNegated = negated
      }
      idx[n++] = (negated ? e.neg : e.uni) & mask
      names?.push(negated ? 'not_' + e.name : e.name)
    }
    if (spec.bigrams && hasPrev) {
      idx[n++] = hashPair(prevUni, e.uni) & mask
      if (names) names.push(`${prevName(words, i, lang, spec)} ${e.name}`)
    }
    prevUni = e.uni
    hasPrev = true
    const arena = cache.arena
    for (let j = e.g0, end = e.g0 + e.gn; j < end; j++) idx[n++] = arena[j]! & mask
    if (names && e.gn) {
      if (charsByWord) for (let j = 0; j < e.gn; j++) names.push(`${words[i]!}…`)
      else charGrams(words[i]!, spec.charMin, spec.charMax, 0, names)
    }
  }
  if (spec.dense) {
    grow(buf, n + 3, n)
    const d = DENSE[li]!
    buf.idx[n++] = d[lengthBucket(tokens)]! & mask
    names?.push(DENSE_NAMES[lengthBucket(tokens)]!)
    if (words[0] === '_user') {
      buf.idx[n++] = d[5]! & mask
      names?.push(DENSE_NAMES[5])
    }
    const last = words[words.length - 1]
    if (last === '_q' || last === '_qq') {
      buf.idx[n++] = d[6]! & mask
      names?.push(DENSE_NAMES[6])
    }
  }
  if (followUp) {
    grow(buf, n + 1, n)
    buf.idx[n++] = FOLLOW_UP_HASH[li]! & mask
    names?.push(FOLLOW_UP)
  }
  buf.n = n
  buf.scale = n > 0 ? 1 / Math.sqrt(n) : 0
}

// Explain only: the unigram name of the word before position i within the clause.
function prevName(words: readonly string[], i: number, lang: ModelLang, spec: FeatureSpec): string {
  const w = words[i - 1]!
  return (cacheFor(lang, spec).map.get(w) ?? makeEntry(w, lang, spec)).name
}

// ── Model ────────────────────────────────────────────────────────────────────────────────────

export function emptyLinear(options: LinearOptions = {}): LinearModel {
  const bits = options.bits ?? DEFAULT_BITS
  if (!Number.isInteger(bits) || bits < 8 || bits > 24) throw new UsageError(`linear model: bits must be an integer from 8 to 24, got ${bits}`)
  const buckets = 1 << bits
  return {
    format: LINEAR_FORMAT,
    version: LINEAR_VERSION,
    hashing: LINEAR_HASHING,
    labels: [...LABELS],
    bits,
    features: { ...(options.features ?? FULL_FEATURES) },
    examples: { en: 0, de: 0 },
    baseExamples: { en: 0, de: 0 },
    labelCounts: { en: new Array<number>(K).fill(0), de: new Array<number>(K).fill(0) },
    balance: options.balance ?? true,
    algorithm: options.algorithm ?? DEFAULT_ALGORITHM,
    revision: 0,
    learningRate: options.learningRate ?? DEFAULT_LEARNING_RATE,
    l2: options.l2 ?? DEFAULT_L2,
    epochs: options.epochs ?? DEFAULT_EPOCHS,
    weights: new Float32Array(buckets * K),
    adagrad: new Float32Array(buckets),
    bias: new Float32Array(2 * K),
    biasAdagrad: new Float32Array(2),
  }
}

// Scratch space for the hot path (single-threaded).
const words: string[] = []
const hotBuf = newFeatureBuffer()
const logits = new Float64Array(K)

/** The model's raw scores (logits) for features already in `buf`, into `out`; with `used` (usedOf), empty buckets are skipped. */
export function scoreBufferInto(model: LinearModel, buf: FeatureBuffer, lang: ModelLang, out: Float64Array, used?: Uint32Array): void {
  const w = model.weights
  const b = langIndex(lang) * K
  let s0 = 0
  let s1 = 0
  let s2 = 0
  let s3 = 0
  let s4 = 0
  const idx = buf.idx
  for (let j = 0; j < buf.n; j++) {
    const i = idx[j]!
    if (used !== undefined && ((used[i >>> 5]! >>> (i & 31)) & 1) === 0) continue
    const o = i * K
    s0 += w[o]!
    s1 += w[o + 1]!
    s2 += w[o + 2]!
    s3 += w[o + 3]!
    s4 += w[o + 4]!
  }
  const s = buf.scale
  out[0] = model.bias[b]! + s * s0
  out[1] = model.bias[b + 1]! + s * s1
  out[2] = model.bias[b + 2]! + s * s2
  out[3] = model.bias[b + 3]! + s * s3
  out[4] = model.bias[b + 4]! + s * s4
}

/**
 * One bit per bucket: does it hold a weight? The built-in model uses 9 % of its 2^18 buckets and a
 * third of a real post's 325 n-grams fall in empty ones; testing this 32 KB bitset before reading a
 * bucket's five weights from the 5 MB table halved scoring on shuffled real posts (4.5 → 2.2 µs).
 * Rebuilt when training changes the model (every fit bumps `revision`); training itself scores
 * with scoreBufferInto without it, reading every bucket.
 */
const usedBuckets = new WeakMap<LinearModel, { revision: number; bits: Uint32Array }>()

/** Bit b set: bucket b (k weights, bucket-major) holds a weight other than 0. */
export function nonEmptyBuckets(weights: Float32Array, k: number): Uint32Array {
  const buckets = weights.length / k
  const bits = new Uint32Array(Math.ceil(buckets / 32))
  for (let b = 0; b < buckets; b++) {
    for (let t = 0; t < k; t++) {
      if (weights[b * k + t] !== 0) {
        bits[b >>> 5]! |= 1 << (b & 31)
        break
      }
    }
  }
  return bits
}

function usedOf(model: LinearModel): Uint32Array {
  let u = usedBuckets.get(model)
  if (u === undefined || u.revision !== model.revision) {
    u = { revision: model.revision, bits: nonEmptyBuckets(model.weights, K) }
    usedBuckets.set(model, u)
  }
  return u.bits
}

/** Softmax of `raw` in place. */
export function softmaxInPlace(raw: Float64Array): void {
  let max = -Infinity
  for (let k = 0; k < K; k++) if (raw[k]! > max) max = raw[k]!
  let sum = 0
  for (let k = 0; k < K; k++) {
    raw[k] = Math.exp(raw[k]! - max)
    sum += raw[k]!
  }
  for (let k = 0; k < K; k++) raw[k] = raw[k]! / sum
}

/**
 * The hot path: words the caller already scanned (scanWords) and its model language → class
 * probabilities in `out` (LABELS order). No allocation once the word cache is warm.
 */
export function predictWordsInto(model: LinearModel, postWords: readonly string[], lang: ModelLang, out: Float64Array, followUp = false): void {
  extractLinearFeatures(postWords, lang, model.features, model.bits, hotBuf, undefined, false, followUp)
  scoreBufferInto(model, hotBuf, lang, out, usedOf(model))
  softmaxInPlace(out)
}

const toRecord = (p: ArrayLike<number>): Record<Label, number> => ({ outage: p[0]!, complaint: p[1]!, question: p[2]!, praise: p[3]!, other: p[4]! })

/** Language as the tagger picks it: the hint, else detected from the words; en/de, others as en. */
function modelLangOf(postWords: readonly string[], text: string, lang: string | null | undefined): ModelLang {
  return modelLangFor(detectLang(postWords, text, lang))
}

/** Softmax of the scores per label for one post (calibrated probabilities only for logreg). */
export function predictLinear(model: LinearModel, text: string, lang?: string | null, followUp = false): Record<Label, number> {
  scanWords(text, words)
  predictWordsInto(model, words, modelLangOf(words, text, lang), logits, followUp)
  return toRecord(logits)
}

export interface LinearExplanation {
  label: Label
  scores: Record<Label, number>
  /** The features that pushed most towards `label` over the mean of the classes, strongest first. */
  top: Array<{ feature: string; weight: number }>
}

/**
 * The n-grams that weighed most for the label the model chose. With `charsByWord`, a word's
 * character n-grams count together as "word…" (one readable line instead of " cr", "cra", …).
 */
export function explainLinear(model: LinearModel, text: string, lang?: string | null, k = 10, charsByWord = false, followUp = false): LinearExplanation {
  const postWords = scanWords(text)
  const ml = modelLangOf(postWords, text, lang)
  const buf = newFeatureBuffer()
  const names: string[] = []
  extractLinearFeatures(postWords, ml, model.features, model.bits, buf, names, charsByWord, followUp)
  const p = new Float64Array(K)
  scoreBufferInto(model, buf, ml, p)
  softmaxInPlace(p)
  let best = 0
  for (let c = 1; c < K; c++) if (p[c]! > p[best]!) best = c
  const byName = new Map<string, number>()
  for (let j = 0; j < buf.n; j++) {
    const o = buf.idx[j]! * K
    let mean = 0
    for (let c = 0; c < K; c++) mean += model.weights[o + c]! / K
    const name = names[j]!
    byName.set(name, (byName.get(name) ?? 0) + buf.scale * (model.weights[o + best]! - mean))
  }
  const top = [...byName].map(([feature, weight]) => ({ feature, weight: Math.round(weight * 1000) / 1000 }))
  top.sort((a, b) => b.weight - a.weight)
  return { label: LABELS[best]!, scores: toRecord(p), top: top.slice(0, k) }
}

// ── Training ─────────────────────────────────────────────────────────────────────────────────

/** mulberry32: a small seeded generator for the example order. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const LABEL_INDEX: ReadonlyMap<string, number> = new Map(LABELS.map((l, i) => [l, i]))

/** Examples as flat feature arrays, extracted once for all epochs. */
interface Prepared {
  count: number
  start: Int32Array
  end: Int32Array
  scale: Float32Array
  lang: Uint8Array
  label: Uint8Array
  weight: Float32Array
  /** K per example, zeros without offsets. */
  offset: Float32Array
  idx: Int32Array
}

function prepare(model: LinearModel, examples: Iterable<LinearExample>): Prepared {
  const list = [...examples]
  const n = list.length
  const p: Prepared = { count: n, start: new Int32Array(n), end: new Int32Array(n), scale: new Float32Array(n), lang: new Uint8Array(n), label: new Uint8Array(n), weight: new Float32Array(n), offset: new Float32Array(n * K), idx: new Int32Array(0) }
  let arena = new Int32Array(Math.max(1024, n * 256))
  let used = 0
  const buf = newFeatureBuffer()
  const postWords: string[] = []
  list.forEach((ex, i) => {
    const at = `training example ${i + 1}`
    if (!ex || typeof ex.text !== 'string') throw new UsageError(`${at}: "text" must be a string`)
    const li = LABEL_INDEX.get(ex.label)
    if (!isLabel(ex.label) || li === undefined) throw new UsageError(`${at}: unknown label "${String(ex.label)}"; expected one of ${LABELS.join(', ')}`)
    const weight = ex.weight ?? 1
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) throw new UsageError(`${at}: weight must be a number ≥ 0, got ${String(ex.weight)}`)
    scanWords(ex.text, postWords)
    const ml = modelLangOf(postWords, ex.text, ex.lang)
    extractLinearFeatures(postWords, ml, model.features, model.bits, buf, undefined, false, ex.followUp === true)
    if (used + buf.n > arena.length) {
      const next = new Int32Array(Math.max(used + buf.n, 2 * arena.length))
      next.set(arena.subarray(0, used))
      arena = next
    }
    arena.set(buf.idx.subarray(0, buf.n), used)
    p.start[i] = used
    used += buf.n
    p.end[i] = used
    p.scale[i] = buf.scale
    p.lang[i] = langIndex(ml)
    p.label[i] = li
    p.weight[i] = weight
    if (ex.offset !== undefined) {
      if (ex.offset.length !== K) throw new UsageError(`${at}: offset must have ${K} numbers`)
      for (let k = 0; k < K; k++) p.offset[i * K + k] = ex.offset[k]!
    }
  })
  p.idx = arena.subarray(0, used)
  return p
}

const grad = new Float64Array(K)
const step = new Float64Array(K)

/** AdaGrad epochs over prepared examples; mutates the model's weights and sums. */
function fit(model: LinearModel, p: Prepared, epochs: number, seed: number): void {
  const { weights: w, adagrad: acc, bias, biasAdagrad } = model
  const lr = model.learningRate
  const l2 = model.l2
  const order = new Uint32Array(p.count)
  for (let i = 0; i < p.count; i++) order[i] = i
  const random = rng(seed)
  const raw = new Float64Array(K)
  const buf: FeatureBuffer = { idx: p.idx, n: 0, scale: 0 }
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = p.count - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      const t = order[i]!
      order[i] = order[j]!
      order[j] = t
    }
    for (let r = 0; r < p.count; r++) {
      const e = order[r]!
      const weight = p.weight[e]!
      if (weight === 0) continue
      const start = p.start[e]!
      const end = p.end[e]!
      const scale = p.scale[e]!
      const li = p.lang[e]!
      // Logits over this example's features (the hot path's scoring, on the arena slice).
      buf.idx = p.idx.subarray(start, end)
      buf.n = end - start
      buf.scale = scale
      scoreBufferInto(model, buf, li === 1 ? 'de' : 'en', raw)
      for (let k = 0; k < K; k++) raw[k] = raw[k]! + p.offset[e * K + k]!
      softmaxInPlace(raw)
      for (let k = 0; k < K; k++) grad[k] = weight * (raw[k]! - (k === p.label[e]! ? 1 : 0))
      // Biases: AdaGrad, no L2.
      let gb = 0
      for (let k = 0; k < K; k++) gb += grad[k]! * grad[k]!
      biasAdagrad[li] = biasAdagrad[li]! + gb
      const rb = lr / (Math.sqrt(biasAdagrad[li]!) + 1e-6)
      for (let k = 0; k < K; k++) bias[li * K + k] = bias[li * K + k]! - rb * grad[k]!
      for (let j = start; j < end; j++) {
        const o = p.idx[j]! * K
        let g2 = 0
        for (let k = 0; k < K; k++) {
          const g = grad[k]! * scale + l2 * w[o + k]!
          step[k] = g
          g2 += g * g
        }
        const b = o / K
        acc[b] = acc[b]! + g2
        const rate = lr / (Math.sqrt(acc[b]!) + 1e-6)
        for (let k = 0; k < K; k++) w[o + k] = w[o + k]! - rate * step[k]!
      }
    }
  }
}

/**
 * Averaged perceptron epochs; `adagrad` counts the updates per bucket (marks it touched for storage).
 * `biasStep` scales the class biases' steps per language (LANGS order), see updateLinear.
 */
function fitPerceptron(model: LinearModel, p: Prepared, epochs: number, seed: number, biasStep: readonly number[]): void {
  const { weights: w, adagrad: touched, bias } = model
  const sum = new Float32Array(w.length)
  const sumBias = new Float32Array(bias.length)
  const order = new Uint32Array(p.count)
  for (let i = 0; i < p.count; i++) order[i] = i
  const random = rng(seed)
  const raw = new Float64Array(K)
  const buf: FeatureBuffer = { idx: p.idx, n: 0, scale: 0 }
  let c = 1
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = p.count - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      const t = order[i]!
      order[i] = order[j]!
      order[j] = t
    }
    for (let r = 0; r < p.count; r++) {
      const e = order[r]!
      const weight = p.weight[e]!
      if (weight === 0) continue
      const start = p.start[e]!
      const end = p.end[e]!
      const li = p.lang[e]!
      buf.idx = p.idx.subarray(start, end)
      buf.n = end - start
      buf.scale = p.scale[e]!
      scoreBufferInto(model, buf, li === 1 ? 'de' : 'en', raw)
      let guess = 0
      for (let k = 0; k < K; k++) {
        raw[k] = raw[k]! + p.offset[e * K + k]!
        if (raw[k]! > raw[guess]!) guess = k
      }
      const y = p.label[e]!
      if (guess !== y) {
        const d = weight * p.scale[e]!
        const db = weight * biasStep[li]!
        for (let j = start; j < end; j++) {
          const b = p.idx[j]!
          const o = b * K
          w[o + y] = w[o + y]! + d
          w[o + guess] = w[o + guess]! - d
          sum[o + y] = sum[o + y]! + c * d
          sum[o + guess] = sum[o + guess]! - c * d
          touched[b] = touched[b]! + 1
        }
        bias[li * K + y] = bias[li * K + y]! + db
        bias[li * K + guess] = bias[li * K + guess]! - db
        sumBias[li * K + y] = sumBias[li * K + y]! + c * db
        sumBias[li * K + guess] = sumBias[li * K + guess]! - c * db
      }
      c++
    }
  }
  // The average of the weights over every step: final weights minus the step-weighted updates.
  for (let i = 0; i < w.length; i++) if (sum[i] !== 0) w[i] = w[i]! - sum[i]! / c
  for (let i = 0; i < bias.length; i++) bias[i] = bias[i]! - sumBias[i]! / c
}

/** A new model trained on `examples` (a few epochs of the model's algorithm). */
export function trainLinear(examples: Iterable<LinearExample>, options: LinearOptions = {}): LinearModel {
  const model = emptyLinear(options)
  const baseWeight = { ...DEFAULT_BASE_WEIGHT, ...options.baseWeight }
  const base = options.base ? [...options.base] : []
  return learn(model, [...base, ...examples], base.length, baseWeight, options.seed ?? 1, false)
}

/**
 * Incremental training: the model's epochs over `examples` only, continuing from its weights (and,
 * for logreg, AdaGrad sums: features seen often move less). Mutates and returns `model`.
 *
 * The perceptron's class biases move in proportion to the team's share of what the model has
 * learnt (team examples / (team + base examples), per language): a mistake-driven update over a
 * team's first 50 labels otherwise shifts the biases as far as thousands of base posts did. On dev
 * (bench/learning.js, airline at random, mean of 3 seeds) 50 labels took macro-F1 from 0.711 to
 * 0.678 with full bias steps and to 0.698 with these; at 3,000 labels 0.739 and 0.736. German has
 * no base examples in this model (DEFAULT_BASE_WEIGHT), so its steps stay whole.
 */
export function updateLinear(model: LinearModel, examples: Iterable<LinearExample>, seed = model.revision + 1): LinearModel {
  return learn(model, [...examples], 0, DEFAULT_BASE_WEIGHT, seed, true)
}

/** Trains on `list`, whose first `baseCount` examples are base examples (weighed by `baseWeight`). */
function learn(model: LinearModel, list: LinearExample[], baseCount: number, baseWeight: Record<ModelLang, number>, seed: number, update: boolean): LinearModel {
  const p = prepare(model, list)
  for (let i = 0; i < p.count; i++) {
    const lang = LANGS[p.lang[i]!]!
    if (i < baseCount) p.weight[i] = p.weight[i]! * baseWeight[lang]
    ;(i < baseCount ? model.baseExamples : model.examples)[lang] += p.weight[i]!
    model.labelCounts[lang][p.label[i]!]! += p.weight[i]!
  }
  if (model.balance) {
    // Class shares per language over everything the model was trained on, this batch included.
    const factor = { en: new Float64Array(K), de: new Float64Array(K) }
    for (const lang of LANGS) {
      const counts = model.labelCounts[lang]
      let total = 0
      let seen = 0
      for (const c of counts) {
        total += c
        if (c > 0) seen++
      }
      for (let k = 0; k < K; k++) factor[lang][k] = counts[k]! > 0 ? total / (seen * counts[k]!) : 0
    }
    for (let i = 0; i < p.count; i++) p.weight[i] = p.weight[i]! * factor[LANGS[p.lang[i]!]!][p.label[i]!]!
  }
  const teamShare = (lang: ModelLang): number => {
    const all = model.examples[lang] + model.baseExamples[lang]
    return all > 0 ? model.examples[lang] / all : 1
  }
  const biasStep = update ? LANGS.map(teamShare) : LANGS.map(() => 1)
  if (model.algorithm === 'perceptron') fitPerceptron(model, p, model.epochs, seed, biasStep)
  else fit(model, p, model.epochs, seed)
  model.revision++
  return model
}

// ── Storage ──────────────────────────────────────────────────────────────────────────────────

/** The stored form: plain JSON; only buckets that training touched, as base64 arrays. */
export interface StoredLinear {
  format: typeof LINEAR_FORMAT
  version: typeof LINEAR_VERSION
  hashing: typeof LINEAR_HASHING
  labels: Label[]
  bits: number
  features: FeatureSpec
  examples: Record<ModelLang, number>
  baseExamples: Record<ModelLang, number>
  labelCounts: Record<ModelLang, number[]>
  balance: boolean
  algorithm: LinearAlgorithm
  revision: number
  learningRate: number
  l2: number
  epochs: number
  bias: number[]
  biasAdagrad: number[]
  /** Touched buckets, ascending, as base64 of little-endian Uint32 gaps from the previous one. */
  buckets: string
  /** K weights per touched bucket (Float32, base64), then one AdaGrad sum per touched bucket. */
  weights: string
  adagrad: string
}

const toBase64 = (a: Uint32Array | Float32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')

function fromBase64<T extends Uint32Array | Float32Array>(s: unknown, what: string, Ctor: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, fail: (w: string) => never): T {
  if (typeof s !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return fail(`${what} must be a base64 string`)
  const b = Buffer.from(s, 'base64')
  if (b.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) return fail(`${what} has ${b.byteLength} bytes, not a multiple of ${Ctor.BYTES_PER_ELEMENT}`)
  // Copy: Buffer's pool may not be aligned for a typed array view.
  return new Ctor(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer)
}

export function serializeLinear(model: LinearModel): StoredLinear {
  const buckets = 1 << model.bits
  let touched = 0
  for (let b = 0; b < buckets; b++) if (model.adagrad[b]! > 0) touched++
  const gaps = new Uint32Array(touched)
  const weights = new Float32Array(touched * K)
  const adagrad = new Float32Array(touched)
  let t = 0
  let prev = 0
  for (let b = 0; b < buckets; b++) {
    if (!(model.adagrad[b]! > 0)) continue
    gaps[t] = b - prev
    prev = b
    weights.set(model.weights.subarray(b * K, b * K + K), t * K)
    adagrad[t] = model.adagrad[b]!
    t++
  }
  return {
    format: model.format,
    version: model.version,
    hashing: model.hashing,
    labels: [...model.labels],
    bits: model.bits,
    features: { ...model.features },
    examples: { ...model.examples },
    baseExamples: { ...model.baseExamples },
    labelCounts: { en: [...model.labelCounts.en], de: [...model.labelCounts.de] },
    balance: model.balance,
    algorithm: model.algorithm,
    revision: model.revision,
    learningRate: model.learningRate,
    l2: model.l2,
    epochs: model.epochs,
    bias: [...model.bias],
    biasAdagrad: [...model.biasAdagrad],
    buckets: toBase64(gaps),
    weights: toBase64(weights),
    adagrad: toBase64(adagrad),
  }
}

const isNonNegative = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0
const isFiniteArray = (x: unknown, n: number): x is number[] => Array.isArray(x) && x.length === n && x.every((v) => typeof v === 'number' && Number.isFinite(v))

/** Validates a stored linear model; throws a UsageError naming what is wrong. */
export function parseLinear(value: unknown): LinearModel {
  const fail = (what: string): never => {
    throw new UsageError(`stored linear tagger model is invalid: ${what}`)
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return fail('not an object')
  const m = value as Partial<StoredLinear>
  if (m.format !== LINEAR_FORMAT) fail(`format is ${JSON.stringify(m.format)}, expected "${LINEAR_FORMAT}"`)
  if (m.version !== LINEAR_VERSION) fail(`version ${String(m.version)} is not supported (expected ${LINEAR_VERSION})`)
  if (m.hashing !== LINEAR_HASHING) fail(`hashing ${JSON.stringify(m.hashing)} is not supported (expected "${LINEAR_HASHING}")`)
  if (!Array.isArray(m.labels) || m.labels.join() !== LABELS.join()) fail('labels differ from ' + LABELS.join(','))
  if (typeof m.bits !== 'number' || !Number.isInteger(m.bits) || m.bits < 8 || m.bits > 24) fail('bits must be an integer from 8 to 24')
  const f = m.features as Partial<FeatureSpec> | undefined
  if (!f || typeof f.words !== 'boolean' || typeof f.bigrams !== 'boolean' || typeof f.dense !== 'boolean' || !Number.isInteger(f.charMin) || !Number.isInteger(f.charMax) || f.charMin! < 0 || f.charMax! > 8 || f.charMin! > f.charMax!) {
    fail('features must have words, bigrams and dense (booleans) and charMin ≤ charMax (integers 0–8)')
  }
  if (!m.examples || !isNonNegative(m.examples.en) || !isNonNegative(m.examples.de)) fail('examples must have en and de counts ≥ 0')
  if (!m.baseExamples || !isNonNegative(m.baseExamples.en) || !isNonNegative(m.baseExamples.de)) fail('baseExamples must have en and de counts ≥ 0')
  for (const lang of LANGS) {
    const c = m.labelCounts?.[lang]
    if (!isFiniteArray(c, K) || !c.every((x) => x >= 0)) fail(`labelCounts.${lang} must be ${K} numbers ≥ 0`)
  }
  if (typeof m.balance !== 'boolean') fail('balance must be a boolean')
  if (m.algorithm !== 'logreg' && m.algorithm !== 'perceptron') fail(`algorithm ${JSON.stringify(m.algorithm)} is not supported (expected "logreg" or "perceptron")`)
  if (!Number.isInteger(m.revision) || m.revision! < 0) fail('revision must be an integer ≥ 0')
  if (!isNonNegative(m.learningRate) || m.learningRate === 0) fail('learningRate must be a positive number')
  if (!isNonNegative(m.l2)) fail('l2 must be a number ≥ 0')
  if (!Number.isInteger(m.epochs) || m.epochs! < 1) fail('epochs must be an integer ≥ 1')
  if (!isFiniteArray(m.bias, 2 * K)) fail(`bias must be ${2 * K} finite numbers`)
  if (!isFiniteArray(m.biasAdagrad, 2) || !m.biasAdagrad!.every((x) => x >= 0)) fail('biasAdagrad must be 2 numbers ≥ 0')
  const gaps = fromBase64(m.buckets, 'buckets', Uint32Array, fail)
  const w = fromBase64(m.weights, 'weights', Float32Array, fail)
  const acc = fromBase64(m.adagrad, 'adagrad', Float32Array, fail)
  const touched = gaps.length
  if (w.length !== touched * K) fail(`weights has ${w.length} numbers, expected ${K} for each of the ${touched} buckets`)
  if (acc.length !== touched) fail(`adagrad has ${acc.length} numbers, expected one for each of the ${touched} buckets`)
  const model = emptyLinear({ bits: m.bits!, features: f as FeatureSpec, learningRate: m.learningRate!, l2: m.l2!, epochs: m.epochs!, balance: m.balance!, algorithm: m.algorithm! })
  const size = 1 << m.bits!
  let b = 0
  for (let t = 0; t < touched; t++) {
    b += gaps[t]!
    if (t > 0 && gaps[t] === 0) fail(`buckets are not strictly ascending at entry ${t}`)
    if (b >= size) fail(`bucket ${b} is out of range for 2^${m.bits} buckets`)
    if (!(acc[t]! > 0)) fail(`adagrad of bucket ${b} must be a positive number`)
    for (let k = 0; k < K; k++) if (!Number.isFinite(w[t * K + k]!)) fail(`weight ${k} of bucket ${b} is not a finite number`)
    model.weights.set(w.subarray(t * K, t * K + K), b * K)
    model.adagrad[b] = acc[t]!
  }
  model.examples = { en: m.examples!.en, de: m.examples!.de }
  model.baseExamples = { en: m.baseExamples!.en, de: m.baseExamples!.de }
  model.labelCounts = { en: [...m.labelCounts!.en], de: [...m.labelCounts!.de] }
  model.revision = m.revision!
  model.bias.set(m.bias!)
  model.biasAdagrad.set(m.biasAdagrad!)
  return model
}

// ── Combination ──────────────────────────────────────────────────────────────────────────────

export interface CombineWeights {
  /** Exponent of the tagger's probabilities (1 keeps them as they are). */
  tagger: number
  /** Exponent of the linear model's probabilities (0 ignores it). */
  linear: number
}

/**
 * The hot path's mix: probabilities in LABELS order → `out`, p ∝ tagger^a · linear^b. `out` may be
 * one of the inputs.
 */
export function combineInto(tagger: ArrayLike<number>, linear: ArrayLike<number>, weights: CombineWeights, out: Float64Array): void {
  for (let k = 0; k < K; k++) out[k] = weights.tagger * Math.log(Math.max(tagger[k]!, 1e-12)) + weights.linear * Math.log(Math.max(linear[k]!, 1e-12))
  softmaxInPlace(out)
}

/**
 * Log-linear mix: p ∝ p_tagger^a · p_linear^b, renormalised. With b = 0 and a = 1 the tagger's
 * scores come back unchanged.
 */
export function combineScores(taggerScores: Record<Label, number>, linearScores: Record<Label, number>, weights: CombineWeights): Record<Label, number> {
  if (weights.linear === 0 && weights.tagger === 1) return { ...taggerScores }
  const out = new Float64Array(K)
  combineInto(LABELS.map((l) => taggerScores[l]), LABELS.map((l) => linearScores[l]), weights, out)
  return toRecord(out)
}

/**
 * The linear model's weight: BASE[lang] when it learnt the built-in corpus in that language, plus 1
 * per PER team examples in the language, up to MAX. Tuned on dev (dev-linear.mjs curve --tune,
 * seeds 100–104, not the reported 0–4). English, with the corpus: the best weight was 3–4 at every
 * n from 0 to 1,000, and out of the box 3 raised every English dev figure (dev-silver, complaints,
 * airline). German learns from the team alone (DEFAULT_BASE_WEIGHT): best about 0.25 at 100
 * labels, 2 at 200, 3 at 500 and 1,000; with no labels it has nothing to say and gets 0.
 */
export const LINEAR_WEIGHT_BASE: Record<ModelLang, number> = { en: 3, de: 0 }
export const LINEAR_WEIGHT_PER = 250
export const LINEAR_WEIGHT_MAX = 3

/** The combination's weights for a post in `lang`: the tagger as it is, the linear model as above; 0 without a model. */
export function linearWeightFor(model: LinearModel | null, lang: ModelLang): CombineWeights {
  if (!model) return { tagger: 1, linear: 0 }
  const base = model.baseExamples[lang] > 0 ? LINEAR_WEIGHT_BASE[lang] : 0
  return { tagger: 1, linear: Math.min(LINEAR_WEIGHT_MAX, base + model.examples[lang] / LINEAR_WEIGHT_PER) }
}

/** An independent copy (a shared model, such as the built-in one, is copied before an update). */
export function cloneLinear(m: LinearModel): LinearModel {
  return {
    ...m,
    labels: [...m.labels],
    features: { ...m.features },
    examples: { ...m.examples },
    baseExamples: { ...m.baseExamples },
    labelCounts: { en: [...m.labelCounts.en], de: [...m.labelCounts.de] },
    weights: m.weights.slice(),
    adagrad: m.adagrad.slice(),
    bias: m.bias.slice(),
    biasAdagrad: m.biasAdagrad.slice(),
  }
}
