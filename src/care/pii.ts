// src/care — pure care-desk logic (personal data, help articles, agent signatures); imports classify and below.
// Personal data in public posts (emails, phones, IBANs, cards, order/customer/ticket numbers): find, list kinds, mask.
import cardValidator from 'card-validator'
import { isValidIBAN } from 'ibantools'
import { type CountryCode, isSupportedCountry, type MetadataJson, parsePhoneNumberFromString } from 'libphonenumber-js/core'
import maxMetadata from 'libphonenumber-js/metadata.max'
import { UsageError } from '../models/errors.js'

export const PII_KINDS = ['email', 'phone', 'iban', 'card', 'order', 'customer', 'ticket'] as const
export type PiiKind = (typeof PII_KINDS)[number]
export const REFERENCE_KINDS = ['order', 'customer', 'ticket'] as const
export type ReferenceKind = (typeof REFERENCE_KINDS)[number]

/** One piece of personal data: `text.slice(start, end)` is the value (UTF-16 offsets). */
export interface PiiFinding {
  kind: PiiKind
  start: number
  end: number
}

/** A reference-number pattern from the user's config; capture group 1 is the value. */
export interface ReferencePatternConfig {
  kind: ReferenceKind
  pattern: string
  flags?: string
}

export interface PiiDetectorOptions {
  /** Region for national phone numbers written without +/00, tried first (default 'DE'). */
  region?: string
  /** Further regions tried for national numbers the default region rejects. */
  regions?: readonly string[]
  referencePatterns?: readonly ReferencePatternConfig[]
  /** libphonenumber-js metadata; the default is 'max' (exact number ranges). */
  phoneMetadata?: MetadataJson
}

interface CompiledPattern {
  kind: ReferenceKind
  re: RegExp
}

export interface PiiDetector {
  readonly region: CountryCode
  readonly regions: readonly CountryCode[]
  readonly patterns: readonly CompiledPattern[]
  readonly metadata: MetadataJson
  readonly nanpRegions: readonly CountryCode[]
}

export const DEFAULT_PHONE_REGIONS: readonly CountryCode[] = ['DE', 'AT', 'CH', 'GB', 'US', 'FR', 'NL']
const NANP: ReadonlySet<string> = new Set(['US', 'CA'])
const ALLOWED_FLAGS = /^[imsu]*$/

export function createPiiDetector(options: PiiDetectorOptions = {}): PiiDetector {
  const metadata = options.phoneMetadata ?? maxMetadata
  const region = checkRegion(options.region ?? 'DE', 'region', metadata)
  const regions = [region]
  for (const [i, r] of (options.regions ?? DEFAULT_PHONE_REGIONS).entries()) {
    const code = checkRegion(r, `regions[${i}]`, metadata)
    if (!regions.includes(code)) regions.push(code)
  }
  const patterns = (options.referencePatterns ?? []).map((p, i) => compileReferencePattern(p, i))
  return { region, regions, patterns, metadata, nanpRegions: regions.filter((r) => NANP.has(r)) }
}

function checkRegion(value: unknown, where: string, metadata: MetadataJson): CountryCode {
  if (typeof value !== 'string' || !isSupportedCountry(value.toUpperCase() as CountryCode, metadata)) {
    throw new UsageError(`${where}: ${JSON.stringify(value)} is not a phone region (ISO 3166 code such as "DE")`)
  }
  return value.toUpperCase() as CountryCode
}

function compileReferencePattern(entry: ReferencePatternConfig, i: number): CompiledPattern {
  const name = `[${i}]`
  if (!entry || typeof entry !== 'object') throw new UsageError(`${name}: expected { kind, pattern, flags? }`)
  const { kind, pattern, flags = '' } = entry
  const label = `${name} (${String(kind)} ${JSON.stringify(pattern)})`
  if (!(REFERENCE_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`${name}: unknown kind ${JSON.stringify(kind)}; expected one of ${REFERENCE_KINDS.join(', ')}`)
  }
  if (typeof pattern !== 'string' || pattern === '') throw new UsageError(`${label}: pattern must be a non-empty string`)
  if (typeof flags !== 'string' || !ALLOWED_FLAGS.test(flags)) {
    throw new UsageError(`${label}: flags ${JSON.stringify(flags)} not allowed; use only i, m, s, u`)
  }
  let re: RegExp
  try {
    re = new RegExp(pattern, `${flags}gd`)
  } catch (error) {
    throw new UsageError(`${label}: not a valid regular expression: ${(error as Error).message}`, { cause: error })
  }
  // Appending an empty alternative makes the pattern match '' and so reveals its group count.
  const groups = (new RegExp(`${pattern}|`, flags).exec('')?.length ?? 1) - 1
  if (groups < 1) throw new UsageError(`${label}: needs a capture group around the value, e.g. "Vertrag (\\d{8})"`)
  re.lastIndex = 0
  const empty = re.exec('')
  re.lastIndex = 0
  if (empty) throw new UsageError(`${label}: matches the empty string`)
  return { kind, re }
}

// --- detection ----------------------------------------------------------------------------------

const QUICK = /[0-9@]/
const DIGIT = /[0-9]/
// Seven digits close together: every phone, card and IBAN has such a run; most posts with digits (times, prices, flights) do not.
const LONG_RUN = /\d(?:[ \u00a0\-/.()]{0,3}\d){6}/
const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|de|net|org|co|io|ly|at|ch|uk|eu|me|info|biz|app|gl|gle|to)\/[^\s<>"]*/gi
const EMAIL_LOCAL_CHAR = /[A-Za-z0-9._%+-]/
const EMAIL_LOCAL = /[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}$/
const EMAIL_DOMAIN = /[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w-]|\.[A-Za-z])/y
const IBAN_RE = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]{1,4}){3,9}(?![A-Za-z0-9])/gi
const CARD_RE = /(?<![\w.,/#@+-])\d(?:[ \u00a0-]?\d){12,18}(?![\w]|[.,/-]\d)/g

const SEP = '(?:[ \\u00a0]?[-/.][ \\u00a0]?|[ \\u00a0][\\u2013][ \\u00a0]|[ \\u00a0])?'
const PHONE_RE = new RegExp(
  [
    `(?<intl>\\(?(?:\\+|(?<!\\d)00)[ \\u00a0]?[1-9]\\d{0,2}\\)?(?:${SEP}\\(0\\))?(?:${SEP}\\(?\\d+\\)?){1,6})`,
    `(?<trunk>\\(?0[1-9]\\d{0,5}\\)?(?:${SEP}\\d+){0,6})`,
    `(?<nanp>(?:1[ \\-.]?)?\\(?[2-9]\\d{2}\\)?[ \\-.]?[2-9]\\d{2}[ \\-.]\\d{4})`,
    `(?<plain>[1-9]\\d{0,4}(?:${SEP}\\d+){0,4})`,
  ]
    .map((s) => `(?<![\\w@#$€£¥/,=&?+-])(?<!\\d\\.)${s}`)
    .join('|'),
  'g',
)
// Words after which a number is something other than a phone (tracking, flights, versions, ids …).
const NOT_PHONE_BEFORE =
  /(?:\b(?:isbn|issn|imei|ean|gtin|sku|art(?:ikel)?(?:-?nr)?|item|model|modell|serial|serien(?:nummer|nr)|part|teil(?:enummer|enr)?|dpci|upc|asin|s\/n|sn|tracking|track|sendung(?:snummer|snr)?|paket(?:nummer)?|shipment|parcel|waybill|awb|flight|flug|zug|train|ice|ic|ec|re|rb|ir|tgv|bus|linie|gleis|error|fehler|code|v|version|build|ip|plz|zip|postcode|id|tweet|status|invoice|rechnung|iban|bic|blz|konto|kontonummer|account|pin|tan|puk|otp)|[€$£¥])[ \u00a0:#.-]*$/i
// Airline and train codes (LH 1234, U2 8123): case-sensitive, so "at" or "on" stay ordinary words.
const CODE_BEFORE = /\b(?:[A-Z]{2}|[A-Z]\d|\d[A-Z])[ \u00a0]?$/
// Digits without trunk 0, + or NANP grouping count as a phone only right after such a word.
const PHONE_WORD_BEFORE =
  /(?:\b(?:tel|telefon|telephone|phone|fon|call|handy|mobil|mobile|cell|whatsapp|sms|text|anrufen|fax|hotline)|rufnummer|telefonnummer|handynummer|mobilnummer|rückruf)\b[^\d\n]{0,14}$/i
const DATES = /(?<!\d)(?:\d{1,2}\. ?\d{1,2}\. ?(?:\d{4}|\d{2})|\d{1,2}[/-]\d{1,2}[/-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2})(?!\d)/g
const DATE_LIKE = /^(?:\d{1,2}[./-] ?\d{1,2}[./-] ?(?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2})$/
const DOT_GROUPS = /^\d{1,3}(?:\.\d{1,3}){2,}$/
const TIME_RANGE = /^[0-2]\d[0-5]\d ?[-\u2013] ?[0-2]\d[0-5]\d$/
const AFTER_NOT_PHONE = /^[ \u00a0]?(?:%|€|\$|£|eur\b|euro|usd\b|chf\b|gbp\b|uhr\b|h\b|km\b|kg\b|mb\b|gb\b|px\b|mal\b|x\b)/i

// A value holds a digit (the lookahead lets the keyword alternation back off "ref" for "reference"); digit groups may be spaced ("1234 5678").
const REF_VALUE = '(?=[A-Za-z0-9\\-/._]*\\d)(?<v>\\d{3,5}(?: \\d{3,5})+|[A-Za-z0-9](?:[A-Za-z0-9]|[-/._](?=[A-Za-z0-9])){2,29})(?![A-Za-z0-9@])'
const REF_LINK = '[ \\u00a0]*(?:[:#=]|\\(|-[ \\u00a0])?[ \\u00a0]*(?:(?:is|was|ist|war|lautet|lautete|lauten|=|:)[ \\u00a0]*)?(?:#[ \\u00a0]?)?'
const NUMBER_WORD = '(?:numbers|number|num\\.?|no\\.?|nr\\.?|#|id|reference|ref\\.?|code)'
const REF_STRONG: Record<ReferenceKind, string[]> = {
  order: [
    `order[- ]?${NUMBER_WORD}`,
    `booking[- ]?${NUMBER_WORD}`,
    'booking[- ]confirmation',
    `reservation[- ]?${NUMBER_WORD}`,
    `confirmation[- ]?${NUMBER_WORD}`,
    `purchase[- ]?${NUMBER_WORD}`,
    'pnr',
    'bestell(?:ungs?)?[- ]?(?:nummer|nr\\.?|#)',
    'best\\.-?nr\\.?',
    'auftrags?[- ]?(?:nummer|nr\\.?|#)',
    'buchungs?[- ]?(?:nummer|nr\\.?|code|referenz|#)',
    'reservierungs?-?(?:nummer|nr\\.?|code)',
  ],
  customer: [
    `customer[- ]?(?:account[- ]?)?${NUMBER_WORD}`,
    `account[- ]?${NUMBER_WORD}`,
    `acct\\.?[- ]?${NUMBER_WORD}`,
    `member(?:ship)?[- ]?${NUMBER_WORD}`,
    `loyalty[- ]?${NUMBER_WORD}`,
    `frequent[- ]flyer[- ]?${NUMBER_WORD}`,
    'kunden-?(?:nummer|nr\\.?|id|konto(?:nummer)?|#)',
    'kd\\.?-?nr\\.?',
    'vertrags-?(?:nummer|nr\\.?|konto)',
    'mitglieds-?(?:nummer|nr\\.?)',
    'bahncard-?(?:nummer|nr\\.?)',
    'versicherten-?(?:nummer|nr\\.?)',
  ],
  ticket: [
    `ticket[- ]?${NUMBER_WORD}`,
    `case[- ]?${NUMBER_WORD}`,
    `incident[- ]?${NUMBER_WORD}`,
    `complaint[- ]?${NUMBER_WORD}`,
    `claim[- ]?${NUMBER_WORD}`,
    `service[- ]?request[- ]?${NUMBER_WORD}`,
    `request[- ]?${NUMBER_WORD}`,
    `support[- ]?${NUMBER_WORD}`,
    `ref(?:erence)?[- ]?(?:number|no\\.?|nr\\.?|#|code)`,
    'sr[ ]?#',
    'ticket-?(?:nummer|nr\\.?)',
    'vorgangs?[- ]?(?:nummer|nr\\.?|#)',
    'antrags?[- ]?(?:nummer|nr\\.?)',
    'störungs?[- ]?(?:nummer|nr\\.?|ticket|meldung)',
    'fall-?(?:nummer|nr\\.?)',
    'aktenzeichen',
    'az\\.',
    'referenz-?(?:nummer|nr\\.?)?',
    'reklamations-?(?:nummer|nr\\.?)',
    'beschwerde-?(?:nummer|nr\\.?)',
    'anfrage-?(?:nummer|nr\\.?)',
    'schadens?-?(?:nummer|nr\\.?)',
  ],
}
// A bare "order" / "Bestellung" / "ticket" needs a longer, digit-heavier value than "order number".
const REF_WEAK: Record<ReferenceKind, string[]> = {
  order: ['order', 'booking', 'reservation', 'bestellung', 'auftrag', 'buchung'],
  customer: ['customer', 'kundenkonto'],
  ticket: ['ticket', 'case', 'vorgang', 'reference', 'ref'],
}
interface ReferenceKeyword {
  kind: ReferenceKind
  strong: boolean
  whole: RegExp
}
const REF_KEYWORDS: Array<ReferenceKeyword & { source: string }> = [true, false].flatMap((strong) =>
  REFERENCE_KINDS.flatMap((kind) =>
    (strong ? REF_STRONG : REF_WEAK)[kind].map((source) => ({ kind, strong, source, whole: new RegExp(`^(?:${source})$`, 'i') })),
  ),
)
// One alternation per first letter: V8 then tries a single branch at each position instead of all ~90 keywords.
function byFirstLetter(sources: string[]): string {
  const groups = new Map<string, string[]>()
  for (const s of sources) groups.set(s[0]!, [...(groups.get(s[0]!) ?? []), s.slice(1)])
  return `(?:${[...groups].map(([first, rests]) => `${first}(?:${rests.join('|')})`).join('|')})`
}
const REF_RE = new RegExp(`(?<k>${byFirstLetter(REF_KEYWORDS.map((k) => k.source))})${REF_LINK}${REF_VALUE}`, 'gi')
const LETTER_OR_DIGIT = /[\p{L}\d]/u
const YEAR = /^(?:19|20)\d{2}$/
const THOUSANDS = /^\d{1,3}(?:[.,]\d{3})+$/

interface Candidate extends PiiFinding {
  rank: number
}

const RANK: Record<PiiKind, number> = { email: 0, iban: 1, card: 2, order: 4, customer: 4, ticket: 4, phone: 5 }

/** Every piece of personal data in `text`, ordered by position, never overlapping. */
export function detectPii(text: string, detector: PiiDetector): PiiFinding[] {
  if (!QUICK.test(text)) return []
  const found: Candidate[] = []
  if (text.includes('@')) findEmails(text, found)
  if (DIGIT.test(text)) {
    findReferences(text, found)
    for (const p of detector.patterns) findConfigured(text, p, found)
    if (LONG_RUN.test(text)) {
      const urls = urlSpans(text)
      findIbans(text, urls, found)
      findCards(text, urls, found)
      findPhones(text, urls, detector, found)
    }
  }
  return resolve(found)
}

/** The kinds of personal data in `text`, sorted and unique: what the store keeps (never the values). */
export function piiKinds(text: string, detector: PiiDetector): PiiKind[] {
  const findings = detectPii(text, detector)
  if (findings.length === 0) return []
  const kinds = new Set(findings.map((f) => f.kind))
  return PII_KINDS.filter((k) => kinds.has(k))
}

function resolve(found: Candidate[]): PiiFinding[] {
  if (found.length === 0) return []
  found.sort((a, b) => a.rank - b.rank || b.end - b.start - (a.end - a.start) || a.start - b.start)
  const kept: PiiFinding[] = []
  for (const c of found) {
    if (kept.some((k) => c.start < k.end && k.start < c.end)) continue
    kept.push({ kind: c.kind, start: c.start, end: c.end })
  }
  return kept.sort((a, b) => a.start - b.start)
}

function urlSpans(text: string): Array<[number, number]> {
  if (!text.includes('/')) return []
  const spans: Array<[number, number]> = []
  URL_RE.lastIndex = 0
  for (let m = URL_RE.exec(text); m; m = URL_RE.exec(text)) spans.push([m.index, m.index + m[0].length])
  return spans
}

function inSpans(start: number, end: number, spans: Array<[number, number]>): boolean {
  return spans.some(([s, e]) => start < e && s < end)
}

// From each '@' outwards: most '@' in posts start a handle, which the character before it rules out at once.
function findEmails(text: string, out: Candidate[]): void {
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    if (at === 0 || !EMAIL_LOCAL_CHAR.test(text[at - 1]!)) continue
    const local = EMAIL_LOCAL.exec(text.slice(Math.max(0, at - 64), at))
    if (!local) continue
    const start = at - local[0].length
    if (start > 0 && EMAIL_LOCAL_CHAR.test(text[start - 1]!)) continue
    EMAIL_DOMAIN.lastIndex = at + 1
    const domain = EMAIL_DOMAIN.exec(text)
    if (!domain) continue
    out.push({ kind: 'email', start, end: at + 1 + domain[0].length, rank: RANK.email })
    at += domain[0].length
  }
}

function findIbans(text: string, urls: Array<[number, number]>, out: Candidate[]): void {
  IBAN_RE.lastIndex = 0
  for (let m = IBAN_RE.exec(text); m; m = IBAN_RE.exec(text)) {
    const start = m.index
    // The greedy groups may have run into the next word or number: try shorter ends until one validates.
    const ends = groupEnds(m[0])
    for (let i = ends.length - 1; i >= 0; i--) {
      const raw = m[0].slice(0, ends[i])
      const compact = raw.replace(/[ \u00a0]/g, '').toUpperCase()
      if (compact.length < 15) break
      if (isValidIBAN(compact)) {
        if (!inSpans(start, start + raw.length, urls)) out.push({ kind: 'iban', start, end: start + raw.length, rank: RANK.iban })
        IBAN_RE.lastIndex = start + raw.length
        break
      }
    }
  }
}

function groupEnds(s: string): number[] {
  const ends: number[] = []
  for (let i = 1; i <= s.length; i++) if (i === s.length || s[i] === ' ' || s[i] === '\u00a0') ends.push(i)
  return ends
}

const CARD_TYPES = new Set(['visa', 'mastercard', 'american-express', 'discover', 'diners-club', 'jcb', 'unionpay'])

function findCards(text: string, urls: Array<[number, number]>, out: Candidate[]): void {
  CARD_RE.lastIndex = 0
  for (let m = CARD_RE.exec(text); m; m = CARD_RE.exec(text)) {
    const raw = m[0]
    const start = m.index
    if (!plausibleCardGrouping(raw)) continue
    const digits = raw.replace(/\D/g, '')
    const result = cardValidator.number(digits)
    const type = result.card?.type
    if (!result.isValid || !type || !CARD_TYPES.has(type)) continue
    if (inSpans(start, start + raw.length, urls)) continue
    out.push({ kind: 'card', start, end: start + raw.length, rank: RANK.card })
  }
}

// Printed card numbers come unbroken or in groups of 4 (Amex/Diners 4-6-5 / 4-6-4), one separator kind.
function plausibleCardGrouping(raw: string): boolean {
  const seps = raw.match(/[^\d]/g)
  if (!seps) return true
  if (new Set(seps).size > 1) return false
  const groups = raw.split(seps[0]!).map((g) => g.length)
  const last = groups.length - 1
  if (groups.every((g, i) => (i < last ? g === 4 : g >= 1 && g <= 4))) return true
  return groups.length === 3 && groups[0] === 4 && groups[1] === 6 && (groups[2] === 5 || groups[2] === 4)
}

function findPhones(text: string, urls: Array<[number, number]>, detector: PiiDetector, out: Candidate[]): void {
  const blocked = urls.concat(spansOf(DATES, text))
  PHONE_RE.lastIndex = 0
  for (let m = PHONE_RE.exec(text); m; m = PHONE_RE.exec(text)) {
    const g = m.groups!
    const shape = g.intl !== undefined ? 'intl' : g.trunk !== undefined ? 'trunk' : g.nanp !== undefined ? 'nanp' : 'plain'
    const start = m.index
    let raw = m[0].replace(/[ \u00a0\-/.(]+$/, '')
    if (shape === 'trunk') {
      raw = cutTrunk(raw)
      if (raw === '') continue
    }
    const end = start + raw.length
    PHONE_RE.lastIndex = end
    if (countDigits(raw) < 7) continue
    const before = text.slice(Math.max(0, start - 24), start)
    if (NOT_PHONE_BEFORE.test(before) || CODE_BEFORE.test(before)) continue
    // "Tel.0301234567" yes, "Strnr.01584160273" no: a number glued to a word needs a phone word.
    if ((shape === 'plain' || before.endsWith('.')) && !PHONE_WORD_BEFORE.test(before)) continue
    if (DOT_GROUPS.test(raw) || TIME_RANGE.test(raw)) continue
    if (/^[\p{L}\d_]|^[.,]\d/u.test(text.slice(end, end + 2))) continue
    if (AFTER_NOT_PHONE.test(text.slice(end, end + 6))) continue
    if (inSpans(start, end, blocked)) continue
    const length = validPhoneLength(raw, shape, detector)
    if (length === 0) continue
    out.push({ kind: 'phone', start, end: start + length, rank: RANK.phone })
  }
}

// After the area code a subscriber number never starts with 0 ("030-02-8711" is a product code);
// a later 0-group followed by 7+ more digits starts the next number.
function cutTrunk(raw: string): string {
  const parts = [...raw.matchAll(/\d+/g)]
  if (parts.length < 2) return raw
  if (parts[1]![0].startsWith('0')) return ''
  for (let i = 2; i < parts.length; i++) {
    const p = parts[i]!
    if (p[0].length >= 4 && p[0].startsWith('0') && /[ \u00a0]$/.test(raw.slice(0, p.index)) && countDigits(raw.slice(p.index)) >= 7) {
      return raw.slice(0, p.index).replace(/[ \u00a0\-/.(]+$/, '')
    }
  }
  return raw
}

function spansOf(re: RegExp, text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = []
  re.lastIndex = 0
  for (let m = re.exec(text); m; m = re.exec(text)) spans.push([m.index, m.index + m[0].length])
  return spans
}

function countDigits(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) n++
  }
  return n
}

/** Length of the longest valid phone number at the start of `raw` (dropping trailing groups), or 0. */
function validPhoneLength(raw: string, shape: string, detector: PiiDetector): number {
  const ends = phoneGroupEnds(raw)
  for (let i = ends.length - 1; i >= 0; i--) {
    const candidate = raw.slice(0, ends[i])
    const digits = countDigits(candidate)
    if (digits < 7) return 0
    // E.164 allows 15 digits; national numbers run to 0 + 12, and an unbroken 13-digit 0… is an e-ticket number.
    if (digits > (shape !== 'trunk' ? 15 : /\D/.test(candidate) ? 13 : 12)) continue
    if (isValidPhone(candidate, shape, detector)) return candidate.length
  }
  return 0
}

function phoneGroupEnds(s: string): number[] {
  const ends: number[] = []
  for (let i = 1; i <= s.length; i++) {
    const c = s[i - 1]!
    if ((c >= '0' && c <= '9') || c === ')') {
      const next = s[i]
      if (i === s.length || !(next! >= '0' && next! <= '9') && next !== ')') ends.push(i)
    }
  }
  return ends
}

function isValidPhone(candidate: string, shape: string, detector: PiiDetector): boolean {
  const { metadata } = detector
  if (shape === 'intl') {
    const international = candidate.startsWith('00') ? `+${candidate.slice(2)}` : candidate
    return parsePhoneNumberFromString(international, metadata)?.isValid() === true
  }
  const regions = shape === 'nanp' ? detector.nanpRegions : detector.regions
  for (const region of regions) {
    if (parsePhoneNumberFromString(candidate, region, metadata)?.isValid() === true) return true
  }
  return false
}

function findReferences(text: string, out: Candidate[]): void {
  REF_RE.lastIndex = 0
  for (let m = REF_RE.exec(text); m; m = REF_RE.exec(text)) {
    const keyword = REF_KEYWORDS.find((k) => k.whole.test(m!.groups!.k!))!
    // Inside a word only as the tail of a German compound: "Erstattungsantrag Nr.", "Servicekundennummer".
    const glued = m.index > 0 && LETTER_OR_DIGIT.test(text[m.index - 1]!)
    if (glued && !(keyword.strong && /[a-zäöüß]$/.test(text[m.index - 1]!) && /(?:nummer|nr\.?)$/i.test(m.groups!.k!))) {
      REF_RE.lastIndex = m.index + 1
      continue
    }
    const value = m.groups!.v!
    const digits = countDigits(value)
    // Booking codes may carry a single digit (YIU8NM); a bare "order"/"ticket" needs a clearly numeric value.
    const enough = keyword.strong ? (digits >= 2 && value.length >= 4) || (digits >= 1 && value.length >= 5) : digits >= 4 && value.length >= 5
    if (!enough) continue
    // A run of 7+ letters is a word ("reservation #1lesscustomer" is a hashtag), not a code.
    if (YEAR.test(value) || THOUSANDS.test(value) || DATE_LIKE.test(value) || /[A-Za-z]{7}/.test(value)) continue
    // The value closes the match (only a lookahead follows it).
    const end = m.index + m[0].length
    const start = end - value.length
    if (AFTER_NOT_PHONE.test(text.slice(end, end + 6))) continue
    out.push({ kind: keyword.kind, start, end, rank: RANK[keyword.kind] - (keyword.strong ? 1 : 0.5) })
    REF_RE.lastIndex = end
  }
}

function findConfigured(text: string, p: CompiledPattern, out: Candidate[]): void {
  p.re.lastIndex = 0
  for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
    if (m[0].length === 0) {
      p.re.lastIndex++
      continue
    }
    const span = m.indices?.[1]
    if (span && span[1] > span[0]) out.push({ kind: p.kind, start: span[0], end: span[1], rank: 3 })
  }
}

// --- masking ------------------------------------------------------------------------------------

const DOT = '•'

/** A display form of one finding that never shows the whole value. */
export function maskPii(text: string, finding: PiiFinding): string {
  const value = text.slice(finding.start, finding.end)
  switch (finding.kind) {
    case 'email':
      return maskEmail(value)
    case 'iban': {
      const compact = value.replace(/\s/g, '').toUpperCase()
      return `${compact.slice(0, 4)} ${DOT.repeat(4)} ${compact.slice(-4)}`
    }
    case 'card':
      return `${DOT.repeat(4)} ${DOT.repeat(4)} ${DOT.repeat(4)} ${value.replace(/\D/g, '').slice(-4)}`
    case 'phone':
      return maskPhone(value)
    default:
      return maskReference(value)
  }
}

/** `text` with every finding replaced by its mask (findings as returned by detectPii). */
export function maskPiiInText(text: string, findings: readonly PiiFinding[]): string {
  if (findings.length === 0) return text
  const sorted = [...findings].sort((a, b) => a.start - b.start)
  let out = ''
  let at = 0
  for (const f of sorted) {
    if (f.start < at) continue
    out += text.slice(at, f.start) + maskPii(text, f)
    at = f.end
  }
  return out + text.slice(at)
}

function maskEmail(value: string): string {
  const at = value.lastIndexOf('@')
  const local = value.slice(0, at)
  const domain = value.slice(at + 1)
  const dot = domain.lastIndexOf('.')
  return `${local.slice(0, 1)}${DOT.repeat(3)}@${domain.slice(0, 1)}${DOT.repeat(3)}${domain.slice(dot)}`
}

function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '')
  const tail = digits.slice(-2)
  if (value.startsWith('+') || value.startsWith('00')) {
    const international = value.startsWith('00') ? `+${value.slice(2)}` : value
    const cc = parsePhoneNumberFromString(international, maxMetadata)?.countryCallingCode
    return `+${cc ?? digits.slice(value.startsWith('00') ? 2 : 0, 2)} ${DOT.repeat(4)} ${tail}`
  }
  return `${digits.startsWith('0') ? '0' : ''}${DOT.repeat(4)} ${tail}`
}

function maskReference(value: string): string {
  const chars = value.replace(/[\s]/g, '')
  const [head, tail] = chars.length >= 8 ? [3, 2] : chars.length >= 6 ? [2, 1] : [1, 0]
  return `${chars.slice(0, head)}${DOT.repeat(3)}${tail ? chars.slice(-tail) : ''}`
}
