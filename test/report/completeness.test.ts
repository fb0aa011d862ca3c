import { describe, expect, it } from 'vitest'
import type { FetchRunSpan } from '../../src/models/runs.js'
import { completenessLine } from '../../src/render/words.js'
import { summarizeCompleteness } from '../../src/report/completeness.js'

const H = 3_600_000
const T0 = Date.parse('2026-11-02T00:00:00Z')
const run = (source: string, status: FetchRunSpan['status'], fromH: number | null, untilH: number | null, startedH = untilH ?? 0): FetchRunSpan => ({
  source,
  status,
  startedAt: T0 + startedH * H,
  finishedAt: T0 + startedH * H + 60_000,
  coveredFrom: fromH === null ? null : T0 + fromH * H,
  coveredUntil: untilH === null ? null : T0 + untilH * H,
})

describe('summarizeCompleteness', () => {
  const base = { from: T0, until: T0 + 12 * H, timezone: 'UTC' }

  it('calls a source complete when ok runs cover every hour', () => {
    const c = summarizeCompleteness({ ...base, sources: ['x'], fetchedSources: new Set(['x']), runs: [run('x', 'ok', -1, 6), run('x', 'ok', 6, 12)] })
    expect(c.complete).toBe(true)
    expect(c.sources[0]).toMatchObject({ status: 'complete', coveredHours: 12, holes: [] })
  })

  it('names rate-limited, failed and never-fetched hours', () => {
    const runs = [run('x', 'ok', 0, 3), run('x', 'deferred', null, null, 4), run('x', 'failed', 6, 8), run('x', 'ok', 9, 12)]
    const c = summarizeCompleteness({ ...base, sources: ['x'], fetchedSources: new Set(['x']), runs })
    const s = c.sources[0]!
    expect(c.complete).toBe(false)
    expect(s).toMatchObject({ status: 'incomplete', coveredHours: 6, deferredHours: 1, failedHours: 2, notFetchedHours: 3 })
    expect(s.holes.map((h) => [h.from.slice(11, 16), h.until.slice(11, 16), h.reason])).toEqual([
      ['03:00', '04:00', 'not-fetched'],
      ['04:00', '05:00', 'deferred'],
      ['05:00', '06:00', 'not-fetched'],
      ['06:00', '08:00', 'failed'],
      ['08:00', '09:00', 'not-fetched'],
    ])
    expect(s.note).toMatch(/^6 of 12 hours without a successful fetch \(1 rate-limited, 2 failed, 3 never fetched\)/)
    expect(completenessLine(c)).toMatch(/^Completeness: INCOMPLETE — x: 6 of 12/)
  })

  it('a failure that later successes covered is no hole, also in the current, partly fetched hour', () => {
    const M = 60_000
    const at = (h: number, m = 0) => T0 + h * H + m * M
    const span = (status: FetchRunSpan['status'], from: number, until: number): FetchRunSpan => ({ source: 'x', status, startedAt: until, finishedAt: until + M, coveredFrom: from, coveredUntil: until })
    // Cron every 15 minutes: the 11:15 run failed, the 11:30 and 11:45 runs fetched from 11:00 on.
    const runs = [span('ok', at(0), at(11)), span('failed', at(11), at(11, 15)), span('ok', at(11), at(11, 30)), span('ok', at(11, 30), at(11, 45))]
    const c = summarizeCompleteness({ from: T0, until: at(11, 50), timezone: 'UTC', sources: ['x'], fetchedSources: new Set(['x']), runs })
    expect(c.sources[0]).toMatchObject({ status: 'complete', failedHours: 0, coveredHours: 11, pendingHours: 1 })
    // A failure after the last success still shows.
    const late = summarizeCompleteness({ from: T0, until: at(11, 50), timezone: 'UTC', sources: ['x'], fetchedSources: new Set(['x']), runs: [...runs.slice(0, 3), span('failed', at(11, 30), at(11, 45))] })
    expect(late.sources[0]).toMatchObject({ status: 'incomplete', failedHours: 1 })
  })

  it('says "imported, completeness unknown" for sources without a fetch log', () => {
    const c = summarizeCompleteness({ ...base, sources: ['twitter'], fetchedSources: new Set(), runs: [] })
    expect(c.complete).toBeNull()
    expect(c.sources[0]!.note).toBe('imported, completeness unknown')
    expect(completenessLine(c)).toBe('Completeness: twitter imported, completeness unknown.')
  })

  it('treats the minutes since the last fetch as pending, not as a hole', () => {
    const c = summarizeCompleteness({ ...base, until: T0 + 12 * H + 20 * 60_000, sources: ['x'], fetchedSources: new Set(['x']), runs: [run('x', 'ok', 0, 12)] })
    expect(c.complete).toBe(true)
    expect(c.sources[0]).toMatchObject({ pendingHours: 1, status: 'complete' })
  })

  it('reports an enabled source that was fetched before but not in this window as holes', () => {
    const c = summarizeCompleteness({ ...base, sources: ['x', 'reddit'], fetchedSources: new Set(['x', 'reddit']), runs: [run('x', 'ok', 0, 12)] })
    expect(c.complete).toBe(false)
    expect(c.sources.find((s) => s.source === 'reddit')).toMatchObject({ status: 'incomplete', notFetchedHours: 12 })
  })
})
