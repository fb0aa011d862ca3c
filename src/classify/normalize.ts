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
  t = t.replace(/(\p{L})\1{2,}/gu, '$1$1')
  // Punctuation that carries intent becomes markers; "?!" and "??" mark an exasperated question.
  t = t.replace(/[?!]{2,}|\?|!/g, (m) => {
    if (m.length === 1) return m === '?' ? ' _q ' : ' _ex '
    return m.includes('?') ? ' _q _qq ' : ' _ex _exx '
  })
  return t
}
