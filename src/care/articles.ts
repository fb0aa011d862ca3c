// Help-centre articles for customer questions: index them and rank them (BM25F, en + de); the
// sources they are read from are parsed in article-sources.ts.
import { detectLang, normalizeLangTag } from '../classify/lang.js'
import { normalizeText } from '../classify/normalize.js'
import { splitWords, stem } from '../classify/tokenize.js'
import { UsageError } from '../models/errors.js'
import type { ModelLang } from '../models/tagger.js'

/** One help-centre article. `lang` is the given tag, or detected from the text (null: undecided). */
export interface HelpArticle {
  id: string
  url: string
  title: string
  body: string
  lang: string | null
}

/** What a match shows the agent; the body stays in the article store. */
export type ArticleRef = Omit<HelpArticle, 'body'>

export interface ArticleMatch {
  article: ArticleRef
  /** BM25F score, comparable only between articles for the same question. */
  score: number
  /** Calibrated probability that this article answers the question (0–1). */
  confidence: number
}

// ───────────────────────────── analysis ─────────────────────────────

// Hand-written: stopwords-iso (the list natural ships) drops help-centre content words such as
// "order", "bill", "number", "open", "Uhr" and "Zeit". Social-media filler is added.
const STOP_EN = new Set(
  `a an the and or but if of to in on at for from by with about as into than then so is are was were be been being am
  do does did doing done have has had having i me my mine myself you your yours u ur ya we us our ours they them their
  he him his she her it its this that these those there here what which who whom whose when where why how whats hows
  can could would should will shall may might must cant dont doesnt didnt isnt arent wasnt werent wont wouldnt couldnt
  shouldnt havent hasnt im ive id ill youre hey hi hello hallo pls plz please thanks thank thx ty guys team folks just
  still also already again any some very really lol omg asap tho though get got gets getting know need needs want wants
  anyone someone anything something one way any oh ok okay yes yeah pm am`.split(/\s+/),
)
const STOP_DE = new Set(
  `der die das den dem des ein eine einen einem einer eines und oder aber wenn dass ob als wie so zu zum zur von vom mit
  bei beim für fuer auf aus an am im in ins ist sind war waren bin bist sein seid hat habe hab haben hast hatte hätte
  wird werden wurde kann kannst können koennen könnt konnte muss musst müssen muessen soll sollte will willst möchte
  moechte ich mich mir mein meine meinen meinem meiner du dich dir dein deine er sie es wir uns unser unsere ihr euch
  euer eure eurem euren ihnen ihre ihren ihrem man dies diese dieser dieses diesen was wer wo wann warum wieso weshalb
  welche welcher welches welchen hallo hi hey moin servus bitte danke gibt gibts mal schon noch auch nur doch ja nein
  nee ne nen ner nem einfach eigentlich halt eben denn dann da hier jetzt gerade sehr ganz total echt irgendwie jemand
  etwas lg vg mfg leute kriege krieg krieg kriegt bekomme bekommt bekommen`.split(/\s+/),
)
const STOP: Record<ModelLang, ReadonlySet<string>> = { en: STOP_EN, de: STOP_DE }

// Abbreviations of social-media posts, in the words help-centre articles use.
const ABBREVIATIONS: Record<ModelLang, ReadonlyMap<string, readonly string[]>> = {
  en: new Map(
    Object.entries({ pw: 'password', pwd: 'password', passwd: 'password', acc: 'account', acct: 'account', pkg: 'package', addy: 'address', '2fa': 'two factor authentication', mfa: 'two factor authentication', msg: 'message', dm: 'message' }).map(([k, v]) => [k, v.split(' ')]),
  ),
  de: new Map(
    Object.entries({ pw: 'passwort', '2fa': 'zwei faktor authentifizierung', mfa: 'zwei faktor authentifizierung', nr: 'nummer', tel: 'telefon' }).map(([k, v]) => [k, v.split(' ')]),
  ),
}

const FOLD_DE: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' }

/** Lower-case word → umlaut-free spelling for German ("Rücksendung" and "Ruecksendung" meet), diacritics dropped otherwise. */
function foldWord(word: string, lang: ModelLang): string {
  if (lang === 'de') return /[äöüß]/.test(word) ? word.replace(/[äöüß]/g, (c) => FOLD_DE[c]!) : word
  return /[^ -~]/.test(word) ? word.normalize('NFD').replace(/\p{M}/gu, '') : word
}

// A word, or a chain of words joined by hyphens ("sim-karte"); markers from normalizeText start with "_".
const WORD_RE = /_[a-z]+|[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu
const ARTICLE_URL_RE = /\b(?:https?:\/\/|www\.)\S+/gi
const INNER_APOSTROPHE_RE = /(\p{L})['’](\p{L})/gu

function wordsInto(lower: string, lang: ModelLang, out: string[]): string[] {
  const stop = STOP[lang]
  const abbreviations = ABBREVIATIONS[lang]
  const push = (w: string) => {
    if (w.length < 2 || stop.has(w)) return
    const c = w.charCodeAt(0)
    if (c >= 48 && c <= 57 && /^\d+$/.test(w)) return
    const expanded = abbreviations.get(w)
    if (expanded !== undefined) out.push(...expanded)
    else out.push(foldWord(w, lang))
  }
  const text = lower.includes("'") || lower.includes('’') ? lower.replace(INNER_APOSTROPHE_RE, '$1$2') : lower
  for (const m of text.matchAll(WORD_RE)) {
    const w = m[0]
    if (w.charCodeAt(0) === 95 /* _ */) continue
    if (!w.includes('-')) {
      push(w)
      continue
    }
    const chain = w.split('-')
    for (const part of chain) push(part)
    push(chain.join(''))
  }
  return out
}

/**
 * Article text → content words, lower case and folded, in order: URLs and stop words go, hyphenated
 * words give their parts and the joined word ("SIM-Karte" → sim, karte, simkarte), bare numbers go.
 */
export function normalizeArticleWords(text: string, lang: ModelLang): string[] {
  const lower = text.toLowerCase()
  return wordsInto(lower.includes('http') || lower.includes('www.') ? lower.replace(ARTICLE_URL_RE, ' ') : lower, lang, [])
}

/**
 * A social-media question → content words like normalizeArticleWords, after normalizeText has
 * replaced handles, URLs and emoji by markers (dropped here), split hashtags ("#RoamingKosten" →
 * roamingkosten, roaming, kosten) and squeezed repeated letters; abbreviations are spelled out ("pw" → password).
 */
export function normalizeQuestionWords(text: string, lang: ModelLang): string[] {
  return wordsInto(normalizeQuestion(text), lang, [])
}

const HASHTAG_RE = /#([\p{L}\p{N}_]+)/gu

// normalizeText splits "#RoamingKosten" into its words, but "#eSIM" into "e SIM": keep the whole tag too.
function normalizeQuestion(text: string): string {
  return normalizeText(text.includes('#') ? text.replace(HASHTAG_RE, (m, tag: string) => (/\p{Lu}/u.test(tag) ? `${tag.toLowerCase()} ${m}` : m)) : text)
}

const FUGEN = ['s', 'es', 'n', 'en', 'e', 'er']
const MIN_MODIFIER = 3
const MIN_HEAD = 4

/**
 * Splits a (folded, lower-case) compound into known parts, dictionary-free: `isKnown` says whether a
 * part is in the index's vocabulary. The head (last part) must be known; the modifier before it is
 * known itself, known without a linking element (Fugen-s, -es, -n, -en, -e, -er: "sendungs|verfolgung"),
 * or splits again. Fewest parts win, then the longest head. Returns null when no full split exists.
 * "rücksendeetikett" → ["ruecksende", "etikett"]; "handyvertrag" → ["handy", "vertrag"].
 */
export function splitCompound(word: string, isKnown: (part: string) => boolean): string[] | null {
  if (word.length < MIN_MODIFIER + MIN_HEAD) return null
  let best: string[] | null = null
  for (let i = MIN_MODIFIER; i <= word.length - MIN_HEAD; i++) {
    const head = word.slice(i)
    if (!isKnown(head)) continue
    const left = word.slice(0, i)
    const candidates = [left, ...FUGEN.filter((f) => left.endsWith(f) && left.length - f.length >= MIN_MODIFIER).map((f) => left.slice(0, -f.length))]
    for (const mod of candidates) {
      const parts = isKnown(mod) ? [mod] : splitCompound(mod, isKnown)
      if (parts && (best === null || parts.length + 1 < best.length)) best = [...parts, head]
    }
    if (best?.length === 2) return best
  }
  return best
}

/** The longest known head of an unknown compound ("handyversicherung" → "versicherung"), for query words only. */
function compoundHead(word: string, isKnown: (part: string) => boolean): string | null {
  for (let i = MIN_MODIFIER; i <= word.length - MIN_HEAD; i++) {
    const head = word.slice(i)
    if (isKnown(head)) return head
  }
  return null
}

/**
 * `isKnown` for splitCompound: is the word's stem a term of the vocabulary? German Porter stems are
 * prefixes of the folded word at most a suffix shorter, so a Set look-up on the prefixes rules out almost
 * every candidate before the stemmer runs.
 */
function knownIn(has: (term: string) => boolean, model: ModelLang): (part: string) => boolean {
  // English Porter rewrites endings ("delivery" → "deliveri"); English splits only unknown question words.
  if (model === 'en') return (part) => has(stem(part, model))
  return (part) => {
    for (let j = part.length; j >= Math.max(2, part.length - 5); j--) {
      if (has(part.slice(0, j))) return has(stem(part, model))
    }
    return false
  }
}

const SEPARABLE = /^(ab|an|auf|aus|ein|mit|nach|um|vor|weg|zu|zurueck|zusammen|frei|hoch|runter|rein|raus)?ge(.{3,})$/

/** German participles the Porter stemmer leaves alone: "gekündigt" → "kuendig", "zurückgeschickt" → "zurueckschick". */
function participleCores(word: string): string[] {
  const m = SEPARABLE.exec(word)
  if (!m) return []
  const core = (m[1] ?? '') + m[2]!
  return [core, core.replace(/(?:e?t|en)$/, ''), core.replace(/(?:e?t|en)$/, '') + 'en']
}

// ───────────────────────────── index ─────────────────────────────

export interface RankParams {
  /** BM25 term-frequency saturation. */
  k1: number
  /** Length normalisation of the title and the body. */
  bTitle: number
  bBody: number
  /** How much one title occurrence counts against one body occurrence (BM25F field weight). */
  titleWeight: number
  /** Query weight of a compound's parts, of a typo-corrected or prefix-matched word. */
  partWeight: number
  fuzzyWeight: number
  /** How much a query word the index does not know counts against the match (share of the highest idf). */
  unknownWeight: number
  /** The least a question is taken to say, in units of the highest idf: "where is my order?" says too little to be sure. */
  minPossible: number
}

/** Platt scaling of the top match: confidence = σ(bias + norm·score/possible + margin·lead over the runner-up). */
export interface Calibration {
  bias: number
  norm: number
  margin: number
  /** matchArticle returns null below this confidence. */
  threshold: number
}

export const DEFAULT_RANK_PARAMS: Readonly<RankParams> = {
  k1: 2.2,
  bTitle: 0.6,
  bBody: 0.5,
  titleWeight: 3,
  partWeight: 0.5,
  fuzzyWeight: 0.8,
  unknownWeight: 0.3,
  minPossible: 1.5,
}

export const DEFAULT_CALIBRATION: Readonly<Calibration> = { bias: -2.375, norm: 2.91, margin: 1.17, threshold: 0.66 }

/** Articles of one language. Plain JSON: `postings[t]` is [doc, tf in title, tf in body, …] for `terms[t]`. */
export interface LangIndex {
  model: ModelLang
  docs: number[]
  titleLen: number[]
  bodyLen: number[]
  terms: string[]
  postings: number[][]
}

/** A built index: plain data, so `JSON.parse(JSON.stringify(index))` is an index too (cache it in the database). */
export interface ArticleIndex {
  version: 1
  params: RankParams
  calibration: Calibration
  articles: ArticleRef[]
  langs: Record<string, LangIndex>
}

export interface BuildOptions {
  params?: Partial<RankParams>
  calibration?: Partial<Calibration>
}

const UNDETERMINED = 'und'

function modelOf(lang: string): ModelLang {
  return lang === 'de' ? 'de' : 'en'
}

// Title and body counts of a term share one number: title occurrences in the high bits.
const TITLE_UNIT = 65536

function buildLangIndex(articles: readonly HelpArticle[], positions: readonly number[], model: ModelLang): LangIndex {
  const fields = positions.map((p) => {
    const a = articles[p]!
    return { title: normalizeArticleWords(a.title, model), body: normalizeArticleWords(a.body, model) }
  })
  const stemOf = new Map<string, string>()
  const vocab = new Set<string>()
  for (const f of fields) {
    for (const words of [f.title, f.body]) {
      for (const w of words) {
        if (stemOf.has(w)) continue
        const s = stem(w, model)
        stemOf.set(w, s)
        vocab.add(s)
      }
    }
  }
  // Compounds in the articles also count as their parts, so "Rücksendeetikett" in an article meets
  // "Etikett" in a question. Only full splits into words the articles use elsewhere.
  const known = knownIn((t) => vocab.has(t), model)
  const partsOf = new Map<string, readonly string[] | null>()
  const termIds = new Map<string, number>()
  const terms: string[] = []
  const postings: number[][] = []
  const titleLen: number[] = []
  const bodyLen: number[] = []
  fields.forEach((f, doc) => {
    const counts = new Map<string, number>()
    const add = (words: readonly string[], unit: number) => {
      for (const w of words) {
        const s = stemOf.get(w)!
        counts.set(s, (counts.get(s) ?? 0) + unit)
        if (model !== 'de' || w.length < 8) continue
        let parts = partsOf.get(w)
        if (parts === undefined) {
          parts = splitCompound(w, known)?.map((p) => stem(p, model)) ?? null
          partsOf.set(w, parts)
        }
        if (parts) for (const t of parts) counts.set(t, (counts.get(t) ?? 0) + unit)
      }
    }
    add(f.title, TITLE_UNIT)
    add(f.body, 1)
    titleLen.push(f.title.length)
    bodyLen.push(f.body.length)
    for (const [t, c] of counts) {
      let id = termIds.get(t)
      if (id === undefined) {
        id = terms.length
        termIds.set(t, id)
        terms.push(t)
        postings.push([])
      }
      postings[id]!.push(doc, Math.floor(c / TITLE_UNIT), c % TITLE_UNIT)
    }
  })
  return { model, docs: [...positions], titleLen, bodyLen, terms, postings }
}

/** Indexes articles per language (stems, stop words, German compounds). 500 articles take a few ms. */
export function buildArticleIndex(articles: readonly HelpArticle[], options: BuildOptions = {}): ArticleIndex {
  const byLang = new Map<string, number[]>()
  articles.forEach((a, i) => {
    const lang = a.lang ?? UNDETERMINED
    let list = byLang.get(lang)
    if (!list) byLang.set(lang, (list = []))
    list.push(i)
  })
  const langs: Record<string, LangIndex> = {}
  for (const [lang, positions] of byLang) langs[lang] = buildLangIndex(articles, positions, modelOf(lang))
  return {
    version: 1,
    params: { ...DEFAULT_RANK_PARAMS, ...options.params },
    calibration: { ...DEFAULT_CALIBRATION, ...options.calibration },
    articles: articles.map(({ id, url, title, lang }) => ({ id, url, title, lang })),
    langs,
  }
}

/** Checks that cached JSON (a string or parsed) is an index this version reads; rebuild when it throws. */
export function loadArticleIndex(json: string | unknown): ArticleIndex {
  const value = typeof json === 'string' ? (JSON.parse(json) as unknown) : json
  const v = value as Partial<ArticleIndex> | null
  if (!v || typeof v !== 'object' || v.version !== 1 || !Array.isArray(v.articles) || !v.langs || !v.params || !v.calibration) {
    throw new UsageError('help-article index: not a version 1 index; rebuild it from the articles')
  }
  for (const [lang, li] of Object.entries(v.langs)) {
    const n = li?.docs?.length
    if (!Array.isArray(li?.terms) || !Array.isArray(li.postings) || li.terms.length !== li.postings.length || li.titleLen?.length !== n || li.bodyLen?.length !== n) {
      throw new UsageError(`help-article index: language "${lang}" is damaged; rebuild it from the articles`)
    }
  }
  return v as ArticleIndex
}

// ───────────────────────────── ranking ─────────────────────────────

interface CompiledLang {
  src: LangIndex
  termIds: Map<string, number>
  idf: Float64Array
  maxIdf: number
  titleNorm: Float64Array
  bodyNorm: Float64Array
  scores: Float64Array
  deletions: Map<string, number[]> | null
}

const compiledIndexes = new WeakMap<ArticleIndex, Map<string, CompiledLang>>()

function compile(index: ArticleIndex): Map<string, CompiledLang> {
  let compiled = compiledIndexes.get(index)
  if (compiled) return compiled
  compiled = new Map()
  const { bTitle, bBody } = index.params
  for (const [lang, src] of Object.entries(index.langs)) {
    const n = src.docs.length
    const termIds = new Map<string, number>()
    src.terms.forEach((t, i) => termIds.set(t, i))
    const idf = new Float64Array(src.terms.length)
    src.postings.forEach((p, i) => {
      const df = p.length / 3
      idf[i] = Math.log(1 + (n - df + 0.5) / (df + 0.5))
    })
    const avgT = src.titleLen.reduce((s, x) => s + x, 0) / Math.max(1, n) || 1
    const avgB = src.bodyLen.reduce((s, x) => s + x, 0) / Math.max(1, n) || 1
    compiled.set(lang, {
      src,
      termIds,
      idf,
      maxIdf: Math.log(1 + (n + 0.5) / 0.5),
      titleNorm: Float64Array.from(src.titleLen, (l) => 1 - bTitle + (bTitle * l) / avgT),
      bodyNorm: Float64Array.from(src.bodyLen, (l) => 1 - bBody + (bBody * l) / avgB),
      scores: new Float64Array(n),
      deletions: null,
    })
  }
  compiledIndexes.set(index, compiled)
  return compiled
}

const MIN_FUZZY = 5

function deletionsOf(term: string): string[] {
  const out: string[] = []
  for (let i = 0; i < term.length; i++) out.push(term.slice(0, i) + term.slice(i + 1))
  return out
}

/** Optimal string alignment distance ≤ 1 (one insertion, deletion, substitution or swap of neighbours). */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true
  const la = a.length
  const lb = b.length
  if (Math.abs(la - lb) > 1) return false
  let i = 0
  while (i < la && i < lb && a[i] === b[i]) i++
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1)
}

/** Vocabulary terms one edit away (SymSpell-style: a term and its single deletions share a key). */
function fuzzyTerms(lang: CompiledLang, term: string): number[] {
  if (term.length < MIN_FUZZY) return []
  if (lang.deletions === null) {
    const map = new Map<string, number[]>()
    const add = (key: string, id: number) => {
      const list = map.get(key)
      if (list) {
        if (list[list.length - 1] !== id) list.push(id)
      } else map.set(key, [id])
    }
    lang.src.terms.forEach((t, id) => {
      if (t.length < MIN_FUZZY - 1) return
      add(t, id)
      for (const d of deletionsOf(t)) add(d, id)
    })
    lang.deletions = map
  }
  const found = new Set<number>()
  for (const key of [term, ...deletionsOf(term)]) {
    for (const id of lang.deletions.get(key) ?? []) if (withinOneEdit(term, lang.src.terms[id]!)) found.add(id)
  }
  return [...found]
}

interface QueryTerms {
  weights: Map<number, number>
  /** Σ weight × idf over the resolved words plus the unknown words' share: what a perfect article scores. */
  possible: number
}

function addWeight(q: QueryTerms, lang: CompiledLang, id: number, w: number): void {
  const old = q.weights.get(id) ?? 0
  if (w > old) {
    q.weights.set(id, w)
    q.possible += (w - old) * lang.idf[id]!
  }
}

/** A question's words → weighted index terms; unknown words are looked up as participle, compound, typo, prefix. */
function resolveQuery(lang: CompiledLang, words: readonly string[], params: RankParams): QueryTerms {
  const q: QueryTerms = { weights: new Map(), possible: 0 }
  const model = lang.src.model
  const idOf = (w: string) => lang.termIds.get(stem(w, model))
  const known = knownIn((t) => lang.termIds.has(t), model)
  for (const w of new Set(words)) {
    const s = stem(w, model)
    const id = lang.termIds.get(s)
    if (id !== undefined) {
      addWeight(q, lang, id, 1)
      continue
    }
    if (model === 'de') {
      const core = participleCores(w).map(idOf).find((x) => x !== undefined)
      if (core !== undefined) {
        addWeight(q, lang, core, 1)
        continue
      }
    }
    const parts = splitCompound(w, known)
    if (parts) {
      for (const p of parts) addWeight(q, lang, idOf(p)!, params.partWeight)
      continue
    }
    const near = fuzzyTerms(lang, s)
    if (near.length > 0) {
      for (const n of near) addWeight(q, lang, n, params.fuzzyWeight / near.length)
      continue
    }
    let prefix: number | undefined
    for (let j = s.length - 1; j >= Math.max(MIN_FUZZY, Math.ceil(s.length * 0.6)) && prefix === undefined; j--) {
      prefix = lang.termIds.get(s.slice(0, j))
    }
    if (prefix !== undefined) {
      addWeight(q, lang, prefix, params.fuzzyWeight)
      continue
    }
    if (model === 'de') {
      const head = compoundHead(w, known)
      if (head !== null) {
        addWeight(q, lang, idOf(head)!, params.partWeight)
        q.possible += params.unknownWeight * lang.maxIdf * params.partWeight
        continue
      }
    }
    q.possible += params.unknownWeight * lang.maxIdf
  }
  return q
}

interface Ranked {
  lang: CompiledLang
  doc: number
  score: number
  norm: number
  margin: number
}

function rankLang(index: ArticleIndex, lang: CompiledLang, normalized: string, k: number): Ranked[] {
  const { k1, titleWeight } = index.params
  const q = resolveQuery(lang, wordsInto(normalized, lang.src.model, []), index.params)
  if (q.weights.size === 0 || q.possible <= 0) return []
  const possible = Math.max(q.possible, index.params.minPossible * lang.maxIdf)
  const scores = lang.scores
  scores.fill(0)
  for (const [id, w] of q.weights) {
    const p = lang.src.postings[id]!
    const idf = lang.idf[id]! * w
    for (let i = 0; i < p.length; i += 3) {
      const d = p[i]!
      const tf = (titleWeight * p[i + 1]!) / lang.titleNorm[d]! + p[i + 2]! / lang.bodyNorm[d]!
      scores[d] = scores[d]! + (idf * tf * (k1 + 1)) / (k1 + tf)
    }
  }
  // The best max(k, 2) by insertion: a full sort of every matching article costs more than the scoring.
  const keep = Math.max(k, 2)
  const order: number[] = []
  for (let d = 0; d < scores.length; d++) {
    const sd = scores[d]!
    if (sd <= 0 || (order.length === keep && sd <= scores[order[keep - 1]!]!)) continue
    let i = order.length === keep ? keep - 1 : order.length
    while (i > 0 && scores[order[i - 1]!]! < sd) {
      order[i] = order[i - 1]!
      i--
    }
    order[i] = d
  }
  const first = scores[order[0]!] ?? 0
  const second = scores[order[1]!] ?? 0
  return order.slice(0, k).map((doc, rank) => {
    const score = scores[doc]!
    const rival = rank === 0 ? second : first
    return { lang, doc, score, norm: score / possible, margin: (score - rival) / score }
  })
}

function confidenceOf(c: Calibration, f: { norm: number; margin: number }): number {
  return 1 / (1 + Math.exp(-(c.bias + c.norm * f.norm + c.margin * f.margin)))
}

/** The features the calibration sees, for fitting it (test/care/articles-measure.mjs). */
export interface MatchFeatures {
  article: ArticleRef
  score: number
  norm: number
  margin: number
}

/**
 * Articles ranked for a question, best first, at most k. The question's language (given, else
 * detected) picks the articles in that language; when it is unknown or no article has it, every
 * language is tried and the calibrated confidences compete.
 */
export function topArticleFeatures(index: ArticleIndex, text: string, k = 3, lang?: string | null): MatchFeatures[] {
  const compiled = compile(index)
  const normalized = normalizeQuestion(text)
  const wanted = normalizeLangTag(lang) ?? detectLang(splitWords(normalized), text)
  const own = wanted === null ? undefined : compiled.get(wanted)
  const ranked = own ? rankLang(index, own, normalized, k) : [...compiled.values()].flatMap((l) => rankLang(index, l, normalized, k))
  if (!own) ranked.sort((a, b) => confidenceOf(index.calibration, b) - confidenceOf(index.calibration, a))
  return ranked.slice(0, k).map((r) => ({ article: index.articles[r.lang.src.docs[r.doc]!]!, score: r.score, norm: r.norm, margin: r.margin }))
}

/** The k best articles for a question with their scores and confidences (no threshold). */
export function topArticles(index: ArticleIndex, text: string, k = 3, lang?: string | null): ArticleMatch[] {
  return topArticleFeatures(index, text, k, lang).map((f) => ({
    article: f.article,
    score: f.score,
    confidence: confidenceOf(index.calibration, f),
  }))
}

/** The article that answers the question, or null when none is likely enough (calibration.threshold). */
export function matchArticle(index: ArticleIndex, text: string, lang?: string | null): ArticleMatch | null {
  const best = topArticles(index, text, 1, lang)[0]
  return best && best.confidence >= index.calibration.threshold ? best : null
}

/**
 * The help article a question gets in `mentions` and the queue: the best match when its calibrated
 * confidence clears the threshold, else null (also for an empty index). Which posts are questions
 * is the caller's business (the label).
 */
export function bestArticle(text: string, index: ArticleIndex, lang?: string | null): ArticleMatch | null {
  return index.articles.length ? matchArticle(index, text, lang) : null
}
