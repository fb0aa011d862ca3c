// The only module that imports natural, and only by subpath: natural's index loads dotenv, prints
// banners and costs ~0.9s (see the developer guide).
import porterDe from 'natural/lib/natural/stemmers/porter_stemmer_de.js'
import porterEn from 'natural/lib/natural/stemmers/porter_stemmer.js'
import type { ModelLang } from '../models/tagger.js'
import { MAX_WORD } from './normalize.js'
const TOKEN_RE = /_[a-z]+|[\p{L}\p{N}]+(?:['’][\p{L}]+)*|[.,;:()\-–—"]/gu
export const BOUNDARY: ReadonlySet<string> = new Set(['.', ',', ';', ':', '(', ')', '-', '–', '—', '"', '_q', '_ex', '_qq', '_exx', '_url', '_user'])
// Handles mark who is addressed, not what is said; as features they would only learn our corpus's style.
export const SILENT: ReadonlySet<string> = new Set(['_user'])
export const KEEP_NUMBERS: ReadonlySet<string> = new Set(['404', '500', '502', '503', '504', '24', '7'])

/**
 * Splits normalised text (see normalizeText) into lower-case words, markers ("_q", "_emoneg") and
 * clause boundaries (".", ","); apostrophes inside words are dropped ("don't" → "dont").
 */
export function splitWords(normalized: string): string[] {
  const out: string[] = []
  for (const m of normalized.matchAll(TOKEN_RE)) {
    let w = m[0]
    if (w.length > 1 && (w.includes("'") || w.includes('’'))) w = w.replace(/['’]/g, '')
    out.push(w.length >= 4 && /^\d+$/.test(w) ? '_num' : w.length > MAX_WORD ? w.slice(0, MAX_WORD) : w)
  }
  return out
}

export const EN_NEGATORS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'nothing', 'nobody', 'none', 'nowhere', 'cannot', 'without', 'neither', 'nor',
  'dont', 'doesnt', 'didnt', 'isnt', 'arent', 'wasnt', 'werent', 'cant', 'couldnt', 'wont', 'wouldnt',
  'shouldnt', 'havent', 'hasnt', 'hadnt', 'aint', 'n', 'nt',
])
// German negates a finite verb after it ("funktioniert nicht") and adjectives before them
// ("nicht zufrieden"); "kein" negates the noun that follows ("kein Netz").
export const DE_POST_NEGATORS: ReadonlySet<string> = new Set(['nicht', 'nich', 'net', 'nimmer'])
export const DE_PRE_NEGATORS: ReadonlySet<string> = new Set([
  'kein', 'keine', 'keinen', 'keinem', 'keiner', 'keines', 'nie', 'niemals', 'nichts', 'ohne', 'weder', 'nirgends',
])
export const NEG_SCOPE = 3
// Words that may stand between a negator and the sentiment word it negates ("not too bad",
// "nicht so toll"); keyword rules look past one of them (rules/engine.ts ruleMatches).
export const INTENSIFIERS: Record<ModelLang, ReadonlySet<string>> = {
  en: new Set(['too', 'so', 'very', 'that', 'really', 'exactly', 'particularly', 'overly', 'all', 'always', 'entirely']),
  de: new Set(['so', 'sehr', 'besonders', 'wirklich', 'ganz', 'gerade', 'allzu', 'unbedingt', 'immer']),
}

// Very frequent function words that only add noise to the model (question words and pronouns stay:
// "how", "my", "you" carry class information).
export const STOP: Record<ModelLang, ReadonlySet<string>> = {
  en: new Set(['the', 'a', 'an', 'and', 'or', 'of', 'to', 'in', 'on', 'at', 'for', 'it', 'its', 'this', 'that', 'is', 'are', 'be', 'as', 'by', 'with', 'from', 'so', 'was', 'rt']),
  de: new Set(['der', 'die', 'das', 'den', 'dem', 'des', 'ein', 'eine', 'einen', 'einem', 'einer', 'und', 'oder', 'in', 'im', 'am', 'an', 'auf', 'zu', 'zum', 'zur', 'von', 'vom', 'mit', 'für', 'ist', 'sind', 'es', 'so', 'rt', 'bei', 'beim']),
}

const STEM_CACHE_MAX = 50_000
const stemCache: Record<ModelLang, Map<string, string>> = { en: new Map(), de: new Map() }

/** Stems one lower-case word with natural's Porter stemmer for the language; results are cached. */
export function stem(word: string, lang: ModelLang): string {
  const cache = stemCache[lang]
  let s = cache.get(word)
  if (s === undefined) {
    if (word.charCodeAt(0) === 95 /* _ */) s = word
    else if (lang === 'de') s = porterDe.stem(word).toLowerCase()
    else s = porterEn.stem(word)
    if (cache.size >= STEM_CACHE_MAX) cache.clear()
    cache.set(word, s)
  }
  return s
}

export function isNegator(word: string, lang: ModelLang): boolean {
  return lang === 'de' ? DE_POST_NEGATORS.has(word) || DE_PRE_NEGATORS.has(word) : EN_NEGATORS.has(word)
}

/**
 * Words (from splitWords) → model features: stop words dropped, stems, negated words prefixed
 * with "not_" ("not working" → "not", "not_work"; "funktioniert nicht" → "not_funktioniert", "nicht").
 * Numbers other than status codes become "_num". With `bigrams`, adjacent features are joined by "|".
 */
export function toFeatures(words: readonly string[], lang: ModelLang, bigrams = true): string[] {
  const stop = STOP[lang]
  const out: string[] = []
  let negLeft = 0
  let prevIndex = -1 // index in `out` of the last content feature, for German post-negation
  const de = lang === 'de'
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    if (BOUNDARY.has(w)) {
      negLeft = 0
      prevIndex = -1
      if (w.charCodeAt(0) === 95 && !SILENT.has(w)) out.push(w)
      continue
    }
    if (de ? DE_POST_NEGATORS.has(w) || DE_PRE_NEGATORS.has(w) : EN_NEGATORS.has(w)) {
      if (de && DE_POST_NEGATORS.has(w) && prevIndex >= 0 && !out[prevIndex]!.startsWith('not_')) {
        out[prevIndex] = 'not_' + out[prevIndex]
      }
      out.push(de ? 'nicht' : 'not')
      negLeft = NEG_SCOPE
      prevIndex = -1
      continue
    }
    if (stop.has(w)) continue
    let f: string
    const c = w.charCodeAt(0)
    if (c >= 48 && c <= 57 && !KEEP_NUMBERS.has(w)) f = '_num'
    else f = stem(w, lang)
    if (negLeft > 0) {
      f = 'not_' + f
      negLeft--
    }
    prevIndex = f.charCodeAt(0) === 95 ? -1 : out.length
    out.push(f)
  }
  if (bigrams) {
    const n = out.length
    for (let i = 0; i + 1 < n; i++) out.push(out[i] + '|' + out[i + 1])
  }
  return out
}
