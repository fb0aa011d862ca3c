import { franc } from 'franc-min'
import type { ModelLang } from '../models/tagger.js'

// Cheap first pass: frequent function words that are rare in the other language. franc costs
// ~50 µs per call and returns "und" below 10 characters, so it only runs when this vote is unclear.
const EN_WORDS = new Set([
  'the', 'is', 'are', 'and', 'you', 'your', 'my', 'i', 'it', 'not', 'with', 'for', 'this', 'that', 'have',
  'has', 'was', 'can', 'why', 'what', 'how', 'when', 'of', 'to', 'on', 'at', 'be', 'do', 'does', 'dont',
  'just', 'again', 'please', 'thanks', 'thank', 'still', 'no', 'me', 'we', 'our', 'they', 'will', 'from',
])
const DE_WORDS = new Set([
  'der', 'die', 'das', 'und', 'ist', 'nicht', 'ich', 'mit', 'ein', 'eine', 'auf', 'sie', 'wir', 'ihr', 'euch',
  'mein', 'meine', 'kein', 'keine', 'schon', 'noch', 'wieder', 'warum', 'wie', 'was', 'wann', 'geht', 'seit',
  'auch', 'aber', 'bei', 'für', 'von', 'zu', 'im', 'den', 'dem', 'des', 'hat', 'habe', 'bin', 'sind', 'danke',
  'bitte', 'heute', 'mal', 'jetzt', 'gibt', 'wird', 'wurde', 'nach', 'oder', 'mir', 'mich', 'es', 'man', 'einfach',
])
const FRANC_TO_ISO1: Record<string, string> = {
  eng: 'en', deu: 'de', fra: 'fr', spa: 'es', ita: 'it', nld: 'nl', por: 'pt', pol: 'pl', tur: 'tr', swe: 'sv',
}
const FRANC_ONLY = Object.keys(FRANC_TO_ISO1)

/** "de-AT", "DE", "ger" → "de"; empty → null. Platform fields use BCP 47 or ISO 639. */
export function normalizeLangTag(tag: string | null | undefined): string | null {
  if (!tag) return null
  const base = tag.trim().toLowerCase().split(/[-_]/)[0] ?? ''
  if (base === '' || base === 'und' || base === 'zxx') return null
  if (base === 'ger' || base === 'deu') return 'de'
  if (base === 'eng') return 'en'
  return base
}

/**
 * English or German when the post's function words say so clearly (two or more, three to one),
 * else null: the evidence strong enough to drop a post for its language. franc's guesses on short
 * posts are not (German headlines come out as Dutch, "Great coffee." as French).
 */
export function clearLang(words: readonly string[]): 'en' | 'de' | null {
  let en = 0
  let de = 0
  for (const w of words) {
    if (EN_WORDS.has(w)) en++
    if (DE_WORDS.has(w)) de++
  }
  if (en >= 2 && en >= 3 * de) return 'en'
  if (de >= 2 && de >= 3 * en) return 'de'
  return null
}

/**
 * Language of a post: the platform's own field when present, otherwise a stop-word vote on the
 * words, and franc (restricted to ten common languages) only when the vote is unclear and the text
 * is long enough for trigrams. Returns null when nothing is decisive (very short texts).
 */
export function detectLang(words: readonly string[], text: string, hint?: string | null): string | null {
  const fromHint = normalizeLangTag(hint)
  if (fromHint) return fromHint
  let en = 0
  let de = 0
  for (const w of words) {
    if (EN_WORDS.has(w)) en++
    if (DE_WORDS.has(w)) de++
  }
  if (en >= 2 && en >= 3 * de) return 'en'
  if (de >= 2 && de >= 3 * en) return 'de'
  if (text.length >= 25) {
    const code = franc(text, { only: FRANC_ONLY, minLength: 10 })
    const iso = FRANC_TO_ISO1[code]
    if (iso) return iso
  }
  if (en > de) return 'en'
  if (de > en) return 'de'
  return null
}

/** The model and lexicon used for a language: its own for en/de, English for everything else. */
export function modelLangFor(lang: string | null): ModelLang {
  return lang === 'de' ? 'de' : 'en'
}
