// listen fetch: one post that breaks the tagger costs its label, never the source.
import { join } from 'node:path'
import { MockAgent } from 'undici'
import { describe, expect, it, vi } from 'vitest'
import { configSchema } from '../../src/config/schema.js'
import { openDb } from '../../src/store/sqlite/db.js'
import { runFetch } from '../helpers/flags.js'
import { useTempDir } from '../helpers/tmp.js'

vi.mock('../../src/ingest/tagging.js', () => ({
  loadActiveTagger: async () => null,
  tagWith: () => (m: { text: string; label?: string | null }) => {
    if (m.text.includes('boom')) throw new RangeError('Maximum call stack size exceeded')
    m.label = 'other'
  },
}))

const tmp = useTempDir()
const NOW = Date.parse('2025-05-14T12:30:00Z')

describe('runFetch with a post the tagger cannot take', () => {
  it('saves it without a label, warns with its id, and the source is ok', async () => {
    const dir = tmp()
    const warnings: string[] = []
    const agent = new MockAgent()
    agent.disableNetConnect()
    const at = Math.floor(NOW / 1000) - 600
    const hits = [
      { objectID: '1', created_at_i: at, author: 'kim', title: 'Nordwind Mobile down?', _tags: ['story'] },
      { objectID: '2', created_at_i: at - 60, author: 'bot', title: 'Nordwind Mobile boom', _tags: ['story'] },
    ]
    agent.get('https://hn.algolia.com').intercept({ path: () => true }).reply(200, { hits, page: 0, nbPages: 1 }, { headers: { 'content-type': 'application/json' } })
    const ctx = {
      config: { ...configSchema.parse({}), path: null, database: join(dir, 'listen.db'), timezone: 'UTC', brands: [{ name: 'Nordwind Mobile', query: 'Nordwind Mobile' }], sources: { hackernews: {} } },
      timezone: 'UTC',
      now: NOW,
      env: {},
      log: { warn: (m: string) => warnings.push(m), info() {}, debug() {} },
      root: dir,
    }
    const m = await runFetch({ since: '30d', dispatcher: agent }, ctx)
    expect(m.sources[0]).toMatchObject({ status: 'ok', new: 2, error: null })
    expect(warnings).toEqual(['hackernews: 2: not tagged (Maximum call stack size exceeded); saved without a label'])
    const db = openDb(join(dir, 'listen.db'), { create: false, readonly: true })
    expect(db.prepare('SELECT id, label FROM mentions ORDER BY id').all()).toEqual([{ id: '1', label: 'other' }, { id: '2', label: null }])
    db.close()
  })
})
