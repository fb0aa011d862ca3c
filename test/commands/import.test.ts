import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CommandContext } from '../../src/commands/context.js'
import { configSchema } from '../../src/config/schema.js'
import { runImport } from '../helpers/flags.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()

function context(dir: string, warnings: string[]): CommandContext {
  return {
    config: { ...configSchema.parse({}), path: null, database: join(dir, 'listen.db'), timezone: 'UTC', brands: [] },
    timezone: 'Europe/Berlin',
    now: Date.parse('2026-11-22T12:00:00Z'),
    env: {},
    log: { warn: (m) => warnings.push(m), info() {}, debug() {} },
    root: dir,
  }
}

describe('runImport', () => {
  it('streams in small batches, reports bad rows by line and counts across batches', async () => {
    const dir = tmp()
    const file = join(dir, 'rows.csv')
    const lines = ['post_id,when,body,who']
    for (let i = 1; i <= 23; i++) lines.push(i === 7 ? `7,not a date,x,y` : `${i},2026-11-0${1 + (i % 9)} 09:${String(i).padStart(2, '0')},"Text, number ${i}",user${i}`)
    writeFileSync(file, `${lines.join('\n')}\n`)
    const warnings: string[] = []
    const m = await runImport(
      { files: [file], source: 'survey', map: 'id=post_id,created_at=when,text=body,author=who', batchSize: 5 },
      context(dir, warnings),
    )
    expect(m.totals).toEqual({ rows: 23, inserted: 22, updated: 0, unchanged: 0, bad: 1 })
    expect(warnings).toEqual([`${file}:8: cannot read created_at "not a date" as a date; row skipped`])
    const again = await runImport({ files: [file], source: 'survey', map: 'id=post_id,created_at=when,text=body,author=who', batchSize: 5 }, context(dir, []))
    expect(again.totals).toMatchObject({ inserted: 0, unchanged: 22, bad: 1 })
  })

  it('a post of one 5 MB word is saved and tagged beside the others', async () => {
    const dir = tmp()
    const file = join(dir, 'rows.jsonl')
    const row = (id: number, text: string) => JSON.stringify({ id: String(id), source: 'x', created_at: '2026-11-02T09:00:00Z', text })
    writeFileSync(file, [row(1, 'Netz weg seit heute morgen'), row(2, 'a'.repeat(5_000_000)), row(3, 'danke, alles wieder gut')].join('\n') + '\n')
    const warnings: string[] = []
    const m = await runImport({ files: [file], batchSize: 1 }, context(dir, warnings))
    expect(m.totals).toEqual({ rows: 3, inserted: 3, updated: 0, unchanged: 0, bad: 0 })
    expect(warnings).toEqual([])
    const { withStore } = await import('../../src/store/open.js')
    const labels = await withStore(join(dir, 'listen.db'), { create: false }, async (s) => (await s.mentions.listMentions({})).map((x) => [x.id, x.label !== null]))
    expect(labels.sort()).toEqual([['1', true], ['2', true], ['3', true]])
  })

  it('a foreign CSV without --map: five identical errors, a count of the rest, the header and a --map built from it', async () => {
    const dir = tmp()
    const file = join(dir, 'twcs.csv')
    // The column names of the Twitter Customer Support dataset; the rows are ours.
    const lines = ['tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id']
    for (let i = 1; i <= 40; i++) lines.push(`${i},user${i},True,Tue Oct 31 22:10:47 +0000 2017,@Acme my parcel ${i} is late,,`)
    writeFileSync(file, `${lines.join('\n')}\n`)
    const warnings: string[] = []
    const m = await runImport({ files: [file], source: 'twitter' }, context(dir, warnings))
    expect(m.totals).toMatchObject({ rows: 40, inserted: 0, bad: 40 })
    expect(warnings).toEqual([
      ...[2, 3, 4, 5, 6].map((line) => `${file}:${line}: missing id (column "id"); row skipped`),
      `${file}: 35 more rows skipped with the same error: missing id (column "id")`,
      `${file}: no column for id; the file's columns are: tweet_id, author_id, inbound, created_at, text, response_tweet_id, in_response_to_tweet_id`,
      `${file}: try --map id=tweet_id,author=author_id,created_at=created_at,text=text,in_reply_to=in_response_to_tweet_id,by_brand=not:inbound`,
    ])
    const fixed = await runImport(
      { files: [file], source: 'twitter', map: 'id=tweet_id,author=author_id,created_at=created_at,text=text,in_reply_to=in_response_to_tweet_id,by_brand=!inbound' },
      context(dir, []),
    )
    expect(fixed.totals).toMatchObject({ inserted: 40, bad: 0 })
  })

  it('a file that cannot be read says truthfully what was saved', async () => {
    const dir = tmp()
    const good = join(dir, 'good.jsonl')
    writeFileSync(good, ['1', '2', '3'].map((id) => JSON.stringify({ id, source: 'x', created_at: '2026-11-02T09:00:00Z', text: 'hallo' })).join('\n'))
    const folder = join(dir, 'folder.jsonl')
    mkdirSync(folder)
    const { runImport: run } = await import('../../src/commands/import.js')
    const files = [{ file: good, format: 'jsonl' as const }, { file: folder, format: 'jsonl' as const }]
    const err = await run({ files, map: {}, handles: [], tag: false }, context(dir, [])).catch((e: Error) => e)
    expect((err as Error).message).toMatch(
      new RegExp(`^${folder}: cannot read: EISDIR.*; no row of ${folder} was saved; the file before it was imported in full \\(3 rows\\)$`),
    )
  })

  it('keeps rows at a local time the zone skips (spring forward), moved past the gap, with one warning per file', async () => {
    const dir = tmp()
    const file = join(dir, 'gap.csv')
    writeFileSync(file, ['id,created_at,text', '1,2026-03-29 01:59,vor', '2,2026-03-29 02:30,in der Lücke', '3,2026-03-29 02:59,auch', '4,2026-03-29 03:00,danach'].join('\n'))
    const warnings: string[] = []
    const m = await runImport({ files: [file], source: 'x' }, { ...context(dir, warnings), timezone: 'Europe/Berlin' })
    expect(m.totals).toMatchObject({ rows: 4, inserted: 4, bad: 0 })
    expect(warnings).toEqual([
      `${file}: 2 rows have a local time that does not exist in Europe/Berlin (the clocks skip it when daylight saving time starts); they were kept, moved forward by the length of the gap (02:30 became 03:30)`,
    ])
    const { withStore } = await import('../../src/store/open.js')
    const times = await withStore(join(dir, 'listen.db'), { create: false }, async (s) => (await s.mentions.listMentions({})).map((x) => [x.id, new Date(x.createdAt).toISOString()]))
    expect(times.sort()).toEqual([
      ['1', '2026-03-29T00:59:00.000Z'],
      ['2', '2026-03-29T01:30:00.000Z'],
      ['3', '2026-03-29T01:59:00.000Z'],
      ['4', '2026-03-29T01:00:00.000Z'],
    ])
  })

  it('names an unreadable file and an unknown extension', async () => {
    const dir = tmp()
    await expect(runImport({ files: [join(dir, 'nope.jsonl')] }, context(dir, []))).rejects.toThrow(/no such file: .*nope\.jsonl/)
    writeFileSync(join(dir, 'data.txt'), 'x')
    await expect(runImport({ files: [join(dir, 'data.txt')] }, context(dir, []))).rejects.toThrow(/cannot tell the format of .*data\.txt/)
  })
})
