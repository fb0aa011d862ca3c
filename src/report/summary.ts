// Reputation summary: counts and shares per label, source and brand, against the previous period of
// equal length; share of voice; the terms that set complaints and outages apart; busiest authors.
import { normalizeText } from '../classify/normalize.js'
import { splitWords } from '../classify/tokenize.js'
import { round } from '../lib/number.js'
import type { GroupCount, Share, Term } from '../models/summary.js'


/** Shares per key of one dimension, this period against the previous (no change when it is not comparable). */
export function summarizeShares(current: readonly GroupCount[], previous: readonly GroupCount[], dim: 'label' | 'source' | 'brand', empty: string, comparable = true): Share[] {
  const tally = (rows: readonly GroupCount[]) => {
    const m = new Map<string, number>()
    for (const r of rows) m.set(r[dim] || empty, (m.get(r[dim] || empty) ?? 0) + r.n)
    return m
  }
  const cur = tally(current)
  const prev = tally(previous)
  const total = [...cur.values()].reduce((s, n) => s + n, 0)
  const keys = new Set([...cur.keys(), ...prev.keys()])
  return [...keys]
    .map((key) => {
      const count = cur.get(key) ?? 0
      const p = prev.get(key) ?? 0
      return { key, count, share: total ? round(count / total, 4) : 0, previous: p, change: p && comparable ? round((count - p) / p, 4) : null }
    })
    .sort((a, b) => b.count - a.count || b.previous - a.previous || a.key.localeCompare(b.key))
}

export function changeOf(count: number, previous: number, comparable = true): number | null {
  return previous && comparable ? round((count - previous) / previous, 4) : null
}

const DAY = 86_400_000
const Q = 900_000

/** UTC days with at least one post, from quarter-hour buckets. */
export function activeDays(buckets: ReadonlyArray<{ bucket: number }>): number {
  return new Set(buckets.map((b) => Math.floor((b.bucket * Q) / DAY))).size
}

/**
 * Is the previous period in the data at all? Imported history often starts inside it (a stray post
 * months earlier, then the real data): "+46,066 %" over 6 posts says nothing. It counts when it has
 * posts on at least half as many days as the current period.
 */
export function isComparable(previousActiveDays: number, currentActiveDays: number): boolean {
  return previousActiveDays > 0 && previousActiveDays * 2 >= currentActiveDays
}

// Function words in English and German, plus the noise of social posts: they are frequent in every
// class, so they could only crowd out the distinctive words.
const STOP = new Set(
  `the and for you your our are was were has have had not but with this that they them their there what when where which who why how can
  will would could should just get got all any out about from into been being its it's also than then too very one more some only
  https http www amp via please thanks thank dm hi hey hello yes yeah
  cant dont didnt doesnt isnt wont wasnt arent im ive ill youre even because after before still now back since
  der die das den dem des ein eine einen einem einer und oder aber ich du er sie wir ihr es ist sind war bin bist hat habe haben
  nicht kein keine mit von für auf aus bei nach vor über unter zum zur noch schon auch nur mal mir mich dir dich uns euch ihnen
  wie was wer wo warum wann dass weil wenn als man sich sein seine ihre ihr mein meine dein deine bitte danke hallo`.split(/\s+/),
)

/** Lower-case content words of a post: markers, handles, URLs, numbers and stop words removed. */
export function termsOf(text: string): string[] {
  return splitWords(normalizeText(text)).filter((w) => w.length >= 3 && w.charCodeAt(0) !== 95 && !STOP.has(w) && !/^\d+$/.test(w))
}

/**
 * Words over-represented in `target` against `rest`: the log-odds ratio with an informative
 * Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words", §3.5), z-scored. The prior,
 * proportional to each word's overall frequency, keeps rare words from topping the list by chance,
 * which raw frequency ratios do; plain counts would only list the words every post uses.
 */
export function distinctiveTerms(target: ReadonlyArray<readonly string[]>, rest: ReadonlyArray<readonly string[]>, o: { limit?: number; minCount?: number; priorWeight?: number } = {}): Term[] {
  const count = (docs: ReadonlyArray<readonly string[]>) => {
    const m = new Map<string, number>()
    let n = 0
    for (const d of docs) for (const w of d) {
      m.set(w, (m.get(w) ?? 0) + 1)
      n++
    }
    return { m, n }
  }
  const a = count(target)
  const b = count(rest)
  const total = a.n + b.n
  if (!a.n) return []
  const alpha0 = o.priorWeight ?? 500
  const minCount = o.minCount ?? 3
  const out: Term[] = []
  for (const [w, ya] of a.m) {
    if (ya < minCount) continue
    const yb = b.m.get(w) ?? 0
    const aw = (alpha0 * (ya + yb)) / total
    const la = Math.log((ya + aw) / (a.n + alpha0 - ya - aw))
    const lb = Math.log((yb + aw) / (b.n + alpha0 - yb - aw))
    const z = (la - lb) / Math.sqrt(1 / (ya + aw) + 1 / (yb + aw))
    if (z > 0) out.push({ term: w, count: ya, background: yb, z: round(z, 2) })
  }
  return out.sort((x, y) => y.z - x.z || x.term.localeCompare(y.term)).slice(0, o.limit ?? 15)
}
