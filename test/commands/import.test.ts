import { writeFileSync } from 'node:fs'
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

  it('names an unreadable file and an unknown extension', async () => {
    const dir = tmp()
    await expect(runImport({ files: [join(dir, 'nope.jsonl')] }, context(dir, []))).rejects.toThrow(/no such file: .*nope\.jsonl/)
    writeFileSync(join(dir, 'data.txt'), 'x')
    await expect(runImport({ files: [join(dir, 'data.txt')] }, context(dir, []))).rejects.toThrow(/cannot tell the format of .*data\.txt/)
  })
})
