import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runListModels } from '../../src/commands/train.js'
import { toLabelledRow } from '../../src/ingest/labelled.js'
import { UsageError } from '../../src/models/errors.js'
import { runClassifyText, runTrain } from '../helpers/flags.js'
import { useTempDir } from '../helpers/tmp.js'
import { testContext, ZORP } from './context.js'

const tmp = useTempDir()

describe('toLabelledRow', () => {
  it.each([
    [{ text: 't', label: 'praise' }, 'auto', 'praise'],
    [{ text: 't', label: 'praise', lang: 'de' }, 'listen', 'praise'],
    [{ text: 't', sentiment: 'negative' }, 'auto', 'complaint'],
    [{ text: 't', sentiment: 'neutral' }, 'airline', 'other'],
    [{ text: 't', complaint: true, domain: 'apparel' }, 'complaints', 'complaint'],
    [{ text: 't', complaint: false, domain: 'apparel' }, 'auto', 'other'],
    [{ text: 't', relevant: false, sentiment: 'negative' }, 'germeval', 'other'],
    [{ text: 't', relevant: true, sentiment: 'positive' }, 'auto', 'praise'],
  ] as const)('%j with --mapping %s → %s', (record, mapping, label) => {
    expect(toLabelledRow(record, 3, mapping, null)).toMatchObject({ ok: true, line: 3, label })
  })

  it.each([
    [{ label: 'praise' }, 'auto', /no "text" field/],
    [{ text: '  ', label: 'praise' }, 'auto', /"text" is empty/],
    [{ text: 't', label: 'angry' }, 'auto', /unknown label "angry"; expected one of outage, complaint/],
    [{ text: 't' }, 'auto', /no "label"; expected one of/],
    [{ text: 't', label: '' }, 'auto', /no "label"; expected one of/],
    [{ text: 't', sentiment: 'meh' }, 'airline', /"sentiment" must be negative, neutral or positive \(got "meh"; --mapping airline\)/],
    [{ text: 't', label: 'praise' }, 'complaints', /"complaint" must be true or false/],
  ] as const)('%j with --mapping %s is bad: %s', (record, mapping, error) => {
    const r = toLabelledRow(record, 7, mapping, null)
    expect(r.ok).toBe(false)
    expect(r.ok === false && r.error).toMatch(error)
  })

  it('skips complaints rows from the never-annotated random_* domains', async () => {
    expect(toLabelledRow({ text: 't', complaint: false, domain: 'random_tweets' }, 1, 'auto', null)).toEqual({ ok: 'skip', line: 1 })
  })

  it('takes lang from the row, else the hint', async () => {
    expect(toLabelledRow({ text: 't', label: 'other', lang: 'de' }, 1, 'auto', 'en')).toMatchObject({ lang: 'de' })
    expect(toLabelledRow({ text: 't', label: 'other' }, 1, 'auto', 'en')).toMatchObject({ lang: 'en' })
  })
})

describe('runTrain', () => {
  it('stores a new version on top of the active one, reports bad rows with file:line, and the new model is used', async () => {
    const dir = tmp()
    const { ctx, warnings } = testContext(dir)
    const jsonl = join(dir, 'a.jsonl')
    // Two labels the built-in model does not give the unknown word: only training can.
    const before = await runClassifyText({ text: ZORP, lang: 'en', model: 'builtin' }, ctx)
    const [a, b] = (['question', 'praise', 'other'] as const).filter((l) => l !== before.label)
    writeFileSync(
      jsonl,
      [...Array.from({ length: 30 }, () => JSON.stringify({ text: ZORP, label: a, lang: 'en' })), '{"text":"x","label":"angry"}', 'oops', ''].join('\n'),
    )

    const first = await runTrain({ files: [jsonl] }, ctx)
    expect(first.version).toMatchObject({ version: 1, action: 'train', basedOn: null, examples: 30, builtin: false })
    expect(first.totals).toMatchObject({ rows: 32, examples: 30, bad: 2, skipped: 0 })
    expect(first.totals.byLabel[a!]).toBe(30)
    expect(warnings).toEqual([
      `${jsonl}:31: unknown label "angry"; expected one of outage, complaint, question, praise, other (or pass --mapping for a dataset's own fields); row skipped`,
      expect.stringMatching(new RegExp(`^${jsonl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:32: not valid JSON`)),
    ])
    expect(await runClassifyText({ text: ZORP, lang: 'en' }, ctx)).toMatchObject({ label: a, model: { name: 'active', version: 1 } })

    const csv = join(dir, 'b.csv')
    writeFileSync(csv, `text,label,lang\n${Array.from({ length: 80 }, () => `"${ZORP}",${b},en`).join('\n')}\n`)
    const second = await runTrain({ files: [csv] }, testContext(dir, ctx.now + 1000).ctx)
    expect(second.version).toMatchObject({ version: 2, basedOn: 1, examples: 80, description: csv })
    expect((await runClassifyText({ text: ZORP, lang: 'en' }, ctx)).label).toBe(b)

    const reset = await runTrain({ files: [], reset: true }, ctx)
    expect(reset.version).toMatchObject({ version: 3, action: 'reset', basedOn: null, examples: 0, builtin: true })
    expect((await runClassifyText({ text: ZORP, lang: 'en' }, ctx)).label).toBe(before.label)

    const list = await runListModels(ctx)
    expect(list.active).toBe(3)
    expect(list.versions.map((v) => [v.version, v.action, v.active])).toEqual([
      [1, 'train', false],
      [2, 'train', false],
      [3, 'reset', true],
    ])
  })

  it('--reset with a file trains on top of the built-in model', async () => {
    const dir = tmp()
    const { ctx } = testContext(dir)
    const f = join(dir, 'a.jsonl')
    writeFileSync(f, `${JSON.stringify({ text: ZORP, label: 'outage' })}\n`)
    await runTrain({ files: [f] }, ctx)
    const r = await runTrain({ files: [f], reset: true }, ctx)
    expect(r.version).toMatchObject({ version: 2, action: 'reset', basedOn: null, examples: 1, builtin: false })
  })

  it('reads a dataset with its own label fields through --mapping', async () => {
    const dir = tmp()
    const { ctx } = testContext(dir)
    const f = join(dir, 'c.jsonl')
    writeFileSync(
      f,
      [
        { text: 'my coat fell apart', complaint: true, domain: 'apparel' },
        { text: 'nice weather', complaint: false, domain: 'random_tweets' },
        { text: 'when do you open', complaint: false, domain: 'food' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    )
    const r = await runTrain({ files: [f], mapping: 'complaints' }, ctx)
    expect(r.totals).toMatchObject({ rows: 3, examples: 2, skipped: 1, bad: 0 })
    expect(r.totals.byLabel).toMatchObject({ complaint: 1, other: 1 })
  })

  it.each([
    [{ files: [] }, /name at least one labelled file/],
    [{ files: ['nope.jsonl'] }, /train: no such file: nope\.jsonl/],
    [{ files: ['x.jsonl'], mapping: 'twitter' }, /--mapping: "twitter" is not one of auto, listen, airline, complaints, germeval/],
  ])('rejects %j with a usage error', async (o, message) => {
    const dir = tmp()
    await expect(runTrain(o, testContext(dir).ctx)).rejects.toThrow(message)
  })

  it('stores nothing when no row is usable', async () => {
    const dir = tmp()
    const { ctx } = testContext(dir)
    const f = join(dir, 'bad.jsonl')
    writeFileSync(f, '{"text":"a","label":"nope"}\n')
    await expect(runTrain({ files: [f] }, ctx)).rejects.toThrow(UsageError)
    expect((await runListModels(ctx)).versions).toEqual([])
  })
})
