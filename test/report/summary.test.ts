import { describe, expect, it } from 'vitest'
import { activeDays, distinctiveTerms, isComparable, summarizeShares, termsOf } from '../../src/report/summary.js'

describe('termsOf', () => {
  it.each([
    ['@AcmeHelp my internet is DOWN again!!! https://t.co/x', ['internet', 'down', 'again']],
    ['Seit 3 Stunden kein Netz in Köln, was ist da los?', ['seit', 'stunden', 'netz', 'köln', 'los']],
  ])('%s → %j', (text, terms) => expect(termsOf(text)).toEqual(terms))
})

describe('distinctiveTerms', () => {
  it('ranks words of complaints above words every post uses', () => {
    const target = [...Array(20)].map((_, i) => ['router', 'acme', i % 2 ? 'outage' : 'broken'])
    const rest = [...Array(200)].map((_, i) => ['acme', i % 3 ? 'love' : 'router'])
    const terms = distinctiveTerms(target, rest)
    expect(terms.map((t) => t.term).slice(0, 2).sort()).toEqual(['broken', 'outage'])
    expect(terms.find((t) => t.term === 'acme')).toBeUndefined() // everywhere: not distinctive
    expect(terms[0]!.z).toBeGreaterThan(2)
  })

  it('needs a word to appear a few times', () => {
    expect(distinctiveTerms([['once', 'twice'], ['twice']], [['other']], { minCount: 2 }).map((t) => t.term)).toEqual(['twice'])
  })
})

describe('summarizeShares', () => {
  it('gives shares and change against the previous period', () => {
    const cur = [
      { source: 'x', brand: 'Acme', label: 'complaint', n: 30 },
      { source: 'x', brand: 'Beta', label: '', n: 10 },
    ]
    const prev = [{ source: 'x', brand: 'Acme', label: 'complaint', n: 20 }]
    expect(summarizeShares(cur, prev, 'brand', '(none)')).toEqual([
      { key: 'Acme', count: 30, share: 0.75, previous: 20, change: 0.5 },
      { key: 'Beta', count: 10, share: 0.25, previous: 0, change: null },
    ])
    expect(summarizeShares(cur, prev, 'label', 'untagged').map((s) => s.key)).toEqual(['complaint', 'untagged'])
  })
})

describe('the previous period', () => {
  it.each([
    [0, 10, false],
    [5, 55, false],
    [5, 10, true],
    [28, 28, true],
    [3, 3, true],
  ])('%i active days before, %i now: comparable %s', (previous, current, comparable) => expect(isComparable(previous, current)).toBe(comparable))
  it('counts UTC days with posts from quarter-hour buckets', () => {
    const day = 86_400_000 / 900_000
    expect(activeDays([{ bucket: 0 }, { bucket: 5 }, { bucket: day }, { bucket: 3 * day + 1 }])).toBe(3)
  })
})
