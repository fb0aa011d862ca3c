import { describe, expect, it } from 'vitest'
import { parseMentionRef } from '../../src/cli/commands/label.js'
import { openDb } from '../../src/store/sqlite/db.js'
import { MentionStore } from '../../src/store/sqlite/mentions.js'
import { ModelStore } from '../../src/store/sqlite/model.js'
import { runLabel } from '../helpers/flags.js'
import { useTempDir } from '../helpers/tmp.js'
import { testContext, testMention } from './context.js'

const tmp = useTempDir()


function seeded() {
  const dir = tmp()
  const { ctx } = testContext(dir)
  const db = openDb(ctx.config.database, { create: true })
  new MentionStore(db).upsertMentions([
    testMention('1590000000000000000', 'thanks, all good now'),
    testMention('at://did:plc:abc/app.bsky.feed.post/3k', 'is the app down?', { source: 'bluesky' }),
  ])
  db.close()
  return ctx
}

describe('parseMentionRef', () => {
  it.each([
    ['x:123', 'x', '123'],
    ['bluesky:at://did:plc:abc/app.bsky.feed.post/3k', 'bluesky', 'at://did:plc:abc/app.bsky.feed.post/3k'],
    ['rss:https://example.com/a#1', 'rss', 'https://example.com/a#1'],
  ])('%s → %s + %s', async (ref, source, id) => {
    expect(parseMentionRef(ref)).toEqual({ source, id })
  })

  it.each(['123', ':123', 'x:'])('rejects %j', async (ref) => {
    expect(() => parseMentionRef(ref)).toThrow(/is not <source>:<id>/)
  })
})

describe('runLabel', () => {
  it('records a human label with who and when, and returns the previous one', async () => {
    const ctx = seeded()
    const first = await runLabel({ mention: 'x:1590000000000000000', label: 'Praise' }, ctx)
    expect(first).toMatchObject({ kind: 'label', source: 'x', label: 'praise', previousLabel: null, by: 'tester', at: '2026-11-02T10:00:00.000Z', text: 'thanks, all good now' })
    const second = await runLabel({ mention: 'bluesky:at://did:plc:abc/app.bsky.feed.post/3k', label: 'outage', by: 'sam' }, ctx)
    expect(second).toMatchObject({ source: 'bluesky', id: 'at://did:plc:abc/app.bsky.feed.post/3k', label: 'outage', by: 'sam' })
    const db = openDb(ctx.config.database, { create: false })
    const store = new ModelStore(db)
    expect(store.countHumanLabels()).toBe(2)
    expect(store.labelHistory('x', '1590000000000000000')).toEqual([{ oldLabel: null, newLabel: 'praise', by: 'tester', at: ctx.now }])
    db.close()
  })

  it.each([
    [{ mention: 'x:1590000000000000000', label: 'angry' }, /label: unknown label "angry" \(outage, complaint, question, praise, other\)/],
    [{ mention: 'x:42', label: 'praise' }, /label: no mention x:42 in .*listen\.db/],
    [{ mention: '42', label: 'praise' }, /"42" is not <source>:<id>/],
  ])('%j fails with exit 2: %s', async (o, message) => {
    const ctx = seeded()
    await expect(runLabel(o, ctx)).rejects.toThrow(message)
    try {
      await runLabel(o, ctx)
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).toBe(2)
    }
  })

  it('needs an existing database', async () => {
    const { ctx } = testContext(tmp())
    await expect(runLabel({ mention: 'x:1', label: 'praise' }, ctx)).rejects.toThrow(/no database at .*listen\.db/)
  })
})
