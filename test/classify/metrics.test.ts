import { describe, expect, it } from 'vitest'

import { binaryF1, evaluate } from '../../src/classify/metrics.js'
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
