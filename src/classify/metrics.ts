import type { Evaluation, ClassMetrics, Interval, EvaluationIntervals, PairedEvaluation, Difference } from '../models/tagger.js'

// Pure evaluation: accuracy, per-class precision/recall/F1, macro-F1 and a confusion matrix.
const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b)

/**
 * Scores (gold, predicted) pairs. `labels` fixes the order of rows/columns; labels that appear
 * in neither gold nor predictions are left out of macro-F1 (they have no defined F1).
 */
export function evaluate(pairs: Iterable<readonly [gold: string, predicted: string]>, labels?: readonly string[]): Evaluation {
  const list = [...pairs]
  const order = labels ? [...labels] : []
  for (const [g, p] of list) {
    if (!order.includes(g)) order.push(g)
    if (!order.includes(p)) order.push(p)
  }
  const index = new Map(order.map((l, i) => [l, i]))
  const confusion = order.map(() => new Array<number>(order.length).fill(0))
  for (const [g, p] of list) confusion[index.get(g)!]![index.get(p)!]! += 1
  return fromConfusion(order, confusion)
}

/** The figures of a confusion matrix (confusion[gold][predicted], in `labels` order). */
export function fromConfusion(labels: string[], confusion: number[][]): Evaluation {
  let total = 0
  let correct = 0
  confusion.forEach((row, i) => {
    for (const n of row) total += n
    correct += row[i]!
  })
  const perClass: ClassMetrics[] = labels.map((label, i) => {
    const tp = confusion[i]![i]!
    const support = confusion[i]!.reduce((a, b) => a + b, 0)
    const predicted = confusion.reduce((a, row) => a + row[i]!, 0)
    const precision = ratio(tp, predicted)
    const recall = ratio(tp, support)
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support }
  })
  const present = perClass.filter((m, i) => m.support > 0 || confusion.some((row) => row[i]! > 0))
  const macroF1 = ratio(
    present.reduce((a, m) => a + m.f1, 0),
    present.length,
  )
  return { labels, total, accuracy: ratio(correct, total), perClass, macroF1, confusion }
}

/** F1 of one class treated as positive against everything else. */
export function binaryF1(pairs: Iterable<readonly [gold: boolean, predicted: boolean]>): { precision: number; recall: number; f1: number } {
  let tp = 0
  let fp = 0
  let fn = 0
  for (const [g, p] of pairs) {
    if (g && p) tp++
    else if (p) fp++
    else if (g) fn++
  }
  const precision = ratio(tp, tp + fp)
  const recall = ratio(tp, tp + fn)
  return { precision, recall, f1: ratio(2 * precision * recall, precision + recall) }
}

export interface BootstrapOptions {
  /** Resamples (default 1000). */
  reps?: number
  /** Coverage of the interval (default 0.95). */
  level?: number
  /** Fixed by default, so the same file gives the same interval on every run. */
  seed?: number
}

export const BOOTSTRAP = { reps: 1000, level: 0.95, seed: 1 } as const

/** mulberry32: a small seeded generator; Math.random cannot be seeded. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Percentile bootstrap intervals (Efron & Tibshirani 1993, ch. 13): n items are drawn with
 * replacement `reps` times, `stat` turns each draw (the drawn item indices) into figures, and each
 * figure's interval runs from its (1−level)/2 to its (1+level)/2 quantile over the draws. On a few
 * hundred posts a macro-F1 moves by several points between samples; the interval says how many.
 */
export function bootstrapIntervals(n: number, stat: (draw: Int32Array) => readonly number[], o: BootstrapOptions = {}): Interval[] {
  const reps = o.reps ?? BOOTSTRAP.reps
  const level = o.level ?? BOOTSTRAP.level
  const next = seeded(o.seed ?? BOOTSTRAP.seed)
  const figures: number[][] = []
  const draw = new Int32Array(n)
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < n; i++) draw[i] = Math.floor(next() * n)
    stat(draw).forEach((v, k) => (figures[k] ??= []).push(v))
  }
  const lowAt = Math.floor(((1 - level) / 2) * reps)
  const highAt = Math.min(reps - 1, Math.ceil(((1 + level) / 2) * reps) - 1)
  return figures.map((d) => {
    d.sort((x, y) => x - y)
    return { low: d[lowAt]!, high: d[highAt]! }
  })
}

/** A resample's confusion matrix from per-item cell codes (gold × k + predicted). */
function drawConfusion(codes: Int32Array, k: number, draw: Int32Array): number[][] {
  const cells = new Array<number>(k * k).fill(0)
  for (let i = 0; i < draw.length; i++) cells[codes[draw[i]!]!]! += 1
  return Array.from({ length: k }, (_, g) => cells.slice(g * k, g * k + k))
}

/** Each pair's confusion cell (gold × k + predicted) for the evaluation's labels. */
function cellCodes(pairs: readonly (readonly [string, string])[], labels: readonly string[]): Int32Array {
  const index = new Map(labels.map((l, i) => [l, i]))
  return Int32Array.from(pairs, ([g, p]) => index.get(g)! * labels.length + index.get(p)!)
}

/** `evaluate` plus bootstrap intervals of accuracy, macro-F1 and each class's F1. */
export function evaluateWithIntervals(
  pairs: readonly (readonly [gold: string, predicted: string])[],
  labels?: readonly string[],
  o?: BootstrapOptions,
): Evaluation & { intervals: EvaluationIntervals } {
  const ev = evaluate(pairs, labels)
  const [intervals] = resampledIntervals(ev.labels, [cellCodes(pairs, ev.labels)], o)
  return { ...ev, intervals: intervals! }
}

/**
 * Two taggers' predictions on the same gold labels. Both are resampled with the same draws, so the
 * interval of their difference leaves out how hard the posts are and keeps what the models change.
 */
export function comparePredictions(
  gold: readonly string[],
  first: readonly string[],
  second: readonly string[],
  labels: readonly string[],
  o?: BootstrapOptions,
): PairedEvaluation {
  const pairsA = zip(gold, first)
  const pairsB = zip(gold, second)
  const order = [...labels]
  for (const l of [...gold, ...first, ...second]) if (!order.includes(l)) order.push(l)
  const [a, b, d] = resampledIntervals(order, [cellCodes(pairsA, order), cellCodes(pairsB, order)], o)
  const A = { ...evaluate(pairsA, order), intervals: a! }
  const B = { ...evaluate(pairsB, order), intervals: b! }
  const diff = (value: number, i: Interval): Difference => ({ value, ...i, verdict: i.low > 0 ? 'better' : i.high < 0 ? 'worse' : 'unclear' })
  return {
    first: A,
    second: B,
    difference: {
      accuracy: diff(A.accuracy - B.accuracy, d!.accuracy),
      macroF1: diff(A.macroF1 - B.macroF1, d!.macroF1),
      f1: A.perClass.map((c, i) => diff(c.f1 - B.perClass[i]!.f1, d!.f1[i]!)),
    },
  }
}

const zip = (xs: readonly string[], ys: readonly string[]): Array<[string, string]> => xs.map((x, i) => [x, ys[i]!])

/** The figures bootstrapped per evaluation, in the order splitIntervals reads them. */
const figuresOf = (e: Evaluation): number[] => [e.accuracy, e.macroF1, ...e.perClass.map((c) => c.f1)]

/**
 * Bootstrap intervals of the figures of each prediction list (as cellCodes), all resampled with the
 * same draws; with two lists, a third block holds the intervals of first − second.
 */
function resampledIntervals(labels: string[], codes: readonly Int32Array[], o?: BootstrapOptions): EvaluationIntervals[] {
  const k = labels.length
  const intervals = bootstrapIntervals(
    codes[0]!.length,
    (draw) => {
      const [fa, fb] = codes.map((c) => figuresOf(fromConfusion(labels, drawConfusion(c, k, draw))))
      return fb ? [...fa!, ...fb, ...fa!.map((x, i) => x - fb[i]!)] : fa!
    },
    o,
  )
  return splitIntervals(intervals, k)
}

/** Intervals of consecutive figuresOf blocks (k classes each) → one EvaluationIntervals per block. */
function splitIntervals(all: Interval[], k: number): EvaluationIntervals[] {
  const out: EvaluationIntervals[] = []
  for (let at = 0; at < all.length; at += k + 2) out.push({ accuracy: all[at]!, macroF1: all[at + 1]!, f1: all.slice(at + 2, at + 2 + k) })
  return out
}
