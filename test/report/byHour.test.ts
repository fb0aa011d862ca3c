import { describe, expect, it } from 'vitest'
import { type Label, LABEL_KEYS } from '../../src/models/mention.js'
import { summarizeByHour, weekdayOccurrences } from '../../src/report/byHour.js'
import { zonedToInstant } from '../../src/time/zone.js'

const one = (bucket: number, label: Label | null, n: number) => ({
  bucket,
  counts: LABEL_KEYS.map((k) => (k === (label ?? 'untagged') ? n : 0)),
})

const Q = 900_000
const at = (iso: string) => Math.floor(Date.parse(iso) / Q)

describe('summarizeByHour', () => {
  it('maps UTC buckets to local hours across the autumn DST change', () => {
    const tz = 'Europe/Berlin'
    const from = zonedToInstant(tz, 2026, 10, 24)
    const until = zonedToInstant(tz, 2026, 10, 27)
    const buckets = [
      one(at('2026-10-24T07:00:00Z'), 'complaint', 2), // 09:00 CEST
      one(at('2026-10-25T00:30:00Z'), 'outage', 1), // 02:30 CEST (first pass)
      one(at('2026-10-25T01:30:00Z'), 'outage', 1), // 02:30 CET (second pass)
      one(at('2026-10-26T08:00:00Z'), null, 3), // 09:00 CET
    ]
    const m = summarizeByHour(buckets, { timezone: tz, from, until, heatmap: true })
    expect(m.days).toBe(3)
    expect(m.total).toBe(7)
    expect(m.hours).toHaveLength(24)
    expect(m.hours[9]).toEqual({
      hour: 9,
      total: 5,
      perDay: 1.67,
      byLabel: { outage: 0, complaint: 2, question: 0, praise: 0, other: 0, untagged: 3 },
    })
    expect(m.hours[2]!.byLabel.outage).toBe(2)
    const cell = (wd: string, h: number) => m.heatmap!.cells.find((c) => c.weekday === wd && c.hour === h)!
    expect(cell('Sat', 9).total).toBe(2)
    expect(cell('Sun', 2).total).toBe(2)
    expect(cell('Mon', 9).total).toBe(3)
    expect(m.heatmap!.weekdayDays).toEqual([1, 0, 0, 0, 0, 1, 1])
  })

  it.each([
    ['Asia/Kolkata', '2026-06-01T03:30:00Z', 9],
    ['Asia/Kathmandu', '2026-06-01T03:15:00Z', 9],
    ['America/St_Johns', '2026-06-01T11:30:00Z', 9],
    ['UTC', '2026-06-01T09:45:00Z', 9],
  ])('in %s the quarter hour %s is local hour %d', (tz, iso, hour) => {
    const m = summarizeByHour([one(at(iso), 'question', 1)], {
      timezone: tz,
      from: Date.parse('2026-05-31T00:00:00Z'),
      until: Date.parse('2026-06-02T00:00:00Z'),
      heatmap: false,
    })
    expect(m.hours[hour]!.total).toBe(1)
  })

  it('counts partial weekdays at the window edges in part', () => {
    const tz = 'UTC'
    // Monday 12:00 → next Monday 12:00: one whole week.
    expect(weekdayOccurrences(Date.parse('2026-11-02T12:00:00Z'), Date.parse('2026-11-09T12:00:00Z'), tz)).toEqual([1, 1, 1, 1, 1, 1, 1])
  })
})
