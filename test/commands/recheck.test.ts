// listen recheck inside the process: real SQLite file, real HTTP client, MockAgent with the shapes
// the platforms answer (HN item from ../shared's recorded tree, Mastodon's 404, Reddit /api/info).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { MockAgent } from 'undici'
import { describe, expect, it } from 'vitest'
import { runRecheck, type RecheckOptions } from '../../src/commands/recheck.js'
import { openSqliteStore } from '../../src/store/sqlite/index.js'
import { SHARED, useTempDir } from '../helpers/tmp.js'
import { testContext, testMention } from './context.js'

const tmp = useTempDir()
const NOW = Date.parse('2026-11-02T10:00:00Z')
const HOUR = 3_600_000
const base: Omit<RecheckOptions, 'dispatcher'> = { sinceMs: 7 * 24 * HOUR, limit: 0, maxWaitMs: 1000, waitMs: 0, version: '0.0.0-test', isAlive: () => true }
const HN_ITEM = JSON.parse(readFileSync(join(SHARED, 'api-samples/hackernews/communal_hn_items_8828543_comment_tree.json'), 'utf8'))

async function seeded() {
  const dir = tmp()
  const { ctx, warnings } = testContext(dir, NOW)
  ctx.config.sources = { hackernews: { enabled: true }, mastodon: { enabled: true }, reddit: { enabled: true }, rss: { enabled: true } }
  ctx.env = { LISTEN_T_ID: 'id', LISTEN_T_SECRET: 'secret' }
  ctx.config.sources.reddit = { enabled: true, clientIdEnv: 'LISTEN_T_ID', clientSecretEnv: 'LISTEN_T_SECRET' }
  const store = openSqliteStore(ctx.config.database, { create: true })
  const at = NOW - 2 * HOUR
  await store.mentions.upsertMentions([
    testMention('8828543', HN_ITEM.title, { source: 'hackernews', createdAt: at, label: 'question' } as never),
    testMention('999', 'your app ate my order', { source: 'hackernews', createdAt: at, label: 'complaint' } as never),
    testMention('1001', 'the outage again?!', { source: 'mastodon', createdAt: at, label: 'outage' } as never),
    testMention('1002', 'first text', { source: 'mastodon', createdAt: at } as never),
    testMention('t1_aaa', 'removed by a mod', { source: 'reddit', createdAt: at, label: 'complaint' } as never),
    testMention('t1_bbb', 'still here', { source: 'reddit', createdAt: at } as never),
    testMention('t1_ccc', 'gone without a trace', { source: 'reddit', createdAt: at } as never),
    testMention('feed-1', 'a feed item', { source: 'rss', createdAt: at } as never),
    testMention('old', 'long ago', { source: 'hackernews', createdAt: NOW - 40 * 24 * HOUR } as never),
  ])
  await store.close()
  return { ctx, warnings }
}

function platforms(): MockAgent {
  const agent = new MockAgent()
  agent.disableNetConnect()
  const hn = agent.get('https://hn.algolia.com')
  hn.intercept({ path: '/api/v1/items/8828543' }).reply(200, HN_ITEM)
  hn.intercept({ path: '/api/v1/items/999' }).reply(404, { status: 404, error: 'Not Found' })
  const md = agent.get('https://mastodon.social')
  md.intercept({ path: '/api/v1/statuses/1001' }).reply(404, { error: 'Not Found' })
  const status = { id: '1002', created_at: '2026-11-02T08:00:00.000Z', content: '<p>second text</p>', uri: 'https://mastodon.social/users/x/statuses/1002', account: { id: '7', acct: 'x', username: 'x' }, edited_at: '2026-11-02T09:00:00.000Z' }
  md.intercept({ path: '/api/v1/statuses/1002' }).reply(200, status)
  agent.get('https://www.reddit.com').intercept({ path: '/api/v1/access_token', method: 'POST' }).reply(200, { access_token: 'tok', token_type: 'bearer' })
  const thing = (name: string, body: string, extra = {}) => ({ kind: 't1', data: { id: name.slice(3), name, author: 'u', created_utc: NOW / 1000, body, ...extra } })
  agent
    .get('https://oauth.reddit.com')
    .intercept({ path: (p) => decodeURIComponent(p).includes('id=t1_aaa,t1_bbb,t1_ccc') })
    .reply(200, { kind: 'Listing', data: { after: null, children: [thing('t1_aaa', '[removed]', { removed_by_category: 'moderator' }), thing('t1_bbb', 'still here')] } })
  return agent
}

describe('listen recheck', () => {
  it('records vanished and edited posts, says which platforms cannot tell, and keeps every mention', async () => {
    const { ctx } = await seeded()
    const m = await runRecheck({ ...base, dispatcher: platforms() }, ctx)
    const by = Object.fromEntries(m.sources.map((s) => [s.source, [s.status, s.checked, s.live, s.edited, s.vanished]]))
    expect(by).toEqual({
      hackernews: ['checked', 2, 1, 0, 1],
      mastodon: ['checked', 2, 0, 1, 1],
      reddit: ['checked', 3, 1, 0, 2],
      rss: ['unsupported', 0, 0, 0, 0],
    })
    expect(m.sources.find((s) => s.source === 'rss')?.error).toMatch(/cannot say/)
    const store = openSqliteStore(ctx.config.database, { create: false })
    expect(await store.mentions.count()).toBe(9)
    const rows = store.db.prepare('SELECT source, mention_id, status, vanished_reason, last_text, next_check_at FROM mention_checks ORDER BY source, mention_id').all()
    expect(rows).toEqual([
      { source: 'hackernews', mention_id: '8828543', status: 'live', vanished_reason: null, last_text: null, next_check_at: NOW + HOUR },
      { source: 'hackernews', mention_id: '999', status: 'vanished', vanished_reason: 'not found', last_text: null, next_check_at: null },
      { source: 'mastodon', mention_id: '1001', status: 'vanished', vanished_reason: 'deleted', last_text: null, next_check_at: null },
      { source: 'mastodon', mention_id: '1002', status: 'edited', vanished_reason: null, last_text: 'second text', next_check_at: NOW + HOUR },
      { source: 'reddit', mention_id: 't1_aaa', status: 'vanished', vanished_reason: 'removed', last_text: null, next_check_at: null },
      { source: 'reddit', mention_id: 't1_bbb', status: 'live', vanished_reason: null, last_text: null, next_check_at: NOW + HOUR },
      { source: 'reddit', mention_id: 't1_ccc', status: 'vanished', vanished_reason: 'not found', last_text: null, next_check_at: null },
    ])
    await store.close()
  })

  it('is incremental: nothing is due again before the next step of the schedule', async () => {
    const { ctx } = await seeded()
    await runRecheck({ ...base, dispatcher: platforms() }, ctx)
    const quiet = new MockAgent()
    quiet.disableNetConnect()
    const again = await runRecheck({ ...base, dispatcher: quiet }, ctx)
    expect(again.due).toBe(0)
    expect(again.sources.every((s) => s.checked === 0)).toBe(true)
    const later = { ...ctx, now: NOW + HOUR }
    const agent = new MockAgent()
    agent.disableNetConnect()
    agent.get('https://hn.algolia.com').intercept({ path: '/api/v1/items/8828543' }).reply(200, HN_ITEM)
    const status = { id: '1002', created_at: '2026-11-02T08:00:00.000Z', content: '<p>second text</p>', uri: 'https://mastodon.social/users/x/statuses/1002', account: { id: '7', acct: 'x', username: 'x' } }
    agent.get('https://mastodon.social').intercept({ path: '/api/v1/statuses/1002' }).reply(200, status)
    agent.get('https://www.reddit.com').intercept({ path: '/api/v1/access_token', method: 'POST' }).reply(200, { access_token: 'tok' })
    agent.get('https://oauth.reddit.com').intercept({ path: (p) => decodeURIComponent(p).includes('id=t1_bbb&') }).reply(200, { kind: 'Listing', data: { after: null, children: [] } })
    const third = await runRecheck({ ...base, dispatcher: agent }, later)
    expect(third.due).toBe(3)
    const store = openSqliteStore(ctx.config.database, { create: false })
    const rows = store.db.prepare("SELECT mention_id, status, checks, next_check_at FROM mention_checks WHERE mention_id IN ('8828543', '1002', 't1_bbb') ORDER BY mention_id").all()
    expect(rows).toEqual([
      { mention_id: '1002', status: 'edited', checks: 2, next_check_at: NOW + HOUR + 3 * HOUR },
      { mention_id: '8828543', status: 'live', checks: 2, next_check_at: NOW + HOUR + 3 * HOUR },
      { mention_id: 't1_bbb', status: 'vanished', checks: 2, next_check_at: null },
    ])
    await store.close()
  })

  it('a failing platform is named and the others are saved; a held lock stops the run', async () => {
    const { ctx } = await seeded()
    const agent = platforms()
    const broken = new MockAgent()
    broken.disableNetConnect()
    // reddit's token endpoint refuses: reddit fails, the rest is saved
    broken.get('https://www.reddit.com').intercept({ path: '/api/v1/access_token', method: 'POST' }).reply(401, { message: 'Unauthorized' })
    const hn = broken.get('https://hn.algolia.com')
    hn.intercept({ path: '/api/v1/items/8828543' }).reply(200, HN_ITEM)
    hn.intercept({ path: '/api/v1/items/999' }).reply(404, {})
    broken.get('https://mastodon.social').intercept({ path: /\/api\/v1\/statuses\// }).reply(404, {}).times(2)
    const m = await runRecheck({ ...base, dispatcher: broken }, ctx)
    expect(m.sources.find((s) => s.source === 'reddit')).toMatchObject({ status: 'failed', error: expect.stringMatching(/401/) })
    expect(m.sources.find((s) => s.source === 'hackernews')).toMatchObject({ status: 'checked', vanished: 1 })
    await agent.close()
    const store = openSqliteStore(ctx.config.database, { create: false })
    expect((await store.runs.tryLock('recheck', 4242, NOW, () => true)).ok).toBe(true)
    await store.close()
    await expect(runRecheck({ ...base, dispatcher: platforms(), pid: 1 }, ctx)).rejects.toThrow(/another listen recheck is running \(pid 4242/)
  })
})
