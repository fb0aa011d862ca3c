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
