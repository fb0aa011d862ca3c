// One row must never cost the others: a row whose tagging throws is saved without a label.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { produceBatches, type RowBatch } from '../../src/ingest/batches.js'
import { useTempDir } from '../helpers/tmp.js'

vi.mock('../../src/ingest/tagging.js', () => ({
  createTagFn: () => (m: { text: string; label?: string | null }) => {
    if (m.text === 'boom') throw new RangeError('Maximum call stack size exceeded')
    m.label = 'other'
  },
}))

const tmp = useTempDir()

describe('produceBatches', () => {
  it('saves a row whose tagging throws without a label and tags the others', async () => {
    const file = join(tmp(), 'rows.jsonl')
    writeFileSync(file, ['ok 1', 'boom', 'ok 2'].map((text, i) => JSON.stringify({ id: String(i), source: 'x', created_at: '2026-11-02T09:00:00Z', text })).join('\n'))
    const batches: RowBatch[] = []
    await produceBatches(
      { file, format: 'jsonl', map: {}, timezone: 'UTC', handles: [], batchSize: 100, fetchedAt: 0, tag: { model: null } as never },
      async (b) => void batches.push(b),
    )
    expect(batches).toHaveLength(1)
    const b = batches[0]!
    expect(b.bad).toEqual([])
    expect(b.untagged).toEqual([{ line: 2, error: 'Maximum call stack size exceeded' }])
    expect(b.columns).toEqual(['id', 'source', 'created_at', 'text'])
    const { ROW_WIDTH, PARAM_NAMES } = await import('../../src/models/row.js')
    const labels = Array.from({ length: b.rows.length / ROW_WIDTH }, (_, i) => b.rows[i * ROW_WIDTH + PARAM_NAMES.indexOf('label')])
    expect(labels).toEqual(['other', null, 'other'])
  })
})

describe('produceBatches in stripes', () => {
  it('splits a file into chunks of batchSize records that together are the unstriped batches', async () => {
    const file = join(tmp(), 'rows.jsonl')
    const lines = Array.from({ length: 23 }, (_, i) =>
      i === 4 ? '' : i === 9 ? '{broken' : JSON.stringify({ id: String(i), source: 'x', created_at: '2026-11-02T09:00:00Z', text: `post ${i}` }),
    )
    writeFileSync(file, lines.join('\n'))
    const job = { file, format: 'jsonl' as const, map: {}, timezone: 'UTC', handles: [], batchSize: 5, fetchedAt: 0, tag: null }
    const whole: RowBatch[] = []
    await produceBatches(job, async (b) => void whole.push(b))
    const parts: RowBatch[] = []
    for (const part of [0, 1, 2]) await produceBatches(job, async (b) => void parts.push(b), { size: 5, part, parts: 3 })
    parts.sort((a, b) => a.chunk - b.chunk)
    expect(whole.map((b) => [b.chunk, b.records])).toEqual([[0, 5], [1, 5], [2, 5], [3, 5], [4, 2]])
    expect(parts.map(({ bytes: _, columns: __, ...b }) => b)).toEqual(whole.map(({ bytes: _, columns: __, ...b }) => b))
    expect(whole[1]!.bad).toEqual([{ line: 10, error: expect.stringContaining('not valid JSON') }])
  })
})
