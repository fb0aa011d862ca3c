// Keyword rules matched on unstemmed lower-case words (see splitWords). A pattern is words
// separated by spaces; a word may be "*"-wrapped to match compounds: "störung*" = starts with,
// "*störung" = ends with, "*störung*" = contains. Markers ("_q", "_emoneg") can be used as words.
import { type Label, LABELS } from '../../models/mention.js'
import type { FiredRule } from '../../models/tagger.js'

export interface Rule {
  label: Label
  /** Added to the label's log score when the rule fires (log units; 1 ≈ ×2.7). */
  weight: number
  pattern: string
}

export type WordTest = (w: string) => boolean

export interface CompiledRule {
  id: string
  labelIndex: number
  label: Label
  weight: number
  rest: WordTest[]
  /** A one-word sentiment rule: "not bad" and "nicht gut" do not fire "bad" and "gut". */
  negatable: boolean
}

export interface CompiledRules {
  exact: Map<string, CompiledRule[]>
  scan: Array<{ first: WordTest; rule: CompiledRule }>
  /** word → rules whose first word matches it (exact and compound patterns); words repeat a lot. */
  firstCache: Map<string, readonly CompiledRule[]>
  /** Words that negate a sentiment word right after them, and intensifiers that may stand between. */
  negators: ReadonlySet<string>
  intensifiers: ReadonlySet<string>
}

const FIRST_CACHE_MAX = 100_000
const NONE: readonly CompiledRule[] = []

function wordTest(p: string): WordTest {
  const starts = p.endsWith('*')
  const ends = p.startsWith('*')
  const core = p.replace(/^\*|\*$/g, '')
  if (starts && ends) return (w) => w.includes(core)
  if (starts) return (w) => w.startsWith(core)
  if (ends) return (w) => w.endsWith(core)
  return (w) => w === core
}

export interface Negation {
  negators: ReadonlySet<string>
  intensifiers: ReadonlySet<string>
}

const NO_NEGATION: Negation = { negators: new Set(), intensifiers: new Set() }

export function compileRules(lang: string, rules: readonly Rule[], negation: Negation = NO_NEGATION): CompiledRules {
  const exact = new Map<string, CompiledRule[]>()
  const scan: CompiledRules['scan'] = []
  for (const r of rules) {
    const parts = r.pattern.toLowerCase().split(/\s+/).filter(Boolean)
    const first = parts[0]
    if (first === undefined) throw new Error(`empty rule pattern in ${lang} lexicon`)
    const rule: CompiledRule = {
      id: `${lang}:${r.label}:${r.pattern}`,
      labelIndex: LABELS.indexOf(r.label),
      label: r.label,
      weight: r.weight,
      rest: parts.slice(1).map(wordTest),
      negatable: parts.length === 1 && (r.label === 'complaint' || r.label === 'praise'),
    }
    if (first.includes('*')) scan.push({ first: wordTest(first), rule })
    else {
      const list = exact.get(first)
      if (list) list.push(rule)
      else exact.set(first, [rule])
    }
  }
  return { exact, scan, firstCache: new Map(), ...negation }
}

/** The rules that can start at word `w`. */
export function firstWordRules(rules: CompiledRules, w: string): readonly CompiledRule[] {
  let list = rules.firstCache.get(w)
  if (list === undefined) {
    const found = [...(rules.exact.get(w) ?? NONE)]
    // Compound patterns only make sense on longer words ("*störung").
    if (w.length > 4) for (const s of rules.scan) if (s.first(w)) found.push(s.rule)
    list = found.length ? found : NONE
    if (rules.firstCache.size >= FIRST_CACHE_MAX) rules.firstCache.clear()
    rules.firstCache.set(w, list)
  }
  return list
}

/** Whether the rest of `rule` matches the words after position i. */
export function restMatches(words: readonly string[], i: number, rest: readonly WordTest[]): boolean {
  if (i + rest.length >= words.length) return false
  for (let j = 0; j < rest.length; j++) if (!rest[j]!(words[i + 1 + j]!)) return false
  return true
}

/** Whether `rule`, whose first word is words[i], fires there. */
export function ruleMatches(rules: CompiledRules, rule: CompiledRule, words: readonly string[], i: number): boolean {
  if (rule.rest.length > 0 && !restMatches(words, i, rule.rest)) return false
  if (!rule.negatable || i === 0) return true
  const before = words[i - 1]!
  if (rules.negators.has(before)) return false
  return !(i > 1 && rules.intensifiers.has(before) && rules.negators.has(words[i - 2]!))
}

// Per-label total is capped so a rant full of keywords cannot outweigh everything else forever.
const LABEL_CAP = 6

/** Adds the weights of distinct fired rules into `out` (capped per label); lists them in `fired`. */
export function addHits(hit: readonly CompiledRule[], out: Float64Array, fired?: FiredRule[]): void {
  for (const r of hit) {
    out[r.labelIndex] = Math.min(LABEL_CAP, out[r.labelIndex]! + r.weight)
    fired?.push({ id: r.id, label: r.label, weight: r.weight })
  }
}

/**
 * Adds the weights of the rules that fire on `words` into `out` (per label, each rule once,
 * capped per label). With `fired`, also lists them (for explain).
 */
export function applyRules(rules: CompiledRules, words: readonly string[], out: Float64Array, fired?: FiredRule[]): void {
  // Few rules fire per post; an array beats a Set here.
  const hit: CompiledRule[] = []
  for (let i = 0; i < words.length; i++) {
    for (const r of firstWordRules(rules, words[i]!)) if (ruleMatches(rules, r, words, i) && !hit.includes(r)) hit.push(r)
  }
  addHits(hit, out, fired)
}
