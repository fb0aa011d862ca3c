import { describe, expect, it } from 'vitest'
import { dedupeKey, type Scored, selectForLabelling, uncertaintyOf } from '../../src/classify/select.js'
import type { Label } from '../../src/models/mention.js'

const s = (outage: number, complaint: number, question: number, praise: number, other: number): Record<Label, number> => ({ outage, complaint, question, praise, other })
let n = 0
/** Distinct words: dedupeKey drops digits. */
const word = () => (n++).toString(26).replace(/./g, (c) => String.fromCharCode(97 + parseInt(c, 26)))
const item = (source: string, guess: Label, scores: Record<Label, number>, text = `${source} ${guess} ${word()}`): Scored => ({ source, guess, scores, text })

describe('uncertaintyOf', () => {
  it.each([
    ['sure', s(1, 0, 0, 0, 0), 'margin', 0],
    ['tie of two', s(0.5, 0.5, 0, 0, 0), 'margin', 1],
    ['0.6 vs 0.3', s(0.6, 0.3, 0.1, 0, 0), 'margin', 0.7],
    ['unnormalised', s(6, 3, 1, 0, 0), 'margin', 0.7],
    ['all zero', s(0, 0, 0, 0, 0), 'margin', 1],
    ['entropy sure', s(1, 0, 0, 0, 0), 'entropy', 0],
    ['entropy uniform', s(0.2, 0.2, 0.2, 0.2, 0.2), 'entropy', 1],
  ] as const)('%s', (_, scores, strategy, want) => {
    expect(uncertaintyOf(scores, strategy)).toBeCloseTo(want, 9)
  })
})

describe('dedupeKey', () => {
  it.each([
    ['RT @anna: App down again! https://t.co/x', 'app down again'],
    ['app DOWN again!!! https://t.co/y', 'app down again'],
    ['@bahn Zug fällt aus 3x', 'zug fällt aus x'],
    ['Neue SIM nach 10 Tagen immer noch nicht da. Was ist da los u/NordwindSupport?', 'neue sim nach tagen immer noch'],
    ['Neue SIM nach 10 Tagen immer noch nicht da. Was ist da los @nordwind? #NordwindMobile', 'neue sim nach tagen immer noch'],
  ])('%s', (text, want) => expect(dedupeKey(text)).toBe(want))
})

describe('selectForLabelling', () => {
  it('takes the least sure first with spread 1', () => {
    const items = [item('x', 'praise', s(0, 0, 0, 0.9, 0.1)), item('x', 'praise', s(0, 0, 0, 0.5, 0.5)), item('x', 'praise', s(0, 0, 0, 0.7, 0.3))]
    expect(selectForLabelling(items, 3, { spread: 1 })).toEqual([1, 2, 0])
  })
  it('spreads over guessed classes', () => {
    const items = [
      ...Array.from({ length: 5 }, (_, i) => item('x', 'complaint', s(0, 0.5 + i * 0.01, 0.5 - i * 0.01, 0, 0))),
      item('x', 'praise', s(0, 0, 0, 0.7, 0.3)),
    ]
    const picked = selectForLabelling(items, 3, { spread: 0.5 })
    expect(picked).toContain(5)
    expect(selectForLabelling(items, 3, { spread: 1 })).not.toContain(5)
  })
  it('spreads over sources', () => {
    const items = [item('x', 'complaint', s(0, 0.5, 0.5, 0, 0)), item('x', 'complaint', s(0, 0.5, 0.5, 0, 0)), item('bluesky', 'complaint', s(0, 0.6, 0.4, 0, 0))]
    expect(selectForLabelling(items, 2, { spread: 0.7 })).toEqual([0, 2])
  })
  it('offers a repeated text once', () => {
    const items = [item('x', 'outage', s(0.5, 0.5, 0, 0, 0), 'RT @a: site down https://t.co/1'), item('x', 'outage', s(0.5, 0.5, 0, 0, 0), 'site down https://t.co/2'), item('x', 'outage', s(0.9, 0.1, 0, 0, 0), 'fine')]
    expect(selectForLabelling(items, 3)).toEqual([0, 2])
  })
  it('returns fewer when the pool is small, none for n 0', () => {
    const items = [item('x', 'other', s(0, 0, 0, 0, 1))]
    expect(selectForLabelling(items, 5)).toEqual([0])
    expect(selectForLabelling(items, 0)).toEqual([])
    expect(selectForLabelling([], 3)).toEqual([])
  })
})
