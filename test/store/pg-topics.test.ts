// PgTopicStore against a real PostgreSQL (LISTEN_TEST_PG): re-tagging pages, human topics kept by
// re-tagging and re-imports, counts by topic, storm alerts and their cooldown.
import { afterAll, expect, it } from 'vitest'
import type { MentionInput } from '../../src/models/mention.js'
import { openPool, type PgHandle } from '../../src/store/pg/connect.js'
import { PgMentionWriter } from '../../src/store/pg/ingest.js'
import { migratePg } from '../../src/store/pg/migrations.js'
import { PgTopicStore } from '../../src/store/pg/topics.js'
import { describeWithPg, usePgSchemas } from '../helpers/pg.js'

const T = Date.parse('2026-11-10T18:00:00Z')
const mention = (id: string, text: string, o: Partial<MentionInput> = {}): MentionInput => ({
  source: 'x', id, brand: 'Acme', createdAt: T + Number(id) * 60_000, author: `u${id}`, authorId: null, text, url: null, lang: 'en',
  inReplyTo: null, threadId: null, byBrand: false, raw: null, label: 'complaint', ...o,
})
const NONE = { bySource: new Map<string, string[]>(), anySource: [], nonNumeric: false }

describeWithPg('PgTopicStore', () => {
  const pgs = usePgSchemas()
  const handles: PgHandle[] = []
  afterAll(async () => {
    for (const h of handles.splice(0)) await h.close()
  })
  async function migrated(): Promise<{ h: PgHandle; writer: PgMentionWriter; topics: PgTopicStore }> {
    const h = await openPool({ url: (await pgs.fresh()).url, env: {} })
    handles.push(h)
    await migratePg(h)
    return { h, writer: new PgMentionWriter(h), topics: new PgTopicStore(h) }
  }

  it('pages, saves and keeps human topics', async () => {
    const { writer, topics } = await migrated()
    await writer.upsertMentions([mention('1', 'parcel late'), mention('2', 'app crash'), mention('3', 'refund please', { topic: 'billing', topicSource: 'keyword' })])
    expect(await topics.countForTopics('untagged')).toBe(2)
    const page1 = await topics.mentionsForTopics('untagged', 0, 1)
    const page2 = await topics.mentionsForTopics('untagged', page1[0]!.rowid, 5)
    expect([...page1, ...page2].map((m) => m.text)).toEqual(['parcel late', 'app crash'])
    expect(await topics.saveModelTopics([{ rowid: page1[0]!.rowid, topic: 'delivery', source: 'keyword' }, { rowid: page2[0]!.rowid, topic: 'technical', source: 'model' }])).toBe(2)
    expect(await topics.saveHumanTopic('x', '3', 'service')).toEqual({ previous: { topic: 'billing', topicSource: 'keyword' }, text: 'refund please' })
    expect(await topics.saveHumanTopic('x', '99', 'service')).toBeNull()
    expect(await topics.countHumanTopics()).toBe(1)
    // Re-tagging and a re-import leave the human topic alone.
    const all = await topics.mentionsForTopics('all', 0, 10)
    expect(all).toHaveLength(2)
    await writer.upsertMentions([mention('3', 'refund please', { topic: 'billing', topicSource: 'keyword' })])
    const counts = await topics.topicCounts({ from: T, until: T + 3_600_000, brand: NONE })
    expect(counts.map((c) => `${c.topic}:${c.n}`).sort()).toEqual(['delivery:1', 'service:1', 'technical:1'])
  })

  it('records storm alerts with their topic and finds the cooldown per topic', async () => {
    const { writer, topics } = await migrated()
    await writer.upsertMentions([mention('1', 'parcel late', { topic: 'delivery', topicSource: 'keyword' }), mention('2', 'parcel lost', { topic: 'delivery', topicSource: 'keyword' })])
    const posts = await topics.stormPosts({ from: T, until: T + 3_600_000, brand: 'Acme', topic: 'delivery', matcher: NONE, limit: 10 })
    expect(posts.map((p) => p.text)).toEqual(['parcel lost', 'parcel late'])
    expect(typeof posts[0]!.createdAt).toBe('number')
    const id = await topics.saveStormAlert({ brand: 'Acme', kind: 'topic-storm', topic: 'delivery', firedAt: T, windowFrom: T - 1, count: 2, expected: 0.1, p: 0.001, method: 'poisson', message: '{}', delivery: 'none', error: null })
    expect(id).toBeGreaterThan(0)
    expect(await topics.lastStormAt('Acme', 'delivery', T - 60_000, T)).toBe(T)
    expect(await topics.lastStormAt('Acme', 'billing', T - 60_000, T)).toBeNull()
  })
})
