// Text → tokeniser-ready text. Pure. Markers the tokenizer keeps verbatim start with "_":
//   _url _user _emopos _emoneg _emoq _q (question mark) _qq (?? or ?!) _ex (!) _exx (!!)
// Markers are lower case so the whole string can be lower-cased once.

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', hellip: '…', mdash: '—', ndash: '–',
  rsquo: "'", lsquo: "'", rdquo: '"', ldquo: '"', bdquo: '"', laquo: '"', raquo: '"', euro: '€',
  auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß', eacute: 'é',
}

/** Decodes the HTML entities Mastodon, RSS and X deliver (named, decimal and hex). */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10)
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return NAMED_ENTITIES[body] ?? whole
  })
}

/** Removes markup; block elements and <br> become spaces so words do not glue together. */
export function stripMarkup(text: string): string {
  if (!text.includes('<')) return text
  return text
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<\/?(p|br|div|li|ul|ol|h\d|blockquote|tr|td)\b[^>]*>/gi, ' ')
    .replace(/<[a-z/!][^>]*>/gi, '')
}

const POS = ' _emopos '
const NEG = ' _emoneg '

// Emoji that carry a clear sentiment in customer posts (keyed by first code point); the rest are dropped.
export const EMOJI_MARKERS: ReadonlyMap<number, string> = new Map(
  [
    ...[...'😀😃😄😁😊☺🙂😍🥰😘😻💖💕💗💓💞💯👍👏🙌🎉🥳✨🌟⭐🤩😎🙏💪👌🤗❤💙💚💛🧡💜🤍🖤😇😌🎊🏆'].map((e) => [e.codePointAt(0)!, '_emopos'] as const),
    ...[...'😠😡🤬😤😒🙄😞😔😟😕🙁☹😣😖😫😩😢😭😰😱😨🤮🤢💩👎😑😐😬🤦💀🔥🐌⏳⌛🥵🥶😪😓🙃'].map((e) => [e.codePointAt(0)!, '_emoneg'] as const),
    ...[...'🤔❓❔🧐'].map((e) => [e.codePointAt(0)!, '_emoq'] as const),
  ],
)
// 🔥 is ambiguous ("lit" vs "on fire"); in care posts it is mostly used for anger, so it stays negative.
// 🙃 is the sarcasm face.

const EMOTICONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/(^|\s)(?:[:;=8xX]-?[)\]}DdpP]+|\^_?\^|<3+)(?=\s|$|[.,!?])/g, `$1${POS}`],
  [/(^|\s)(?:[:;=]'?-?[([{/\\|]+|>:-?\(|D:|<\/3)(?=\s|$|[.,!?])/g, `$1${NEG}`],
]

const URL_RE = /\b(?:https?:\/\/|www\.)\S+/gi
const HANDLE_RE = /(^|[^\w@])@[\w.]{1,30}(?:@[\w.-]+)?/g
const HASHTAG_RE = /#([\p{L}\p{N}_]+)/gu

/** "#NotHappyAtAll" → "Not Happy At All"; "#S21" stays "S21"; all-lower tags stay one word. */
export function splitHashtag(tag: string): string {
  return tag
    .replace(/_/g, ' ')
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
}

function mapEmoji(text: string): string {
  // Surrogate pairs and BMP symbols: look up the first code point of each pictographic cluster.
  return text.replace(/\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}])*/gu, (m) => {
    const marker = EMOJI_MARKERS.get(m.codePointAt(0)!)
    return marker === undefined ? ' ' : ` ${marker} `
  })
}

const NON_ASCII_OR_MARKUP = /[^\x20-\x7e]|[<&#@:;=^(]/

/**
 * The longest word, marker or hashtag part the tagger keeps; longer ones are cut. A post of one
 * 5 MB "word" must still tag, and no real word is this long ("Donaudampfschifffahrtsgesellschaft" is 34).
 */
export const MAX_WORD = 64

const LETTER = /\p{L}/u

/**
 * Three or more of the same letter become two ("sooo" → "soo"), as /(\p{L})\1{2,}/gu would do
 * without its backtracking, which overflows the stack on a run of millions of letters.
 */
export function squeezeRepeats(s: string): string {
  let out = ''
  let copied = 0
  let prev = -1
  let run = 0
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!
    const size = cp > 0xffff ? 2 : 1
    if (cp !== prev) {
      prev = cp
      run = 1
    } else if (++run === 3 && !LETTER.test(String.fromCodePoint(cp))) {
      run = -Infinity // a repeated non-letter: never squeezed
    } else if (run >= 3) {
      out += s.slice(copied, i)
      copied = i + size
    }
    i += size
  }
  return copied === 0 ? s : out + s.slice(copied)
}

/**
 * Normalises a post for tokenising: decodes entities, strips markup, replaces URLs and handles by
 * markers, splits hashtags, maps emoji and emoticons to sentiment markers, squeezes repeated
 * letters ("sooo" → "soo") and punctuation ("!!!" → "_exx"), lower-cases.
 */
export function normalizeText(input: string): string {
  let t = input
  if (NON_ASCII_OR_MARKUP.test(t)) {
    t = stripMarkup(decodeEntities(t))
    t = t.replace(URL_RE, ' _url ')
    t = t.replace(HANDLE_RE, '$1 _user ')
    t = t.replace(HASHTAG_RE, (_m, tag: string) => ` ${splitHashtag(tag)} `)
    t = mapEmoji(t)
    for (const [re, rep] of EMOTICONS) t = t.replace(re, rep)
  } else if (t.includes('http') || t.includes('www.')) {
    t = t.replace(URL_RE, ' _url ')
  }
  t = t.toLowerCase()
  // Three or more of the same letter are emphasis: keep two so "sooo" and "soooooo" meet.
  t = squeezeRepeats(t)
  // Punctuation that carries intent becomes markers; "?!" and "??" mark an exasperated question.
  t = t.replace(/[?!]{2,}|\?|!/g, (m) => {
    if (m.length === 1) return m === '?' ? ' _q ' : ' _ex '
    return m.includes('?') ? ' _q _qq ' : ' _ex _exx '
  })
  return t
}
