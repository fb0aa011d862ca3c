// listen audit --vanished, --agents and the per-shift rows: seeded SQLite file, real commands.
import { describe, expect, it } from 'vitest'
import { runAudit, type AuditOptions } from '../../src/commands/audit.js'
import { runVanished } from '../../src/commands/recheck.js'
import { createShiftResolver } from '../../src/report/agents.js'
import { openSqliteStore } from '../../src/store/sqlite/index.js'
import { useTempDir } from '../helpers/tmp.js'
import { testContext, testMention } from './context.js'

const tmp = useTempDir()
const T = (iso: string) => Date.parse(iso)
const NOW = T('2026-11-02T20:00:00Z')

async function seeded() {
  const { ctx } = testContext(tmp(), NOW)
  ctx.config.shifts = [
    { name: 'early', from: '06:00', to: '14:00' },
    { name: 'late', from: '14:00', to: '22:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
  ]
  const store = openSqliteStore(ctx.config.database, { create: true })
  const customer = (id: string, at: string, label: string, text: string) => ({ ...testMention(id, text, { createdAt: T(at), author: 'kunde', authorId: '1' }), label })
  const reply = (id: string, to: string, at: string, text: string) => testMention(id, text, { createdAt: T(at), author: 'AcmeHelp', byBrand: true, inReplyTo: to })
  await store.mentions.upsertMentions([
    customer('c1', '2026-11-02T07:00:00Z', 'complaint', 'my parcel is lost'),
    reply('r1', 'c1', '2026-11-02T07:30:00Z', 'Sorry! Please DM us your order number. ^JK'),
    customer('c2', '2026-11-02T15:00:00Z', 'complaint', 'worst service ever, refund me'),
    reply('r2', 'c2', '2026-11-02T17:00:00Z', 'We are sorry to hear that, we will look into it -Anna'),
    customer('c3', '2026-11-02T16:00:00Z', 'outage', 'app down again'),
    customer('c4', '2026-11-02T23:00:00Z', 'question', 'do you ship to austria?'),
    customer('p1', '2026-11-02T08:00:00Z', 'praise', 'love you guys'),
  ] as never)
  await store.recheck.saveChecks([
    { source: 'x', id: 'c2', checkedAt: T('2026-11-02T19:00:00Z'), nextCheckAt: null, status: 'vanished', vanishedReason: 'deleted' },
    { source: 'x', id: 'p1', checkedAt: T('2026-11-02T19:00:00Z'), nextCheckAt: null, status: 'vanished', vanishedReason: 'deleted' },
    { source: 'x', id: 'c1', checkedAt: T('2026-11-02T19:00:00Z'), nextCheckAt: null, status: 'edited', newText: 'my parcel is lost!!' },
  ])
  await store.close()
  return ctx
}

const opts: AuditOptions = { window: { from: T('2026-11-02T00:00:00Z'), until: T('2026-11-03T00:00:00Z') }, labels: ['outage', 'complaint', 'question', 'untagged'], view: 'breakdown', limit: 10 }

describe('audit care breakdowns', () => {
  it('--vanished lists the critical posts that disappeared, with the last text and who answered', async () => {
    const ctx = await seeded()
    const m = await runVanished(opts, ctx)
    expect(m.total).toBe(1)
    expect(m.items[0]).toMatchObject({ id: 'c2', reason: 'deleted', label: 'complaint', lastText: 'worst service ever, refund me', answeredBy: 'AcmeHelp (Anna)', answeredAt: '2026-11-02T17:00:00.000Z' })
  })

  it('per shift: which shift leaves posts unanswered', async () => {
    const ctx = await seeded()
    const m = await runAudit(opts, ctx)
    expect(m.byShift?.map((s) => [s.shift, s.mentions, s.answered, s.never])).toEqual([
      ['early', 1, 1, 0],
      ['late', 2, 1, 1],
      ['(no shift)', 1, 0, 1],
    ])
  })

  it('--agents: replies per account and signature, with response times', async () => {
    const ctx = await seeded()
    const m = await runAudit({ ...opts, view: 'agents' }, ctx)
    expect(m.byAgent?.map((a) => [a.account, a.agent, a.mentions, a.medianMinutes])).toEqual([
      ['AcmeHelp', 'Anna', 1, 120],
      ['AcmeHelp', 'JK', 1, 30],
    ])
  })

  it.each([
    ['2026-11-02T05:59:00Z', 'UTC', '(no shift)'],
    ['2026-11-02T06:00:00Z', 'UTC', 'early'],
    ['2026-11-02T13:59:00Z', 'UTC', 'early'],
    ['2026-11-02T14:00:00Z', 'UTC', 'late'],
    ['2026-11-07T15:00:00Z', 'UTC', '(no shift)'], // Saturday: late runs Mon–Fri
    ['2026-11-02T05:30:00Z', 'Europe/Berlin', 'early'], // 06:30 in Berlin
    ['2026-11-02T23:30:00Z', 'UTC', 'night'],
    ['2026-11-03T03:00:00Z', 'UTC', 'night'], // past midnight: the shift that started Monday
    ['2026-11-02T03:00:00Z', 'UTC', '(no shift)'], // Monday 03:00: night shift of Sunday is not configured
  ])('shift of %s in %s is %s', (at, tz, want) => {
    const shiftOf = createShiftResolver(
      [
        { name: 'early', from: '06:00', to: '14:00' },
        { name: 'late', from: '14:00', to: '22:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
        { name: 'night', from: '22:00', to: '06:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
      ],
      tz,
    )
    expect(shiftOf(Date.parse(at))).toBe(want)
  })
})
