// firstBrandReplies and the thread context of human examples, on SQLite and on PostgreSQL (the
// same rows, the same answers).
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { MentionInput } from '../../src/models/mention.js'
import type { BrandReplyPair } from '../../src/models/tagger.js'
import { openPool, type PgHandle } from '../../src/store/pg/connect.js'
import { PgMentionWriter } from '../../src/store/pg/ingest.js'
import { migratePg } from '../../src/store/pg/migrations.js'
import { PARENT_JOIN, PgTagger, THREAD_COLUMNS } from '../../src/store/pg/tagger.js'
import { openStore } from '../../src/store/open.js'
import { describeWithPg, usePgSchemas } from '../helpers/pg.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const at = Date.parse('2026-11-02T09:00:00Z')
const m = (id: string, over: Partial<MentionInput> = {}): MentionInput => ({
  source: 'x', id, brand: 'Acme', createdAt: at + Number(id.replace(/\D/g, '')) * 1000, author: null, authorId: null, text: `post ${id}`, url: null, lang: 'en',
  inReplyTo: null, threadId: null, byBrand: false, raw: null, ...over,
})
// 1 ← brand 2 (first), brand 3 (later); 4 follows up brand 2 ← brand 5; 6 has a customer reply only;
// 7 is human-labelled with a brand reply 8; a reply on another source does not count.
const ROWS: MentionInput[] = [
  m('1'),
  m('2', { byBrand: true, inReplyTo: '1', threadId: '1', text: 'sorry to hear that, please DM us' }),
  m('3', { byBrand: true, inReplyTo: '1', threadId: '1', text: 'glad you enjoyed it' }),
  m('4', { inReplyTo: '2', threadId: '1', text: 'still nothing' }),
  m('5', { byBrand: true, inReplyTo: '4', threadId: '1', text: "we're aware of an issue" }),
  m('6'),
  m('60', { inReplyTo: '6' }),
  m('7'),
  m('8', { byBrand: true, inReplyTo: '7' }),
  m('9', { source: 'reddit', byBrand: true, inReplyTo: '6' }),
]
const EXPECTED: Array<Pick<BrandReplyPair, 'id' | 'followUp' | 'reply'>> = [
  { id: '1', followUp: false, reply: 'sorry to hear that, please DM us' },
  { id: '4', followUp: true, reply: "we're aware of an issue" },
]
const pick = (rows: BrandReplyPair[]) => rows.map((r) => ({ id: r.id, followUp: r.followUp, reply: r.reply }))

describe('firstBrandReplies on SQLite', () => {
  it('gives each customer post its first brand reply, skips human labels, and pages by (source, id)', async () => {
    const db = await openStore(join(tmp(), 'l.db'), { create: true })
    try {
      await db.mentions.upsertMentions(ROWS)
      await db.models.saveHumanLabel('x', '7', 'praise', null, 1)
      const all = await db.models.firstBrandReplies(null, 100)
      expect(pick(all)).toEqual(EXPECTED)
      expect(all[0]).toMatchObject({ source: 'x', text: 'post 1', lang: 'en', replyLang: 'en' })
      const first = await db.models.firstBrandReplies(null, 1)
      expect(pick([...first, ...(await db.models.firstBrandReplies(first[0]!, 1))])).toEqual(EXPECTED)
      expect(await db.models.firstBrandReplies({ source: 'x', id: '4' }, 10)).toEqual([])
    } finally {
      await db.close()
    }
  })
})

describeWithPg('PgTagger', () => {
  const pgs = usePgSchemas()
  const handles: PgHandle[] = []
  afterAll(async () => {
    for (const h of handles) await h.close()
  })

  it('gives the same first brand replies, human examples with followUp, and the thread columns', async () => {
    const h = await openPool({ url: (await pgs.fresh()).url, env: {} })
    handles.push(h)
    await migratePg(h)
    await new PgMentionWriter(h).upsertMentions(ROWS, at)
    await h.pool.query("UPDATE mentions SET label = 'other', label_source = 'human' WHERE id IN ('7', '4')")
    const t = new PgTagger(h)
    expect(pick(await t.firstBrandReplies(null, 100))).toEqual([EXPECTED[0]])
    await h.pool.query("UPDATE mentions SET label = NULL, label_source = NULL WHERE id = '4'")
    const all = await t.firstBrandReplies(null, 100)
    expect(pick(all)).toEqual(EXPECTED)
    expect(pick(await t.firstBrandReplies(all[0]!, 100))).toEqual([EXPECTED[1]])
    await h.pool.query("UPDATE mentions SET label = 'other', label_source = 'human' WHERE id = '4'")
    expect((await t.humanExamples()).map((e) => [e.text, e.followUp]).sort()).toEqual([
      ['post 7', false],
      ['still nothing', true],
    ])
    const thread = await h.pool.query(`SELECT ${THREAD_COLUMNS} FROM mentions m ${PARENT_JOIN} WHERE m.id IN ('1', '4', '60') ORDER BY m.id`)
    expect(thread.rows).toEqual([
      { source: 'x', id: '1', inReplyTo: null, threadId: null, parentByBrand: false },
      { source: 'x', id: '4', inReplyTo: '2', threadId: '1', parentByBrand: true },
      { source: 'x', id: '60', inReplyTo: '6', threadId: null, parentByBrand: false },
    ])
  })
})
