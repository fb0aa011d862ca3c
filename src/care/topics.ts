// Topics: which specialist a post goes to. Keyword rules first (German compounds included:
// "Lieferverzögerung", "Abbuchung", "Kundenkonto"), then, when no keyword decides, an averaged
// perceptron over the intent tagger's hashed features (classify/linear.ts extractLinearFeatures)
// trained from the taxonomy's example posts. Pure apart from reading the built-in taxonomy and its
// model stored at build time, once.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { detectLang, modelLangFor } from '../classify/lang.js'
import { extractLinearFeatures, type FeatureSpec, newFeatureBuffer } from '../classify/linear.js'
import { scanWords } from '../classify/scan.js'
import { UsageError } from '../models/errors.js'
import type { ModelLang } from '../models/tagger.js'
import { FALLBACK_TOPIC, type TopicDef, type TopicExplanation, type TopicResult } from '../models/topics.js'

const LANGS: readonly ModelLang[] = ['en', 'de']
/**
 * Words, stems and pairs for the keywords the taxonomy did not list; character 4-grams for
 * compounds and typos. On our labelled set (test/care/topics-labelled.jsonl) 4-grams alone made the
 * model right on 53.7 % of the posts it decides against 41.5 % with 3–5-grams, at a quarter of the
 * features; chosen on that set, so its model figure there is optimistic.
 */
const TOPIC_FEATURES: FeatureSpec = { words: true, bigrams: true, charMin: 4, charMax: 4, dense: false }
/** 2^16 buckets: a taxonomy's examples touch a few thousand features; 7 topics × 65,536 × 4 bytes = 1.8 MB. */
const TOPIC_BITS = 16
const EPOCHS = 12

// ── Keywords ─────────────────────────────────────────────────────────────────────────────────

/** English inflections a keyword takes ("refund" → "refunds", "refunded"), but not other words ("bill" ↛ "billboard"). */
const EN_SUFFIXES: readonly string[] = ['', 's', 'es', 'ed', 'd', 'ing']
/** German endings after a keyword that closes a compound ("Handy|rechnung|en", "Roaming|gebühr|en"). */
const DE_SUFFIXES: readonly string[] = ['', 'e', 'en', 'n', 's', 'es', 'er', 'ern', 'ung', 'ungen', 't', 'te', 'ten', 'st']

/**
 * Does keyword `kw` (one lower-case word) match `word`? English: the word or an inflection of it.
 * German: also any word starting with it ("liefer" → "Lieferverzögerung") and, from four letters,
 * any compound ending with it ("konto" → "Kundenkonto"). Keywords of up to three letters ("app")
 * match only themselves and plurals, in both languages.
 */
export function keywordMatches(kw: string, word: string, lang: ModelLang): boolean {
  if (word === kw) return true
  if (word.length <= kw.length) return false
  if (kw.length <= 3) return word === kw + 's'
  if (lang === 'en') return word.startsWith(kw) && EN_SUFFIXES.includes(word.slice(kw.length))
  if (word.startsWith(kw)) return true
  for (const s of DE_SUFFIXES) if (word.length > kw.length + s.length && word.endsWith(kw + s)) return true
  return false
}

interface Keyword {
  topic: number
  /** As written in the taxonomy. */
  text: string
  lang: ModelLang
  /** One word: matched by keywordMatches; several: matched as a phrase of whole words. */
  words: string[]
}

// ── Model ────────────────────────────────────────────────────────────────────────────────────

interface TopicModel {
  k: number
  weights: Float32Array
  /**
   * One bit per bucket: does it hold any weight? The examples touch a few thousand of the 65,536
   * buckets, and a real post's features mostly miss them: testing this 8 KB bitset first saves a
   * cache miss into the 1.8 MB weights per feature (measured 13 of 19 µs per post in scoring).
   */
  used: Uint32Array
  /** k biases per model language. */
  bias: Float32Array
}

function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function scoreInto(model: TopicModel, idx: Int32Array, n: number, scale: number, li: number, out: Float64Array): void {
  const { k, weights, used } = model
  // Sums first, scaled once: every feature of a post has the same value.
  out.fill(0, 0, k)
  for (let j = 0; j < n; j++) {
    const b = idx[j]!
    if (((used[b >>> 5]! >>> (b & 31)) & 1) === 0) continue
    const o = b * k
    for (let t = 0; t < k; t++) out[t] = out[t]! + weights[o + t]!
  }
  for (let t = 0; t < k; t++) out[t] = model.bias[li * k + t]! + scale * out[t]!
}

function softmax(out: Float64Array, k: number): void {
  let max = -Infinity
  for (let t = 0; t < k; t++) if (out[t]! > max) max = out[t]!
  let sum = 0
  for (let t = 0; t < k; t++) sum += out[t] = Math.exp(out[t]! - max)
  for (let t = 0; t < k; t++) out[t] = out[t]! / sum
}

/** The model for a taxonomy's example posts (topics in topicNames order); null without any. */
function trainOn(defs: readonly TopicDef[]): TopicModel | null {
  const names = topicNames(defs)
  const examples: Array<{ words: string[]; lang: ModelLang; topic: number }> = []
  for (const d of defs) for (const lang of LANGS) for (const text of d.examples[lang]) examples.push({ words: scanWords(text), lang, topic: names.indexOf(d.name) })
  return examples.length ? trainTopicModel(examples, names.length) : null
}

/** Averaged multi-class perceptron over the examples' hashed features (as in linear.ts, for any number of classes). */
function trainTopicModel(examples: Array<{ words: string[]; lang: ModelLang; topic: number }>, k: number): TopicModel {
  const buckets = 1 << TOPIC_BITS
  const model: TopicModel = { k, weights: new Float32Array(buckets * k), bias: new Float32Array(2 * k), used: new Uint32Array(buckets >>> 5).fill(~0) }
  const sum = new Float32Array(buckets * k)
  const sumBias = new Float32Array(2 * k)
  const buf = newFeatureBuffer()
  const prepared = examples.map((e) => {
    extractLinearFeatures(e.words, e.lang, TOPIC_FEATURES, TOPIC_BITS, buf)
    return { idx: buf.idx.slice(0, buf.n), scale: buf.scale, li: e.lang === 'de' ? 1 : 0, y: e.topic }
  })
  // Averaging and the bitset visit only the buckets the examples touch: a few thousand of 65,536,
  // in code that runs once per process and so never gets optimised (the full passes cost 35–90 ms).
  const touched = new Uint8Array(buckets)
  const touchedList: number[] = []
  for (const p of prepared) {
    for (const b of p.idx) {
      if (touched[b]) continue
      touched[b] = 1
      touchedList.push(b)
    }
  }
  const order = prepared.map((_, i) => i)
  const next = rng(1)
  const raw = new Float64Array(k)
  let c = 1
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1))
      ;[order[i], order[j]] = [order[j]!, order[i]!]
    }
    for (const e of order) {
      const p = prepared[e]!
      scoreInto(model, p.idx, p.idx.length, p.scale, p.li, raw)
      let guess = 0
      for (let t = 1; t < k; t++) if (raw[t]! > raw[guess]!) guess = t
      if (guess !== p.y) {
        for (const b of p.idx) {
          const o = b * k
          model.weights[o + p.y] = model.weights[o + p.y]! + p.scale
          model.weights[o + guess] = model.weights[o + guess]! - p.scale
          sum[o + p.y] = sum[o + p.y]! + c * p.scale
          sum[o + guess] = sum[o + guess]! - c * p.scale
        }
        const bo = p.li * k
        model.bias[bo + p.y] = model.bias[bo + p.y]! + 1
        model.bias[bo + guess] = model.bias[bo + guess]! - 1
        sumBias[bo + p.y] = sumBias[bo + p.y]! + c
        sumBias[bo + guess] = sumBias[bo + guess]! - c
      }
      c++
    }
  }
  const used = new Uint32Array(buckets >>> 5)
  for (const b of touchedList) {
    let any = false
    for (let t = b * k, end = t + k; t < end; t++) {
      if (sum[t] !== 0) model.weights[t] = model.weights[t]! - sum[t]! / c
      if (model.weights[t] !== 0) any = true
    }
    if (any) used[b >>> 5]! |= 1 << (b & 31)
  }
  for (let i = 0; i < model.bias.length; i++) model.bias[i] = model.bias[i]! - sumBias[i]! / c
  model.used = used
  return model
}

/**
 * A trained topic model as JSON: the weights of the buckets that hold any (a few thousand of
 * 65,536). The built-in taxonomy's is written at build time (scripts/build-linear.mjs).
 */
export interface StoredTopicModel {
  k: number
  bias: number[]
  /** Bucket numbers, ascending; k weights each in `weights`. */
  buckets: number[]
  weights: number[]
}

function serializeTopicModel(model: TopicModel): StoredTopicModel {
  const buckets: number[] = []
  const weights: number[] = []
  for (let b = 0; b < 1 << TOPIC_BITS; b++) {
    if (((model.used[b >>> 5]! >>> (b & 31)) & 1) === 0) continue
    buckets.push(b)
    for (let t = 0; t < model.k; t++) weights.push(model.weights[b * model.k + t]!)
  }
  return { k: model.k, bias: [...model.bias], buckets, weights }
}

function parseTopicModel(stored: StoredTopicModel, k: number): TopicModel {
  const buckets = 1 << TOPIC_BITS
  if (stored.k !== k || stored.bias.length !== 2 * k || stored.weights.length !== stored.buckets.length * k) throw new UsageError(`topic model: built for ${stored.k} topics, the taxonomy has ${k}`)
  const model: TopicModel = { k, weights: new Float32Array(buckets * k), bias: Float32Array.from(stored.bias), used: new Uint32Array(buckets >>> 5) }
  stored.buckets.forEach((b, i) => {
    model.used[b >>> 5]! |= 1 << (b & 31)
    for (let t = 0; t < k; t++) model.weights[b * k + t] = stored.weights[i * k + t]!
  })
  return model
}

// ── Classifier ───────────────────────────────────────────────────────────────────────────────

export interface TopicClassifier {
  /** Topic names, taxonomy order (the fallback "other" always among them). */
  readonly topics: readonly string[]
  classify(text: string, lang?: string | null): TopicResult
  /** classify on words already scanned (scanWords of the text) in the model language the tagger settled on. */
  classifyWords(words: readonly string[], lang: ModelLang): TopicResult
  explain(text: string, lang?: string | null): TopicExplanation
}

const WORD_CACHE_MAX = 100_000

/**
 * A classifier for `defs` (validated by topicsSchema). The fallback topic "other" is added when
 * the taxonomy has none; a taxonomy without any example posts classifies by keywords alone.
 */
export function createTopicClassifier(defs: readonly TopicDef[], trained?: StoredTopicModel): TopicClassifier {
  if (!defs.length) throw new UsageError('topics: the taxonomy has no topics')
  const list = defs.some((d) => d.name === FALLBACK_TOPIC) ? [...defs] : [...defs, { name: FALLBACK_TOPIC, keywords: { en: [], de: [] }, examples: { en: [], de: [] } }]
  const names = topicNames(defs)
  const k = names.length
  const fallback = names.indexOf(FALLBACK_TOPIC)
  const single: Keyword[] = []
  const phrases: Keyword[] = []
  for (const [topic, d] of list.entries()) {
    for (const lang of LANGS) {
      for (const text of d.keywords[lang]) {
        const words = scanWords(text).filter((w) => !/^[\p{P}_]/u.test(w))
        if (!words.length) continue
        ;(words.length === 1 ? single : phrases).push({ topic, text, lang, words })
      }
    }
  }
  const model = trained ? parseTopicModel(trained, k) : trainOn(defs)
  // word → indices into `single` of the keywords it matches (most words: none).
  const cache = new Map<string, readonly number[]>()
  const NONE: readonly number[] = []
  const matchesOf = (w: string): readonly number[] => {
    let m = cache.get(w)
    if (m === undefined) {
      const found: number[] = []
      for (let i = 0; i < single.length; i++) if (keywordMatches(single[i]!.words[0]!, w, single[i]!.lang)) found.push(i)
      m = found.length ? found : NONE
      if (cache.size >= WORD_CACHE_MAX) cache.clear()
      cache.set(w, m)
    }
    return m
  }
  const phrasesByFirst = new Map<string, number[]>()
  for (const [i, p] of phrases.entries()) {
    const list = phrasesByFirst.get(p.words[0]!)
    if (list) list.push(i)
    else phrasesByFirst.set(p.words[0]!, [i])
  }
  const phraseSeen = new Uint8Array(phrases.length)
  const words: string[] = []
  const hits = new Int32Array(k)
  const raw = new Float64Array(k)
  const buf = newFeatureBuffer()

  /** Keyword hits per topic into `hits`; `seen` (explain) gets each match. */
  function countHits(postWords: readonly string[], seen?: TopicExplanation['keywords']): void {
    hits.fill(0)
    for (const w of postWords) {
      const c0 = w.charCodeAt(0)
      if (c0 === 95 || c0 < 48) continue
      for (const i of matchesOf(w)) {
        hits[single[i]!.topic]!++
        seen?.push({ topic: names[single[i]!.topic]!, keyword: single[i]!.text, word: w })
      }
    }
    if (!phrases.length) return
    // Each phrase counts once, wherever it starts: looked up by its first word.
    phraseSeen.fill(0)
    for (let i = 0; i < postWords.length; i++) {
      const starting = phrasesByFirst.get(postWords[i]!)
      if (starting === undefined) continue
      for (const pi of starting) {
        if (phraseSeen[pi]) continue
        const pw = phrases[pi]!.words
        if (i + pw.length > postWords.length) continue
        let j = 1
        while (j < pw.length && postWords[i + j] === pw[j]) j++
        if (j < pw.length) continue
        phraseSeen[pi] = 1
        const p = phrases[pi]!
        hits[p.topic]! += 2
        seen?.push({ topic: names[p.topic]!, keyword: p.text, word: pw.join(' ') })
      }
    }
  }

  function modelScores(postWords: readonly string[], lang: ModelLang, featureNames?: string[]): boolean {
    if (!model) return false
    extractLinearFeatures(postWords, lang, TOPIC_FEATURES, TOPIC_BITS, buf, featureNames)
    scoreInto(model, buf.idx, buf.n, buf.scale, lang === 'de' ? 1 : 0, raw)
    return true
  }

  function decide(postWords: readonly string[], lang: ModelLang): TopicResult {
    countHits(postWords)
    let best = -1
    let ties = 0
    for (let t = 0; t < k; t++) {
      if (hits[t]! === 0) continue
      if (best < 0 || hits[t]! > hits[best]!) {
        best = t
        ties = 0
      } else if (hits[t] === hits[best]) ties++
    }
    if (best >= 0 && ties === 0) return { topic: names[best]!, source: 'keyword' }
    if (!modelScores(postWords, lang)) return { topic: names[best >= 0 ? best : fallback]!, source: best >= 0 ? 'keyword' : 'model' }
    // Tied keywords: the model picks among the tied topics; no keyword: among all.
    const top = best >= 0 ? hits[best]! : 0
    let pick = -1
    for (let t = 0; t < k; t++) if ((best < 0 || hits[t] === top) && (pick < 0 || raw[t]! > raw[pick]!)) pick = t
    return { topic: names[pick]!, source: best >= 0 ? 'keyword' : 'model' }
  }

  const langOf = (postWords: readonly string[], text: string, lang: string | null | undefined): ModelLang => modelLangFor(detectLang(postWords, text, lang))

  return {
    topics: names,
    classify(text, lang) {
      scanWords(text, words)
      return decide(words, langOf(words, text, lang))
    },
    classifyWords: decide,
    explain(text, lang) {
      const postWords = scanWords(text)
      const ml = langOf(postWords, text, lang)
      const result = decide(postWords, ml)
      const keywords: TopicExplanation['keywords'] = []
      countHits(postWords, keywords)
      const featureNames: string[] = []
      const scores: Record<string, number> = {}
      const top: TopicExplanation['top'] = []
      let modelTopic = result.topic
      if (modelScores(postWords, ml, featureNames)) {
        let pick = 0
        for (let t = 1; t < k; t++) if (raw[t]! > raw[pick]!) pick = t
        modelTopic = names[pick]!
        const byName = new Map<string, number>()
        for (let j = 0; j < buf.n; j++) {
          const o = buf.idx[j]! * k
          let mean = 0
          for (let t = 0; t < k; t++) mean += model!.weights[o + t]! / k
          const name = featureNames[j]!
          byName.set(name, (byName.get(name) ?? 0) + buf.scale * (model!.weights[o + pick]! - mean))
        }
        for (const [feature, weight] of byName) if (weight > 0) top.push({ feature, weight: Math.round(weight * 1000) / 1000 })
        top.sort((a, b) => b.weight - a.weight || a.feature.localeCompare(b.feature))
        top.length = Math.min(top.length, 8)
        softmax(raw, k)
        for (let t = 0; t < k; t++) scores[names[t]!] = Math.round(raw[t]! * 1000) / 1000
      }
      return { ...result, lang: ml, keywords, scores, top, modelTopic }
    },
  }
}

/** The topics a taxonomy assigns, in its order, the fallback "other" last when it does not name it. */
export function topicNames(defs: readonly TopicDef[]): string[] {
  const names = defs.map((d) => d.name)
  return names.includes(FALLBACK_TOPIC) ? names : [...names, FALLBACK_TOPIC]
}

// ── Built-in taxonomy ────────────────────────────────────────────────────────────────────────

const DEFAULT_FILE = new URL('../../data/topics/default.json', import.meta.url)

let builtinDefs: TopicDef[] | null = null
// Written by scripts/build-linear.mjs next to dist/care/topics.js: training the built-in taxonomy's
// model took 100–180 ms of every tagging process and reader thread, reading it back a few.
const BUILTIN_MODEL = new URL('./builtin-topics.json', import.meta.url)

/** sha256 of the built-in taxonomy file: which taxonomy a stored built-in topic model learnt. */
export function builtinTopicsDigest(): string {
  return createHash('sha256').update(readFileSync(DEFAULT_FILE)).digest('hex')
}

/** The built-in taxonomy's model, trained (for the build script). */
export function trainBuiltinTopicModel(): StoredTopicModel {
  const model = trainOn(builtinTopics())
  if (!model) throw new UsageError('built-in topic taxonomy: no example posts to train on')
  return serializeTopicModel(model)
}

/** The stored built-in model when it was trained on today's taxonomy file, else undefined (train). */
function readBuiltinTopicModel(): StoredTopicModel | undefined {
  if (!existsSync(BUILTIN_MODEL)) return undefined
  try {
    const stored = JSON.parse(readFileSync(BUILTIN_MODEL, 'utf8')) as { taxonomy?: unknown; model?: StoredTopicModel }
    return stored.taxonomy === builtinTopicsDigest() ? stored.model : undefined
  } catch {
    // A damaged build file: train instead, as without it.
    return undefined
  }
}

/**
 * The built-in taxonomy (data/topics/default.json, written for listen). It ships with the code and
 * is checked against the config's topicsSchema by the tests, so it is read without loading zod
 * (0.13 s in every tagging process and reader thread); only its shape is checked here.
 */
export function builtinTopics(): TopicDef[] {
  if (builtinDefs) return builtinDefs
  const where = `built-in topic taxonomy ${DEFAULT_FILE.pathname}`
  let json: unknown
  try {
    json = JSON.parse(readFileSync(DEFAULT_FILE, 'utf8'))
  } catch (e) {
    throw new UsageError(`${where}: ${(e as Error).message}`, { cause: e })
  }
  const topics = (json as { topics?: unknown } | null)?.topics
  if (!Array.isArray(topics) || !topics.length) throw new UsageError(`${where}: expected a non-empty "topics" list`)
  const words = (v: unknown): string[] => (Array.isArray(v) ? v.filter((w): w is string => typeof w === 'string').map((w) => w.trim()).filter(Boolean) : [])
  const perLang = (v: unknown) => ({ en: words((v as { en?: unknown } | undefined)?.en), de: words((v as { de?: unknown } | undefined)?.de) })
  builtinDefs = topics.map((t: unknown, i) => {
    const d = t as { name?: unknown; keywords?: unknown; examples?: unknown } | null
    if (typeof d?.name !== 'string' || !d.name) throw new UsageError(`${where}: topics[${i}].name: expected a name`)
    return { name: d.name, keywords: perLang(d.keywords), examples: perLang(d.examples) }
  })
  return builtinDefs
}

const classifiers = new Map<string, TopicClassifier>()

/**
 * The classifier for a taxonomy (null: the built-in one), trained once per process and taxonomy:
 * training takes milliseconds, but fetch and classify ask for it per run and per batch.
 */
export function topicClassifierFor(defs: readonly TopicDef[] | null | undefined): TopicClassifier {
  const key = defs ? JSON.stringify(defs) : ''
  let c = classifiers.get(key)
  if (!c) {
    c = defs ? createTopicClassifier(defs) : createTopicClassifier(builtinTopics(), readBuiltinTopicModel())
    classifiers.set(key, c)
  }
  return c
}
