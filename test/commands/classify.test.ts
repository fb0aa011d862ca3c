import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createTagger } from '../../src/classify/tagger.js'
import { parseLineFormat } from '../../src/cli/commands/classify.js'
import { modelChoiceFlag } from '../../src/cli/flags.js'
import { classifyLines } from '../../src/commands/classify.js'
import { chooseTagger } from '../../src/ingest/tagging.js'
import { LABELS } from '../../src/models/mention.js'
import type { LineCounts, TaggedLine } from '../../src/models/tagger.js'
import { openDb } from '../../src/store/sqlite/db.js'
import { MentionStore } from '../../src/store/sqlite/mentions.js'
import { runClassify, runClassifyText, runLabel } from '../helpers/flags.js'
import { useTempDir } from '../helpers/tmp.js'
import { testContext, testMention as mention } from './context.js'

const tmp = useTempDir()
const tagger = createTagger()


async function tagLines(input: string, format = 'auto', o: { explain?: boolean; lang?: string } = {}) {
  const warnings: string[] = []
  const counts: LineCounts = { lines: 0, tagged: 0, bad: 0 }
  const out: TaggedLine[] = []
  const log = { warn: (m: string) => warnings.push(m), info() {}, debug() {} }
  for await (const r of classifyLines(Readable.from([input]), 'in.txt', tagger, { format: parseLineFormat(format), log, ...o }, counts)) out.push(r)
  return { out, counts, warnings }
}

describe('classifyLines', () => {
  it('tags plain text lines, ids are line numbers, empty lines skipped', async () => {
    const { out, counts } = await tagLines('is your app down?\n\nthank you so much!\r\n')
    expect(counts).toEqual({ lines: 2, tagged: 2, bad: 0 })
    expect(out.map((r) => [r.id, r.label, r.needsResponse, r.lang])).toEqual([
      [1, 'outage', true, 'en'],
      [3, 'praise', false, 'en'],
    ])
    expect(Object.keys(out[0]!.scores)).toEqual([...LABELS])
    expect(Object.values(out[0]!.scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3)
  })

  it('tags JSON Lines with id and lang, reports bad lines as name:line and goes on', async () => {
    const input = ['{"id":"a","text":"how do I change my plan?"}', 'not json', '{"id":7,"text":"Zug fällt aus","lang":"de"}', '{"text":""}', '[1]', '{"title":"x"}'].join('\n')
    const { out, counts, warnings } = await tagLines(input)
    expect(out.map((r) => [r.id, r.label, r.lang])).toEqual([
      ['a', 'question', 'en'],
      [7, 'outage', 'de'],
    ])
    expect(counts).toEqual({ lines: 6, tagged: 2, bad: 4 })
    expect(warnings.map((w) => w.replace(/ \(.*\)/, ''))).toEqual([
      'in.txt:2: not valid JSON; line skipped',
      'in.txt:4: "text" is empty; line skipped',
      'in.txt:5: expected a JSON object with "text"; line skipped',
      'in.txt:6: no "text" field; line skipped',
    ])
  })

  it('--input-format text takes a line starting with "{" as text', async () => {
    const { out, counts } = await tagLines('{not json} is your app down?', 'text')
    expect(counts.bad).toBe(0)
    expect(out[0]!.label).toBe('outage')
  })

  it('--explain adds the rules that fired and the top tokens', async () => {
    const { out } = await tagLines('is your app down?', 'auto', { explain: true })
    expect(out[0]!.rules!.map((r) => r.id)).toContain('en:outage:app down')
    expect(out[0]!.topTokens!.length).toBeGreaterThan(0)
    expect(out[0]!.topTokens![0]).toEqual({ token: expect.any(String), label: expect.any(String), weight: expect.any(Number) })
  })

  it('--lang is the hint for lines that name none', async () => {
    const { out } = await tagLines('{"text":"ok"}\n{"text":"ok","lang":"fr"}', 'auto', { lang: 'de' })
    expect(out.map((r) => r.lang)).toEqual(['de', 'fr'])
  })

  it('rejects an unknown --input-format', async () => {
    expect(() => parseLineFormat('xml')).toThrow(/--input-format: "xml" is not one of auto, jsonl, text/)
  })
})

describe('runClassify on stored mentions', () => {
  it('tags untagged mentions by default, --retag and --all re-tag more, human labels are never touched', async () => {
    const dir = tmp()
    const { ctx } = testContext(dir)
    const db = openDb(ctx.config.database, { create: true })
    new MentionStore(db).upsertMentions([
      mention('1', 'is your app down?'),
      mention('2', 'thank you so much, great service'),
      mention('3', 'is your app down?', { label: 'praise', labelSource: 'import' }),
      mention('4', 'is your app down?'),
    ])
    db.close()
    await runLabel({ mention: 'x:4', label: 'praise' }, ctx)

    const first = await runClassify({ batchSize: 1 }, ctx)
    expect(first).toMatchObject({ kind: 'classify', scope: 'untagged', examined: 2, tagged: 2, relabelled: 0, humanKept: 1 })
    expect(first.byLabel).toEqual({ outage: 1, complaint: 0, question: 0, praise: 1, other: 0 })
    expect(await runClassify({}, ctx)).toMatchObject({ examined: 0 })
    expect(await runClassify({ retag: true }, ctx)).toMatchObject({ scope: 'model', examined: 2, unchanged: 2 })
    expect(await runClassify({ all: true }, ctx)).toMatchObject({ scope: 'all', examined: 3, relabelled: 1, unchanged: 2 })

    const check = openDb(ctx.config.database, { create: false })
    const rows = check.prepare('SELECT id, label, label_source AS src, scores FROM mentions ORDER BY id').all() as Array<{ id: string; label: string; src: string; scores: string | null }>
    expect(rows.map((r) => [r.id, r.label, r.src])).toEqual([
      ['1', 'outage', 'model'],
      ['2', 'praise', 'model'],
      ['3', 'outage', 'model'],
      ['4', 'praise', 'human'],
    ])
    expect(JSON.parse(rows[0]!.scores!)).toMatchObject({ outage: expect.any(Number) })
    check.close()
  })

  it('rejects --all with --retag and needs a database', async () => {
    const { ctx } = testContext(tmp())
    await expect(runClassify({ all: true, retag: true }, ctx)).rejects.toThrow(/--all already includes --retag/)
    await expect(runClassify({}, ctx)).rejects.toThrow(/no database at/)
  })
})

describe('one text and the model choice', () => {
  it('explains one text: label, scores, rules, tokens', async () => {
    const { ctx } = testContext(tmp())
    const r = await runClassifyText({ text: 'Why is my order late AGAIN?', explain: true }, ctx)
    expect(r).toMatchObject({ kind: 'classify-text', label: 'complaint', needsResponse: true, lang: 'en', model: { name: 'builtin' } })
    expect(r.rulesFired!.some((f) => f.label === 'complaint')).toBe(true)
    expect((await runClassifyText({ text: 'thanks!' }, ctx)).rulesFired).toBeUndefined()
    await expect(runClassifyText({ text: '  ' }, ctx)).rejects.toThrow(/the text is empty/)
  })

  it('uses the built-in model without a database and rejects an unknown --model', async () => {
    const { ctx } = testContext(tmp())
    expect((await chooseTagger(undefined, ctx.config.database)).info).toMatchObject({ name: 'builtin', description: 'built-in model' })
    await expect(chooseTagger('active', ctx.config.database)).rejects.toThrow(/no database at/)
    expect(() => modelChoiceFlag('latest')).toThrow(/--model: "latest" is not one of builtin, active/)
  })
})
