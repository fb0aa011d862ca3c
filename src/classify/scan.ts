// Single-pass tokenizer for the hot path: raw post → the same words as
// splitWords(normalizeText(text)), without a regex pass per normalisation step. Markup and
// entities (rare on the hot path) still go through the regex helpers first.
import { EMOJI_MARKERS, MAX_WORD, decodeEntities, splitHashtag, squeezeRepeats, stripMarkup } from './normalize.js'

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u
const LETTER = /\p{L}/u
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u
// 0 unknown, 1 letter, 2 digit or other \p{N}, 3 neither; BMP only, filled lazily.
const bmpClass = new Uint8Array(0x10000)
for (let c = 0; c < 128; c++) bmpClass[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) ? 1 : c >= 48 && c <= 57 ? 2 : 3

function charClass(c: number): number {
  let k = bmpClass[c]!
  if (k === 0) {
    const s = String.fromCharCode(c)
    k = LETTER.test(s) ? 1 : LETTER_OR_DIGIT.test(s) ? 2 : 3
    bmpClass[c] = k
  }
  return k
}

const pictoCache = new Map<number, boolean>()
function isPictographic(cp: number): boolean {
  let v = pictoCache.get(cp)
  if (v === undefined) {
    v = PICTOGRAPHIC.test(String.fromCodePoint(cp))
    pictoCache.set(cp, v)
  }
  return v
}

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || c === 160 || c === 0x2028 || c === 0x2029 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x1680 || c === 0xfeff
// ASCII \w as the handle and URL patterns use it.
const isAsciiWord = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95
// . , ; : ( ) - – — "
const isBoundaryPunct = (c: number): boolean => c === 46 || c === 44 || c === 59 || c === 58 || c === 40 || c === 41 || c === 45 || c === 0x2013 || c === 0x2014 || c === 34

// Emoticons need a space (or the start) before and a space, the end, punctuation or an emoji after.
const EMO_POS = /(?:[:;=8xX]-?[)\]}DdpP]+|\^_?\^|<3+)(?=\s|$|[.,!?]|\p{Extended_Pictographic})/uy
const EMO_NEG = /(?:[:;=]'?-?[([{/\\|]+|>:-?\(|D:|<\/3)(?=\s|$|[.,!?]|\p{Extended_Pictographic})/uy
const EMOTICON_START = new Set([58, 59, 61, 56, 120, 88, 94, 60, 62, 68]) // : ; = 8 x X ^ < > D

function matchSticky(re: RegExp, text: string, i: number): number {
  re.lastIndex = i
  return re.test(text) ? re.lastIndex : -1
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

/** Lower-cases a word, squeezes three or more of the same letter to two ("sooo" → "soo") and cuts it to MAX_WORD. */
function finishWord(raw: string): string {
  // Long numbers (order, flight, phone numbers, years) carry no class on their own and would each
  // be a new feature; three digits stay (HTTP 502/503 are outage signals).
  if (raw.length >= 4 && isDigits(raw)) return '_num'
  let w = raw.toLowerCase()
  if (w.length >= 3) {
    for (let i = 2; i < w.length; i++) {
      const c = w.charCodeAt(i)
      if (c === w.charCodeAt(i - 1) && c === w.charCodeAt(i - 2) && charClass(c) === 1) {
        w = squeezeRepeats(w)
        break
      }
    }
  }
  return w.length > MAX_WORD ? w.slice(0, MAX_WORD) : w
}

/** Words of a hashtag body after camel-case splitting. */
function pushHashtag(tag: string, out: string[]): void {
  const parts = splitHashtag(tag)
  let start = -1
  for (let i = 0; i <= parts.length; i++) {
    const c = i < parts.length ? parts.charCodeAt(i) : 32
    const word = c < 0xd800 || c > 0xdfff ? charClass(c) !== 3 : false
    if (word) {
      if (start < 0) start = i
    } else if (start >= 0) {
      out.push(finishWord(parts.slice(start, i)))
      start = -1
    }
  }
}

const classOf = (c: number): number => (c >= 0xd800 && c <= 0xdfff ? 3 : c < 128 ? bmpClass[c]! : charClass(c))

/** "http://", "https://", "www." at a word start → the end of the URL, else -1. */
function urlEnd(text: string, i: number, c: number): number {
  if (!(c === 104 || c === 72 || c === 119 || c === 87) || (i > 0 && isAsciiWord(text.charCodeAt(i - 1)))) return -1
  const n = text.length
  const head = text.slice(i, i + 8).toLowerCase()
  const prefix = head.startsWith('http://') ? 7 : head.startsWith('https://') ? 8 : head.startsWith('www.') ? 4 : 0
  if (prefix === 0 || i + prefix >= n || isSpace(text.charCodeAt(i + prefix))) return -1
  let j = i + prefix
  while (j < n && !isSpace(text.charCodeAt(j))) j++
  return j
}

/** A word: letters and digits, then apostrophe + letters groups ("don't" → "dont"). Returns its end. */
function pushWord(text: string, i: number, out: string[]): number {
  const n = text.length
  let j = i + 1
  while (j < n && classOf(text.charCodeAt(j)) !== 3) j++
  let apos = false
  while (j + 1 < n) {
    const d = text.charCodeAt(j)
    if ((d !== 39 && d !== 0x2019) || classOf(text.charCodeAt(j + 1)) !== 1) break
    apos = true
    j += 2
    while (j < n && classOf(text.charCodeAt(j)) === 1) j++
  }
  let w = text.slice(i, j)
  if (apos) w = w.replace(/['’]/g, '')
  out.push(finishWord(w))
  return j
}

/** ? and !: one is a marker; a run of two or more is exasperation. Returns the run's end. */
function pushMarks(text: string, i: number, c: number, out: string[]): number {
  const n = text.length
  let j = i + 1
  let q = c === 63
  while (j < n && (text.charCodeAt(j) === 63 || text.charCodeAt(j) === 33)) {
    if (text.charCodeAt(j) === 63) q = true
    j++
  }
  if (j - i === 1) out.push(q ? '_q' : '_ex')
  else if (q) out.push('_q', '_qq')
  else out.push('_ex', '_exx')
  return j
}

/** @handle, optionally @handle@instance (Mastodon) → its end, else -1. */
function handleEnd(text: string, i: number): number {
  if (i > 0 && (isAsciiWord(text.charCodeAt(i - 1)) || text.charCodeAt(i - 1) === 64)) return -1
  const n = text.length
  let j = i + 1
  while (j < n && j - i <= 30 && (isAsciiWord(text.charCodeAt(j)) || text.charCodeAt(j) === 46)) j++
  if (j === i + 1) return -1
  if (j < n && text.charCodeAt(j) === 64) {
    let k = j + 1
    while (k < n && (isAsciiWord(text.charCodeAt(k)) || text.charCodeAt(k) === 46 || text.charCodeAt(k) === 45)) k++
    if (k > j + 1) j = k
  }
  return j
}

/** #hashtag (letters, digits, underscores; camel case splits into words) → its end, else -1. */
function pushHashtagAt(text: string, i: number, out: string[]): number {
  const n = text.length
  let j = i + 1
  while (j < n) {
    const d = text.charCodeAt(j)
    if (d === 95 || classOf(d) !== 3) j++
    else break
  }
  if (j === i + 1) return -1
  pushHashtag(text.slice(i + 1, j), out)
  return j
}

/** "_word" keeps its underscore (markers share this shape) → its end, else -1. */
function pushMarkerWord(text: string, i: number, out: string[]): number {
  const n = text.length
  let j = i + 1
  while (j < n && (text.charCodeAt(j) | 32) >= 97 && (text.charCodeAt(j) | 32) <= 122) j++
  if (j === i + 1) return -1
  out.push(text.slice(i, Math.min(j, i + MAX_WORD)).toLowerCase())
  return j
}

/**
 * Raw post → lower-case words, markers (_url _user _emopos _emoneg _emoq _q _qq _ex _exx) and
 * clause boundaries, in one pass. `out` is cleared and reused when given.
 */
export function scanWords(input: string, out: string[] = []): string[] {
  out.length = 0
  let text = input
  if (text.includes('&') || text.includes('<')) text = stripMarkup(decodeEntities(text))
  const n = text.length
  let i = 0
  // True when the previous character counts as whitespace for emoticons (start, space, a replaced URL/handle/emoji).
  let spaceBefore = true
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdfff) {
      // Astral plane: emoji and other pictographs.
      const cp = text.codePointAt(i)!
      spaceBefore = isPictographic(cp)
      i = spaceBefore ? emojiAt(text, i, cp, out) : i + (cp > 0xffff ? 2 : 1)
      continue
    }
    let e: number
    if (spaceBefore && EMOTICON_START.has(c) && (e = emoticonAt(text, i, out)) > 0) {
      i = e
      spaceBefore = false
    } else if (classOf(c) !== 3) {
      e = urlEnd(text, i, c)
      if (e > 0) out.push('_url')
      spaceBefore = e > 0
      i = e > 0 ? e : pushWord(text, i, out)
    } else if (isSpace(c)) {
      i++
      spaceBefore = true
    } else if (c === 63 || c === 33) {
      i = pushMarks(text, i, c, out)
      spaceBefore = false
    } else if (c === 64 && (e = handleEnd(text, i)) > 0) {
      out.push('_user')
      i = e
      spaceBefore = true
    } else if (c === 35 && (e = pushHashtagAt(text, i, out)) > 0) {
      i = e
      spaceBefore = true
    } else if (c === 95 && (e = pushMarkerWord(text, i, out)) > 0) {
      i = e
      spaceBefore = false
    } else if (c >= 0x2000 && isPictographic(c)) {
      i = emojiAt(text, i, c, out)
      spaceBefore = true
    } else {
      if (isBoundaryPunct(c)) out.push(text[i]!)
      i++
      spaceBefore = false
    }
  }
  return out
}

function emoticonAt(text: string, i: number, out: string[]): number {
  let e = matchSticky(EMO_POS, text, i)
  if (e > 0) {
    out.push('_emopos')
    return e
  }
  e = matchSticky(EMO_NEG, text, i)
  if (e > 0) {
    out.push('_emoneg')
    return e
  }
  return -1
}

/** One pictographic cluster (with variation selectors, skin tones and ZWJ parts) → its marker, if any. */
function emojiAt(text: string, i: number, cp: number, out: string[]): number {
  const marker = EMOJI_MARKERS.get(cp)
  if (marker !== undefined) out.push(marker)
  let j = i + (cp > 0xffff ? 2 : 1)
  const n = text.length
  while (j < n) {
    const d = text.codePointAt(j)!
    if (d === 0xfe0f || (d >= 0x1f3fb && d <= 0x1f3ff)) j += d > 0xffff ? 2 : 1
    else if (d === 0x200d && j + 1 < n && isPictographic(text.codePointAt(j + 1)!)) {
      const e = text.codePointAt(j + 1)!
      j += 1 + (e > 0xffff ? 2 : 1)
    } else break
  }
  return j
}
