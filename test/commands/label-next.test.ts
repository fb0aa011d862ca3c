// listen label --next (the candidate list, and the terminal loop with a fake terminal) and label --input.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { parseLabelInputFlags, parseLabelNextFlags } from '../../src/cli/commands/label.js'
import { labelLoop, type Terminal } from '../../src/cli/label-tty.js'
import { openLabelSession, parseLabelRecord, runLabelInput, runLabelNext } from '../../src/commands/label.js'
import { ExitError, UsageError } from '../../src/models/errors.js'
import { openDb } from '../../src/store/sqlite/db.js'
import { MentionStore } from '../../src/store/sqlite/mentions.js'
import { ModelStore } from '../../src/store/sqlite/model.js'
import { useTempDir } from '../helpers/tmp.js'
import { testContext, testMention } from './context.js'

const tmp = useTempDir()

const TEXTS = [
  'the app is down again, nothing loads',
  'how do I change my seat online?',
  'thanks, the crew was lovely',
  'my bag never arrived and nobody answers',
  'flight delayed three hours, no information at all',
  'is the website down for anyone else',
  'great service at the desk today',
  'can I bring my dog on board',
]

function seeded() {
  const { ctx, warnings } = testContext(tmp())
  const db = openDb(ctx.config.database, { create: true })
  new MentionStore(db).upsertMentions([
    ...TEXTS.map((t, i) => testMention(String(i + 1), t, { createdAt: ctx.now - i * 60_000, ...(i === 7 ? { source: 'bluesky' } : {}) })),
    testMention('r1', 'sorry to hear that, DM us your booking', { byBrand: true, inReplyTo: '4', createdAt: ctx.now }),
  ])
  new ModelStore(db).saveHumanLabel('x', '3', 'praise', 'sam', ctx.now)
  db.close()
  return { ctx, warnings }
}

const humanLabels = (database: string) => {
  const db = openDb(database, { create: false })
  const rows = db.prepare("SELECT source || ':' || id AS m, label FROM mentions WHERE label_source = 'human' ORDER BY m").all()
  db.close()
  return rows
}

describe('label --next (list)', () => {
  it('offers customer posts without a human label, with guess, scores and the brand reply', async () => {
    const { ctx } = seeded()
    const m = await runLabelNext(parseLabelNextFlags({ next: '20' }, 20_000), ctx)
    expect(m).toMatchObject({ kind: 'label-next', model: 'built-in model + 1 human label', strategy: 'margin', scored: 7, poolCut: false })
    const ids = m.candidates.map((c) => c.mention)
    expect(ids).toHaveLength(7)
    expect(ids).not.toContain('x:3')
    expect(ids).not.toContain('x:r1')
    const c4 = m.candidates.find((c) => c.mention === 'x:4')!
    expect(c4.reply?.text).toBe('sorry to hear that, DM us your booking')
    expect(Object.values(c4.scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2)
    expect(c4.scores[c4.guess]).toBe(Math.max(...Object.values(c4.scores)))
    const u = m.candidates.map((c) => c.uncertainty)
    expect(u[0]).toBe(Math.max(...u))
  })

  it('cuts the pool and says so, filters by source', async () => {
    const { ctx } = seeded()
    expect(await runLabelNext(parseLabelNextFlags({ next: '2', pool: '3' }, 20_000), ctx)).toMatchObject({ scored: 3, poolCut: true })
    const bsky = await runLabelNext(parseLabelNextFlags({ next: '5', source: ['bluesky'] }, 20_000), ctx)
    expect(bsky.candidates.map((c) => c.mention)).toEqual(['bluesky:8'])
  })

  it.each([
    [{ next: '0' }, /--next: expected a whole number ≥ 1, got "0"/],
    [{ next: 'x' }, /--next: expected a whole number/],
    [{ strategy: 'random' }, /--strategy: expected margin or entropy, got "random"/],
    [{ pool: '-1' }, /--pool: expected a whole number ≥ 0/],
  ])('%j is a usage error', (f, message) => {
    expect(() => parseLabelNextFlags(f, 20_000)).toThrow(message)
  })
})

describe('parseLabelRecord', () => {
  it.each([
    [{ id: 'x:1', label: 'Praise' }, { source: 'x', id: '1', label: 'praise', line: 2 }],
    [{ id: 'bluesky:at://did:plc:a/b/3k', label: 'outage' }, { source: 'bluesky', id: 'at://did:plc:a/b/3k', label: 'outage', line: 2 }],
    [{ source: 'x', id: '15900', label: ' question ' }, { source: 'x', id: '15900', label: 'question', line: 2 }],
    [{ mention: 'x:1', label: 'other' }, { source: 'x', id: '1', label: 'other', line: 2 }],
    [{ id: 15900, source: 'x', label: 'other' }, { source: 'x', id: '15900', label: 'other', line: 2 }],
    [{ id: 'x:1', label: 'angry' }, 'unknown label "angry" (outage, complaint, question, praise, other)'],
    [{ id: '42', label: 'praise' }, 'id "42" is not source:id (e.g. x:1590000000000000000), and there is no source column'],
    [{ label: 'praise' }, 'no id (columns id or mention, and label; the id as source:id unless there is a source column)'],
    [{ id: 'x:1' }, 'no label for x:1'],
  ])('%j', (record, want) => expect(parseLabelRecord(record, 2)).toEqual(want))
})

describe('label --input', () => {
  const input = (ctx: { config: { database: string } }, name: string, body: string, skipUnknown = false) => {
    const file = join(ctx.config.database, '..', name)
    writeFileSync(file, body)
    return parseLabelInputFlags({ input: file, skipUnknown, by: 'lea' }, {})
  }

  it('saves a CSV of source:id,label in one go', async () => {
    const { ctx } = seeded()
    const m = await runLabelInput(input(ctx, 'l.csv', 'id,label\nx:1,outage\nx:2,Question\nx:3,praise\nbluesky:8,question\n'), ctx)
    expect(m).toMatchObject({ kind: 'label-input', rows: 4, applied: true, saved: 3, unchanged: 1, unknown: [], by: 'lea' })
    expect(humanLabels(ctx.config.database)).toEqual([
      { m: 'bluesky:8', label: 'question' },
      { m: 'x:1', label: 'outage' },
      { m: 'x:2', label: 'question' },
      { m: 'x:3', label: 'praise' },
    ])
  })

  it('takes JSONL with a source column', async () => {
    const { ctx } = seeded()
    const m = await runLabelInput(input(ctx, 'l.jsonl', '{"source":"x","id":"5","label":"complaint"}\n\n{"source":"x","id":"6","label":"outage"}\n'), ctx)
    expect(m).toMatchObject({ rows: 2, saved: 2 })
  })

  it('a bad row saves nothing and names the line and the value (exit 2)', async () => {
    const { ctx } = seeded()
    const o = input(ctx, 'bad.csv', 'id,label\nx:1,outage\nx:2,angry\n42,praise\n')
    const e = (await runLabelInput(o, ctx).catch((x: unknown) => x)) as UsageError
    expect(e).toBeInstanceOf(UsageError)
    expect(e.message).toContain('2 bad rows')
    expect(e.message).toContain('bad.csv:3: unknown label "angry"')
    expect(e.message).toContain('bad.csv:4: id "42" is not source:id')
    expect(humanLabels(ctx.config.database)).toEqual([{ m: 'x:3', label: 'praise' }])
  })

  it('an unknown id saves nothing (exit 1) unless --skip-unknown', async () => {
    const { ctx } = seeded()
    const body = 'id,label\nx:1,outage\nx:404,praise\n'
    const e = (await runLabelInput(input(ctx, 'u.csv', body), ctx).catch((x: unknown) => x)) as ExitError
    expect(e).toBeInstanceOf(ExitError)
    expect(e.exitCode).toBe(1)
    expect(e.message).toMatch(/1 id not in .*listen\.db; nothing saved \(--skip-unknown saves the rest\):\n.*u\.csv:3: no mention x:404/)
    expect(humanLabels(ctx.config.database)).toHaveLength(1)
    const m = await runLabelInput(input(ctx, 'u.csv', body, true), ctx)
    expect(m).toMatchObject({ saved: 1, unknown: [{ mention: 'x:404', line: 3 }] })
  })

  it('names a missing file and a format it cannot tell', async () => {
    const { ctx } = seeded()
    await expect(runLabelInput({ file: join(ctx.config.database, '../nope.csv'), format: 'csv', by: null, skipUnknown: false }, ctx)).rejects.toThrow(/cannot read .*nope\.csv: no such file/)
    expect(() => parseLabelInputFlags({ input: 'labels.txt' }, {})).toThrow(/cannot tell the format/)
    expect(() => parseLabelInputFlags({ input: 'labels.txt', inputFormat: 'xml' }, {})).toThrow(/--input-format: expected csv, tsv or jsonl/)
  })
})

describe('the terminal loop', () => {
  function fakeTerminal(): { term: Terminal; keys: PassThrough; screen: () => string } {
    const keys = new PassThrough()
    const out = new PassThrough()
    let text = ''
    out.on('data', (d: Buffer) => (text += d.toString()))
    return { term: { input: keys, output: out, color: false, raw: false }, keys, screen: () => text }
  }

  it('saves each answer at once, skips, undoes, retrains in the background and quits', async () => {
    const { ctx } = seeded()
    const session = await openLabelSession(ctx.config.database)
    const { term, keys, screen } = fakeTerminal()
    const refills: number[] = []
    const refill = async (exclude: ReadonlySet<string>) => {
      refills.push(exclude.size)
      return session.next({ ...parseLabelNextFlags({ next: '20' }, 20_000), exclude })
    }
    const o = { ...parseLabelNextFlags({ next: '3' }, 20_000), retrainEvery: 2, by: 'lea' }
    const loop = labelLoop(o, session, term, refill, () => ctx.now, () => {})
    keys.write('2s9')
    // Wait until the loop has read those keys, then undo the one label and label twice more (a retrain).
    while (!screen().includes('key "9"')) await new Promise((r) => setTimeout(r, 5))
    keys.write('u13')
    while (!screen().includes('rebuilding the model')) await new Promise((r) => setTimeout(r, 5))
    keys.write('q')
    const summary = await loop
    await session.close()
    expect(summary).toEqual({ labelled: 2, skipped: 1, undone: 1, retrains: 1 })
    expect(refills).toEqual([3])
    expect(humanLabels(ctx.config.database)).toHaveLength(3)
    expect(screen()).toContain('1 outage  2 complaint  3 question  4 praise  5 other   s skip  u undo  q quit')
    expect(screen()).toMatch(/undid \S+: back to (no label|\w+ \(model\))/)
  })
})
