import { describe, expect, it } from 'vitest'
import type { StaffingParams } from '../../src/models/byhour.js'
import { type Label, LABEL_KEYS } from '../../src/models/mention.js'
import { formatDuration, parseFraction, planStaffing, quantile, resolveStaffing } from '../../src/report/staffing.js'
import { zonedToInstant } from '../../src/time/zone.js'

const Q = 900_000
const at = (iso: string) => Math.floor(Date.parse(iso) / Q)
const one = (bucket: number, label: Label | null, n: number) => ({ bucket, counts: LABEL_KEYS.map((k) => (k === (label ?? 'untagged') ? n : 0)) })
const params = (p: Partial<StaffingParams> = {}): StaffingParams => ({
  ahtMs: 240_000,
  targetMs: 20_000,
  serviceLevel: 0.8,
  shrinkage: 0.3,
  maxOccupancy: 0.85,
  labels: ['outage', 'complaint', 'question', 'untagged'],
  percentile: null,
  ...p,
})

describe('resolveStaffing', () => {
  it('returns null when neither config nor flags ask for staffing', () => {
    expect(resolveStaffing(undefined, {})).toBeNull()
  })

  it('takes the config and lets flags win', () => {
    const p = resolveStaffing({ aht: '6m', target: '60m', serviceLevel: 0.8, shrinkage: 0.25 }, { target: '30m', maxOccupancy: '90%' })!
    expect(p).toMatchObject({ ahtMs: 360_000, targetMs: 1_800_000, serviceLevel: 0.8, shrinkage: 0.25, maxOccupancy: 0.9, percentile: null })
    expect(p.labels).toEqual(['outage', 'complaint', 'question', 'untagged'])
  })

  it.each([
    [{ aht: '6m' }, /staffing needs --target, --service-level/],
    [{ aht: 'soon', target: '1h', serviceLevel: '0.8' }, /--aht: cannot read "soon" as a duration/],
    [{ aht: '6m', target: '1h', serviceLevel: '1.2' }, /--service-level: expected a share > 0 and < 1/],
    [{ aht: '6m', target: '1h', serviceLevel: '0.8', shrinkage: '1' }, /--shrinkage: expected a share ≥ 0 and < 1/],
    [{ aht: '6m', target: '1h', serviceLevel: '0.8', labels: ['angry'] }, /--labels: unknown label "angry"/],
    [{ aht: '6m', target: '1h', serviceLevel: '0.8', percentile: '90' }, /--percentile: expected a share/],
  ])('rejects %j', (flags, msg) => {
    expect(() => resolveStaffing(undefined, flags)).toThrow(msg)
  })
})

describe('small helpers', () => {
  it.each([
    [[1, 2, 3, 4], 0.5, 2.5],
    [[4, 1, 3, 2], 0.9, 3.7],
    [[7], 0.9, 7],
    [[], 0.9, 0],
  ])('quantile(%j, %d) = %d', (xs, p, q) => expect(quantile(xs, p)).toBeCloseTo(q, 10))

  it.each([
    [360_000, '6m'],
    [5_400_000, '1h30m'],
    [20_000, '20s'],
  ])('formatDuration(%d) = %s', (ms, s) => expect(formatDuration(ms)).toBe(s))

  it.each([
    ['0.8', 0.8],
    ['80%', 0.8],
  ])('parseFraction(%s) = %d', (v, n) => expect(parseFraction(v, '--x', { min: 0, max: 1 })).toBe(n))
})

describe('planStaffing', () => {
  const tz = 'UTC'
  // Four whole weeks from Monday 2026-06-01.
  const from = Date.parse('2026-06-01T00:00:00Z')
  const until = Date.parse('2026-06-29T00:00:00Z')

  it('uses the mean per weekday-hour and plans each hour for its busiest weekday', () => {
    // Mondays 09:00: 100 questions each week → 100/h → textbook 10 agents. Tuesdays 09:00: 40 each week.
    const buckets = [0, 7, 14, 21].flatMap((d) => [one(at(`2026-06-01T09:00:00Z`) + d * 96, 'question', 100), one(at(`2026-06-02T09:15:00Z`) + d * 96, 'complaint', 40)])
    const plan = planStaffing(buckets, { timezone: tz, from, until, params: params() })
    const mon9 = plan.cells[0 * 24 + 9]!
    expect(mon9).toMatchObject({ weekday: 'Mon', hour: 9, perHour: 100, agents: 10, scheduled: 15, workload: 6.67, backlogAgents: 8, weeks: 4 })
    expect(plan.cells[1 * 24 + 9]!.perHour).toBe(40)
    expect(plan.hours[9]).toMatchObject({ peakWeekday: 'Mon', perHour: 100, agents: 10, scheduled: 15 })
    expect(plan.hours[3]).toMatchObject({ perHour: 0, agents: 0, scheduled: 0, backlogAgents: 0 })
    expect(plan.counted).toBe(560)
  })

  it('plans for busy weeks with --percentile', () => {
    const weeks = [10, 20, 30, 200]
    const buckets = weeks.map((n, w) => one(at('2026-06-03T14:00:00Z') + w * 7 * 96, 'outage', n))
    const mean = planStaffing(buckets, { timezone: tz, from, until, params: params() })
    const p90 = planStaffing(buckets, { timezone: tz, from, until, params: params({ percentile: 0.9 }) })
    expect(mean.cells[2 * 24 + 14]!.perHour).toBe(65)
    expect(p90.cells[2 * 24 + 14]!.perHour).toBe(149) // type 7: 30 + 0.7 × (200 − 30)
    expect(p90.hours[14]!.agents).toBeGreaterThan(mean.hours[14]!.agents)
  })

  it('counts or leaves out untagged mentions as the labels say', () => {
    const buckets = [one(at('2026-06-01T10:00:00Z'), null, 12), one(at('2026-06-01T10:00:00Z'), 'praise', 5)]
    const withUntagged = planStaffing(buckets, { timezone: tz, from, until, params: params() })
    expect([withUntagged.counted, withUntagged.untaggedCounted, withUntagged.untaggedLeftOut]).toEqual([12, 12, 0])
    const tagged = planStaffing(buckets, { timezone: tz, from, until, params: params({ labels: ['outage', 'complaint', 'question'] }) })
    expect([tagged.counted, tagged.untaggedCounted, tagged.untaggedLeftOut]).toEqual([0, 0, 12])
  })

  it('divides the doubled fall-back hour by its two hours (Europe/Berlin)', () => {
    const berlin = 'Europe/Berlin'
    const f = zonedToInstant(berlin, 2026, 10, 25)
    const u = zonedToInstant(berlin, 2026, 10, 26)
    // 02:00–03:00 local happens twice on 2026-10-25: 00:00–01:00Z and 01:00–02:00Z.
    const buckets = [one(at('2026-10-25T00:15:00Z'), 'question', 30), one(at('2026-10-25T01:15:00Z'), 'question', 30)]
    const plan = planStaffing(buckets, { timezone: berlin, from: f, until: u, params: params() })
    expect(plan.cells[6 * 24 + 2]!.perHour).toBe(30)
  })
})
