// Which posts a human should label next (listen label --next): uncertainty sampling over the current
// model's scores, spread over guessed classes and sources so one noisy class or platform cannot fill
// the queue, and near-duplicate texts (retweets, copy-paste complaints) offered once.
import { type Label, LABELS } from '../models/mention.js'
import type { Uncertainty } from '../models/label.js'

const LN_K = Math.log(LABELS.length)

/** 0 = the model is sure, 1 = it cannot tell. margin: 1 − (best − second best); entropy: normalised. */
export function uncertaintyOf(scores: Record<Label, number>, strategy: Uncertainty = 'margin'): number {
  let sum = 0
  for (const l of LABELS) sum += Math.max(0, scores[l])
  if (!(sum > 0)) return 1
  if (strategy === 'entropy') {
    let h = 0
    for (const l of LABELS) {
      const p = Math.max(0, scores[l]) / sum
      if (p > 0) h -= p * Math.log(p)
    }
    return h / LN_K
  }
  let a = 0
  let b = 0
  for (const l of LABELS) {
    const p = Math.max(0, scores[l]) / sum
    if (p > a) [a, b] = [p, a]
    else if (p > b) b = p
  }
  return 1 - (a - b)
}

interface Queue {
  guess: Label
  source: string
  items: Array<{ i: number; u: number }>
  next: number
}

export interface Scored {
  source: string
  guess: Label
  scores: Record<Label, number>
  text: string
}

export interface SelectOptions {
  strategy?: Uncertainty
  /**
   * Each post already chosen with the same guess (and, separately, from the same source) multiplies
   * a post's uncertainty by this: 1 = pure uncertainty order, lower = more spread.
   */
  spread?: number
}

export const DEFAULT_SPREAD = 0.85

/**
 * The first six words once links, @handles, u/names and #tags are gone: retweets, cross-posts and
 * copy-paste complaints that differ only in whom they address meet.
 */
export function dedupeKey(text: string): string {
  const key = text
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/(^|\s)(rt\s+)?[@#]\S+|\bu\/\w+/g, ' ')
    .replace(/[\p{P}\p{S}\d]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 6)
    .join(' ')
  // Emoji-only posts have no words: the text itself then.
  return key || text.trim()
}

/**
 * The indices of up to `n` items to label, best first. Greedy: always the most uncertain post left
 * after the spread penalty for its guessed class and its source. Ties keep input order.
 */
export function selectForLabelling(items: readonly Scored[], n: number, o: SelectOptions = {}): number[] {
  const strategy = o.strategy ?? 'margin'
  const spread = o.spread ?? DEFAULT_SPREAD
  if (n <= 0 || !items.length) return []
  // One queue per (guess, source), most uncertain first: a step compares the queue heads only.
  const queues = new Map<string, Queue>()
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!
    const k = `${it.guess}\u0000${it.source}`
    let q = queues.get(k)
    if (!q) queues.set(k, (q = { guess: it.guess, source: it.source, items: [], next: 0 }))
    q.items.push({ i, u: uncertaintyOf(it.scores, strategy) })
  }
  for (const q of queues.values()) q.items.sort((x, y) => y.u - x.u || x.i - y.i)
  const byClass = new Map<string, number>()
  const bySource = new Map<string, number>()
  const seen = new Set<string>()
  const keys = items.map((it) => dedupeKey(it.text))
  const out: number[] = []
  while (out.length < n) {
    let best: { q: Queue; w: number; i: number } | null = null
    for (const q of queues.values()) {
      while (q.next < q.items.length && seen.has(keys[q.items[q.next]!.i]!)) q.next++
      const head = q.items[q.next]
      if (!head) continue
      const w = head.u * spread ** (byClass.get(q.guess) ?? 0) * spread ** (bySource.get(q.source) ?? 0)
      if (!best || w > best.w || (w === best.w && head.i < best.i)) best = { q, w, i: head.i }
    }
    if (!best) break
    best.q.next++
    seen.add(keys[best.i]!)
    byClass.set(best.q.guess, (byClass.get(best.q.guess) ?? 0) + 1)
    bySource.set(best.q.source, (bySource.get(best.q.source) ?? 0) + 1)
    out.push(best.i)
  }
  return out
}
