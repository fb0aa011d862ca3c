// A brand's search query (brands[].query) parsed once and evaluated locally on every fetched
// mention, for platforms that cannot search with it (RSS, Hacker News, tag timelines).
//
// Syntax: terms, "quoted phrases", OR (or |), implicit AND (an explicit AND is accepted), -exclusion
// or NOT of a term, phrase or (group), parentheses, a trailing * on a word for a prefix match.
// AND binds tighter than OR, as on X and most engines: `a OR b c` is `a OR (b AND c)`;
// describeBrandQuery shows the grouping so --dry-run makes it visible.
//
// Matching: case-insensitive after NFKC (so 𝐒𝐥𝐚𝐜𝐤 is slack), ß ≡ ss ("Straße" and "Strasse" are
// the same word); umlauts and other diacritics are kept ("schön" is not "schon"). A word is a run of
// Unicode letters, marks, digits and inner underscores; everything else separates words, so a term
// matches whole words and the parts of hyphenated compounds ("telekom" matches "Telekom-Hotline",
// German compounds are mostly written that way with brand names) but not "Telekomhotline" (use
// telekom*). A term with inner punctuation is a phrase of its parts: t-mobile matches "T-Mobile" and
// "T Mobile"; mcdonald's matches "McDonald’s" but not "McDonalds". A phrase matches consecutive words
// whatever punctuation stands between them. URLs and e-mail addresses are text like any other:
// acme matches "acme.com/jobs".
//
// Handles and hashtags: a plain term matches the word with or without a sigil (acme matches #acme and
// @acme: a tag or a mention of the account is a mention of the brand); @acme matches only the handle
// and #acme only the hashtag. Handles keep their underscores as one word: acme does not match
// @acme_help.
//
// Platform operators (`key:value` such as lang:de, from:x, -is:retweet, site:, subreddit:) are for
// the platform's API; they cannot be checked from the text and count as "anything" here (an
// excluded one too), so `acme OR from:acme` keeps every mention the API returned.
//
// Hand-written rather than liqe or lucene (npm), tried on our queries: both reject
// `site:example.com/x`; liqe rejects `a | b`, reads `a OR b c` as `(a OR b) c` and reports
// "Found no parsings" without a position; lucene accepts `acme OR` and takes `|` for a word.
import { UsageError } from '../models/errors.js'

/** One word of a term or phrase: the folded word, whether it is a prefix (`bahn*`), its required sigil. */
export interface WordPattern {
  readonly word: string
  readonly prefix: boolean
  readonly sigil: '' | '@' | '#'
}

export type QueryNode =
  | { readonly kind: 'words'; readonly words: readonly WordPattern[]; readonly quoted: boolean }
  | { readonly kind: 'and'; readonly of: readonly QueryNode[] }
  | { readonly kind: 'or'; readonly of: readonly QueryNode[] }
  | { readonly kind: 'not'; readonly of: QueryNode }
  | { readonly kind: 'any' }

export interface BrandQuery {
  readonly source: string
  /** The locally evaluated tree; `any` where only platform operators stood. */
  readonly root: QueryNode
  /** Platform operators as written ("lang:de", "-is:retweet"), kept for the API, ignored here. */
  readonly ignored: readonly string[]
}

// ---------------------------------------------------------------------------------------------
// Text: one pass, lower-cased words with their sigils.

const NON_ASCII = /[\u0080-\uffff]/
const UNICODE_WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u
// 1 = letter, mark or digit; 2 = underscore (inside a word only); 0 = separator. ASCII by table.
const ASCII_CLASS = new Uint8Array(128)
for (let c = 48; c <= 57; c++) ASCII_CLASS[c] = 1
for (let c = 97; c <= 122; c++) ASCII_CLASS[c] = 1
ASCII_CLASS[95] = 2
const unicodeClass = new Map<number, number>()

/** NFKC (only when needed: it costs more than the rest), lower case, ß → ss. */
function foldText(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase()
  return text.normalize('NFKC').toLowerCase().replace(/ß/g, 'ss')
}

/** The class of the UTF-16 unit at i; both halves of a surrogate pair get the class of the pair. */
function classAt(s: string, i: number): number {
  const c = s.charCodeAt(i)
  if (c < 128) return ASCII_CLASS[c]!
  const start = c >= 0xdc00 && c <= 0xdfff && i > 0 ? i - 1 : i
  const cp = s.codePointAt(start)!
  let cls = unicodeClass.get(cp)
  if (cls === undefined) {
    cls = UNICODE_WORD_CHAR.test(String.fromCodePoint(cp)) ? 1 : 0
    if (unicodeClass.size < 10_000) unicodeClass.set(cp, cls)
  }
  return cls
}

interface Tokens {
  words: string[]
  sigils: string[]
}

// Hand-written: 3× faster than the equivalent Unicode regex on our real posts (bench/brand-query.js).
function tokenize(s: string): Tokens {
  const words: string[] = []
  const sigils: string[] = []
  const n = s.length
  let i = 0
  while (i < n) {
    if (classAt(s, i) !== 1) {
      i++
      continue
    }
    let j = i + 1
    let end = j
    for (let k = j < n ? classAt(s, j) : 0; k !== 0; k = j < n ? classAt(s, j) : 0) {
      j++
      if (k === 1) end = j
    }
    words.push(s.slice(i, end))
    // A sigil counts only at a word start: "support@acme.com" has no handle.
    const p = i - 1
    const c = p >= 0 ? s.charCodeAt(p) : 0
    sigils.push((c === 64 || c === 35) && (p === 0 || classAt(s, p - 1) === 0) ? (c === 64 ? '@' : '#') : '')
    i = j
  }
  return { words, sigils }
}

// ---------------------------------------------------------------------------------------------
// Matching.

/** The folded text of one call, tokenised on first need: a word absent from the text as a substring cannot match. */
interface Subject {
  folded: string
  tokens: Tokens | null
}

function wordAt(p: WordPattern, t: Tokens, i: number): boolean {
  const w = t.words[i]!
  if (p.prefix ? !w.startsWith(p.word) : w !== p.word) return false
  return p.sigil === '' || t.sigils[i] === p.sigil
}

function containsWords(ps: readonly WordPattern[], s: Subject): boolean {
  const first = ps[0]!
  if (!s.folded.includes(first.word)) return false
  const t = (s.tokens ??= tokenize(s.folded))
  const last = t.words.length - ps.length
  for (let i = 0; i <= last; i++) {
    if (!wordAt(first, t, i)) continue
    let j = 1
    while (j < ps.length && wordAt(ps[j]!, t, i + j)) j++
    if (j === ps.length) return true
  }
  return false
}

function evaluate(n: QueryNode, s: Subject): boolean {
  switch (n.kind) {
    case 'words':
      return containsWords(n.words, s)
    case 'and':
      return n.of.every((c) => evaluate(c, s))
    case 'or':
      return n.of.some((c) => evaluate(c, s))
    case 'not':
      return !evaluate(n.of, s)
    case 'any':
      return true
  }
}

/** Whether `text` matches the brand query; the text is folded once and tokenised at most once per call. */
export function matchesBrandQuery(q: BrandQuery, text: string): boolean {
  if (q.root.kind === 'any') return true
  return evaluate(q.root, { folded: foldText(text), tokens: null })
}

/**
 * Whether `text` hits one of the query's top-level exclusions (`slack -stock`: stock). For mentions
 * the platform tied to the brand by other means (a hashtag timeline, the brand's own alert feed),
 * where the positive terms need not appear but an exclusion still says "not this".
 */
export function excludedByBrandQuery(q: BrandQuery, text: string): boolean {
  const root = q.root
  const exclusions = root.kind === 'not' ? [root] : root.kind === 'and' ? root.of.filter((c) => c.kind === 'not') : []
  if (!exclusions.length) return false
  const s: Subject = { folded: foldText(text), tokens: null }
  return exclusions.some((n) => n.kind === 'not' && evaluate(n.of, s))
}

// ---------------------------------------------------------------------------------------------
// Parsing.

type Tok =
  | { t: 'lparen' | 'rparen' | 'or' | 'and' | 'neg'; at: number; text: string }
  | { t: 'words'; at: number; text: string; words: WordPattern[]; quoted: boolean }
  | { t: 'operator'; at: number; text: string; positive: boolean }

// Syntax tree before operators are dropped: keeps positions for the error messages.
type Syntax =
  | { k: 'words'; at: number; text: string; words: WordPattern[]; quoted: boolean }
  | { k: 'operator'; at: number; text: string; positive: boolean }
  | { k: 'and'; at: number; text: string; of: Syntax[] }
  | { k: 'or'; at: number; text: string; of: Syntax[] }
  | { k: 'not'; at: number; text: string; of: Syntax }

const OPERATOR_RE = /^[A-Za-z_]+:(?!\/\/)/
const BARE_END = /[\s()|"]/

class QueryError extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message)
  }
}

/** The word patterns of one whitespace-free piece of a term or phrase ("bahn*", "#acme", "t-mobile"). */
function piecePatterns(piece: string, at: number): WordPattern[] {
  const star = piece.indexOf('*')
  if (star !== -1 && star !== piece.length - 1) {
    throw new QueryError(at + star, `"*" in "${piece}" must end a word (only prefix wildcards such as bahn* are supported)`)
  }
  const prefix = star !== -1
  const body = prefix ? piece.slice(0, -1) : piece
  const t = tokenize(foldText(body))
  if (t.words.length === 0) throw new QueryError(at, `"${piece}" has no letters or digits to match`)
  return t.words.map((word, i) => ({
    word,
    prefix: prefix && i === t.words.length - 1,
    sigil: (i === 0 && (body.startsWith('@') || body.startsWith('#')) ? body[0] : '') as WordPattern['sigil'],
  }))
}

function lex(query: string): Tok[] {
  const out: Tok[] = []
  let i = 0
  while (i < query.length) {
    const c = query[i]!
    if (/\s/.test(c)) {
      i++
    } else if (c === '(' || c === ')' || c === '|') {
      out.push({ t: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'or', at: i, text: c })
      i++
    } else if (c === '-') {
      const next = query[i + 1]
      if (next === undefined || /[\s)|]/.test(next) || next === '-') throw new QueryError(i, 'a "-" must stand right before the word, "phrase" or (group) it excludes')
      out.push({ t: 'neg', at: i, text: '-' })
      i++
    } else if (c === '"') {
      const close = query.indexOf('"', i + 1)
      if (close === -1) throw new QueryError(i, 'the quote is never closed')
      const inner = query.slice(i + 1, close)
      const words: WordPattern[] = []
      for (const m of inner.matchAll(/\S+/g)) words.push(...piecePatterns(m[0], i + 1 + m.index))
      if (words.length === 0) throw new QueryError(i, 'the phrase "" is empty')
      out.push({ t: 'words', at: i, text: query.slice(i, close + 1), words, quoted: true })
      i = close + 1
    } else {
      let j = i
      while (j < query.length && !BARE_END.test(query[j]!)) j++
      let text = query.slice(i, j)
      if (text === 'OR') out.push({ t: 'or', at: i, text })
      else if (text === 'AND') out.push({ t: 'and', at: i, text })
      else if (text === 'NOT') out.push({ t: 'neg', at: i, text })
      else if (OPERATOR_RE.test(text) && (text.length > text.indexOf(':') + 1 || query[j] === '"')) {
        if (text.endsWith(':') && query[j] === '"') {
          const close = query.indexOf('"', j + 1)
          if (close === -1) throw new QueryError(j, 'the quote is never closed')
          j = close + 1
          text = query.slice(i, j)
        }
        const prev = out.at(-1)
        const negated = prev?.t === 'neg'
        if (negated) out.pop()
        out.push({ t: 'operator', at: negated ? prev.at : i, text: negated ? `-${text}` : text, positive: !negated })
      } else {
        out.push({ t: 'words', at: i, text, words: piecePatterns(text, i), quoted: false })
      }
      i = j
    }
  }
  return out
}

class Parser {
  private i = 0
  constructor(
    private readonly query: string,
    private readonly toks: Tok[],
  ) {}

  parse(): Syntax {
    if (this.toks.length === 0) throw new QueryError(0, 'it is empty')
    const s = this.or()
    const extra = this.toks[this.i]
    if (extra) throw new QueryError(extra.at, `")" has no matching "("`)
    return s
  }

  private peek(): Tok | undefined {
    return this.toks[this.i]
  }

  private span(from: number): string {
    const end = this.toks[this.i - 1]
    return this.query.slice(from, end ? end.at + end.text.length : from).trim()
  }

  private or(): Syntax {
    const start = this.peek()!
    const of: Syntax[] = [this.and()]
    for (let t = this.peek(); t?.t === 'or'; t = this.peek()) {
      this.i++
      const next = this.peek()
      if (!next || next.t === 'rparen' || next.t === 'or' || next.t === 'and') {
        throw new QueryError(t.at, `"${t.text}" has nothing after it`)
      }
      of.push(this.and())
    }
    return of.length === 1 ? of[0]! : { k: 'or', at: start.at, text: this.span(start.at), of }
  }

  private and(): Syntax {
    const start = this.peek()!
    if (start.t === 'or' || start.t === 'and') throw new QueryError(start.at, `"${start.text}" has nothing before it`)
    const of: Syntax[] = []
    for (let t = this.peek(); t && t.t !== 'or' && t.t !== 'rparen'; t = this.peek()) {
      if (t.t === 'and') {
        this.i++
        const next = this.peek()
        if (!next || next.t === 'rparen' || next.t === 'or' || next.t === 'and') throw new QueryError(t.at, `"AND" has nothing after it`)
        continue
      }
      of.push(this.unary())
    }
    if (of.length === 0) throw new QueryError(start.at, `"${start.text}" has nothing before it`)
    const node: Syntax = of.length === 1 ? of[0]! : { k: 'and', at: start.at, text: this.span(start.at), of }
    // An OR branch or a group made only of exclusions matches nearly everything: certainly a mistake.
    if (!of.some((n) => n.k !== 'not' && (n.k !== 'operator' || n.positive))) {
      throw new QueryError(start.at, `"${node.text}" has nothing but exclusions; say what a mention must contain`)
    }
    return node
  }

  private unary(): Syntax {
    const t = this.peek()!
    if (t.t !== 'neg') return this.primary()
    this.i++
    const next = this.peek()
    if (!next || next.t === 'neg' || next.t === 'rparen' || next.t === 'or' || next.t === 'and') {
      throw new QueryError(t.at, `"${t.text}" must stand before the word, "phrase" or (group) it excludes`)
    }
    const of = this.primary()
    return { k: 'not', at: t.at, text: this.span(t.at), of }
  }

  private primary(): Syntax {
    const t = this.toks[this.i++]!
    switch (t.t) {
      case 'words':
        return { k: 'words', at: t.at, text: t.text, words: t.words, quoted: t.quoted }
      case 'operator':
        return { k: 'operator', at: t.at, text: t.text, positive: t.positive }
      case 'lparen': {
        const next = this.peek()
        if (!next) throw new QueryError(t.at, '"(" is never closed')
        if (next.t === 'rparen') throw new QueryError(t.at, 'the group "()" is empty')
        const inner = this.or()
        if (this.peek()?.t !== 'rparen') throw new QueryError(t.at, '"(" is never closed')
        this.i++
        return inner
      }
      default:
        throw new QueryError(t.at, `"${t.text}" is misplaced`)
    }
  }
}

const ANY: QueryNode = { kind: 'any' }

function simplify(s: Syntax, ignored: string[]): QueryNode {
  switch (s.k) {
    case 'words':
      return { kind: 'words', words: s.words, quoted: s.quoted }
    case 'operator':
      ignored.push(s.text)
      return ANY
    case 'not': {
      const of = simplify(s.of, ignored)
      return of.kind === 'any' ? ANY : { kind: 'not', of }
    }
    case 'and': {
      const of = s.of.map((c) => simplify(c, ignored)).filter((c) => c.kind !== 'any')
      return of.length === 0 ? ANY : of.length === 1 ? of[0]! : { kind: 'and', of }
    }
    case 'or': {
      const of = s.of.map((c) => simplify(c, ignored))
      return of.some((c) => c.kind === 'any') ? ANY : { kind: 'or', of }
    }
  }
}

/**
 * Parses a brand query; a malformed one throws a UsageError naming the query, the character
 * position (1-based) and what is wrong. The caller prefixes the config path.
 */
export function parseBrandQuery(query: string): BrandQuery {
  try {
    const syntax = new Parser(query, lex(query)).parse()
    const ignored: string[] = []
    return { source: query, root: simplify(syntax, ignored), ignored }
  } catch (e) {
    if (e instanceof QueryError) throw new UsageError(`query '${query}': at character ${e.at + 1}, ${e.message}`)
    throw e
  }
}

/**
 * Every brand's query, parsed when the config loads: a malformed one is a config error naming the
 * file and brands[i].query.
 */
export function parseBrandQueries(brands: ReadonlyArray<{ query: string }>, file: string | null): BrandQuery[] {
  return brands.map((b, i) => {
    try {
      return parseBrandQuery(b.query)
    } catch (e) {
      if (!(e instanceof UsageError)) throw e
      throw new UsageError(`${file ?? 'config'}: brands[${i}].query: ${e.message}`)
    }
  })
}

// ---------------------------------------------------------------------------------------------
// Description for --dry-run.

function renderWord(p: WordPattern): string {
  return `${p.sigil}${p.word}${p.prefix ? '*' : ''}`
}

function renderNode(n: QueryNode, parent: QueryNode['kind'] | null): string {
  switch (n.kind) {
    case 'words': {
      const body = n.words.map(renderWord).join(' ')
      return n.words.length > 1 || n.quoted ? `"${body}"` : body
    }
    case 'not':
      return `NOT ${renderNode(n.of, 'not')}`
    case 'and':
    case 'or': {
      const s = n.of.map((c) => renderNode(c, n.kind)).join(n.kind === 'and' ? ' AND ' : ' OR ')
      return parent === null ? s : `(${s})`
    }
    case 'any':
      return 'anything'
  }
}

/** One line for --dry-run: how the query is evaluated locally, with explicit grouping. */
export function describeBrandQuery(q: BrandQuery): string {
  const local = q.root.kind === 'any' ? 'every mention the platform returns' : renderNode(q.root, null)
  const ignored = q.ignored.length ? ` (platform operators, not checked locally: ${q.ignored.join(' ')})` : ''
  return `${local}${ignored}`
}
