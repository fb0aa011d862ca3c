// The care-desk stores (articles, recheck) against one contract: SQLite on a real file and, with
// LISTEN_TEST_PG, the PostgreSQL classes the merger wires into PgStore.
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { MentionInput } from '../../src/models/mention.js'
import { NO_HANDLES } from '../../src/models/scope.js'
import { PgArticleStore } from '../../src/store/pg/articles.js'
import { openPool, type PgHandle } from '../../src/store/pg/connect.js'
import { PgMentionWriter } from '../../src/store/pg/ingest.js'
import { migratePg } from '../../src/store/pg/migrations.js'
import { PgRecheckStore } from '../../src/store/pg/recheck.js'
import { openSqliteStore } from '../../src/store/sqlite/index.js'
import type { ArticleRepo, RecheckRepo } from '../../src/store/types.js'
import { describeWithPg, usePgSchemas } from '../helpers/pg.js'
import { useTempDir } from '../helpers/tmp.js'

const H = 3_600_000
const T0 = Date.parse('2026-11-02T08:00:00Z')
const m = (id: string, over: Partial<MentionInput> = {}): MentionInput => ({
  source: 'x', id, brand: 'Acme', createdAt: T0, author: 'kunde', authorId: '1', text: `text ${id}`, url: null, lang: 'en', inReplyTo: null, threadId: null, byBrand: false, raw: null, ...over,
})
const MENTIONS: MentionInput[] = [
  { ...m('c1'), label: 'complaint' } as MentionInput,
  { ...m('c2', { createdAt: T0 + H }), label: 'outage' } as MentionInput,
  { ...m('q1', { source: 'reddit' }), label: 'question' } as MentionInput,
  m('r1', { author: 'AcmeHelp', byBrand: true, inReplyTo: 'c1', createdAt: T0 + H / 2, text: 'On it ^JK' }),
  m('r2', { author: 'acmehelp', inReplyTo: 'c2', createdAt: T0 + 2 * H, text: 'Fixed -Anna' }),
  m('old', { createdAt: T0 - 60 * 24 * H }),
]
const brand = { ...NO_HANDLES, anySource: ['acmehelp'] }

function contract(open: () => Promise<{ articles: ArticleRepo; recheck: RecheckRepo; insert: (ms: MentionInput[]) => Promise<unknown> }>) {
  it('articles: insert, unchanged, update, list', async () => {
    const { articles } = await open()
    const a = { id: 'a1', url: 'https://h.example/a1', title: 'Return', body: 'How to return', lang: 'en' }
    const b = { id: 'b1', url: 'https://h.example/b1', title: 'Rücksendung', body: 'So geht es', lang: 'de' }
    expect(await articles.saveArticles([a, b], 'file.jsonl', 1)).toEqual({ inserted: 2, updated: 0, unchanged: 0 })
    expect(await articles.saveArticles([a, { ...b, body: 'Neu' }], 'file.jsonl', 2)).toEqual({ inserted: 0, updated: 1, unchanged: 1 })
    expect((await articles.listArticles()).map((x) => [x.id, x.body, x.importedAt])).toEqual([
      ['b1', 'Neu', 2],
      ['a1', 'How to return', 1],
    ])
  })

  it('recheck: due posts, saved checks, vanished critical posts and who answered', async () => {
    const { recheck, insert } = await open()
    await insert(MENTIONS)
    const win = { from: T0 - 7 * 24 * H, now: T0 + 3 * H, sources: ['x'] }
    expect(await recheck.countDue(win)).toBe(4)
    const due = await recheck.dueForRecheck({ ...win, limit: 10 })
    expect(due.map((d) => d.id)).toEqual(['r2', 'c2', 'r1', 'c1'])
    expect(due[3]).toEqual({ source: 'x', id: 'c1', createdAt: T0, url: null, text: 'text c1', checks: 0, lastText: null })
    await recheck.saveChecks([
      { source: 'x', id: 'c1', checkedAt: T0 + 3 * H, nextCheckAt: T0 + 4 * H, status: 'edited', newText: 'text c1 (edited)' },
      { source: 'x', id: 'c2', checkedAt: T0 + 3 * H, nextCheckAt: null, status: 'vanished', vanishedReason: 'deleted' },
      { source: 'x', id: 'r1', checkedAt: T0 + 3 * H, nextCheckAt: T0 + 4 * H, status: 'live' },
    ])
    expect((await recheck.dueForRecheck({ ...win, limit: 10 })).map((d) => d.id)).toEqual(['r2'])
    // The next check of c1: still edited when the platform shows the same edited text.
    await recheck.saveChecks([{ source: 'x', id: 'c1', checkedAt: T0 + 4 * H, nextCheckAt: T0 + 7 * H, status: 'live' }])
    const later = await recheck.dueForRecheck({ ...win, now: T0 + 8 * H, limit: 10 })
    expect(later.find((d) => d.id === 'c1')).toMatchObject({ checks: 2, lastText: 'text c1 (edited)' })
    const gone = await recheck.vanished({ from: T0 - H, until: T0 + 24 * H, labels: ['complaint', 'outage'], brand })
    expect(gone).toEqual([
      { source: 'x', id: 'c2', brand: 'Acme', createdAt: T0 + H, author: 'kunde', label: 'outage', url: null, text: 'text c2', lastText: null, vanishedAt: T0 + 3 * H, vanishedReason: 'deleted' },
    ])
    expect(await recheck.repliesTo(gone, brand)).toEqual([{ parentSource: 'x', parentId: 'c2', createdAt: T0 + 2 * H, author: 'acmehelp', text: 'Fixed -Anna' }])
    const replies = await recheck.brandReplies({ from: T0, until: T0 + 24 * H, brand })
    expect(replies.map((r) => [r.parentId, r.author, r.parentCreatedAt])).toEqual([
      ['c1', 'AcmeHelp', T0],
      ['c2', 'acmehelp', T0 + H],
    ])
  })
}

describe('care stores on SQLite', () => {
  const tmp = useTempDir()
  contract(async () => {
    const store = openSqliteStore(join(tmp(), 'listen.db'), { create: true })
    return { articles: store.articles, recheck: store.recheck, insert: (ms) => store.mentions.upsertMentions(ms) }
  })
})

describeWithPg('care stores on PostgreSQL', () => {
  const pgs = usePgSchemas()
  const handles: PgHandle[] = []
  afterAll(async () => {
    for (const h of handles.splice(0)) await h.close()
  })
  contract(async () => {
    const h = await openPool({ url: (await pgs.fresh()).url, env: {} })
    handles.push(h)
    await migratePg(h)
    const writer = new PgMentionWriter(h, {})
    return { articles: new PgArticleStore(h), recheck: new PgRecheckStore(h), insert: (ms) => writer.upsertMentions(ms, T0) }
  })
})
