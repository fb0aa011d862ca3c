// listen queue's store method on SQLite and PostgreSQL: the same rows give the same open posts.
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { MentionInput } from '../../src/models/mention.js'
import type { QueueCandidate, QueueScope } from '../../src/models/queue.js'
import { resolveBrandMatcher } from '../../src/report/audit.js'
import { openPool, type PgHandle } from '../../src/store/pg/connect.js'
import { PgMentionWriter } from '../../src/store/pg/ingest.js'
import { migratePg } from '../../src/store/pg/migrations.js'
import { PgQueue } from '../../src/store/pg/queue.js'
import { openDb } from '../../src/store/sqlite/db.js'
import { MentionStore } from '../../src/store/sqlite/mentions.js'
import { QueueStore } from '../../src/store/sqlite/queue.js'
import { describeWithPg, usePgSchemas } from '../helpers/pg.js'
import { storeMention } from '../helpers/mentions.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const T = Date.parse('2026-11-09T08:00:00Z')
const MIN = 60_000
const m = (id: string, minutes: number, over: Partial<MentionInput> = {}) =>
  storeMention(id, { createdAt: T + minutes * MIN, label: 'complaint', labelSource: 'model', author: `c${id}`, pii: '', ...over })

// c1 answered directly (by_brand), c2 answered through a chain (c2 ← c2b ← handle reply), c3 open
// with two customer replies, c4 praise (never queued), c5 open and untagged with an IBAN kind,
// c6 answered only after the queue instant, c7 old (before the window), b-hand by a handle.
const rows: MentionInput[] = [
  m('c1', 0),
  m('r1', 10, { inReplyTo: 'c1', byBrand: true, author: 'AcmeHelp' }),
  m('c2', 5, { label: 'question' }),
  m('c2b', 8, { inReplyTo: 'c2', label: 'question' }),
  m('r2', 20, { inReplyTo: 'c2b', author: 'AcmeHelp', byBrand: false, label: null }),
  m('c3', 15, { label: 'outage' }),
  m('c3a', 16, { inReplyTo: 'c3', label: 'other', author: 'someone' }),
  m('c3b', 17, { inReplyTo: 'c3', label: 'other', author: 'else' }),
  m('c4', 18, { label: 'praise' }),
  m('c5', 19, { label: null, labelSource: null, pii: 'iban' }),
  m('c6', 20),
  m('r6', 200, { inReplyTo: 'c6', byBrand: true }),
  m('c7', -3000),
]
const scope = (over: Partial<QueueScope> = {}): QueueScope => ({
  from: T - 60 * MIN,
  until: T + 60 * MIN,
  labels: ['outage', 'complaint', 'question', 'untagged'],
  brand: resolveBrandMatcher([], 'AcmeHelp'),
  ...over,
})
const brief = (posts: QueueCandidate[]) => posts.map((p) => `${p.id}:${p.label ?? '-'}:${p.replies}:${p.pii}`)
const WANT = ['c3:outage:2:', 'c5:-:0:iban', 'c6:complaint:0:']

describe('QueueStore (SQLite)', () => {
  const open = () => {
    const db = openDb(join(tmp(), 'q.db'), { create: true })
    new MentionStore(db).upsertMentions(rows)
    return new QueueStore(db)
  }
  it('lists unanswered posts with a queue label, oldest first, with thread growth and pii kinds', () => {
    expect(brief(open().openPosts(scope()))).toEqual(WANT)
  })
  it('filters by label, source and brand', () => {
    const q = open()
    expect(brief(q.openPosts(scope({ labels: ['untagged'] })))).toEqual(['c5:-:0:iban'])
    expect(q.openPosts(scope({ sources: ['reddit'] }))).toEqual([])
    expect(q.openPosts(scope({ brands: ['Other'] }))).toEqual([])
  })
  it('counts a later answer once the queue instant has passed it', () => {
    expect(brief(open().openPosts(scope({ until: T + 300 * MIN })))).toEqual(['c3:outage:2:', 'c5:-:0:iban'])
  })
  it('keeps pii kinds across re-imports without a check, and drops them when the text changes', () => {
    const db = openDb(join(tmp(), 'p.db'), { create: true })
    const s = new MentionStore(db)
    s.upsertMentions([m('a', 0, { pii: 'iban,phone' })])
    expect(s.upsertMentions([m('a', 0, { pii: null })])).toEqual({ inserted: 0, updated: 0, unchanged: 1 })
    expect(s.listMentions({ pii: true }).map((x) => x.pii)).toEqual(['iban,phone'])
    s.upsertMentions([m('a', 0, { pii: null, text: 'edited' })])
    expect(s.listMentions({}).map((x) => x.pii)).toEqual([null])
    s.upsertMentions([m('a', 0, { pii: '', text: 'edited' })])
    expect(s.listMentions({ pii: true })).toEqual([])
  })
})

describeWithPg('PgQueue (PostgreSQL)', () => {
  const pgs = usePgSchemas()
  const handles: PgHandle[] = []
  afterAll(async () => {
    for (const h of handles.splice(0)) await h.close()
  })
  const open = async () => {
    const h = await openPool({ url: (await pgs.fresh()).url, env: {} })
    handles.push(h)
    await migratePg(h)
    await new PgMentionWriter(h).upsertMentions(rows)
    return { h, q: new PgQueue(h) }
  }
  it('gives the same open posts as SQLite', async () => {
    const { q } = await open()
    expect(brief(await q.openPosts(scope()))).toEqual(WANT)
    expect(brief(await q.openPosts(scope({ labels: ['untagged'] })))).toEqual(['c5:-:0:iban'])
    expect(brief(await q.openPosts(scope({ until: T + 300 * MIN })))).toEqual(['c3:outage:2:', 'c5:-:0:iban'])
    expect(await q.hasBrandPosts(T - 60 * MIN, scope())).toBe(true)
  })
  it('keeps pii kinds like SQLite', async () => {
    const { h } = await open()
    const w = new PgMentionWriter(h)
    await w.upsertMentions([m('c5', 19, { label: null, labelSource: null, pii: null })])
    expect((await h.pool.query("SELECT pii FROM mentions WHERE id = 'c5'")).rows[0].pii).toBe('iban')
    await w.upsertMentions([m('c5', 19, { label: null, labelSource: null, pii: null, text: 'new' })])
    expect((await h.pool.query("SELECT pii FROM mentions WHERE id = 'c5'")).rows[0].pii).toBe(null)
  })
})
