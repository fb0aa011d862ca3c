import { franc } from 'franc-min'

import { scanWords } from './scan.js'
import type { ModelLang } from '../models/tagger.js'

// Language decides which model and lexicon tag a post (en, de; any other language gets both
// lexicons). franc costs ~70 µs a post, as much as the whole rest of the tagger, so a cheap vote
// on frequent words decides first, and franc runs only where that vote is unsure or the post
// shows signs of a third language (its words or letters), where franc's answer can change the
// result. Measured on the dev corpora and TWCS by `npm run bench -- lang`.

// Frequent words of one language that are rare in the other. Words both languages use ("was",
// "so", "man", "will", "die", "in") are left out: they would only blur the vote.
const EN_WORDS = [
  'the', 'is', 'are', 'and', 'you', 'your', 'my', 'i', 'it', 'not', 'with', 'for', 'this', 'that', 'have', 'has',
  'can', 'why', 'what', 'how', 'when', 'of', 'to', 'on', 'at', 'be', 'do', 'does', 'dont', 'just', 'again', 'please',
  'thanks', 'thank', 'still', 'no', 'me', 'we', 'our', 'they', 'from', 'im', 'its', 'been', 'get', 'got', 'would',
  'could', 'should', 'there', 'their', 'them', 'which', 'who', 'a', 'all', 'any', 'about', 'after', 'out', 'up', 'if',
  'but', 'or', 'one', 'now', 'today', 'never', 'ever', 'time', 'service', 'flight', 'customer', 'help', 'great', 'good',
  'love', 'like', 'know', 'did', 'were', 'had', 'been', 'cant', 'didnt', 'wont', 'isnt', 'doesnt', 'hours', 'day',
  'back', 'way', 'new', 'here', 'more', 'some', 'than', 'u', 'ur', 'yes', 'really', 'much', 'very', 'need', 'want',
  'going', 'call', 'phone', 'delayed', 'cancelled', 'bag', 'by', 'us', 'he', 'she', 'his', 'her', 'only',
  'too', 'well', 'because', 'where', 'over', 'into', 'off', 'thx', 'pls', 'plz', 'lol', 'sucks', 'worst', 'best',
  'hi', 'hey', 'sorry', 'let', 'us', 'look', 'send', 'dm', 'number', 'account', 'order', 'still', 'issue', 'problem',
]
const DE_WORDS = [
  'der', 'das', 'und', 'ist', 'nicht', 'ich', 'mit', 'ein', 'eine', 'auf', 'sie', 'wir', 'ihr', 'euch', 'mein',
  'meine', 'kein', 'keine', 'schon', 'noch', 'wieder', 'warum', 'wie', 'wann', 'geht', 'seit', 'auch', 'aber',
  'bei', 'für', 'von', 'zu', 'im', 'den', 'dem', 'des', 'hat', 'habe', 'sind', 'danke', 'bitte', 'heute',
  'mal', 'jetzt', 'gibt', 'wird', 'wurde', 'nach', 'oder', 'mir', 'mich', 'es', 'einfach', 'sich', 'dass', 'ob',
  'wenn', 'wer', 'hier', 'dann', 'nur', 'mehr', 'sehr', 'doch', 'immer', 'zum', 'zur', 'vom', 'beim', 'einen',
  'einem', 'einer', 'uns', 'unser', 'kann', 'können', 'muss', 'soll', 'gegen', 'über', 'unter', 'durch', 'wo',
  'nichts', 'ja', 'nein', 'gut', 'schön', 'leider', 'endlich', 'zug', 'bahn', 'fahrt', 'uhr', 'morgen', 'gestern',
  'schnell', 'weil', 'haben', 'werden', 'ihre', 'ihren', 'seine', 'diese', 'dieser', 'dieses', 'viel', 'viele',
  'gleich', 'nie', 'gar', 'eigentlich', 'natürlich', 'weiß', 'ne', 'nen', 'gehts', 'gibts', 'ist', 'hatte', 'waren',
]
// Function words of the other languages franc is asked about (fr, es, it, nl, pt, pl, tr, sv)
// that English and German posts hardly use. Airport codes (LAS, DEL), "la", "el", "com" and
// words German shares ("er", "nie", "die") are left out on purpose.
const OTHER_WORDS = [
  'les', 'et', 'je', 'pas', 'une', 'avec', 'dans', 'mais', 'très', 'vous', 'nous', 'suis', 'qui', 'elle', 'cette',
  'sont', 'jai', 'cest', 'ça', 'los', 'que', 'por', 'una', 'para', 'muy', 'pero', 'está', 'gracias', 'hola', 'tengo',
  'porque', 'también', 'che', 'sono', 'della', 'grazie', 'anche', 'questo', 'perché', 'molto', 'het', 'een', 'niet',
  'ik', 'zijn', 'voor', 'naar', 'maar', 'ook', 'mijn', 'jullie', 'geen', 'heb', 'jest', 'się', 'że', 'czy', 'już',
  'tylko', 'dla', 'bir', 'bu', 'için', 'ile', 'çok', 'değil', 'yok', 'não', 'uma', 'obrigado', 'você', 'och',
  'att', 'är', 'inte', 'jag', 'på', 'votre', 'notre', 'avez', 'beaucoup', 'bonjour', 'estoy', 'buongiorno',
  'bedankt', 'dziękuję', 'merhaba', 'teşekkürler', 'obrigada',
]
const EN = 1
const DE = 2
const OTHER = 4
const WORD_CLASS = new Map<string, number>()
for (const [list, k] of [[EN_WORDS, EN], [DE_WORDS, DE], [OTHER_WORDS, OTHER]] as const) {
  for (const w of list) WORD_CLASS.set(w, (WORD_CLASS.get(w) ?? 0) | k)
}
for (const [w, k] of WORD_CLASS) if (k === (EN | DE)) WORD_CLASS.delete(w)

const FRANC_TO_ISO1: Record<string, string> = {
  eng: 'en', deu: 'de', fra: 'fr', spa: 'es', ita: 'it', nld: 'nl', por: 'pt', pol: 'pl', tur: 'tr', swe: 'sv',
}
const FRANC_ONLY = Object.keys(FRANC_TO_ISO1)
/** franc needs this many characters of words to say anything (it answers "und" below). */
const FRANC_MIN_CHARS = 25
const SHORT_WORDS = 6

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
 * The cheap vote alone: 'en' or 'de' when the frequent words (and ä/ö/ü/ß for German) are clear
 * and nothing points to a third language; null when the post has no evidence at all and is too
 * short for franc; undefined when unsure (franc decides). Pure; words as from scanWords.
 */
export function detectLangQuick(words: readonly string[]): 'en' | 'de' | null | undefined {
  let en = 0
  let de = 0
  let other = 0
  let chars = 0
  let content = 0
  for (const w of words) {
    const c0 = w.charCodeAt(0)
    // Markers (_url, _user, _q) and punctuation carry no language.
    if (c0 === 95 || w.length === 1 && c0 < 97) continue
    chars += w.length + 1
    content++
    const k = WORD_CLASS.get(w)
    if (k !== undefined) {
      if (k & EN) en++
      if (k & DE) de++
      if (k & OTHER) other++
      continue
    }
    for (let i = 0; i < w.length; i++) {
      const c = w.charCodeAt(i)
      if (c < 128) continue
      // ä ö ü ß lean German; any other letter beyond ASCII (é, ñ, ł, ş, å, Cyrillic …) points elsewhere.
      if (c === 0xe4 || c === 0xf6 || c === 0xfc || c === 0xdf) de++
      else if (c >= 0xc0) other++
      break
    }
  }
  if (other === 0) {
    // One frequent word decides a short post only: "hier" is German, but French and Dutch too.
    const enough = content <= SHORT_WORDS ? 1 : 2
    if (en >= enough && de === 0) return 'en'
    if (de >= enough && en === 0) return 'de'
    if (en >= 2 && en >= 3 * de) return 'en'
    if (de >= 2 && de >= 3 * en) return 'de'
    if (en === 0 && de === 0 && chars < FRANC_MIN_CHARS) return null
  } else if (en >= 4 && en >= 4 * (de + other)) {
    return 'en'
  } else if (de >= 4 && de >= 4 * (en + other)) {
    return 'de'
  }
  return undefined
}

/**
 * franc over the post's words (handles and URLs left out: "@JetBlue" or a t.co link would only
 * add noise trigrams), restricted to ten common languages. null when franc cannot tell.
 */
export function detectLangFull(text: string, words: readonly string[] = scanWords(text)): string | null {
  let joined = ''
  for (const w of words) if (w.charCodeAt(0) !== 95) joined += joined ? ` ${w}` : w
  if (joined.length < FRANC_MIN_CHARS) return null
  return FRANC_TO_ISO1[franc(joined, { only: FRANC_ONLY, minLength: 10 })] ?? null
}

/**
 * English or German when the post's frequent words say so clearly (two or more, three to one),
 * else null: the evidence strong enough to drop a post for its language. franc's guesses on short
 * posts are not (German headlines come out as Dutch, "Great coffee." as French).
 */
export function clearLang(words: readonly string[]): 'en' | 'de' | null {
  let en = 0
  let de = 0
  for (const w of words) {
    // One letter is no evidence: "u" is texting English, but also Reddit's "u/name".
    if (w.length < 2) continue
    const k = WORD_CLASS.get(w)
    if (k !== undefined) {
      if (k & EN) en++
      if (k & DE) de++
    } else if (/[äöüß]/.test(w)) de++
  }
  if (en >= 2 && en >= 3 * de) return 'en'
  if (de >= 2 && de >= 3 * en) return 'de'
  return null
}

/**
 * Language of a post: the platform's own field when present, otherwise the cheap vote
 * (detectLangQuick), and franc only where that is unsure. Returns null when nothing is decisive.
 */
export function detectLang(words: readonly string[], text: string, hint?: string | null): string | null {
  const fromHint = normalizeLangTag(hint)
  if (fromHint) return fromHint
  const quick = detectLangQuick(words)
  if (quick !== undefined) return quick
  const full = detectLangFull(text, words)
  if (full) return full
  let en = 0
  let de = 0
  for (const w of words) {
    const k = WORD_CLASS.get(w)
    if (k === EN) en++
    else if (k === DE) de++
  }
  return en > de ? 'en' : de > en ? 'de' : null
}

/** The model and lexicon used for a language: its own for en/de, English for everything else. */
export function modelLangFor(lang: string | null): ModelLang {
  return lang === 'de' ? 'de' : 'en'
}
