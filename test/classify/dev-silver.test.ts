// Our five-class labels for samples of ../shared/datasets/dev (ids only; the texts stay in
// ../shared): the files are well-formed, and the built-in tagger does not fall below a floor on
// them. The floor sits under today's figures (en 0.70, de 0.42) to catch regressions, not noise.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { builtinModel, createTagger } from '../../src/classify/tagger.js'
import { evaluate } from '../../src/classify/metrics.js'
import { LABELS } from '../../src/models/mention.js'
import { SHARED } from '../helpers/tmp.js'
// @ts-expect-error plain ESM script shared with the dev tools (no types)
import { loadDevSilver } from './dev-data.mjs'

const DEV = join(SHARED, 'datasets/dev')
const present = existsSync(DEV)
if (!present && process.env.CI) throw new Error(`${DEV} is missing (CI is set, so this is a failure)`)

describe.skipIf(!present)('dev-silver labels', () => {
  it.each(['en', 'de', 'en.b', 'de.b'])('%s: 400 rows, ids only, known labels, every id found in ../shared', (name) => {
    const [lang, annotator] = name.split('.') as [string, string | undefined]
    const rows = readFileSync(join(import.meta.dirname, 'dev-silver', `${name}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(rows).toHaveLength(400)
    for (const r of rows) {
      expect(Object.keys(r).sort()).toEqual(['confident', 'file', 'id', 'label'])
      expect(LABELS).toContain(r.label)
    }
    expect(new Set(rows.map((r) => `${String(r.file)}:${String(r.id)}`)).size).toBe(400)
    const loaded = loadDevSilver(lang, annotator) as Array<{ key: string }>
    expect(loaded.length).toBe(400)
    // The second annotator labelled the same posts, in the same order.
    expect(loaded.map((r) => r.key)).toEqual((loadDevSilver(lang) as Array<{ key: string }>).map((r) => r.key))
  })

  it.each([
    ['en', 0.65],
    ['de', 0.38],
  ])('%s: the built-in tagger reaches macro-F1 ≥ %d', (lang, floor) => {
    const tagger = createTagger(builtinModel())
    const rows = loadDevSilver(lang) as Array<{ text: string; lang: string; gold: string }>
    const ev = evaluate(rows.map((r) => [r.gold, tagger.classify(r.text, r.lang).label] as const), LABELS)
    expect(ev.macroF1).toBeGreaterThanOrEqual(floor)
  })
})
