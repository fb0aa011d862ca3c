import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FORMATS } from '../../src/render/format.js'
import { render } from '../../src/render/render.js'
import { viewOf } from '../../src/render/views.js'
import { runEval, runTrain } from '../helpers/flags.js'
import { SHARED, useTempDir } from '../helpers/tmp.js'
import { testContext, ZORP } from './context.js'

const tmp = useTempDir()

const GOLD = [
  { text: 'is your app down? nothing loads', label: 'outage' },
  { text: 'thank you so much, great service!', label: 'praise' },
  { text: 'how do I change my plan?', label: 'question' },
  { text: 'Why is my order late AGAIN?', label: 'complaint' },
  { text: 'how do I change my plan?', label: 'complaint' },
]

function goldFile(dir: string, extra: string[] = []): string {
  const f = join(dir, 'gold.jsonl')
  writeFileSync(f, [...GOLD.map((r) => JSON.stringify(r)), ...extra].join('\n'))
  return f
}

describe('runEval', () => {
  it('scores a labelled file: accuracy, per-class metrics, macro-F1, confusion', async () => {
    const dir = tmp()
    const { ctx } = testContext(dir)
    const e = await runEval({ files: [goldFile(dir)], model: 'builtin' }, ctx)
    expect(e).toMatchObject({ kind: 'eval', rows: 5, scored: 5, bad: 0, accuracy: 0.8, labels: ['outage', 'complaint', 'question', 'praise'], collapse: ['none'] })
    // The second "how do I change my plan?" is gold complaint, predicted question.
    expect(e.confusion).toEqual([
      [1, 0, 0, 0],
      [0, 1, 1, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ])
    const complaint = e.perClass.find((c) => c.label === 'complaint')!
    expect(complaint).toMatchObject({ precision: 1, recall: 0.5, support: 2 })
    expect(complaint.f1).toBeCloseTo(2 / 3)
    expect(e.macroF1).toBeCloseTo((1 + 2 / 3 + 2 / 3 + 1) / 4)
    // Five posts say little: the 95% interval of the accuracy spans from 0.4 to 1.
    expect(e.intervals.accuracy).toEqual({ low: 0.4, high: 1 })
    expect(e.intervals.macroF1.low).toBeLessThan(e.macroF1)
    expect(e.comparison).toBeNull()
  })

  it.each(FORMATS)('renders every figure in --format %s', async (format) => {
    const dir = tmp()
    const e = await runEval({ files: [goldFile(dir)], model: 'builtin' }, testContext(dir).ctx)
    const out = render(viewOf(e), format, { tz: 'UTC', color: false })
    if (format === 'json') expect(JSON.parse(out)).toMatchObject({ accuracy: 0.8, confusion: e.confusion, intervals: { level: 0.95, reps: 1000, accuracy: e.intervals.accuracy } })
    if (format === 'csv') {
      const lines = out.trim().split('\r\n')
      expect(lines[0]).toBe(
        'label,precision,recall,f1,f1_low,f1_high,support,accuracy,accuracy_low,accuracy_high,predicted_outage,predicted_complaint,predicted_question,predicted_praise',
      )
      const [complaint] = e.intervals.f1.slice(1)
      expect(lines).toContain(`complaint,1,0.5,0.6666666666666666,${complaint!.low},${complaint!.high},2,,,,0,1,1,0`)
      const { macroF1, accuracy } = e.intervals
      expect(lines.at(-1)).toBe(`all,,,${e.macroF1},${macroF1.low},${macroF1.high},5,0.8,${accuracy.low},${accuracy.high},1,1,2,1`)
    }
    if (format === 'ndjson') {
      const rows = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
      expect(rows.at(-1)).toMatchObject({ label: 'all', accuracy: 0.8, f1: e.macroF1, support: 5 })
    }
    if (format === 'table') {
      expect(out).toMatch(/accuracy 80\.0% \(95% interval 40\.0%–100\.0%\), macro-F1 0\.833 \(0\.333–1\.000\) over 5 posts/)
      expect(out).toMatch(/→complaint/)
    }
  })

  it('--misses lists the posts the model got wrong, with file and line, in every format', async () => {
    const dir = tmp()
    const f = goldFile(dir)
    const e = await runEval({ files: [f], model: 'builtin', misses: true }, testContext(dir).ctx)
    expect(e.accuracy).toBe(0.8)
    expect(e.misses).toEqual([{ file: f, line: 5, gold: 'complaint', predicted: 'question', tagged: 'question', lang: 'en', text: 'how do I change my plan?' }])
    const csv = render(viewOf(e), 'csv', { tz: 'UTC', color: false }).trim().split('\r\n')
    expect(csv).toEqual(['file,line,gold,predicted,tagged,lang,text', `${f},5,complaint,question,question,en,how do I change my plan?`])
    const table = render(viewOf(e), 'table', { tz: 'UTC', color: false })
    expect(table).toMatch(/Posts the built-in model got wrong/)
    expect(table).toMatch(/1 of 5 posts missed/)
    expect((await runEval({ files: [f], model: 'builtin' }, testContext(dir).ctx)).misses).toBeNull()
  })

  it('maps a three-way dataset and counts outage as complaint, question as other', async () => {
    const dir = tmp()
    const f = join(dir, 'air.jsonl')
    writeFileSync(
      f,
      [
        { text: 'is your app down? nothing loads', sentiment: 'negative' },
        { text: 'how do I change my flight?', sentiment: 'neutral' },
        { text: 'thank you so much, great crew!', sentiment: 'positive' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    )
    const e = await runEval({ files: [f], mapping: 'airline', model: 'builtin' }, testContext(dir).ctx)
    expect(e).toMatchObject({ accuracy: 1, labels: ['complaint', 'praise', 'other'], collapse: ['sentiment'] })
    const five = await runEval({ files: [f], mapping: 'airline', model: 'builtin', collapse: 'none' }, testContext(dir).ctx)
    expect(five.accuracy).toBeCloseTo(1 / 3)
  })

  it('reports bad rows with file:line and scores the rest', async () => {
    const dir = tmp()
    const { ctx, warnings } = testContext(dir)
    const f = goldFile(dir, ['{"text":"hi","label":"meh"}'])
    const e = await runEval({ files: [f], model: 'builtin' }, ctx)
    expect(e).toMatchObject({ rows: 6, scored: 5, bad: 1 })
    expect(warnings).toEqual([`${f}:6: unknown label "meh"; expected one of outage, complaint, question, praise, other (or pass --mapping for a dataset's own fields); row skipped`])
  })

  it('--model active uses the trained version', async () => {
    const dir = tmp()
    const { ctx } = testContext(dir)
    const train = join(dir, 'train.jsonl')
    writeFileSync(train, Array.from({ length: 30 }, () => JSON.stringify({ text: ZORP, label: 'question', lang: 'en' })).join('\n'))
    const test = join(dir, 'test.jsonl')
    writeFileSync(test, JSON.stringify({ text: ZORP, label: 'question', lang: 'en' }))
    await runTrain({ files: [train] }, ctx)
    expect(await runEval({ files: [test], model: 'active' }, ctx)).toMatchObject({ accuracy: 1, model: { name: 'active', version: 1 } })
  })

  it('--against scores both models on the same posts and says whether training helped', async () => {
    const dir = tmp()
    const { ctx } = testContext(dir)
    const train = join(dir, 'train.jsonl')
    writeFileSync(train, Array.from({ length: 30 }, () => JSON.stringify({ text: ZORP, label: 'question', lang: 'en' })).join('\n'))
    await runTrain({ files: [train] }, ctx)
    const test = join(dir, 'test.jsonl')
    writeFileSync(test, [...Array.from({ length: 40 }, () => ({ text: ZORP, label: 'question', lang: 'en' })), ...GOLD].map((r) => JSON.stringify(r)).join('\n'))
    const e = await runEval({ files: [test], model: 'active', against: 'builtin' }, ctx)
    expect(e.comparison).toMatchObject({ against: { name: 'builtin' }, difference: { accuracy: { verdict: 'better' } } })
    const c = e.comparison!
    expect(c.difference.accuracy.value).toBeCloseTo(e.accuracy - c.accuracy)
    expect(c.difference.accuracy.value).toBeGreaterThan(0.5)
    expect(c.perClass.map((p) => p.label)).toEqual(e.labels)

    const csv = render(viewOf(e), 'csv', { tz: 'UTC', color: false }).trim().split('\r\n')
    expect(csv[0]).toMatch(/,against_f1,f1_diff,f1_diff_low,f1_diff_high,against_accuracy,accuracy_diff,accuracy_diff_low,accuracy_diff_high,predicted_/)
    const table = render(viewOf(e), 'table', { tz: 'UTC', color: false })
    expect(table).toMatch(/F1 builtin/)
    expect(table).toMatch(/against the built-in model: accuracy [\d.]+%, macro-F1 [\d.]+; difference \+[\d.]+ macro-F1 \(95% interval \+[\d.]+ to \+[\d.]+\): better/)

    // The trained model still misses the GOLD post it misses without training; the list says what the other model said.
    const missed = await runEval({ files: [test], model: 'active', against: 'builtin', misses: true }, ctx)
    expect(missed.misses).toContainEqual(expect.objectContaining({ line: 45, gold: 'complaint', predicted: 'question', against: 'question' }))
    expect(render(viewOf(missed), 'csv', { tz: 'UTC', color: false }).split('\r\n')[0]).toBe('file,line,gold,predicted,tagged,against,lang,text')
  })

  it.each([
    [{ files: [] }, /name at least one labelled file/],
    [{ files: ['missing.jsonl'] }, /eval: no such file: missing\.jsonl/],
    [{ files: ['x.jsonl'], collapse: 'sometimes' }, /--collapse: "sometimes" is not one of auto, none/],
    [{ files: ['x.jsonl'], against: 'yesterday' }, /--against: "yesterday" is not one of builtin, active/],
    [{ files: ['x.jsonl'], model: 'builtin', against: 'builtin' }, /--against builtin: that is the model being measured/],
  ])('rejects %j', async (o, message) => {
    await expect(runEval(o, testContext(tmp()).ctx)).rejects.toThrow(message)
  })

  it('reads the dev complaints corpus with its own fields and skips the unannotated domains', async () => {
    const dir = tmp()
    const e = await runEval({ files: [join(SHARED, 'datasets/dev/complaints.jsonl')], mapping: 'complaints', model: 'builtin' }, testContext(dir).ctx)
    expect(e.bad).toBe(0)
    expect(e.skipped).toBeGreaterThan(0)
    expect(e.scored + e.skipped).toBe(e.rows)
    expect(e.labels).toEqual(['complaint', 'other'])
    expect(e.accuracy).toBeGreaterThan(0.5)
  })
})
