import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { builtinTopics, createTopicClassifier, keywordMatches, topicClassifierFor, trainBuiltinTopicModel } from '../../src/care/topics.js'
import { configSchema, topicsSchema } from '../../src/config/schema.js'

describe('keywordMatches', () => {
  it.each([
    ['refund', 'refunded', 'en', true],
    ['refund', 'refunds', 'en', true],
    ['bill', 'billboard', 'en', false],
    ['charged', 'charger', 'en', false],
    ['app', 'apps', 'en', true],
    ['app', 'appreciate', 'en', false],
    ['app', 'appetit', 'de', false],
    ['liefer', 'lieferverzögerung', 'de', true],
    ['abbuch', 'abbuchung', 'de', true],
    ['konto', 'kundenkonto', 'de', true],
    ['rechnung', 'handyrechnungen', 'de', true],
    ['gebühr', 'roaminggebühren', 'de', true],
    ['antwort', 'verantwortlich', 'de', false],
    ['paket', 'paketzustellung', 'de', true],
  ] as const)('%s in %s (%s): %s', (kw, word, lang, want) => {
    expect(keywordMatches(kw, word, lang)).toBe(want)
  })
})

describe('the built-in taxonomy', () => {
  const c = topicClassifierFor(null)
  it('has the seven default topics, "other" last', () => {
    expect(c.topics).toEqual(['billing', 'delivery', 'technical', 'account', 'product', 'service', 'other'])
    expect(builtinTopics().every((t) => t.examples.en.length >= 10 && t.examples.de.length >= 10)).toBe(true)
  })
  it('is read as the config schema reads a taxonomy (it is not validated at run time)', () => {
    const raw = JSON.parse(readFileSync(new URL('../../data/topics/default.json', import.meta.url), 'utf8')) as { topics: unknown }
    expect(builtinTopics()).toEqual(topicsSchema.parse(raw.topics))
  })
  it.each([
    ['Schon wieder eine Lieferverzögerung, langsam reicht es', 'de', 'delivery', 'keyword'],
    ['Doppelte Abbuchung auf meinem Konto??', 'de', 'billing', 'keyword'],
    ['@Telvio the app crashes every time I open it', 'en', 'technical', 'keyword'],
    ['I got locked out after the password reset', 'en', 'account', 'keyword'],
    ['Wie ändere ich die E-Mail in meinem Kundenkonto?', 'de', 'account', 'keyword'],
    ['the courier left my parcel in the rain', 'en', 'delivery', 'keyword'],
  ] as const)('%s → %s by %s', (text, lang, topic, source) => {
    expect(c.classify(text, lang)).toEqual({ topic, source })
  })
  it('falls back to the model when no keyword matches, and explains both', () => {
    const text = 'my refund never arrived and the courier lost the parcel'
    const e = c.explain(text, 'en')
    expect(e.keywords.map((k) => `${k.keyword}:${k.topic}`)).toEqual(expect.arrayContaining(['refund:billing', 'courier:delivery', 'parcel:delivery']))
    expect(e.topic).toBe('delivery')
    expect(e.source).toBe('keyword')
    expect(Object.keys(e.scores)).toEqual(c.topics)
    expect(e.top.length).toBeGreaterThan(0)
    expect(e.top.every((f, i) => i === 0 || f.weight <= e.top[i - 1]!.weight)).toBe(true)
    const plain = c.explain('congrats on the new logo, love it', 'en')
    expect(plain).toMatchObject({ source: 'model', keywords: [] })
    expect(plain.topic).toBe(plain.modelTopic)
  })
  it('is the same classifier for the same taxonomy (trained once)', () => {
    expect(topicClassifierFor(null)).toBe(c)
  })
})

describe('the built-in model stored at build time', () => {
  const texts = [
    'Where is my parcel? Tracking has said out for delivery since Monday',
    'Ich wurde doppelt abgebucht, bitte um Erstattung',
    'the new headphones broke after two days',
    'cannot log in, password reset mail never comes',
    'Die App stürzt seit dem Update ständig ab',
    'your agent at the counter was really rude',
    'lovely weather today',
  ]

  it('classifies and explains every post as the model trained in the process does', () => {
    const trained = createTopicClassifier(builtinTopics())
    const stored = createTopicClassifier(builtinTopics(), JSON.parse(JSON.stringify(trainBuiltinTopicModel())))
    for (const t of texts) expect(stored.explain(t), t).toEqual(trained.explain(t))
  })

  it('keeps only the buckets that hold weights', () => {
    const m = trainBuiltinTopicModel()
    expect(m.k).toBe(7)
    expect(m.buckets.length).toBeGreaterThan(1000)
    expect(m.buckets.length).toBeLessThan(65_536 / 4)
    expect(m.weights).toHaveLength(m.buckets.length * 7)
  })

  it('is refused for a taxonomy with another number of topics', () => {
    const defs = builtinTopics().slice(0, 3)
    expect(() => createTopicClassifier(defs, trainBuiltinTopicModel())).toThrow('topic model: built for 7 topics, the taxonomy has 4')
  })
})

describe('a taxonomy from the config', () => {
  it('is validated with the key path, and "other" is added when missing', () => {
    const bad = configSchema.safeParse({ topics: [{ name: 'Checkout Page', keywords: { en: ['checkout'] } }] })
    expect(bad.success).toBe(false)
    expect(bad.error!.issues[0]!.path).toEqual(['topics', 0, 'name'])
    const dup = configSchema.safeParse({ topics: [{ name: 'a' }, { name: 'a' }] })
    expect(dup.success).toBe(false)
    const parsed = configSchema.parse({ topics: [{ name: 'checkout', keywords: { en: ['checkout', 'basket'], de: ['warenkorb', 'kasse'] } }, { name: 'loyalty', keywords: { de: ['punkte'] } }] })
    const c = createTopicClassifier(parsed.topics!)
    expect(c.topics).toEqual(['checkout', 'loyalty', 'other'])
    expect(c.classify('Der Warenkorb leert sich von selbst', 'de')).toEqual({ topic: 'checkout', source: 'keyword' })
    expect(c.classify('Meine Treuepunkte sind weg', 'de')).toEqual({ topic: 'loyalty', source: 'keyword' })
    // No examples: no model, so a post without a keyword is "other".
    expect(c.classify('lovely weather today', 'en')).toEqual({ topic: 'other', source: 'model' })
  })
  it('matches phrases as whole words', () => {
    const c = createTopicClassifier([{ name: 'late', keywords: { en: ['out for delivery'], de: [] }, examples: { en: [], de: [] } }])
    expect(c.classify('it has been out for delivery since Monday', 'en').topic).toBe('late')
    expect(c.classify('out for a delivery run', 'en').topic).toBe('other')
  })
})
