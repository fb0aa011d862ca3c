import { describe, expect, it } from 'vitest'

import { wordSignals } from '../../src/classify/fast.js'
import { valenceOf } from '../../src/classify/lexicon.js'
import { normalizeText } from '../../src/classify/normalize.js'
import { createTagger } from '../../src/classify/tagger.js'
import { splitWords } from '../../src/classify/tokenize.js'

const negative = (text: string, lang: 'en' | 'de') => wordSignals(splitWords(normalizeText(text)), lang, 0).negative

describe('sentiment lexicon (AFINN-165)', () => {
  it.each([
    ['unhappy', 'en', -0.4],
    ['nasty', 'en', -0.6],
    ['dont', 'en', 0],
    ['amazing', 'en', 0.8],
    ['lighthouse', 'en', 0],
    ['schlecht', 'de', 0],
  ] as const)('%s (%s) → %d', (word, lang, v) => {
    expect(valenceOf(word, lang)).toBeCloseTo(v, 9)
  })

  it.each([
    ['@Acme so unhappy with the nasty staff', 'en', 1],
    ['@Acme not bad at all', 'en', 0],
    ["@Acme I'm not happy", 'en', 0.6],
    ['@Acme not. happy', 'en', 0],
    ['@Acme thanks, great job', 'en', 0],
    ['@Acme sehr unzufrieden', 'de', 0],
  ] as const)('%j (%s) has negative mass %d', (text, lang, mass) => {
    expect(negative(text, lang)).toBeCloseTo(mass, 9)
  })

  it('pushes an unhappy post the corpus has no words for towards complaint, and explain says so', () => {
    const t = createTagger()
    const text = '@Acme heart rate monitor on my watch is terribly inaccurate'
    expect(t.classify(text, 'en').label).toBe('complaint')
    const ex = t.explain(text, 'en')
    expect(ex.rulesFired.find((r) => r.id === 'en:complaint:negative-words')?.weight).toBeCloseTo(3 * Math.log1p(0.6), 9)
    expect(createTagger(undefined, { negativeWords: { en: 0, de: 0 } }).explain(text, 'en').rulesFired.map((r) => r.id)).not.toContain('en:complaint:negative-words')
  })
})
