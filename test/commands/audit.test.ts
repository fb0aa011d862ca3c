import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CommandContext } from '../../src/commands/context.js'
import { configSchema } from '../../src/config/schema.js'
import type { Brand, Label, MentionInput } from '../../src/models/mention.js'
import { auditWarnings } from '../../src/render/notices.js'
import { openDb } from '../../src/store/sqlite/db.js'
import { MentionStore } from '../../src/store/sqlite/mentions.js'
import { runAudit } from '../helpers/flags.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const MIN = 60_000
const T0 = Date.parse('2026-11-02T09:00:00Z') // a Monday
const ACME: Brand = { name: 'Acme', query: 'acme', handles: { x: 'AcmeHelp', reddit: ['acme_support'] } }

function post(source: string, id: string, minute: number, o: { author?: string; label?: Label; reply?: string; thread?: string; byBrand?: boolean } = {}): MentionInput {
  return {
    source,
    id,
    brand: 'Acme',
    createdAt: T0 + minute * MIN,
    author: o.author ?? `user_${id}`,
    authorId: null,
    text: `post ${id}`,
    url: `https://example.com/${source}/${id}`,
    lang: 'en',
    inReplyTo: o.reply ?? null,
    threadId: o.thread ?? null,
    byBrand: o.byBrand ?? false,
    raw: null,
    label: o.label ?? null,
  }
}

// A hand-built thread set with known first-response times (minutes after the post):
const THREADS: MentionInput[] = [
  post('x', 'a1', 0, { label: 'complaint' }),
  post('x', 'r1', 30, { author: '@AcmeHelp', reply: 'a1' }), //                       a1: 30
  post('x', 'a2', 60, { label: 'question' }),
  post('x', 'a2b', 70, { label: 'question', reply: 'a2' }), // the customer adds a detail
  post('x', 'r2', 180, { author: 'acmehelp', reply: 'a2b' }), //           a2b: 110, a2 (chain): 120
  post('x', 'a3', 120, { label: 'outage' }),
  post('x', 'r3', 3000, { author: 'agent_kim', reply: 'a3', byBrand: true }), //   a3: 2880 (by_brand)
  post('x', 'a4', 130, { label: 'praise' }), //                                       not in scope
  post('x', 'r4', 140, { author: 'AcmeHelp', reply: 'a4' }),
  post('x', 'a5', 240), //                                                             untagged: never
  post('x', 'a6', 300, { label: 'complaint' }), //                                    never: the reply is on another platform
  post('mastodon', 'm6', 310, { author: 'acme', reply: 'a6', byBrand: true }),
  post('reddit', 'p1', 0, { label: 'question' }),
  post('reddit', 'c1', 20, { label: 'complaint', reply: 'p1', thread: 'p1' }),
  post('reddit', 'b1', 80, { author: 'acme_support', reply: 'c1', thread: 'p1' }), // c1: 60, p1 (chain): 80
  post('reddit', 'p2', 100, { label: 'question' }),
  post('reddit', 'b2', 1000, { author: 'acme_support', reply: 'not-stored', thread: 'p2' }), // p2 (thread): 900
]

function context(dir: string, brands: Brand[] = [ACME]): CommandContext {
  return {
    config: { ...configSchema.parse({}), path: null, database: join(dir, 'listen.db'), timezone: 'UTC', brands },
    timezone: 'UTC',
    now: T0 + 7 * 24 * 60 * MIN,
    env: {},
    log: { warn() {}, info() {}, debug() {} },
    root: dir,
  }
}

function seed(dir: string, rows = THREADS) {
  const db = openDb(join(dir, 'listen.db'), { create: true })
  new MentionStore(db).upsertMentions(rows)
  db.close()
}

describe('runAudit on a hand-built thread set', () => {
  it('finds first responses through replies, reply chains and threads, per platform', async () => {
    const dir = tmp()
    seed(dir)
    const m = await runAudit({ since: '14d' }, context(dir))
    expect(m.overall).toMatchObject({ mentions: 9, answered: 7, within1h: 2, within1to24h: 4, later: 1, never: 2 })
    expect(m.overall.medianMinutes).toBe(110)
    expect(m.overall.p90Minutes).toBe(1692) // type 7 between 900 and 2880
    expect(m.bySource.map((s) => [s.source, s.mentions, s.never])).toEqual([
      ['x', 6, 2],
      ['reddit', 3, 0],
    ])
    expect(m.byLabel.map((l) => [l.label, l.mentions])).toEqual([
      ['outage', 1],
      ['complaint', 3],
      ['question', 4],
      ['untagged', 1],
    ])
    expect(m.ledger.items.map((i) => [i.id, i.label, i.ageHours, i.url])).toEqual([
      ['a5', 'untagged', 164, 'https://example.com/x/a5'],
      ['a6', 'complaint', 163, 'https://example.com/x/a6'],
    ])
    expect(m.handles.known).toBe(true)
    const mon9 = m.hourOfWeek[9]!
    expect([mon9.weekday, mon9.hour, mon9.mentions, mon9.within1h]).toEqual(['Mon', 9, 3, 2])
    expect(m.completeness.sources.map((s) => [s.source, s.status])).toEqual([
      ['mastodon', 'imported'],
      ['reddit', 'imported'],
      ['x', 'imported'],
    ])
  })

  it('leaves untagged posts out with --labels and audits only the chosen sources', async () => {
    const dir = tmp()
    seed(dir)
    const m = await runAudit({ since: '14d', labels: ['outage,complaint,question'], source: ['x'] }, context(dir))
    expect(m.untagged).toBe('excluded')
    expect(m.overall).toMatchObject({ mentions: 5, never: 1 })
    expect(m.ledger.items.map((i) => i.id)).toEqual(['a6'])
  })

  it('shows the ledger as rows with --ledger and marks uncovered hours', async () => {
    const dir = tmp()
    const late = [0, 1, 2, 3].map((i) => post('x', `n${i}`, 14 * 60 + i, { label: 'complaint' })) // Mon 23:00, never answered
    seed(dir, [...THREADS, ...late])
    const m = await runAudit({ since: '14d', ledger: true, limit: 3 }, context(dir))
    expect(m.view).toBe('ledger')
    expect(m.ledger).toMatchObject({ total: 6, shown: 3 })
    expect(m.uncovered).toEqual([
      { weekday: 'Mon', fromHour: 10, untilHour: 11, mentions: 3, shareWithin1h: 0 }, // a2, a2b, p2: answered after 1 h
      { weekday: 'Mon', fromHour: 23, untilHour: 24, mentions: 4, shareWithin1h: 0 },
    ])
  })

  it('says so when no brand post is known, and --handles names them', async () => {
    const dir = tmp()
    seed(dir)
    const ctx = context(dir, [])
    const none = await runAudit({ since: '14d', source: ['reddit'] }, ctx)
    expect(none.overall.never).toBe(5) // the brand's own comments look like customers' too
    expect(auditWarnings(none).join('\n')).toMatch(/No brand posts found/)
    const named = await runAudit({ since: '14d', source: ['reddit'], handles: '@Acme_Support' }, ctx)
    expect(named.overall.never).toBe(0)
  })

  it('rejects contradicting flags', async () => {
    const dir = tmp()
    seed(dir)
    await expect(runAudit({ ledger: true, hours: true }, context(dir))).rejects.toThrow(/--ledger and --hours/)
    await expect(runAudit({ all: true, since: '7d' }, context(dir))).rejects.toThrow(/--all cannot be combined/)
    await expect(runAudit({ labels: ['angry'] }, context(dir))).rejects.toThrow(/--labels: unknown label "angry"/)
  })
})
