// Rules + naive Bayes → one label, a score per class and needsResponse. Pure apart from reading the
// built-in corpus once (builtinModel).
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { UsageError } from '../errors.js'
import { LABELS, NEEDS_RESPONSE, isLabel, type Classification, type Label } from '../types.js'
import { compileModel, scoreFeatures, trainModel, type BayesModel, type TrainingExample } from './bayes.js'
import { analyze, type Analysis } from './features.js'
import { DE_RULES } from './rules/de.js'
import { EN_RULES } from './rules/en.js'
import { applyRules, compileRules, type CompiledRules, type FiredRule } from './rules/engine.js'
import type { ModelLang } from './tokenize.js'

const K = LABELS.length

const RULES: Record<ModelLang, CompiledRules> = {
  en: compileRules('en', EN_RULES),
  de: compileRules('de', DE_RULES),
}

// Posts in a first or second person address someone; texts without any, no question mark and of
// some length read like news or reports, which a care team does not answer.
const PERSONAL: Record<ModelLang, ReadonlySet<string>> = {
  en: new Set(['i', 'im', 'ive', 'id', 'my', 'me', 'mine', 'we', 'us', 'our', 'you', 'your', 'youre', 'u', 'ur', 'pls', 'please']),
  de: new Set(['ich', 'mir', 'mich', 'mein', 'meine', 'meinen', 'meinem', 'meiner', 'wir', 'uns', 'unser', 'unsere', 'ihr', 'euch', 'euer', 'eure', 'du', 'dir', 'dich', 'dein', 'deine', 'bitte', 'man']),
}
const NEWS_MIN_WORDS = 14
const NEWS_WEIGHT = 2.5

/** NB log scores grow with text length; dividing keeps long texts from drowning the rules. */
const temperature = (known: number): number => 1 + known / 12

/**
 * A label of lower precedence wins only when the higher one is clearly less likely: the first
 * label in precedence order (outage > complaint > question > praise > other) whose score reaches
 * this share of the best score is chosen.
 */
const PRECEDENCE_SHARE = 0.6

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

export interface Tagger {
  classify(text: string, lang?: string | null): TaggerResult
  explain(text: string, lang?: string | null): Explanation
  classifyBatch(items: Iterable<{ text: string; lang?: string | null | undefined }>): TaggerResult[]
  readonly model: BayesModel
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

function pickLabel(scores: Record<Label, number>): Label {
  let best = 0
  for (const l of LABELS) if (scores[l] > best) best = scores[l]
  for (const l of LABELS) if (scores[l] >= best * PRECEDENCE_SHARE) return l
  return 'other'
}

export function createTagger(model: BayesModel = builtinModel()): Tagger {
  const nb = new Float64Array(K)
  const rules = new Float64Array(K)
  const raw = new Float64Array(K)

  function score(a: Analysis, fired?: FiredRule[]): Record<Label, number> {
    const compiled = compileModel(model)
    let c = compiled[a.modelLang]
    if (c.empty) c = compiled[a.modelLang === 'de' ? 'en' : 'de']
    const known = scoreFeatures(c, a.features, nb)
    rules.fill(0)
    applyRules(RULES[a.modelLang], a.words, rules, fired)
    // English keywords and emoji are the lingua franca of the web: other languages get both.
    if (a.lang !== 'en' && a.lang !== 'de') applyRules(RULES[a.modelLang === 'en' ? 'de' : 'en'], a.words, rules, fired)
    let content = 0
    let personal = false
    let asks = false
    const pers = PERSONAL[a.modelLang]
    for (const w of a.words) {
      if (w.charCodeAt(0) === 95) {
        if (w === '_q') asks = true
      } else if (w.length > 1) {
        content++
        if (pers.has(w)) personal = true
      }
    }
    if (!personal && !asks && content >= NEWS_MIN_WORDS) {
      rules[4]! += NEWS_WEIGHT
      fired?.push({ id: 'any:other:impersonal-long-text', label: 'other', weight: NEWS_WEIGHT })
    }
    const t = temperature(known)
    for (let k = 0; k < K; k++) raw[k] = nb[k]! / t + rules[k]!
    return softmaxInto(raw)
  }

  function classify(text: string, lang?: string | null): TaggerResult {
    const a = analyze(text, lang, model.bigrams)
    const scores = score(a)
    const label = pickLabel(scores)
    return { label, scores, needsResponse: NEEDS_RESPONSE.has(label), lang: a.lang, modelLang: a.modelLang }
  }

  function explain(text: string, lang?: string | null): Explanation {
    const a = analyze(text, lang, model.bigrams)
    const fired: FiredRule[] = []
    const scores = score(a, fired)
    const compiled = compileModel(model)
    const c = compiled[a.modelLang].empty ? compiled[a.modelLang === 'de' ? 'en' : 'de'] : compiled[a.modelLang]
    const seen = new Set<string>()
    const topTokens: Explanation['topTokens'] = []
    for (const f of a.features) {
      const v = c.loglik.get(f)
      if (!v || seen.has(f)) continue
      seen.add(f)
      let mean = 0
      for (let k = 0; k < K; k++) mean += v[k]! / K
      let bk = 0
      for (let k = 1; k < K; k++) if (v[k]! > v[bk]!) bk = k
      topTokens.push({ token: f, label: LABELS[bk]!, weight: Math.round((v[bk]! - mean) * 1000) / 1000 })
    }
    topTokens.sort((x, y) => y.weight - x.weight)
    return { label: pickLabel(scores), lang: a.lang, modelLang: a.modelLang, scores, rulesFired: fired, topTokens: topTokens.slice(0, 10) }
  }

  function classifyBatch(items: Iterable<{ text: string; lang?: string | null | undefined }>): TaggerResult[] {
    const out: TaggerResult[] = []
    for (const it of items) out.push(classify(it.text, it.lang))
    return out
  }

  return { classify, explain, classifyBatch, model }
}

// tsc does not copy .jsonl files: from dist/classify the corpus is found in src/classify/corpus.
const CORPUS_DIRS = [new URL('./corpus/', import.meta.url), new URL('../../src/classify/corpus/', import.meta.url)]

/** Reads the built-in corpus (src/classify/corpus/{en,de}.jsonl). */
export function loadBuiltinCorpus(): TrainingExample[] {
  const dir = CORPUS_DIRS.find((d) => existsSync(new URL('en.jsonl', d)))
  if (!dir) throw new UsageError(`built-in tagger corpus not found (looked in ${CORPUS_DIRS.map((d) => fileURLToPath(d)).join(', ')})`)
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

/** The model trained on the built-in corpus; built once per process. Do not mutate it. */
export function builtinModel(): BayesModel {
  builtin ??= trainModel(loadBuiltinCorpus())
  return builtin
}
