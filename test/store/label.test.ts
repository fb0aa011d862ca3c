// The LabelRepo on SQLite and on PostgreSQL (LISTEN_TEST_PG): the same posts, the same answers.
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { HumanLabelInput } from '../../src/models/label.js'
import type { MentionInput } from '../../src/models/mention.js'
import { openPool, type PgHandle } from '../../src/store/pg/connect.js'
import { PgMentionWriter } from '../../src/store/pg/ingest.js'
import { PgLabels } from '../../src/store/pg/label.js'
import { migratePg } from '../../src/store/pg/migrations.js'
import { openDb } from '../../src/store/sqlite/db.js'
import { LabelStore } from '../../src/store/sqlite/label.js'
import { MentionStore } from '../../src/store/sqlite/mentions.js'
import type { LabelRepo } from '../../src/store/types.js'
import { storeMention } from '../helpers/mentions.js'
import { describeWithPg, usePgSchemas } from '../helpers/pg.js'
import { useTempDir } from '../helpers/tmp.js'

const T = Date.parse('2026-11-02T09:00:00Z')
const MIN = 60_000
const POSTS: MentionInput[] = [
  storeMention('c1', { createdAt: T, text: 'app keeps crashing', label: 'complaint', labelSource: 'model', scores: { outage: 0.2, complaint: 0.5, question: 0.1, praise: 0.1, other: 0.1 } }),
  storeMention('b1', { createdAt: T + MIN, text: 'sorry, which version?', byBrand: true, inReplyTo: 'c1', author: 'AcmeCare' }),
  storeMention('b2', { createdAt: T + 3 * MIN, text: 'a later brand reply', byBrand: true, inReplyTo: 'c1', author: 'AcmeCare' }),
  storeMention('c2', { createdAt: T + 2 * MIN, text: 'version 3.1', inReplyTo: 'b1', label: 'other', labelSource: 'model' }),
  storeMention('c3', { createdAt: T + 4 * MIN, text: 'imported one', label: 'praise', labelSource: 'import' }),
  storeMention('c4', { createdAt: T + 5 * MIN, text: 'from bluesky', source: 'bluesky', brand: 'Other' }),
  // A month earlier: PostgreSQL keeps it in another partition.
  storeMention('c5', { createdAt: T - 31 * 24 * 60 * MIN, text: 'old post', label: 'question', labelSource: 'model' }),
]

interface Backend {
  labels: LabelRepo
  state(source: string, id: string): Promise<{ label: string | null; label_source: string | null }>
  history(): Promise<number>
}

const inp = (id: string, label: HumanLabelInput['label'], line: number, source = 'x'): HumanLabelInput => ({ source, id, label, line })

function scenario(open: () => Promise<Backend>): void {
  it('offers customer posts without a human or imported label, newest first, with their thread', async () => {
    const b = await open()
    const all = await b.labels.labelCandidates({ pool: 100 })
    expect(all.map((c) => `${c.source}:${c.id}`)).toEqual(['bluesky:c4', 'x:c2', 'x:c1', 'x:c5'])
    const c1 = all.find((c) => c.id === 'c1')!
    expect(c1.reply).toEqual({ id: 'b1', author: 'AcmeCare', createdAt: T + MIN, text: 'sorry, which version?' })
    expect(c1.parent).toBeNull()
    expect([c1.label, c1.labelSource, c1.text, c1.brand, c1.createdAt]).toEqual(['complaint', 'model', 'app keeps crashing', 'Acme Air', T])
    const c2 = all.find((c) => c.id === 'c2')!
    expect(c2.parent?.text).toBe('sorry, which version?')
    expect(c2.reply).toBeNull()
    expect((await b.labels.labelCandidates({ pool: 2 })).map((c) => c.id)).toEqual(['c4', 'c2'])
    expect((await b.labels.labelCandidates({ pool: 100, sources: ['x'] })).map((c) => c.id)).toEqual(['c2', 'c1', 'c5'])
    expect((await b.labels.labelCandidates({ pool: 100, brands: ['Other'] })).map((c) => c.id)).toEqual(['c4'])
  })

  it('applies nothing when an id is unknown, everything known with skipUnknown, same labels again as unchanged', async () => {
    const b = await open()
    const file = [inp('c1', 'outage', 2), inp('nope', 'praise', 3), inp('c5', 'praise', 4)]
    const stopped = await b.labels.saveHumanLabels(file, 'sam', T, false)
    expect(stopped).toMatchObject({ applied: false, saved: 0, unchanged: 0 })
    expect(stopped.unknown.map((u) => [u.id, u.line])).toEqual([['nope', 3]])
    expect(await b.state('x', 'c1')).toEqual({ label: 'complaint', label_source: 'model' })
    expect(await b.history()).toBe(0)

    expect(await b.labels.saveHumanLabels(file, 'sam', T, true)).toMatchObject({ applied: true, saved: 2, unchanged: 0 })
    expect(await b.state('x', 'c1')).toEqual({ label: 'outage', label_source: 'human' })
    expect(await b.state('x', 'c5')).toEqual({ label: 'praise', label_source: 'human' })
    expect(await b.labels.saveHumanLabels([inp('c1', 'outage', 2), inp('c5', 'other', 3)], 'sam', T, false)).toMatchObject({ applied: true, saved: 1, unchanged: 1 })
    expect(await b.history()).toBe(3)
    expect((await b.labels.labelCandidates({ pool: 100 })).map((c) => c.id)).toEqual(['c4', 'c2'])
  })

  it('undo walks the labels history back to the model label', async () => {
    const b = await open()
    await b.labels.saveHumanLabels([inp('c2', 'question', 2), inp('c2', 'complaint', 3)], null, T, false)
    expect(await b.state('x', 'c2')).toEqual({ label: 'complaint', label_source: 'human' })
    expect(await b.labels.undoHumanLabel('x', 'c2')).toEqual({ label: 'question', labelSource: 'human', undone: 'complaint' })
    expect(await b.labels.undoHumanLabel('x', 'c2')).toEqual({ label: 'other', labelSource: 'model', undone: 'question' })
    expect(await b.state('x', 'c2')).toEqual({ label: 'other', label_source: 'model' })
    expect(await b.labels.undoHumanLabel('x', 'c2')).toBeNull()
    expect(await b.labels.undoHumanLabel('x', 'never')).toBeNull()
    expect(await b.history()).toBe(0)
  })
}

describe('LabelStore (SQLite)', () => {
  const tmp = useTempDir()
  let n = 0
  scenario(async () => {
    const db = openDb(join(tmp(), `l${n++}.db`), { create: true })
    new MentionStore(db).upsertMentions(POSTS, T)
    const repo = new LabelStore(db)
    return {
      labels: {
        labelCandidates: async (q) => repo.labelCandidates(q),
        saveHumanLabels: async (...a) => repo.saveHumanLabels(...a),
        undoHumanLabel: async (...a) => repo.undoHumanLabel(...a),
      },
      state: async (s, i) => db.prepare('SELECT label, label_source FROM mentions WHERE source = ? AND id = ?').get(s, i) as { label: string | null; label_source: string | null },
      history: async () => (db.prepare('SELECT count(*) AS n FROM labels').get() as { n: number }).n,
    }
  })
})

describeWithPg('PgLabels (PostgreSQL)', () => {
  const pgs = usePgSchemas()
  const handles: PgHandle[] = []
  afterAll(async () => {
    for (const h of handles) await h.close()
  })
  scenario(async () => {
    const h = await openPool({ url: (await pgs.fresh()).url, env: {} })
    handles.push(h)
    await migratePg(h)
    await new PgMentionWriter(h).upsertMentions(POSTS, T)
    return {
      labels: new PgLabels(h),
      state: async (s, i) => (await h.pool.query('SELECT label, label_source FROM mentions WHERE source = $1 AND id = $2', [s, i])).rows[0],
      history: async () => Number((await h.pool.query('SELECT count(*) AS n FROM labels')).rows[0].n),
    }
  })
})
