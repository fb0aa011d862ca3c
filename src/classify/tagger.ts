// src/classify — the tagger: normalise, scan, rules, naive Bayes, lexicon, metrics; pure but for reading data/corpus.
// Rules + naive Bayes → one label, a score per class and needsResponse. Pure apart from reading the
// built-in corpus once (builtinModel).
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { UsageError } from '../models/errors.js'
import { isLabel, type Label, LABELS, NEEDS_RESPONSE } from '../models/mention.js'
import type { Explanation, FiredRule, ModelLang, PostContext, TaggerResult, TrainingExample } from '../models/tagger.js'
import {
  asBaseModel,
  type BayesModel,
  type CompiledLang,
  compileModel,
  type CompileOptions,
  DEFAULT_BASE_STRENGTH,
  DEFAULT_FEATURE_CAP,
  DEFAULT_TRAINED_ALPHA,
  loglikOf,
  parseCompiled,
  parseModel,
  scoreFeatures,
  seedCompiled,
  trainModel,
} from './bayes.js'
import { scoreWords, type Signals, wordSignals } from './fast.js'
import { analyze } from './features.js'
import { detectLang, modelLangFor } from './lang.js'
import { DE_RULES } from './rules/de.js'
import { EN_RULES } from './rules/en.js'
import { combineInto, explainLinear, type LinearModel, linearWeightFor, parseLinear, predictWordsInto, trainLinear } from './linear.js'
import { applyRules, type CompiledRules, compileRules } from './rules/engine.js'
import { scanWords } from './scan.js'
import { DE_POST_NEGATORS, DE_PRE_NEGATORS, EN_NEGATORS, INTENSIFIERS } from './tokenize.js'

const K = LABELS.length

// "not bad", "not too bad", "nicht so gut": a negated sentiment word does not fire its rule.
export const RULES: Record<ModelLang, CompiledRules> = {
  en: compileRules('en', EN_RULES, { negators: EN_NEGATORS, intensifiers: INTENSIFIERS.en }),
  de: compileRules('de', DE_RULES, { negators: new Set([...DE_PRE_NEGATORS, ...DE_POST_NEGATORS]), intensifiers: INTENSIFIERS.de }),
}

/**
 * How model scores, rule weights and signals combine; tuned on ../shared/datasets/dev only.
 * All values are in log units unless noted.
 */
export interface Calibration {
  /** Added per label (LABELS order) and model language: the share of each class a team sees. */
  bias: Record<ModelLang, readonly number[]>
  /** Multiplies rule weights per model language. */
  ruleScale: Record<ModelLang, number>

  /** NB log scores grow with text length; they are divided by 1 + known features / this. */
  temperatureFeatures: number
  /** Long impersonal texts without a question (news, reports) lean towards other by this much. */
  newsWeight: number
  newsMinWords: number
  /**
   * Added to other when a post is addressed to nobody (no @handle): care requests are written to
   * the brand, chatter and news mostly are not. Per model language: German railway talk is found
   * by keyword, so it is addressed less often whatever its class. On dev, English 1 turned 2 more
   * points of the complaints corpus's random tweets into other and cost its customer-service
   * complaint F1 0.003; German gained nothing from it.
   */
  unaddressed: Record<ModelLang, number>
  /**
   * Added to complaint per log(1 + negative lexicon mass) (lexicon.ts): unhappy words our corpus
   * never taught the model. Per model language; German has no lexicon. Chosen on dev: English 3
   * raised the complaints corpus's customer-service complaint F1 from 0.803 to 0.816 (recall 0.769
   * to 0.799, precision 0.840 to 0.835) and dev-silver macro-F1 from 0.705 to 0.708, and turned
   * 2.5 points more of its random tweets from other into complaint.
   */
  negativeWords: Record<ModelLang, number>
  /**
   * A label of lower precedence wins only when the higher one is clearly less likely: the first
   * label in precedence order (outage > complaint > question > praise > other) whose probability
   * reaches this share of the best one is chosen.
   */
  precedenceShare: number

  /** Trained posts that weigh as much as the whole built-in corpus (see DEFAULT_BASE_STRENGTH). */
  baseStrength: number
  /** Clip of each feature's log-likelihoods around their mean (see DEFAULT_FEATURE_CAP). */
  featureCap: number
  /**
   * `bias`, `temperatureFeatures` and the model's smoothing were calibrated for the built-in
   * corpus. They apply in the share the base corpus has in the model (CompiledLang.baseShare); for
   * the trained share these apply instead, and no bias: the trained examples' own class shares are
   * the priors (a neutral airline post is not a complaint because complaints dominate our corpus).
   * Rules keep their weight: cross-validation on dev/airline lost accuracy without them.
   */
  trained: { temperatureFeatures: number; alpha: number }
}

export const DEFAULT_CALIBRATION: Calibration = {
  bias: { en: [1, 1.5, 0, -1, 2], de: [1.5, -0.5, 0, -0.5, 0.5] },
  ruleScale: { en: 2.4, de: 1.6 },
  temperatureFeatures: 12,
  newsWeight: 2,
  newsMinWords: 22,
  unaddressed: { en: 1, de: 0 },
  negativeWords: { en: 3, de: 0 },
  precedenceShare: 0.9,
  baseStrength: DEFAULT_BASE_STRENGTH,
  featureCap: DEFAULT_FEATURE_CAP,
  trained: { temperatureFeatures: 30, alpha: DEFAULT_TRAINED_ALPHA },
}

export interface Tagger {
  classify(text: string, lang?: string | null, context?: PostContext): TaggerResult
  /** classify on words the caller already scanned (scanWords of `text`), so other models can share one scan. */
  classifyWords(words: readonly string[], text: string, lang?: string | null, context?: PostContext): TaggerResult
  explain(text: string, lang?: string | null, context?: PostContext): Explanation
  classifyBatch(items: Iterable<{ text: string; lang?: string | null | undefined }>): TaggerResult[]
  readonly model: BayesModel
  /** The discriminative model mixed into the scores (linear.ts); null: rules and naive Bayes alone. */
  readonly linear: LinearModel | null
}

function softmaxInto(raw: Float64Array): Record<Label, number> {
  let max = -Infinity
  for (let k = 0; k < K; k++) if (raw[k]! > max) max = raw[k]!
  let sum = 0
  for (let k = 0; k < K; k++) {
    raw[k] = Math.exp(raw[k]! - max)
    sum += raw[k]!
  }
  return {
    outage: raw[0]! / sum,
    complaint: raw[1]! / sum,
    question: raw[2]! / sum,
    praise: raw[3]! / sum,
    other: raw[4]! / sum,
  }
}

function pickLabel(scores: Record<Label, number>, share: number): Label {
  let best = 0
  for (const l of LABELS) if (scores[l] > best) best = scores[l]
  for (const l of LABELS) if (scores[l] >= best * share) return l
  return 'other'
}

/** Model and rule scores plus the post's signals → probabilities per label. */
function combine(cal: Calibration, lang: ModelLang, baseShare: number, nb: Float64Array, rules: Float64Array, sig: Signals, raw: Float64Array, fired?: FiredRule[]): Record<Label, number> {
  let toOther = 0
  if (!sig.personal && !sig.asks && sig.content >= cal.newsMinWords) {
    toOther = cal.newsWeight
    fired?.push({ id: 'any:other:impersonal-long-text', label: 'other', weight: cal.newsWeight })
  }
  if (!sig.addressed && cal.unaddressed[lang]) {
    toOther += cal.unaddressed[lang]
    fired?.push({ id: 'any:other:not-addressed', label: 'other', weight: cal.unaddressed[lang] })
  }
  const own = 1 - baseShare
  const t = 1 + sig.known / (baseShare * cal.temperatureFeatures + own * cal.trained.temperatureFeatures)
  const scale = cal.ruleScale[lang]
  const bias = cal.bias[lang]
  // An outage report is usually angry too, and outage takes precedence over complaint: negative
  // words do not argue against an outage, up to the strength of the outage evidence itself.
  rules[0] = rules[0]! + Math.min(rules[0]!, rules[1]!)
  const unhappy = sig.negative > 0 ? cal.negativeWords[lang] * Math.log1p(sig.negative) : 0
  if (unhappy) fired?.push({ id: `${lang}:complaint:negative-words`, label: 'complaint', weight: unhappy })
  for (let k = 0; k < K; k++) raw[k] = nb[k]! / t + scale * rules[k]! + baseShare * bias[k]!
  raw[1]! += unhappy
  raw[4]! += toOther
  return softmaxInto(raw)
}

function tableFor(model: BayesModel, lang: ModelLang, options: CompileOptions): CompiledLang {
  const compiled = compileModel(model, options)
  const c = compiled[lang]
  return c.empty ? compiled[lang === 'de' ? 'en' : 'de'] : c
}

/**
 * A language we have no rules or corpus for (fr, es, …; null is no language at all, a few emoji or
 * a handle). Such posts get the keywords and emoji both rule sets share, not the linear model's
 * English n-grams, and say that their label is a guess (TaggerResult.lowConfidence).
 */
const isOtherLang = (lang: string | null): boolean => lang !== null && lang !== 'en' && lang !== 'de'

const recordOf = (p: ArrayLike<number>): Record<Label, number> => ({ outage: p[0]!, complaint: p[1]!, question: p[2]!, praise: p[3]!, other: p[4]! })

/**
 * Rules + naive Bayes, mixed with `linear` by linearWeightFor (the built-in linear model unless
 * given; null for none).
 */
export function createTagger(model: BayesModel = builtinModel(), calibration: Partial<Calibration> = {}, linear?: LinearModel | null): Tagger {
  const cal: Calibration = { ...DEFAULT_CALIBRATION, ...calibration }
  const lin: LinearModel | null = linear === undefined ? builtinLinear() : linear
  const linRaw = new Float64Array(K)
  const weights = { en: linearWeightFor(lin, 'en'), de: linearWeightFor(lin, 'de') }
  /** Mixes the linear model into `scores` (probabilities in `raw`, LABELS order); unchanged when its weight is 0. */
  const mix = (scores: Record<Label, number>, words: readonly string[], modelLang: ModelLang, followUp: boolean): Record<Label, number> => {
    const w = weights[modelLang]
    if (lin === null || w.linear === 0) return scores
    predictWordsInto(lin, words, modelLang, linRaw, followUp)
    combineInto(raw, linRaw, w, raw)
    return recordOf(raw)
  }
  const compileOptions = compileOptionsOf(cal)
  const nb = new Float64Array(K)
  const rules = new Float64Array(K)
  const raw = new Float64Array(K)
  const words: string[] = []

  function classify(text: string, lang?: string | null, context?: PostContext): TaggerResult {
    return classifyWords(scanWords(text, words), text, lang, context)
  }

  function classifyWords(words: readonly string[], text: string, lang?: string | null, context?: PostContext): TaggerResult {
    const detected = detectLang(words, text, lang)
    const modelLang = modelLangFor(detected)
    rules.fill(0)
    const table = tableFor(model, modelLang, compileOptions)
    const sig = scoreWords(table, modelLang, RULES[modelLang], words, model.bigrams, nb, rules)
    // English keywords and emoji are the lingua franca of the web: other languages get both lexicons.
    if (detected !== 'en' && detected !== 'de') applyRules(RULES[modelLang === 'en' ? 'de' : 'en'], words, rules)
    const other = isOtherLang(detected)
    const base = combine(cal, modelLang, table.baseShare, nb, rules, sig, raw)
    const scores = other ? base : mix(base, words, modelLang, context?.followUp === true)
    const label = pickLabel(scores, cal.precedenceShare)
    return { label, scores, needsResponse: NEEDS_RESPONSE.has(label), lang: detected, modelLang, lowConfidence: other }
  }

  /** The readable path: string features, rule list and token weights. Same scores as classify. */
  function explain(text: string, lang?: string | null, context?: PostContext): Explanation {
    const followUp = context?.followUp === true
    const a = analyze(text, lang, model.bigrams)
    const c = tableFor(model, a.modelLang, compileOptions)
    const fired: FiredRule[] = []
    const known = scoreFeatures(c, a.features, nb)
    rules.fill(0)
    applyRules(RULES[a.modelLang], a.words, rules, fired)
    if (a.lang !== 'en' && a.lang !== 'de') applyRules(RULES[a.modelLang === 'en' ? 'de' : 'en'], a.words, rules, fired)
    const other = isOtherLang(a.lang)
    const base = combine(cal, a.modelLang, c.baseShare, nb, rules, wordSignals(a.words, a.modelLang, known), raw, fired)
    const scores = other ? base : mix(base, a.words, a.modelLang, followUp)
    const w = weights[a.modelLang]
    const le = !other && lin !== null && w.linear > 0 ? explainLinear(lin, text, a.modelLang, 10, true, followUp) : null
    const topNgrams = le ? le.top.map((t) => ({ feature: t.feature, label: le.label, weight: Math.round(t.weight * w.linear * 1000) / 1000 })) : []
    const seen = new Set<string>()
    const topTokens: Explanation['topTokens'] = []
    for (const f of a.features) {
      const v = loglikOf(c, f)
      if (!v || seen.has(f)) continue
      seen.add(f)
      let mean = 0
      for (let k = 0; k < K; k++) mean += v[k]! / K
      let bk = 0
      for (let k = 1; k < K; k++) if (v[k]! > v[bk]!) bk = k
      topTokens.push({ token: f, label: LABELS[bk]!, weight: Math.round((v[bk]! - mean) * 1000) / 1000 })
    }
    topTokens.sort((x, y) => y.weight - x.weight)
    return { label: pickLabel(scores, cal.precedenceShare), lang: a.lang, modelLang: a.modelLang, lowConfidence: other, scores, rulesFired: fired, topTokens: topTokens.slice(0, 10), topNgrams }
  }

  function classifyBatch(items: Iterable<{ text: string; lang?: string | null | undefined }>): TaggerResult[] {
    const out: TaggerResult[] = []
    for (const it of items) out.push(classify(it.text, it.lang))
    return out
  }

  return { classify, classifyWords, explain, classifyBatch, model, linear: lin }
}

// src/classify and dist/classify both sit two levels below the package root, which ships data/.
const CORPUS_DIR = new URL('../../data/corpus/', import.meta.url)

/** Reads the built-in corpus (data/corpus/{en,de}.jsonl; see data/README.md). */
export function loadBuiltinCorpus(): TrainingExample[] {
  const dir = CORPUS_DIR
  if (!existsSync(new URL('en.jsonl', dir))) throw new UsageError(`built-in tagger corpus not found in ${fileURLToPath(dir)}`)
  const out: TrainingExample[] = []
  for (const lang of ['en', 'de'] as const) {
    const file = fileURLToPath(new URL(`${lang}.jsonl`, dir))
    const lines = readFileSync(file, 'utf8').split('\n')
    lines.forEach((line, i) => {
      if (!line.trim()) return
      let row: unknown
      try {
        row = JSON.parse(line)
      } catch (cause) {
        throw new UsageError(`${file}:${i + 1}: invalid JSON`, { cause })
      }
      const r = row as { text?: unknown; label?: unknown }
      if (typeof r.text !== 'string' || !isLabel(r.label)) throw new UsageError(`${file}:${i + 1}: needs "text" and a valid "label"`)
      out.push({ text: r.text, label: r.label, lang })
    })
  }
  return out
}

let builtin: BayesModel | null = null
let builtinLin: LinearModel | null = null
// Written by scripts/build-linear.mjs at build time next to dist/classify/tagger.js: training the two
// built-in models takes 2–3 s, reading them back about 150 ms, in every process and reader thread.
// Without them (tests run the sources) or when the corpus changed since, they are trained here.
const BUILTIN_BAYES = new URL('./builtin-model.json', import.meta.url)
// The built-in naive Bayes model's scoring tables, compiled at build time with the default options.
const BUILTIN_TABLES = new URL('./builtin-tables.bin', import.meta.url)
const BUILTIN_LINEAR = new URL('./builtin-linear.json', import.meta.url)

/** sha256 of the built-in corpus files: which corpus a stored built-in model learnt. */
export function corpusDigest(): string {
  const h = createHash('sha256')
  for (const lang of ['en', 'de']) h.update(readFileSync(new URL(`${lang}.jsonl`, CORPUS_DIR)))
  return h.digest('hex')
}

/** The model a build file holds when it was trained on today's corpus, else null. */
function readBuilt<T>(file: URL, parse: (json: unknown) => T): T | null {
  if (!existsSync(file)) return null
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { corpus?: unknown; model?: unknown }
    return stored.corpus === corpusDigest() ? parse(stored.model) : null
  } catch {
    // A damaged build file: train instead, as without it.
    return null
  }
}

/** The model trained on the built-in corpus; built once per process. Do not mutate it. */
export function builtinModel(): BayesModel {
  builtin ??= readBuiltTables() ?? builtinCounts()
  return builtin
}

let counts: BayesModel | null = null
const builtinCounts = (): BayesModel => (counts ??= readBuilt(BUILTIN_BAYES, parseModel) ?? trainBuiltinModel())

/** What the build's tables file says of the model it was compiled from, beside the tables. */
export interface BuiltinTablesMeta {
  corpus: string
  model: Pick<BayesModel, 'format' | 'version' | 'revision' | 'alpha' | 'bigrams' | 'labels'>
  options: Required<CompileOptions>
}

/** The naive Bayes compile options a calibration asks for. */
export const compileOptionsOf = (cal: Calibration): Required<CompileOptions> => ({ baseStrength: cal.baseStrength, trainedAlpha: cal.trained.alpha, featureCap: cal.featureCap })

/** What the tagger compiles with by default: the options the build's tables are made with. */
export const DEFAULT_COMPILE = compileOptionsOf(DEFAULT_CALIBRATION)

/**
 * The built-in model with its scoring tables read from the build (about 30 ms) instead of compiled
 * from its counts (110–135 ms with reading them, in every tagging process and reader thread). Its
 * counts are read only when something asks for them (training on top of it, other compile options).
 */
function readBuiltTables(): BayesModel | null {
  if (!existsSync(BUILTIN_TABLES)) return null
  try {
    const { meta, langs } = parseCompiled<BuiltinTablesMeta>(readFileSync(BUILTIN_TABLES))
    const o = meta.options
    if (meta.corpus !== corpusDigest() || o.baseStrength !== DEFAULT_COMPILE.baseStrength || o.trainedAlpha !== DEFAULT_COMPILE.trainedAlpha || o.featureCap !== DEFAULT_COMPILE.featureCap) return null
    const model = { ...meta.model } as BayesModel
    Object.defineProperty(model, 'langs', { enumerable: true, get: () => builtinCounts().langs })
    seedCompiled(model, o, langs)
    return model
  } catch {
    // A damaged build file: compile from the counts instead.
    return null
  }
}

/** A fresh naive Bayes model on the built-in corpus (what builtinModel caches). */
export function trainBuiltinModel(): BayesModel {
  return asBaseModel(trainModel(loadBuiltinCorpus()))
}

/** The linear model trained on the built-in corpus alone (base examples); built once per process. Do not mutate it. */
export function builtinLinear(): LinearModel {
  builtinLin ??= readBuilt(BUILTIN_LINEAR, parseLinear) ?? trainBuiltinLinear()
  return builtinLin
}

/** A fresh linear model on the built-in corpus (what builtinLinear caches). */
export function trainBuiltinLinear(): LinearModel {
  return trainLinear([], { base: loadBuiltinCorpus(), seed: 1 })
}
