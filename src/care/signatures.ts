// Who answered: the agent's signature in a brand reply ("^JK", "-Anna", "VG Tom", "Ihr Team (MK)").
import { valenceOf } from '../classify/lexicon.js'
import { UsageError } from '../models/errors.js'

/** A user pattern from the config (config/schema.ts signatureSchema): regex source with exactly one capturing group for the agent. */
export interface SignaturePattern {
  pattern: string
  flags?: string | undefined
}

export interface SignatureParser {
  /** Compiled user patterns, tried before the built-in ones. */
  readonly user: readonly RegExp[]
}

// Signatures stand at the very end, but links, "2/2" counters and emoji often follow them
// ("^AJ https://t.co/…", "- Nick 3/3"); they are cut off first, repeatedly.
const TRAILING_NOISE = /(?:\s+\.*|\(?\d{1,2}\/\d{1,2}\)?|\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F|\u200D)+$/u
// A text cut off mid-word ("… Bundes…", "Leuchterstr...."): its last word is no signature, unless
// a "^" or "*" marks it ("*TLT... 1/2").
const TRUNCATED = /(?:\.{2,}|…)$/u
const MARKED_BEFORE_ELLIPSIS = /(?:^|[^\p{L}])[\^*]\p{L}+(?:\.{2,}|…)$/u
const URL = /https?:\/\/\S+/gu
const LEADING_NOISE = /^(?:\s+|@\w+|\(?\d{1,2}\/\d{1,2}\)?)+/u

// What an agent may sign with after a sigil or a sign-off: initials (JK, S.D.) or a capitalised name
// (Anna, KellenF, Anna-Lena, Anna K.).
const INITIALS = String.raw`\p{Lu}{1,4}|(?:\p{Lu}\.){1,3}\p{Lu}?`
const NAME = String.raw`\p{Lu}\p{Ll}+(?:\p{Lu}\p{Ll}*)*(?:-\p{Lu}\p{Ll}+)?(?: \p{Lu}\.?)?`
const AGENT = `(?:${NAME}|${INITIALS})`

// "^" is the strongest convention: any letters, lower case too ("^cr", "^TOwo"), even right after a
// "?" or an emoji; never "^^" or "^_^", which start with no letter.
const CARET = new RegExp(String.raw`(?:^|[^\p{L}^])\^(\p{L}[\p{L}.]{0,19})$`, 'u')
// "*", "~" and "=" need a capital: "*sigh" and "*their" (a typo fix) are not agents, "*so*" does not
// end in a letter; "=" takes two letters at least, "=D" and "=P" are faces.
const STAR = new RegExp(String.raw`(?:^|[^\p{L}\p{N}*=])(?:\*|~ ?|= ?(?=\p{L}{2}))(${AGENT})\.?$`, 'u')
// "/" only after a space and glued to the agent: "and/or", "w/Tom", "Wilmington / Newark" and the
// ends of links are not signatures.
const SLASH = new RegExp(String.raw`(?:^|\s)/(${AGENT})\.?$`, 'u')
// A dash, as "-Anna", "- Sam", "-- Mat", "–MK"; what stands before it is checked in code.
const DASH = new RegExp(String.raw`(?:-{1,2}|[–—]) ?(${AGENT})\.?$`, 'u')
// A name or initials after a sign-off ("Gruß, Anna", "VG Tom", "Thanks - Callum", "Ihr Team (MK)").
const AFTER_SIGNOFF = new RegExp(String.raw`^([\s\S]*?)[\s,.!:;\-–—(]+(${AGENT})\)?\.?$`, 'u')
// A lone name as the last sentence, after a full stop, a line break or a smiley ("… for you. Marc",
// ":) Rach"), not after an ordinal or a date ("bis zum 20. September").
const LONE_NAME = new RegExp(String.raw`(?:(?<!(?:^|\D)\d{1,2})[.!?。！？…]|\n|(?:^|\s)[:;=8][-']?[()DPp])\s*(${NAME})\.?$`, 'u')
// Lone initials after a sentence, an emoji or other symbol, or CJK text ("…。ET", "…much?EE", "🙏 YM", "(*´︶`*) TY");
// never glued to a sigil or word ("#KFC", "@CNN", "TPA-DFW-LAX", "8am - 6pm ET").
const CJK = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}`
const LONE_INITIALS = new RegExp(String.raw`(?:^|[.!…]\s|[?。！？)）${CJK}\p{So}]|\p{Extended_Pictographic})\s*(\p{Lu}{2,3})$`, 'u')
const CJK_END = new RegExp(String.raw`[${CJK}][^\p{L}]*$`, 'u')

const SIGNOFFS = [
  // en
  'thanks', 'thank you', 'many thanks', 'thx', 'cheers', 'regards', 'kind regards', 'best regards', 'warm regards',
  'warmest regards', 'rgds', 'best', 'all the best', 'best wishes', 'take care', 'sincerely', 'yours',
  // de
  'gruß', 'gruss', 'grüße', 'grüsse', 'viele grüße', 'viele grüsse', 'liebe grüße', 'liebe grüsse', 'beste grüße',
  'freundliche grüße', 'mit freundlichen grüßen', 'mit freundlichen grüssen', 'herzliche grüße', 'schöne grüße',
  'sonnige grüße', 'grüßle', 'vg', 'lg', 'bg', 'mfg', 'danke', 'vielen dank', 'besten dank', 'danke schön', 'dankeschön',
]
const SIGNOFF_RE = new RegExp(
  String.raw`(?:^|[^\p{L}])(?:${SIGNOFFS.join('|')})` +
    // an optional team in between: "Viele Grüße, Ihr Team (MK)", "LG, dein DB-Team / Anna"
    String.raw`(?:[\s,.!:;\-–—]+(?:(?:ihr|ihre|dein|deine|euer|eure|your|the)\s+)?(?:[\p{L}\p{N}&.]+[\s-])?team)?[\s,.!:;\-–—/]*$`,
  'iu',
)
// A dash glued to the word before it is a compound ("Coca-Cola", "Wi-Fi", "T-Mobile") unless that
// word is a sign-off ("Thanks-Anwar").
const SIGNOFF_BEFORE_DASH = new RegExp(String.raw`(?:^|[^\p{L}])(?:${SIGNOFFS.join('|')})$`, 'iu')

// Capitalised words that end replies on their own or after a sign-off but name nobody ("- Thanks",
// "… for you. Cheers"). Not checked after "^", whose convention is unambiguous.
const NOT_AGENTS = new Set([
  ...SIGNOFFS,
  'thank', 'sorry', 'apologies', 'welcome', 'enjoy', 'congrats', 'congratulations', 'hi', 'hello', 'hey', 'bye', 'goodbye',
  'yes', 'no', 'yep', 'yup', 'nope', 'ok', 'okay', 'sure', 'done', 'great', 'awesome', 'cool', 'perfect', 'brilliant',
  'lovely', 'excellent', 'amazing', 'wow', 'yay', 'absolutely', 'definitely', 'indeed', 'agreed', 'noted', 'understood',
  'again', 'always', 'anytime', 'soon', 'later', 'tomorrow', 'today', 'tonight', 'monday', 'tuesday', 'wednesday',
  'thursday', 'friday', 'saturday', 'sunday', 'happy', 'hope', 'please', 'team', 'support', 'help', 'care', 'service',
  'everyone', 'all', 'there', 'here', 'you', 'stay', 'safe', 'cya', 'bitte', 'gerne', 'gern', 'tschüss', 'ciao',
  'hallo', 'moin', 'servus', 'ja', 'nein', 'genau', 'super', 'toll', 'prima', 'klasse', 'prost', 'bis', 'gracias',
  'merci', 'dm', 'pm', 'us', 'uk', 'eu', 'usa', 'id', 'faq', 'fyi', 'asap', 'lol', 'xd', 'omg', 'btw', 'tv', 'pc', 'ps',
  'atm', 'pin', 'tbc', 'tba', 'est', 'pst', 'cet', 'cest', 'gmt', 'utc', 'bst', 'mez', 'am', 'a', 'i', 'o', 'x', 'ty',
  'gg', 'xx', 'xxx', 'xo', 'smh', 'wtf', 'sos', 'pls', 'plz', 'tks', 'thks', 'tnx', 'ta', 'ugh', 'heh', 'haha', 'hehe',
  'oy', 'oops', 'hmm', 'sigh', 'meh', 'phew', 'sheesh', 'cmon', 'srsly', 'ever', 'time', 'really', 'seriously', 'now',
  'why', 'not', 'the', 'and', 'if', 'they', 'we', 'it', 'this', 'that', 'so', 'but', 'or', 'watch', 'peace', 'fail',
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'januar', 'februar', 'märz', 'juni', 'juli', 'oktober', 'dezember', 'montag', 'dienstag', 'mittwoch', 'donnerstag',
  'freitag', 'samstag', 'sonntag', 'und', 'die', 'der', 'das', 'diese', 'dieser', 'dies', 'bei', 'über', 'nun', 'mit',
  'von', 'für', 'auf', 'aus', 'wie', 'was', 'wer', 'wo', 'noch', 'auch', 'aber', 'oder', 'wenn', 'weil', 'denn', 'doch',
  'mal', 'heute', 'gestern', 'morgen', 'schade', 'geil', 'geilo', 'läuft', 'krass', 'mist', 'peinlich', 'unglaublich',
  'unfassbar', 'traurig', 'uff', 'ach', 'huch', 'entschuldigung', 'willkommen', 'bravo',
])

/** "^cr" → "CR", "S.D." → "SD", "Anna K." → "Anna K", "Becky" stays. */
function normalizeAgent(raw: string): string {
  const a = raw.replace(/[.\s]+$/u, '').trim()
  const letters = a.replace(/\./g, '')
  if (/^\p{L}{1,4}$/u.test(letters) && (letters === letters.toUpperCase() || letters === letters.toLowerCase())) return letters.toUpperCase()
  return a
}

/**
 * Whether a candidate can be an agent. After a sigil, capitals are initials even where they spell
 * an abbreviation ("-BG", "*VG"); without one (`strict`), "DM" or "TBC" are no signature.
 */
function isAgent(candidate: string, strict: boolean): boolean {
  const bare = candidate.replace(/\./g, '')
  if (/^\p{Lu}+$/u.test(bare)) return !strict || !NOT_AGENTS.has(bare.toLowerCase())
  const lower = bare.toLowerCase()
  // "Ahhhhh", "Nooooo": no name has a letter three times in a row.
  if (/(\p{L})\1\1/u.test(lower)) return false
  // Without a sigil, a sentiment word is an exclamation ("Unacceptable.", "Kudos.", "Awful."), not a name.
  return !NOT_AGENTS.has(lower) && (!strict || valenceOf(lower, 'en') === 0)
}

// A reply addresses its customer by name ("Hi Anna, … Thanks, Anna."); a name already used before
// the signature is the customer's.
function namedIn(before: string, agent: string): boolean {
  const first = agent.split(/[\s.]/)[0]!
  if (first.length < 2) return false
  return new RegExp(`(?<!\\p{L})${first}(?!\\p{L})`, 'u').test(before)
}

/** "-Anna", "- Sam", "Thanks-Anwar", but not "Coca-Cola", "Mon-Fri", ":-D" or the "-2" of a date. */
function dashSignature(t: string): string | null {
  const m = DASH.exec(t)
  if (!m) return null
  let agent = m[1]!
  let before = t.slice(0, m.index)
  // The hyphenated-name branch of NAME swallows a sign-off glued before the name ("-Thanks-Anwar").
  const hyphen = agent.indexOf('-')
  if (hyphen !== -1 && !isAgent(agent.slice(0, hyphen), false)) {
    before += t.slice(m.index, m.index + m[0].indexOf(agent) + hyphen)
    agent = agent.slice(hyphen + 1)
  }
  if (!isAgent(agent, false)) return null
  const prev = before.at(-1)
  if (prev === undefined) return agent
  if (/[:;=]/.test(prev)) return null
  if (!/[\p{L}\p{N}]/u.test(prev) || SIGNOFF_BEFORE_DASH.test(before)) return agent
  // Glued to a lower-case word, a capitalised name is still a signature ("like it-Tabby"); after a
  // capitalised word it is a compound ("Coca-Cola", "Mon-Fri", "T-Mobile", "DB-Navigator").
  return /(?:^|[^\p{L}])\p{Ll}{2,}$/u.test(before) && /^\p{Lu}\p{Ll}/u.test(agent) ? agent : null
}

function builtinSignature(t: string): string | null {
  if (TRUNCATED.test(t)) {
    if (!MARKED_BEFORE_ELLIPSIS.test(t)) return null
    t = t.replace(TRUNCATED, '')
  }
  let m = CARET.exec(t)
  if (m) return m[1]!
  m = STAR.exec(t) ?? SLASH.exec(t)
  if (m && isAgent(m[1]!, false)) return m[1]!
  const dashed = dashSignature(t)
  if (dashed !== null) return dashed
  m = AFTER_SIGNOFF.exec(t)
  if (m && SIGNOFF_RE.test(m[1]!) && isAgent(m[2]!, true) && !namedIn(m[1]!, m[2]!)) return m[2]!
  m = LONE_NAME.exec(t)
  if (m && isAgent(m[1]!, true) && !namedIn(t.slice(0, m.index), m[1]!)) return m[1]!
  m = LONE_INITIALS.exec(t)
  // After Japanese or Chinese text, capitals are not English abbreviations: "TY" is an agent there.
  if (m && isAgent(m[1]!, !CJK_END.test(t.slice(0, m.index + m[0].length - m[1]!.length)))) return m[1]!
  return startSignature(t)
}

const START_LEAD = /^(?:(?:hi|hello|hey|hallo|moin|servus)(?: there)?[\s,!.]+)?(?:this is|hier ist|hier spricht|hier schreibt) /iu
const START_NAME = new RegExp(String.raw`^(${NAME})(?=[\s,.!:;]|$)`, 'u')
const NAME_HERE = new RegExp(String.raw`^(${NAME}) (?:here|hier)(?=[\s,.!:;\-–—]|$)`, 'u')

/** "Hi, this is Anna from …", "Hier ist Tom vom Service", "Anna here: …" at the very start. */
function startSignature(t: string): string | null {
  const lead = START_LEAD.exec(t)
  const m = lead ? START_NAME.exec(t.slice(lead[0].length)) : NAME_HERE.exec(t)
  return m && isAgent(m[1]!, true) ? m[1]! : null
}

/** Compiles and checks the user patterns; an unusable one is a UsageError naming its index and source. */
export function createSignatureParser(patterns: readonly SignaturePattern[] = []): SignatureParser {
  const user = patterns.map((p, i) => {
    const flags = p.flags ?? ''
    const where = `[${i}] /${p.pattern}/${flags}`
    if (/[gy]/.test(flags)) throw new UsageError(`${where}: flags g and y make a pattern stateful; leave them out`)
    let re: RegExp
    try {
      re = new RegExp(p.pattern, flags)
    } catch (e) {
      throw new UsageError(`${where}: not a valid regular expression (${(e as Error).message})`)
    }
    // Appending an empty alternative makes any pattern match "", which reveals its group count.
    const groups = new RegExp(`${p.pattern}|`, flags).exec('')!.length - 1
    if (groups !== 1) {
      throw new UsageError(`${where}: needs exactly one capturing group for the agent, has ${groups}; use (?:…) for the others`)
    }
    if (re.test('')) throw new UsageError(`${where}: matches the empty string, so it would find an agent in every reply`)
    return re
  })
  return { user }
}

/**
 * The signing agent of a brand reply, normalised ("^jk" → "JK", "- Anna." → "Anna"), or null.
 * Only the end of the reply (after cutting trailing links, counters and emoji) and its very start
 * are looked at. User patterns run on that same cleaned text, before the built-in ones.
 */
export function parseSignature(parser: SignatureParser, text: string): string | null {
  const t = text.replace(URL, ' ').replace(TRAILING_NOISE, '').replace(LEADING_NOISE, '')
  if (t === '') return null
  for (const re of parser.user) {
    const found = re.exec(t)?.[1]?.trim()
    if (found) return normalizeAgent(found.replace(/^[\^*~/\-–—(\s]+|[)\s]+$/gu, ''))
  }
  const found = builtinSignature(t)
  return found === null ? null : normalizeAgent(found)
}
