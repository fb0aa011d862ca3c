// The built-in naive Bayes model's scoring tables are compiled at build time and read back in every
// tagging process (tagger.ts builtinModel): what is read back must be what compiling gives.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cloneModel, compileModel, parseCompiled, serializeCompiled, trainModel } from '../../src/classify/bayes.js'
import { type BuiltinTablesMeta, corpusDigest, createTagger, DEFAULT_COMPILE, trainBuiltinModel } from '../../src/classify/tagger.js'

const ROOT = join(import.meta.dirname, '../..')
const BUILT = join(ROOT, 'dist/classify/builtin-tables.bin')
const model = trainBuiltinModel()
const compiled = compileModel(model, DEFAULT_COMPILE)

describe('compiled naive Bayes tables', () => {
  it('read back equal to what compileModel made: rows, feature index, bigram pairs, priors', () => {
    const { meta, langs } = parseCompiled<{ note: string }>(serializeCompiled(compiled, { note: 'x' }))
    expect(meta).toEqual({ note: 'x' })
    for (const lang of ['en', 'de'] as const) {
      expect(langs[lang].index.size).toBeGreaterThan(10_000)
      expect(langs[lang].bigrams.size).toBeGreaterThan(5_000)
      expect(langs[lang]).toEqual(compiled[lang])
    }
  })

  it('an empty language (no training data) reads back empty', () => {
    const small = trainModel([{ text: 'the app is down again', label: 'outage', lang: 'en' }])
    const c = compileModel(small, DEFAULT_COMPILE)
    expect(parseCompiled(serializeCompiled(c, null)).langs).toEqual(c)
    expect(c.de.empty).toBe(true)
  })

  it.each([
    [Buffer.from('nope'), 'not a compiled naive Bayes table'],
    [serializeCompiled(compiled, null).subarray(0, 500_000), 'cut short'],
  ])('a damaged file is refused (%#)', (buf, message) => {
    expect(() => parseCompiled(buf)).toThrow(message)
  })

  it.skipIf(!existsSync(BUILT) && !process.env.CI)('the build wrote the tables of the built-in model as the sources compile it', () => {
    const { meta, langs } = parseCompiled<BuiltinTablesMeta>(readFileSync(BUILT))
    expect(meta.corpus).toBe(corpusDigest())
    expect(meta.options).toEqual(DEFAULT_COMPILE)
    expect(meta.model).toEqual({ format: model.format, version: model.version, revision: model.revision, alpha: model.alpha, bigrams: model.bigrams, labels: model.labels })
    expect(langs).toEqual(compiled)
  })

  it.skipIf(!existsSync(BUILT) && !process.env.CI)('the built dist tagger (tables read back, counts read only when asked) tags and clones like one compiled in the process', async () => {
    const dist = (await import(join(ROOT, 'dist/classify/tagger.js'))) as typeof import('../../src/classify/tagger.js')
    const built = dist.builtinModel()
    expect(Object.getOwnPropertyDescriptor(built, 'langs')?.get).toBeTypeOf('function')
    const texts = ['Is the app down? Nothing loads since this morning', 'Die Bahn fährt wieder nicht, totaler Ausfall', 'thanks, you sorted it in minutes', 'how do I change my address?']
    const fromDist = dist.createTagger(built)
    const here = createTagger(model)
    for (const t of texts) expect(fromDist.explain(t), t).toEqual(here.explain(t))
    expect(cloneModel(built)).toEqual(cloneModel(model))
  })
})
