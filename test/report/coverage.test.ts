import { describe, expect, it } from 'vitest'
import type { Completeness, SourceCompleteness } from '../../src/models/completeness.js'
import { coverageByHour } from '../../src/report/coverage.js'

const base: SourceCompleteness = { source: 'x', status: 'complete', hours: 48, coveredHours: 48, deferredHours: 0, failedHours: 0, notFetchedHours: 0, pendingHours: 0, coveredUntil: null, holes: [], note: '' }
const of = (...sources: SourceCompleteness[]): Completeness => ({ complete: null, sources, notes: [] })
const window = { from: Date.parse('2026-11-02T00:00:00Z'), until: Date.parse('2026-11-04T00:00:00Z'), timezone: 'UTC' }

describe('coverageByHour', () => {
  it('is unknown (null) for imported data only', () => {
    expect(coverageByHour(of({ ...base, status: 'imported' }), window)).toEqual(new Array(24).fill(null))
  })

  it('counts a failed hour against its local hour, per source, by overlap', () => {
    const hole = { from: '2026-11-02T10:00:00.000Z', until: '2026-11-02T11:00:00.000Z', hours: 1, reason: 'failed' as const }
    const c = coverageByHour(of({ ...base, status: 'incomplete', holes: [hole] }, { ...base, source: 'y' }), window)
    // Two days × two sources at 10:00; one source-hour missing.
    expect(c[10]).toBe(0.75)
    expect(c.filter((v, h) => h !== 10 && v !== 1)).toEqual([])
  })

  it('maps UTC hours to local ones (Berlin in winter: +1) and counts "not fetched yet" as covered', () => {
    const holes = [
      { from: '2026-11-02T10:00:00.000Z', until: '2026-11-02T11:00:00.000Z', hours: 1, reason: 'deferred' as const },
      { from: '2026-11-03T23:00:00.000Z', until: '2026-11-04T00:00:00.000Z', hours: 1, reason: 'since-last-fetch' as const },
    ]
    const c = coverageByHour(of({ ...base, status: 'incomplete', holes }), { ...window, timezone: 'Europe/Berlin' })
    expect(c[11]).toBe(0.5)
    expect(c[0]).toBe(1)
  })

  it('is null for hours a short window does not reach', () => {
    const c = coverageByHour(of(base), { from: window.from, until: window.from + 2 * 3_600_000, timezone: 'UTC' })
    expect(c.slice(0, 3)).toEqual([1, 1, null])
  })
})
