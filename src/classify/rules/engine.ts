// Keyword rules matched on unstemmed lower-case words (see splitWords). A pattern is words
// separated by spaces; a word may be "*"-wrapped to match compounds: "störung*" = starts with,
// "*störung" = ends with, "*störung*" = contains. Markers ("_q", "_emoneg") can be used as words.
import { LABELS, type Label } from '../../types.js'

export interface Rule {
  label: Label
  /** Added to the label's log score when the rule fires (log units; 1 ≈ ×2.7). */
  weight: number
  pattern: string
}

export interface FiredRule {
  id: string
  label: Label
  weight: number
}

type WordTest = (w: string) => boolean

interface CompiledRule {
  id: string
  labelIndex: number
  label: Label
  weight: number
  rest: WordTest[]
}

export interface CompiledRules {
  exact: Map<string, CompiledRule[]>
  scan: Array<{ first: WordTest; rule: CompiledRule }>
  /** word → scan rules whose first word matches it; words repeat a lot, so this is the hot path. */
  scanCache: Map<string, CompiledRule[]>
}

const SCAN_CACHE_MAX = 100_000
const NONE: CompiledRule[] = []

function wordTest(p: string): WordTest {
  const starts = p.endsWith('*')
  const ends = p.startsWith('*')
  const core = p.replace(/^\*|\*$/g, '')
  if (starts && ends) return (w) => w.includes(core)
  if (starts) return (w) => w.startsWith(core)
  if (ends) return (w) => w.endsWith(core)
  return (w) => w === core
}

export function compileRules(lang: string, rules: readonly Rule[]): CompiledRules {
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
    }
    if (first.includes('*')) scan.push({ first: wordTest(first), rule })
    else {
      const list = exact.get(first)
      if (list) list.push(rule)
      else exact.set(first, [rule])
    }
  }
  return { exact, scan, scanCache: new Map() }
}

function restMatches(words: readonly string[], i: number, rest: readonly WordTest[]): boolean {
  if (i + rest.length >= words.length) return false
  for (let j = 0; j < rest.length; j++) if (!rest[j]!(words[i + 1 + j]!)) return false
  return true
}

// Per-label total is capped so a rant full of keywords cannot outweigh everything else forever.
const LABEL_CAP = 6

/**
 * Adds the weights of the rules that fire on `words` into `out` (per label, each rule once,
 * capped per label). With `fired`, also lists them (for explain).
 */
export function applyRules(rules: CompiledRules, words: readonly string[], out: Float64Array, fired?: FiredRule[]): void {
  // Few rules fire per post; an array beats a Set here.
  const hit: CompiledRule[] = []
  const n = words.length
  for (let i = 0; i < n; i++) {
    const w = words[i]!
    const list = rules.exact.get(w)
    if (list !== undefined) {
      for (const r of list) if ((r.rest.length === 0 || restMatches(words, i, r.rest)) && !hit.includes(r)) hit.push(r)
    }
    if (w.length > 4) {
      let scanned = rules.scanCache.get(w)
      if (scanned === undefined) {
        const found = rules.scan.filter((s) => s.first(w)).map((s) => s.rule)
        scanned = found.length ? found : NONE
        if (rules.scanCache.size >= SCAN_CACHE_MAX) rules.scanCache.clear()
        rules.scanCache.set(w, scanned)
      }
      for (const r of scanned) if ((r.rest.length === 0 || restMatches(words, i, r.rest)) && !hit.includes(r)) hit.push(r)
    }
  }
  for (const r of hit) {
    const cur = out[r.labelIndex]!
    out[r.labelIndex] = Math.min(LABEL_CAP, cur + r.weight)
    fired?.push({ id: r.id, label: r.label, weight: r.weight })
  }
}
