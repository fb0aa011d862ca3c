import { describe, expect, it } from 'vitest'

import { binaryF1, bootstrapIntervals, comparePredictions, evaluate, evaluateWithIntervals, fromConfusion } from '../../src/classify/metrics.js'
import { detectDatasetKind, mapAirline, mapComplaints, mapGermeval, toSentiment3 } from '../../src/classify/labels.js'

describe('evaluate', () => {
  // gold a a a b b c ; pred a a b b c c
  // a: tp2 fp0 fn1 → P 1, R 2/3, F1 0.8 ; b: tp1 fp1 fn1 → 0.5 ; c: tp1 fp1 fn0 → P .5 R 1 F1 2/3
  const pairs = [
    ['a', 'a'],
    ['a', 'a'],
    ['a', 'b'],
    ['b', 'b'],
    ['b', 'c'],
    ['c', 'c'],
  ] as const
  const ev = evaluate(pairs, ['a', 'b', 'c'])

  it('computes accuracy and the confusion matrix', () => {
    expect(ev.accuracy).toBeCloseTo(4 / 6)
    expect(ev.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ])
  })

  it.each([
    ['a', 1, 2 / 3, 0.8, 3],
    ['b', 0.5, 0.5, 0.5, 2],
    ['c', 0.5, 1, 2 / 3, 1],
  ])('class %s: P %d R %d F1 %d support %d', (label, p, r, f1, support) => {
    const m = ev.perClass.find((x) => x.label === label)!
    expect(m.precision).toBeCloseTo(p)
    expect(m.recall).toBeCloseTo(r)
    expect(m.f1).toBeCloseTo(f1)
    expect(m.support).toBe(support)
  })

  it('macro-F1 averages the classes that occur', () => {
    expect(ev.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3)
    expect(evaluate([['a', 'a']], ['a', 'b']).macroF1).toBe(1)
  })

  it('binary F1', () => {
    const r = binaryF1([
      [true, true],
      [true, false],
      [false, true],
      [false, false],
    ])
    expect(r).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5 })
  })
})

describe('bootstrap intervals', () => {
  // 200 posts, 150 right: accuracy 0.75; the binomial standard error is ≈0.031, so a 95% interval
  // spans about ±0.06.
  const gold = Array.from({ length: 200 }, (_, i) => (i % 2 ? 'a' : 'b'))
  const right = gold.map((g, i) => (i % 4 === 0 ? (g === 'a' ? 'b' : 'a') : g))
  const pairs = gold.map((g, i) => [g, right[i]!] as const)
  const fixedHalf = right.map((p, i) => (i % 8 === 0 ? gold[i]! : p))

  it('fromConfusion gives what evaluate gives', () => {
    const ev = evaluate(pairs, ['a', 'b'])
    expect(fromConfusion(ev.labels, ev.confusion)).toEqual(ev)
  })

  it('the interval holds the figure and is about as wide as the binomial one', () => {
    const e = evaluateWithIntervals(pairs, ['a', 'b'])
    expect(e.accuracy).toBe(0.75)
    expect(e.intervals.accuracy.low).toBeGreaterThan(0.75 - 0.09)
    expect(e.intervals.accuracy.low).toBeLessThan(0.75 - 0.03)
    expect(e.intervals.accuracy.high).toBeGreaterThan(0.75 + 0.03)
    expect(e.intervals.accuracy.high).toBeLessThan(0.75 + 0.09)
    expect(e.intervals.f1).toHaveLength(2)
    for (const [i, c] of e.perClass.entries()) {
      expect(e.intervals.f1[i]!.low).toBeLessThanOrEqual(c.f1)
      expect(e.intervals.f1[i]!.high).toBeGreaterThanOrEqual(c.f1)
    }
  })

  it.each([
    ['the same seed gives the same interval', { seed: 1 }, { seed: 1 }, 'equal'],
    ['another seed gives another interval', { seed: 1 }, { seed: 2 }, 'different'],
    ['a lower level gives a narrower interval', { level: 0.95 }, { level: 0.5 }, 'narrower'],
  ] as const)('%s', (_, x, y, relation) => {
    const width = (o: object) => {
      const i = evaluateWithIntervals(pairs, ['a', 'b'], o).intervals.accuracy
      return [i.low, i.high] as const
    }
    const [a, b] = [width(x), width(y)]
    if (relation === 'equal') expect(b).toEqual(a)
    if (relation === 'different') expect(b).not.toEqual(a)
    if (relation === 'narrower') expect(b[1] - b[0]).toBeLessThan(a[1] - a[0])
  })

  it.each([
    ['a constant figure', () => [3], { low: 3, high: 3 }],
    ['the share of draws of item 0 among 1 item', (d: Int32Array) => [d.filter((i) => i === 0).length], { low: 1, high: 1 }],
  ])('%s has a zero-width interval', (_, stat, expected) => {
    expect(bootstrapIntervals(1, stat, { reps: 50 })).toEqual([expected])
  })

  it.each([
    ['identical predictions', right, 'unclear', 0],
    ['the first model right on half the posts the second gets wrong', fixedHalf, 'better', 0.125],
  ] as const)('compares %s', (_, first, verdict, accuracyGain) => {
    const c = comparePredictions(gold, first, right, ['a', 'b'])
    expect(c.difference.accuracy.verdict).toBe(verdict)
    expect(c.difference.macroF1.verdict).toBe(verdict)
    expect(c.difference.accuracy.value).toBeCloseTo(accuracyGain)
    expect(c.second.accuracy).toBe(0.75)
    if (verdict === 'unclear') expect([c.difference.accuracy.low, c.difference.accuracy.high]).toEqual([0, 0])
    // Paired: the same draws for both models, so the difference is narrower than either figure's own interval.
    const own = c.second.intervals.accuracy.high - c.second.intervals.accuracy.low
    expect(c.difference.accuracy.high - c.difference.accuracy.low).toBeLessThan(own)
  })

  it('a model worse than the one it is compared with is "worse"', () => {
    const c = comparePredictions(gold, right, gold, ['a', 'b'])
    expect(c.difference.macroF1).toMatchObject({ verdict: 'worse' })
    expect(c.difference.macroF1.high).toBeLessThan(0)
  })
})

describe('dataset label mappings', () => {
  it.each([
    [{ sentiment: 'negative' }, 'complaint'],
    [{ sentiment: 'positive' }, 'praise'],
    [{ sentiment: 'neutral' }, 'other'],
    [{ sentiment: 'mixed' }, null],
  ])('airline %j → %s', (row, label) => expect(mapAirline(row)).toBe(label))

  it.each([
    [{ relevant: true, sentiment: 'negative' }, 'complaint'],
    [{ relevant: true, sentiment: 'positive' }, 'praise'],
    [{ relevant: true, sentiment: 'neutral' }, 'other'],
    [{ relevant: false, sentiment: 'negative' }, 'other'],
  ])('germeval %j → %s', (row, label) => expect(mapGermeval(row)).toBe(label))

  it.each([
    [{ complaint: true }, 'complaint'],
    [{ complaint: false }, 'other'],
  ])('complaints %j → %s', (row, label) => expect(mapComplaints(row)).toBe(label))

  it.each([
    ['outage', 'complaint'],
    ['complaint', 'complaint'],
    ['question', 'other'],
    ['praise', 'praise'],
    ['other', 'other'],
  ] as const)('toSentiment3(%s) = %s', (l, s) => expect(toSentiment3(l)).toBe(s))

  it.each([
    [{ label: 'praise' }, 'listen'],
    [{ complaint: false, domain: 'food' }, 'complaints'],
    [{ relevant: true, sentiment: 'neutral' }, 'germeval'],
    [{ sentiment: 'neutral', airline: 'x' }, 'airline'],
    [{ foo: 1 }, null],
  ])('detectDatasetKind(%j) = %s', (row, kind) => expect(detectDatasetKind(row)).toBe(kind))
})
