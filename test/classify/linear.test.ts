import { describe, expect, it } from 'vitest'

import { fmix32, hashPair, hashString } from '../../src/classify/hashing.js'
import {
  FULL_FEATURES,
  LINEAR_WEIGHT_BASE,
  LINEAR_WEIGHT_MAX,
  LINEAR_WEIGHT_PER,
  combineInto,
  combineScores,
  explainLinear,
  extractLinearFeatures,
  linearWeightFor,
  newFeatureBuffer,
  parseLinear,
  predictLinear,
  predictWordsInto,
  serializeLinear,
  trainLinear,
  updateLinear,
  type LinearExample,
  type StoredLinear,
} from '../../src/classify/linear.js'
import { scanWords } from '../../src/classify/scan.js'
import { UsageError } from '../../src/models/errors.js'
import { LABELS, type Label } from '../../src/models/mention.js'

const names = (text: string, lang: 'en' | 'de' = 'en', spec = FULL_FEATURES): string[] => {
  const out: string[] = []
  extractLinearFeatures(scanWords(text), lang, spec, 18, newFeatureBuffer(), out)
  return out
}
const WORDS_ONLY = { words: true, bigrams: true, charMin: 0, charMax: 0, dense: false }

describe('hashing', () => {
  it.each([
    ['', fmix32(0x811c9dc5)],
    ['a', fmix32(Math.imul(0x811c9dc5 ^ 97, 0x01000193))],
  ])('hashString(%j) is FNV-1a finished by fmix32', (s, expected) => {
    expect(hashString(s)).toBe(expected >>> 0)
  })

  it.each([
    ['refund', 'refund', true],
    ['refund', 'refunds', false],
    ['ab', 'ba', false],
  ])('hashString(%j) = hashString(%j): %s', (a, b, same) => {
    expect(hashString(a) === hashString(b)).toBe(same)
  })

  it('seeds give other hashes and the result is unsigned 32-bit', () => {
    expect(hashString('refund', 1)).not.toBe(hashString('refund', 2))
    expect(hashString('refund')).toBeGreaterThanOrEqual(0)
    expect(hashString('refund')).toBeLessThan(2 ** 32)
  })

  it('hashPair depends on order', () => {
    expect(hashPair(1, 2)).not.toBe(hashPair(2, 1))
    expect(hashPair(1, 2)).toBe(hashPair(1, 2))
  })
})

describe('features', () => {
  it.each([
    ['still waiting for my refund', 'en', ['still', 'wait', 'refund', 'wait for', 'my refund']],
    ['not working again', 'en', ['not', 'not_work', 'not_again', 'not work']],
    ['@acme is the app down?', 'en', ['_user', 'app', 'down', '_q', 'the app']],
    ['Zug fällt aus, geht nicht', 'de', ['zug', 'fallt', 'not_geht', 'nicht', 'geht nicht']],
    ['see https://x.y/z now', 'en', ['see', '_url', 'now']],
  ] as const)('words of %j (%s) include %j', (text, lang, expected) => {
    const got = names(text, lang, WORDS_ONLY)
    for (const f of expected) expect(got).toContain(f)
  })

  it.each([
    ['bad', [' b', 'ba', 'ad', 'd ', ' ba', 'bad', 'ad ', ' bad', 'bad ', ' bad ']],
    ['ok', [' o', 'ok', 'k ', ' ok', 'ok ', ' ok ']],
  ])('character 2–5-grams of %j are the space-padded word\'s', (word, expected) => {
    const spec = { words: false, bigrams: false, charMin: 2, charMax: 5, dense: false }
    expect(names(word, 'en', spec).sort()).toEqual([...expected].sort())
  })

  it.each([
    ['@acme where is my parcel?', ['len:4-7', 'reply', 'ends-with-question']],
    ['lovely day', ['len:0-3']],
  ])('dense features of %j', (text, expected) => {
    const got = names(text, 'en', { words: false, bigrams: false, charMin: 0, charMax: 0, dense: true })
    expect(got).toEqual(expected)
  })

  it('gives the same buckets for the same text, in range, and scale 1/√n', () => {
    const a = newFeatureBuffer(4)
    const b = newFeatureBuffer()
    extractLinearFeatures(scanWords('My flight was cancelled and nobody answers the phone'), 'en', FULL_FEATURES, 12, a)
    extractLinearFeatures(scanWords('My flight was cancelled and nobody answers the phone'), 'en', FULL_FEATURES, 12, b)
    expect(a.n).toBeGreaterThan(20)
    expect([...a.idx.subarray(0, a.n)]).toEqual([...b.idx.subarray(0, b.n)])
    for (const i of a.idx.subarray(0, a.n)) expect(i).toBeLessThan(1 << 12)
    expect(a.scale).toBeCloseTo(1 / Math.sqrt(a.n))
  })

  it('keeps languages apart', () => {
    const en = newFeatureBuffer()
    const de = newFeatureBuffer()
    extractLinearFeatures(['app'], 'en', WORDS_ONLY, 18, en)
    extractLinearFeatures(['app'], 'de', WORDS_ONLY, 18, de)
    expect(en.idx[0]).not.toBe(de.idx[0])
  })
})

const TOY: LinearExample[] = [
  ...['my parcel never arrived, terrible', 'charged twice and no refund, awful', 'worst support ever, still waiting', 'terrible service, my order is lost', 'awful, the driver broke my parcel', 'still no refund after weeks, terrible']
    .map((text) => ({ text, lang: 'en', label: 'complaint' as Label })),
  ...['thank you so much, lovely team', 'great help, thanks a lot', 'lovely service, thank you', 'thanks, the team was great', 'great job, lovely people', 'thank you for the quick help']
    .map((text) => ({ text, lang: 'en', label: 'praise' as Label })),
]
const argmax = (s: Record<Label, number>): Label => LABELS.reduce((a, b) => (s[b] > s[a] ? b : a))

describe('training', () => {
  const model = trainLinear(TOY, { bits: 14, seed: 1 })

  it.each([
    ['perceptron', 'terrible, still waiting for my refund', 'complaint'],
    ['perceptron', 'thanks, lovely help', 'praise'],
    ['logreg', 'terrible, still waiting for my refund', 'complaint'],
    ['logreg', 'thanks, lovely help', 'praise'],
  ] as const)('%s separates the toy set: %j → %s', (algorithm, text, label) => {
    const m = trainLinear(TOY, { bits: 14, seed: 1, algorithm })
    expect(argmax(predictLinear(m, text, 'en'))).toBe(label)
  })

  it('returns a distribution, the same on the hot path', () => {
    const p = predictLinear(model, 'my order is lost', 'en')
    expect(LABELS.reduce((a, l) => a + p[l], 0)).toBeCloseTo(1, 10)
    const out = new Float64Array(5)
    predictWordsInto(model, scanWords('my order is lost'), 'en', out)
    expect([...out]).toEqual(LABELS.map((l) => p[l]))
  })

  it('scores with the words learnt in an update made after an earlier prediction (no stale skip of empty buckets)', () => {
    const m = trainLinear(TOY, { bits: 14, seed: 1 })
    const text = 'zugverspätung quokka'
    predictLinear(m, text, 'en')
    updateLinear(m, [{ text, lang: 'en', label: 'outage' }, { text: 'quokka zugverspätung again', lang: 'en', label: 'outage' }])
    const fresh = parseLinear(JSON.parse(JSON.stringify(serializeLinear(m))))
    expect(predictLinear(m, text, 'en')).toEqual(predictLinear(fresh, text, 'en'))
    expect(argmax(predictLinear(m, text, 'en'))).toBe('outage')
  })

  it('counts examples per language and label', () => {
    expect(model.examples).toEqual({ en: 12, de: 0 })
    expect(model.labelCounts).toEqual({ en: [0, 6, 0, 6, 0], de: [0, 0, 0, 0, 0] })
  })

  it('counts base examples apart, at their language\'s weight', () => {
    const base: LinearExample[] = [
      { text: 'the app is down again', lang: 'en', label: 'outage' },
      { text: 'die App geht nicht', lang: 'de', label: 'outage' },
    ]
    const m = trainLinear(TOY, { bits: 12, base, baseWeight: { en: 0.5, de: 0 } })
    expect(m.examples).toEqual({ en: 12, de: 0 })
    expect(m.baseExamples).toEqual({ en: 0.5, de: 0 })
    expect(m.labelCounts.en).toEqual([0.5, 6, 0, 6, 0])
  })

  it('leaves the weights alone for examples of weight 0', () => {
    const m = trainLinear(TOY.map((e) => ({ ...e, weight: 0 })), { bits: 12 })
    expect(m.weights.every((w) => w === 0)).toBe(true)
  })

  it.each([
    [{ text: 'x', label: 'angry' }, /unknown label "angry"/],
    [{ text: 42, label: 'other' }, /"text" must be a string/],
    [{ text: 'x', label: 'other', weight: -1 }, /weight must be a number ≥ 0/],
    [{ text: 'x', label: 'other', offset: [1, 2] }, /offset must have 5 numbers/],
  ])('rejects %j', (example, message) => {
    expect(() => trainLinear([example as unknown as LinearExample], { bits: 10 })).toThrow(message)
  })

  it.each(['perceptron', 'logreg'] as const)('%s moves a prediction with an incremental update', (algorithm) => {
    const m = trainLinear(TOY, { bits: 14, seed: 1, algorithm })
    const text = 'do you deliver to zorbland on sundays'
    const before = predictLinear(m, text, 'en').question
    updateLinear(m, [
      { text: 'do you deliver to zorbland', lang: 'en', label: 'question' },
      { text: 'when do you open in zorbland', lang: 'en', label: 'question' },
    ])
    const after = predictLinear(m, text, 'en')
    expect(after.question).toBeGreaterThan(before + 0.2)
    expect(argmax(after)).toBe('question')
    expect(m.revision).toBe(2)
    expect(m.examples.en).toBe(14)
  })

  it("moves the perceptron's class biases in an update by the team's share of what it learnt", () => {
    const base = TOY.map((e) => ({ ...e, text: `${e.text} base` }))
    const team: LinearExample[] = Array.from({ length: 4 }, (_, i) => ({ text: `where is parcel ${i} zorb`, lang: 'en', label: 'question' }))
    const biasMove = (withBase: boolean): number => {
      const m = trainLinear(withBase ? [] : base, { bits: 14, seed: 1, ...(withBase ? { base, baseWeight: { en: 1 } } : {}) })
      const before = m.bias.slice(0, 5)
      updateLinear(m, team)
      return [...m.bias.slice(0, 5)].reduce((s, b, k) => s + Math.abs(b - before[k]!), 0)
    }
    // The same 12 posts as base (4 team labels are 4/16 of the evidence) and as team labels (all of it).
    expect(biasMove(false)).toBeGreaterThan(0)
    expect(biasMove(true)).toBeLessThan(biasMove(false) * 0.5)
  })

  it.each(['perceptron', 'logreg'] as const)('%s learns a correction to another model with offsets', (algorithm) => {
    // The offset already says complaint for every post; the model only has to learn the praise.
    const offset = [0, 3, 0, 0, 0]
    const m = trainLinear(TOY.map((e) => ({ ...e, offset })), { bits: 14, algorithm })
    const p = predictLinear(m, 'thank you, lovely team', 'en')
    expect(p.praise).toBeGreaterThan(p.complaint)
  })
})

describe('explain', () => {
  it('names the n-gram that decided', () => {
    const m = trainLinear(
      [
        { text: 'where is the refund', lang: 'en', label: 'complaint' },
        { text: 'where is the parcel', lang: 'en', label: 'question' },
        { text: 'the refund is missing', lang: 'en', label: 'complaint' },
        { text: 'the parcel is here', lang: 'en', label: 'question' },
      ],
      { bits: 14, features: WORDS_ONLY, seed: 3 },
    )
    const e = explainLinear(m, 'where is the refund', 'en', 3)
    expect(e.label).toBe('complaint')
    expect(e.top[0]!.feature).toMatch(/refund/)
    expect(e.top.length).toBeLessThanOrEqual(3)
    expect(e.top[0]!.weight).toBeGreaterThan(0)
  })
})

describe('storage', () => {
  const model = trainLinear(TOY, { bits: 12, seed: 2, algorithm: 'logreg' })

  it.each(['perceptron', 'logreg'] as const)('%s round-trips through JSON with the same predictions', (algorithm) => {
    const model = trainLinear(TOY, { bits: 12, seed: 2, algorithm })
    const stored = JSON.parse(JSON.stringify(serializeLinear(model))) as unknown
    const back = parseLinear(stored)
    for (const text of ['terrible refund', 'lovely team', 'is it raining']) expect(predictLinear(back, text, 'en')).toEqual(predictLinear(model, text, 'en'))
    expect(back.examples).toEqual(model.examples)
    expect([...back.adagrad]).toEqual([...model.adagrad])
    // An update after a round trip goes on exactly as it would have in memory.
    const more = [{ text: 'my parcel is lost again', lang: 'en', label: 'complaint' as Label }]
    const a = updateLinear(parseLinear(stored), more)
    const b = updateLinear(parseLinear(JSON.parse(JSON.stringify(serializeLinear(model)))), more)
    expect([...a.weights]).toEqual([...b.weights])
  })

  it('stores only the touched buckets', () => {
    const stored = serializeLinear(model)
    const touched = Buffer.from(stored.buckets, 'base64').byteLength / 4
    expect(touched).toBeGreaterThan(0)
    expect(touched).toBeLessThan(1 << 12)
    expect(Buffer.from(stored.weights, 'base64').byteLength).toBe(touched * 5 * 4)
  })

  const good = (): Record<string, unknown> => JSON.parse(JSON.stringify(serializeLinear(model))) as Record<string, unknown>
  const b64 = (xs: number[], T: typeof Uint32Array | typeof Float32Array) => Buffer.from(new T(xs).buffer).toString('base64')
  it.each<[string, (m: Record<string, unknown>) => unknown, RegExp]>([
    ['not an object', () => 'model', /not an object/],
    ['another format', (m) => ({ ...m, format: 'listen-nb' }), /format is "listen-nb"/],
    ['a newer version', (m) => ({ ...m, version: 2 }), /version 2 is not supported/],
    ['other hashing', (m) => ({ ...m, hashing: 'md5' }), /hashing "md5" is not supported/],
    ['an unknown algorithm', (m) => ({ ...m, algorithm: 'svm' }), /algorithm "svm" is not supported/],
    ['other labels', (m) => ({ ...m, labels: ['a', 'b'] }), /labels differ/],
    ['bits out of range', (m) => ({ ...m, bits: 30 }), /bits must be an integer from 8 to 24/],
    ['bad features', (m) => ({ ...m, features: { words: true } }), /features must have/],
    ['negative examples', (m) => ({ ...m, examples: { en: -1, de: 0 } }), /examples must have/],
    ['short bias', (m) => ({ ...m, bias: [0] }), /bias must be 10 finite numbers/],
    ['label counts of one language only', (m) => ({ ...m, labelCounts: { en: [0, 0, 0, 0, 0] } }), /labelCounts.de must be 5 numbers ≥ 0/],
    ['no base examples', (m) => ({ ...m, baseExamples: undefined }), /baseExamples must have/],
    ['weights not base64', (m) => ({ ...m, weights: '***' }), /weights must be a base64 string/],
    ['weights of the wrong length', (m) => ({ ...m, weights: b64([1, 2, 3], Float32Array) }), /weights has 3 numbers, expected 5 for each/],
    ['a bucket out of range', (m) => ({ ...m, buckets: b64([5000], Uint32Array), weights: b64([0, 0, 0, 0, 0], Float32Array), adagrad: b64([1], Float32Array) }), /bucket 5000 is out of range for 2\^12/],
    ['buckets not ascending', (m) => ({ ...m, buckets: b64([3, 0], Uint32Array), weights: b64(new Array(10).fill(0), Float32Array), adagrad: b64([1, 1], Float32Array) }), /not strictly ascending/],
    ['a NaN weight', (m) => ({ ...m, buckets: b64([3], Uint32Array), weights: b64([0, NaN, 0, 0, 0], Float32Array), adagrad: b64([1], Float32Array) }), /weight 1 of bucket 3 is not a finite number/],
  ])('parse rejects %s', (_name, mutate, message) => {
    const bad = mutate(good())
    expect(() => parseLinear(bad)).toThrow(UsageError)
    expect(() => parseLinear(bad)).toThrow(message)
  })

  it('accepts the untouched stored form', () => {
    expect(() => parseLinear(good() as unknown as StoredLinear)).not.toThrow()
  })
})

describe('combination', () => {
  const tagger: Record<Label, number> = { outage: 0.1, complaint: 0.5, question: 0.2, praise: 0.1, other: 0.1 }
  const linear: Record<Label, number> = { outage: 0.05, complaint: 0.05, question: 0.1, praise: 0.7, other: 0.1 }

  it.each([0.25, 1, 3])('is a distribution at linear weight %s', (w) => {
    const c = combineScores(tagger, linear, { tagger: 1, linear: w })
    expect(LABELS.reduce((a, l) => a + c[l], 0)).toBeCloseTo(1, 10)
    for (const l of LABELS) expect(c[l]).toBeGreaterThanOrEqual(0)
    expect(c.praise).toBeGreaterThan(tagger.praise)
  })

  it("equals the tagger's scores with weight 0", () => {
    expect(combineScores(tagger, linear, { tagger: 1, linear: 0 })).toEqual(tagger)
  })

  it('gives the same on the hot path', () => {
    const out = new Float64Array(5)
    combineInto(LABELS.map((l) => tagger[l]), LABELS.map((l) => linear[l]), { tagger: 1, linear: 2 }, out)
    const c = combineScores(tagger, linear, { tagger: 1, linear: 2 })
    LABELS.forEach((l, k) => expect(out[k]).toBeCloseTo(c[l], 12))
  })

  it('survives a zero probability', () => {
    const c = combineScores({ ...tagger, other: 0 }, linear, { tagger: 1, linear: 1 })
    expect(Number.isFinite(c.other)).toBe(true)
  })

  it.each([
    [0, 0],
    [LINEAR_WEIGHT_PER, 1],
    [100_000, LINEAR_WEIGHT_MAX],
  ])('linearWeightFor a model with %s German team examples gives German %s', (n, w) => {
    const m = trainLinear([], { bits: 8 })
    m.examples.de = n
    expect(linearWeightFor(m, 'de')).toEqual({ tagger: 1, linear: w })
    expect(linearWeightFor(m, 'en').linear).toBe(0)
    expect(linearWeightFor(null, 'de').linear).toBe(0)
  })

  it.each([
    ['en', 0, LINEAR_WEIGHT_BASE.en],
    ['en', 10_000, LINEAR_WEIGHT_MAX],
    ['de', 0, LINEAR_WEIGHT_BASE.de],
  ] as const)('linearWeightFor a model that learnt the %s corpus, with %s team examples, gives %s', (lang, n, w) => {
    const m = trainLinear([], { bits: 8, base: [{ text: lang === 'en' ? 'the app is down' : 'die App geht nicht', lang, label: 'outage' }], baseWeight: { en: 0.3, de: 0.3 } })
    m.examples[lang] = n
    expect(linearWeightFor(m, lang).linear).toBe(Math.min(LINEAR_WEIGHT_MAX, w + n / LINEAR_WEIGHT_PER))
  })
})

describe('pathological text', () => {
  it('one 5 MB word: predict and explain finish, with the word capped like every other token', () => {
    const model = trainLinear([
      { text: 'app is down again', label: 'outage', lang: 'en' },
      { text: 'thanks, great help', label: 'praise', lang: 'en' },
    ])
    const text = `Nordwind ${'xy'.repeat(2_500_000)} down`
    const scores = predictLinear(model, text, 'en')
    expect(Object.values(scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6)
    expect(LABELS).toContain(explainLinear(model, text, 'en').label)
    expect(Math.max(...scanWords(text).map((w) => w.length))).toBe(64)
  })
})
