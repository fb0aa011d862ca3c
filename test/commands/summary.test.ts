import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CommandContext } from '../../src/commands/context.js'
import { configSchema } from '../../src/config/schema.js'
import type { Label, MentionInput } from '../../src/models/mention.js'
import { staffingNotes } from '../../src/render/views-reports.js'
import { openDb } from '../../src/store/sqlite/db.js'
import { MentionStore } from '../../src/store/sqlite/mentions.js'
import { runReport, runSummary } from '../helpers/flags.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const H = 3_600_000
const NOW = Date.parse('2026-11-09T00:00:00Z')
let seq = 0

function post(brand: string, hoursAgo: number, label: Label | null, text: string, o: { author?: string; reply?: string; byBrand?: boolean; source?: string } = {}): MentionInput {
  const id = `p${seq++}`
  return {
    source: o.source ?? 'x',
    id,
    brand,
    createdAt: NOW - hoursAgo * H,
    author: o.author ?? `user${seq % 3}`,
    authorId: null,
    text,
    url: null,
    lang: 'en',
    inReplyTo: o.reply ?? null,
    threadId: null,
    byBrand: o.byBrand ?? false,
    raw: null,
    label,
  }
}

function setup() {
  const dir = tmp()
  const rows: MentionInput[] = []
  // This week: Acme 6 (4 complaints about the router, 2 praise), Beta 2; last week: Acme 3.
  for (let i = 0; i < 4; i++) rows.push(post('Acme', 10 + i, 'complaint', 'my router keeps dropping, router broken again'))
  rows.push(post('Acme', 20, 'praise', 'love the new app, great app'), post('Acme', 21, 'praise', 'great app and great service'))
  rows.push(post('Beta', 30, 'question', 'how do I change my app plan?'), post('Beta', 31, null, 'app update today'))
  for (let i = 0; i < 3; i++) rows.push(post('Acme', 7 * 24 + 10 + i, 'question', 'when does the app update come'))
  const answered = rows[0]!
  rows.push(post('Acme', 9, null, 'sorry to hear that, DM us', { author: 'AcmeHelp', reply: answered.id }))
  const db = openDb(join(dir, 'listen.db'), { create: true })
  new MentionStore(db).upsertMentions(rows)
  db.close()
  const ctx: CommandContext = {
    config: {
      ...configSchema.parse({}),
      path: null,
      database: join(dir, 'listen.db'),
      timezone: 'UTC',
      brands: [
        { name: 'Acme', query: 'acme', handles: { x: 'AcmeHelp' } },
        { name: 'Beta', query: 'beta' },
      ],
    },
    timezone: 'UTC',
    now: NOW,
    env: {},
    log: { warn() {}, info() {}, debug() {} },
    root: dir,
  }
  return ctx
}

describe('runSummary', () => {
  it('counts shares, change, share of voice, distinctive terms, authors and open posts', async () => {
    const m = await runSummary({ since: '7d' }, setup())
    expect(m.total).toBe(8) // the brand's reply is not a customer post
    expect(m.previous.total).toBe(3)
    expect(m.change).toBeCloseTo(5 / 3, 4)
    expect(m.byLabel.find((l) => l.key === 'complaint')).toMatchObject({ count: 4, share: 0.5, previous: 0, change: null })
    expect(m.byLabel.find((l) => l.key === 'question')).toMatchObject({ count: 1, previous: 3 })
    expect(m.shareOfVoice!.map((b) => [b.key, b.count, b.share])).toEqual([
      ['Acme', 6, 0.75],
      ['Beta', 2, 0.25],
    ])
    expect(m.terms.items.map((t) => t.term)).toContain('router')
    expect(m.terms.items.map((t) => t.term)).not.toContain('app')
    expect(m.authors[0]!.posts).toBeGreaterThanOrEqual(3)
    // complaints 4 (one answered) + question 1 + untagged 1 need an answer
    expect(m.needsResponse).toMatchObject({ total: 6, unanswered: 5, untaggedIncluded: true })
    expect(m.completeness.complete).toBeNull()
  })
})

describe('runReport --by-hour with staffing', () => {
  it('adds staffing per hour and completeness, and keeps the by-hour names', async () => {
    const m = await runReport({ since: '14d', aht: '6m', target: '60m', serviceLevel: '0.8' }, setup())
    expect(Object.keys(m)).toEqual(expect.arrayContaining(['timezone', 'from', 'until', 'days', 'hours', 'completeness', 'staffing']))
    expect(m.hours).toHaveLength(24)
    expect(m.staffing!.hours).toHaveLength(24)
    expect(m.staffing!.cells).toHaveLength(168)
    expect(m.staffing!.basedOnHoles).toBe(false)
    expect(m.staffing!.hours.some((h) => h.agents > 0)).toBe(true)
    expect(m.completeness.sources.map((s) => s.note)).toEqual(['imported, completeness unknown'])
  })

  it('has no staffing without config or flags', async () => {
    expect((await runReport({ since: '14d' }, setup())).staffing).toBeUndefined()
  })

  it('says a plan is built on holes when the fetch log has them', async () => {
    const ctx = setup()
    const db = openDb(ctx.config.database, { create: false })
    db.prepare(`INSERT INTO fetch_runs (run_id, source, status, started_at, finished_at, covered_from, covered_until)
      VALUES ('r1', 'x', 'ok', ?, ?, ?, ?), ('r2', 'x', 'deferred', ?, ?, NULL, NULL)`).run(NOW - 2 * H, NOW - 2 * H, NOW - 14 * 24 * H, NOW - 3 * 24 * H, NOW - H, NOW - H)
    db.close()
    const m = await runReport({ since: '14d', aht: '6m', target: '60m', serviceLevel: '0.8' }, ctx)
    expect(m.completeness.complete).toBe(false)
    expect(m.completeness.sources[0]!.deferredHours).toBe(1)
    expect(m.staffing!.basedOnHoles).toBe(true)
    expect(staffingNotes(m.staffing!).join('\n')).toMatch(/built on incomplete data/)
  })
})
