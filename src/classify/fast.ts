// The hot path: words → naive Bayes log scores, rule weights and a few signals, with one Map
// lookup per word. Everything derived from a word (stem, feature rows, negation role, rules that
// start with it) is computed once per word and model table and cached. analyze() + scoreFeatures()
// + applyRules() compute the same numbers the readable way (explain uses them; tests compare).
import type { ModelLang } from '../models/tagger.js'
import { bigramKey, type CompiledLang } from './bayes.js'
import { negativeMass, valenceOf } from './lexicon.js'
import { addHits, type CompiledRule, type CompiledRules, firstWordRules, ruleMatches } from './rules/engine.js'
import { BOUNDARY, DE_POST_NEGATORS, DE_PRE_NEGATORS, EN_NEGATORS, isNegator, KEEP_NUMBERS, NEG_SCOPE, SILENT, stem, STOP } from './tokenize.js'

const K = 5

// Posts in a first or second person address someone; texts without any read like news or chatter.
export const PERSONAL: Record<ModelLang, ReadonlySet<string>> = {
  en: new Set(['i', 'im', 'ive', 'id', 'my', 'me', 'mine', 'we', 'us', 'our', 'you', 'your', 'youre', 'u', 'ur', 'pls', 'please', 'plz']),
  de: new Set(['ich', 'mir', 'mich', 'mein', 'meine', 'meinen', 'meinem', 'meiner', 'wir', 'uns', 'unser', 'unsere', 'ihr', 'euch', 'euer', 'eure', 'du', 'dir', 'dich', 'dein', 'deine', 'bitte']),
}

/** What a post says about itself beyond features and rules. */
export interface Signals {
  /** Features the model knows (drives the temperature). */
  known: number
  /** Addresses someone or speaks in the first person. */
  personal: boolean
  /** Has a question mark. */
  asks: boolean
  /** Words longer than one letter, markers excluded. */
  content: number
  /** Addressed to a handle (@brand). */
  addressed: boolean
  /** Sum of the lexicon's negative valence over the words, negation applied (lexicon.ts). */
  negative: number
}

/** The same signals from a word list, the readable way. */
export function wordSignals(words: readonly string[], lang: ModelLang, known: number): Signals {
  const pers = PERSONAL[lang]
  const s: Signals = { known, personal: false, asks: false, content: 0, addressed: false, negative: 0 }
  let negLeft = 0
  for (const w of words) {
    if (pers.has(w)) s.personal = true
    if (w === '_q') s.asks = true
    else if (w === '_user') s.addressed = true
    else if (w.length > 1 && w.charCodeAt(0) !== 95) s.content++
    // The same negation scope as the features (toFeatures).
    if (BOUNDARY.has(w)) negLeft = 0
    else if (isNegator(w, lang)) negLeft = NEG_SCOPE
    else if (!STOP[lang].has(w)) {
      s.negative += negativeMass(valenceOf(w, lang), negLeft > 0)
      if (negLeft > 0) negLeft--
    }
  }
  return s
}

const enum Kind {
  Content,
  Boundary,
  /** A boundary that is also a feature (_q, _ex, _url …). */
  BoundaryFeature,
  Stop,
  /** German "nicht": negates the word before and the next ones. */
  PostNegator,
  Negator,
}

interface WordEntry {
  kind: Kind
  /** Row of the word's feature in the model table, -1 when unknown. */
  id: number
  /** Row of the negated feature ("not_…"), -1 when unknown. */
  negId: number
  /** The feature is a marker ("_num", "_emoneg"): German post-negation skips it. */
  marker: boolean
  personal: boolean
  asks: boolean
  addressed: boolean
  content: boolean
  /** Lexicon valence (lexicon.ts). */
  valence: number
  rules: readonly CompiledRule[]
}

const ENTRY_CACHE_MAX = 50_000
const entryCaches = new WeakMap<CompiledLang, Record<ModelLang, Map<string, WordEntry>>>()

function makeEntry(w: string, lang: ModelLang, c: CompiledLang, rules: CompiledRules): WordEntry {
  const de = lang === 'de'
  let kind: Kind
  let feature: string | null = null
  if (BOUNDARY.has(w)) {
    kind = w.charCodeAt(0) === 95 && !SILENT.has(w) ? Kind.BoundaryFeature : Kind.Boundary
    if (kind === Kind.BoundaryFeature) feature = w
  } else if (de ? DE_POST_NEGATORS.has(w) || DE_PRE_NEGATORS.has(w) : EN_NEGATORS.has(w)) {
    kind = de && DE_POST_NEGATORS.has(w) ? Kind.PostNegator : Kind.Negator
    feature = de ? 'nicht' : 'not'
  } else if (STOP[lang].has(w)) {
    kind = Kind.Stop
  } else {
    kind = Kind.Content
    const c0 = w.charCodeAt(0)
    feature = c0 >= 48 && c0 <= 57 && !KEEP_NUMBERS.has(w) ? '_num' : stem(w, lang)
  }
  return {
    kind,
    id: feature === null ? -1 : (c.index.get(feature) ?? -1),
    negId: feature === null ? -1 : (c.index.get('not_' + feature) ?? -1),
    marker: feature !== null && feature.charCodeAt(0) === 95,
    personal: PERSONAL[lang].has(w),
    asks: w === '_q',
    addressed: w === '_user',
    content: w.length > 1 && w.charCodeAt(0) !== 95,
    valence: kind === Kind.Content ? valenceOf(w, lang) : 0,
    rules: firstWordRules(rules, w),
  }
}

// Scratch space, reused across calls (single-threaded).
let feat = new Int32Array(256)
let negated = new Uint8Array(256)
const entryOf: WordEntry[] = []
let seen = new Uint32Array(0)
let stamp = 0
const hits: CompiledRule[] = []

/** The word → entry cache of one model table and language (cleared when it grows too big). */
function entriesFor(c: CompiledLang, lang: ModelLang): Map<string, WordEntry> {
  let caches = entryCaches.get(c)
  if (caches === undefined) {
    caches = { en: new Map(), de: new Map() }
    entryCaches.set(c, caches)
  }
  const cache = caches[lang]
  if (cache.size >= ENTRY_CACHE_MAX) cache.clear()
  return cache
}

/**
 * One pass over the words: the features (negated inside a negator's scope) into the shared `feat`
 * buffer, the rules that fire into `hits`, and the post's signals into `sig`. Returns the number
 * of features.
 */
function collectFeatures(c: CompiledLang, lang: ModelLang, rules: CompiledRules, words: readonly string[], sig: Signals): number {
  const cache = entriesFor(c, lang)
  const n = words.length
  if (feat.length < n + 1) {
    feat = new Int32Array(2 * n + 2)
    negated = new Uint8Array(2 * n + 2)
  }
  hits.length = 0
  let nf = 0
  let negLeft = 0
  let prev = -1
  for (let i = 0; i < n; i++) {
    const w = words[i]!
    let e = cache.get(w)
    if (e === undefined) {
      e = makeEntry(w, lang, c, rules)
      cache.set(w, e)
    }
    if (e.personal) sig.personal = true
    if (e.asks) sig.asks = true
    else if (e.addressed) sig.addressed = true
    else if (e.content) sig.content++
    const rl = e.rules
    for (let r = 0; r < rl.length; r++) {
      const rule = rl[r]!
      if (ruleMatches(rules, rule, words, i) && !hits.includes(rule)) hits.push(rule)
    }
    switch (e.kind) {
      case Kind.Boundary:
        negLeft = 0
        prev = -1
        break
      case Kind.BoundaryFeature:
        negLeft = 0
        prev = -1
        entryOf[nf] = e
        negated[nf] = 0
        feat[nf++] = e.id
        break
      case Kind.PostNegator:
      case Kind.Negator:
        if (e.kind === Kind.PostNegator && prev >= 0 && negated[prev] === 0) {
          negated[prev] = 1
          feat[prev] = entryOf[prev]!.negId
        }
        entryOf[nf] = e
        negated[nf] = 0
        feat[nf++] = e.id
        negLeft = NEG_SCOPE
        prev = -1
        break
      case Kind.Stop:
        break
      default:
        entryOf[nf] = e
        if (e.valence !== 0) sig.negative += negativeMass(e.valence, negLeft > 0)
        if (negLeft > 0) {
          negLeft--
          negated[nf] = 1
          feat[nf] = e.negId
        } else {
          negated[nf] = 0
          feat[nf] = e.id
        }
        prev = e.marker ? -1 : nf
        nf++
    }
  }
  return nf
}

/** Adds the log-likelihood row of feature `id` to `nb`, once per post (a stamp per row instead of a Set). */
function addRow(rows: Float64Array, id: number, nb: Float64Array): boolean {
  if (seen[id] === stamp) return false
  seen[id] = stamp
  const o = id * K
  nb[0]! += rows[o]!
  nb[1]! += rows[o + 1]!
  nb[2]! += rows[o + 2]!
  nb[3]! += rows[o + 3]!
  nb[4]! += rows[o + 4]!
  return true
}

/** Naive Bayes log scores of the first `nf` features (and their bigrams) into `nb`; returns how many were known. */
function scoreFeatures(c: CompiledLang, nf: number, bigrams: boolean, nb: Float64Array): number {
  const rows = c.rows
  for (let k = 0; k < K; k++) nb[k] = c.logPrior[k]!
  const nrows = rows.length / K
  if (seen.length < nrows) seen = new Uint32Array(nrows)
  if (++stamp === 0xffffffff) {
    seen.fill(0)
    stamp = 1
  }
  let known = 0
  for (let j = 0; j < nf; j++) {
    const id = feat[j]!
    if (id >= 0 && addRow(rows, id, nb)) known++
  }
  if (bigrams) {
    for (let j = 0; j + 1 < nf; j++) {
      const a = feat[j]!
      const b = feat[j + 1]!
      if (a < 0 || b < 0) continue
      const id = c.bigrams.get(bigramKey(a, b))
      if (id !== undefined && addRow(rows, id, nb)) known++
    }
  }
  return known
}

/**
 * Scores `words` against table `c` (features stemmed for `lang`): naive Bayes log scores into
 * `nb`, rule weights into `ruleOut` (added). Returns the post's signals.
 */
export function scoreWords(c: CompiledLang, lang: ModelLang, rules: CompiledRules, words: readonly string[], bigrams: boolean, nb: Float64Array, ruleOut: Float64Array): Signals {
  const sig: Signals = { known: 0, personal: false, asks: false, content: 0, addressed: false, negative: 0 }
  const nf = collectFeatures(c, lang, rules, words, sig)
  addHits(hits, ruleOut)
  sig.known = scoreFeatures(c, nf, bigrams, nb)
  return sig
}
