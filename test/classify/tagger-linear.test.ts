// The linear model inside the tagger: the built-in one, its part in the scores and --explain, and
// how trained versions store it.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { builtinModel as builtinBayes } from '../../src/classify/tagger.js'
import { cloneLinear, explainLinear, LINEAR_WEIGHT_BASE, predictLinear, serializeLinear, updateLinear } from '../../src/classify/linear.js'
import { parseTaggerModels, serializeTaggerModels, TAGGER_FORMAT } from '../../src/classify/stored.js'
import { builtinLinear, corpusDigest, createTagger, trainBuiltinLinear } from '../../src/classify/tagger.js'
import { activeTagSpec } from '../../src/ingest/tag-spec.js'
import { createTagFn, loadActiveTagger } from '../../src/ingest/tagging.js'
import type { MentionInput } from '../../src/models/mention.js'
import { openStore } from '../../src/store/open.js'
import { runClassifyText, runTrain } from '../helpers/flags.js'
import { useTempDir } from '../helpers/tmp.js'
import { testContext } from '../commands/context.js'

const tmp = useTempDir()
const bare = createTagger(builtinBayes(), {}, null)
const mixed = createTagger()

describe('built-in linear model', () => {
  it('is trained on the built-in corpus only, English weighed in and German left to the team', () => {
    const m = builtinLinear()
    expect(m.examples).toEqual({ en: 0, de: 0 })
    expect(m.baseExamples.en).toBeGreaterThan(0)
    expect(m.baseExamples.de).toBe(0)
    expect(mixed.linear).toBe(m)
  })

  it('training it again gives the same weights (what the build writes is what a process would train)', () => {
    expect(serializeLinear(trainBuiltinLinear()).weights).toBe(serializeLinear(builtinLinear()).weights)
  })

  it('the corpus digest is a sha256 that changes with the corpus files', () => {
    expect(corpusDigest()).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe('the mix', () => {
  it('moves English scores towards the linear model, and leaves German ones alone while it has no German', () => {
    const en = 'my parcel never arrived and nobody answers the phone'
    const a = bare.classify(en, 'en').scores
    const b = mixed.classify(en, 'en').scores
    const lin = predictLinear(builtinLinear(), en, 'en')
    expect(b).not.toEqual(a)
    // p ∝ tagger · linear^w: log odds add up.
    const w = LINEAR_WEIGHT_BASE.en
    expect(Math.log(b.complaint / b.other)).toBeCloseTo(Math.log(a.complaint / a.other) + w * Math.log(lin.complaint / lin.other), 6)
    expect(LINEAR_WEIGHT_BASE.de).toBe(0)
    const de = 'Mein Paket ist nie angekommen und keiner geht ans Telefon'
    expect(mixed.classify(de, 'de').scores).toEqual(bare.classify(de, 'de').scores)
  })

  it('explain gives the same scores as classify, and names the n-grams that weighed most', () => {
    const text = '@Acme the app keeps crashing since the update'
    const e = mixed.explain(text, 'en')
    const c = mixed.classify(text, 'en')
    for (const l of Object.keys(c.scores) as Array<keyof typeof c.scores>) expect(e.scores[l]).toBeCloseTo(c.scores[l], 10)
    expect(e.topNgrams.length).toBeGreaterThan(0)
    expect(e.topNgrams.length).toBeLessThanOrEqual(10)
    expect(e.topNgrams.map((t) => t.feature)).toContain('crashing…')
    const ws = e.topNgrams.map((t) => t.weight)
    expect([...ws].sort((x, y) => y - x)).toEqual(ws)
    expect(bare.explain(text, 'en').topNgrams).toEqual([])
    expect(mixed.explain('Die App stürzt ständig ab', 'de').topNgrams).toEqual([])
  })
})

describe('stored versions', () => {
  it('round-trip both models; a version stored before the linear model reads with the built-in one', () => {
    const stored = JSON.parse(JSON.stringify(serializeTaggerModels(builtinBayes(), builtinLinear())))
    expect(stored.format).toBe(TAGGER_FORMAT)
    const back = parseTaggerModels(stored)
    expect(serializeLinear(back.linear!)).toEqual(serializeLinear(builtinLinear()))
    expect(parseTaggerModels(JSON.parse(JSON.stringify(builtinBayes())))).toMatchObject({ linear: null })
    expect(() => parseTaggerModels({ ...stored, version: 9 })).toThrow(/version 9 is not supported/)
    expect(() => parseTaggerModels({ ...stored, linear: { ...stored.linear, bits: 99 } })).toThrow(/stored linear tagger model is invalid: bits/)
  })

  it('listen train teaches the linear model too (50 labels move it), stores it, and the reader thread gets it', async () => {
    const dir = tmp()
    const { ctx } = testContext(dir)
    const f = join(dir, 'labels.jsonl')
    // A word the corpus never saw, inside a plain sentence: 50 labels say it means praise.
    const rows = Array.from({ length: 50 }, (_, i) => ({ text: `the blorvex ${i} was here today`, label: i % 5 === 0 ? 'other' : 'praise', lang: 'en' }))
    writeFileSync(f, rows.map((r) => JSON.stringify(r)).join('\n'))
    const before = predictLinear(builtinLinear(), 'the blorvex was here today', 'en').praise
    await runTrain({ files: [f] }, ctx)
    const db = await openStore(ctx.config.database, { create: false })
    try {
      const { json } = await db.models.activeModel()
      const { linear } = parseTaggerModels(json)
      expect(linear).not.toBeNull()
      expect(linear!.examples.en).toBe(50)
      expect(linear!.baseExamples.en).toBe(builtinLinear().baseExamples.en)
      expect(predictLinear(linear!, 'the blorvex was here today', 'en').praise).toBeGreaterThan(before + 0.2)
      // The built-in model is shared: training must not have changed it.
      expect(predictLinear(builtinLinear(), 'the blorvex was here today', 'en').praise).toBe(before)
      const tagger = await loadActiveTagger(db)
      const spec = await activeTagSpec(db)
      const m: MentionInput = { source: 'x', id: '1', brand: 'Acme', createdAt: 0, author: null, authorId: null, text: 'the blorvex was here today', url: null, lang: 'en', inReplyTo: null, threadId: null, byBrand: false, raw: null }
      createTagFn(JSON.parse(JSON.stringify(spec)))(m)
      expect(m.scores).toEqual(Object.fromEntries(Object.entries(tagger.classify(m.text, 'en').scores).map(([k, v]) => [k, Math.round(v * 1e4) / 1e4])))
    } finally {
      await db.close()
    }
    expect((await runClassifyText({ text: 'the blorvex was here today', lang: 'en', explain: true }, ctx)).topNgrams?.map((t) => t.feature)).toContain('blorvex…')
  })

  it('human labels reach the linear model of the active tagger, without changing the built-in one', async () => {
    const dir = tmp()
    const { ctx } = testContext(dir)
    const db = await openStore(ctx.config.database, { create: true })
    const text = 'the quenbrick thing again'
    try {
      const mention = (id: string): MentionInput => ({ source: 'x', id, brand: 'Acme', createdAt: 0, author: null, authorId: null, text: `${text} ${id}`, url: null, lang: 'en', inReplyTo: null, threadId: null, byBrand: false, raw: null })
      await db.mentions.upsertMentions(Array.from({ length: 40 }, (_, i) => mention(String(i))))
      expect((await loadActiveTagger(db)).linear).toBe(builtinLinear())
      const before = predictLinear(builtinLinear(), text, 'en').question
      for (let i = 0; i < 40; i++) await db.models.saveHumanLabel('x', String(i), 'question', 'tester', i)
      const tagger = await loadActiveTagger(db)
      expect(tagger.linear).not.toBe(builtinLinear())
      expect(tagger.linear!.examples.en).toBe(40)
      const after = predictLinear(tagger.linear!, text, 'en')
      // The perceptron stops at the first right answer, and with a base corpus the class biases move little (updateLinear).
      expect(Object.entries(after).sort((a, b) => b[1] - a[1])[0]![0]).toBe('question')
      expect(after.question).toBeGreaterThan(before + 0.15)
      expect(predictLinear(builtinLinear(), text, 'en').question).toBe(before)
    } finally {
      await db.close()
    }
  })
})

describe('thread context', () => {
  it('mentionsToTag and humanExamples say which posts follow up a brand post', async () => {
    const dir = tmp()
    const { ctx } = testContext(dir)
    const db = await openStore(ctx.config.database, { create: true })
    try {
      const m = (id: string, over: Partial<MentionInput>): MentionInput => ({ source: 'x', id, brand: 'Acme', createdAt: Number(id), author: null, authorId: null, text: `post ${id}`, url: null, lang: 'en', inReplyTo: null, threadId: null, byBrand: false, raw: null, ...over })
      await db.mentions.upsertMentions([
        m('1', {}),
        m('2', { byBrand: true, inReplyTo: '1', threadId: '1' }),
        m('3', { inReplyTo: '2', threadId: '1' }),
        m('4', { inReplyTo: '1', threadId: '1' }),
        m('5', { inReplyTo: '99', threadId: '99' }),
      ])
      const rows = await db.models.mentionsToTag('all', 0, 10)
      expect(rows.map((r) => [r.id, r.inReplyTo, r.threadId, r.parentByBrand])).toEqual([
        ['1', null, null, false],
        ['2', '1', '1', false],
        ['3', '2', '1', true],
        ['4', '1', '1', false],
        ['5', '99', '99', false],
      ])
      await db.models.saveHumanLabel('x', '3', 'other', null, 1)
      await db.models.saveHumanLabel('x', '4', 'other', null, 2)
      expect((await db.models.humanExamples()).map((e) => [e.text, e.followUp])).toEqual([
        ['post 3', true],
        ['post 4', false],
      ])
    } finally {
      await db.close()
    }
  })

  it('the linear model learns a follow-up as a feature of its own, and explain names it', () => {
    const text = 'ok, the order number is 4411'
    const base = builtinLinear()
    const examples = Array.from({ length: 30 }, (_, i) => ({ text: `${text} ${i}`, label: 'other' as const, lang: 'en', followUp: true }))
    const m = updateLinear(cloneLinear(base), [...examples, ...Array.from({ length: 30 }, (_, i) => ({ text: `${text} ${i}`, label: 'question' as const, lang: 'en', followUp: false }))])
    expect(predictLinear(m, text, 'en', true).other).toBeGreaterThan(predictLinear(m, text, 'en', false).other)
    const t = createTagger(builtinBayes(), {}, m)
    expect(t.classify(text, 'en', { followUp: true }).scores).toEqual(t.explain(text, 'en', { followUp: true }).scores)
    expect(t.classify(text, 'en', { followUp: true }).scores).not.toEqual(t.classify(text, 'en').scores)
    // Named among the features when the post is a follow-up, and only then.
    const e = explainLinear(m, text, 'en', 1000, true, true)
    expect(e.top.map((f) => f.feature)).toContain('thread:follow-up')
    expect(explainLinear(m, text, 'en', 1000, true, false).top.map((f) => f.feature)).not.toContain('thread:follow-up')
  })
})

describe('other languages', () => {
  it.each([
    ["Votre application ne marche plus depuis ce matin, c'est inadmissible", 'fr', true],
    ['¿Por qué no funciona la aplicación desde esta mañana? Nadie contesta', 'es', true],
    ['the app has not worked since this morning and nobody answers', 'en', false],
    ['Die App funktioniert seit heute Morgen nicht mehr und keiner antwortet', 'de', false],
  ] as const)('%s → lang %s, lowConfidence %s', (text, lang, low) => {
    const r = mixed.classify(text)
    expect(r.lang).toBe(lang)
    expect(r.lowConfidence).toBe(low)
    expect(mixed.explain(text).lowConfidence).toBe(low)
  })

  it('leave the English linear model out: its n-grams mean nothing there', () => {
    const fr = "Votre application ne marche plus depuis ce matin, c'est inadmissible"
    expect(mixed.classify(fr).scores).toEqual(bare.classify(fr).scores)
    expect(mixed.explain(fr).topNgrams).toEqual([])
  })
})
