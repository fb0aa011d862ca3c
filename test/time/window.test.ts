import { describe, expect, it } from 'vitest'
import { parseFetchFlags } from '../../src/cli/commands/fetch.js'
import { parseBackFlag, resolveWindow } from '../../src/time/window.js'

const NOW = Date.parse('2026-11-09T12:00:00Z')

describe('--since and --until: a duration back or a date', () => {
  it.each([
    ['7d', 'UTC', '2026-11-02T12:00:00.000Z'],
    ['12h', 'UTC', '2026-11-09T00:00:00.000Z'],
    ['2017-11-01', 'UTC', '2017-11-01T00:00:00.000Z'],
    ['2017-11-01', 'Europe/Berlin', '2017-10-31T23:00:00.000Z'],
    ['2017-11-01T08:30', 'America/New_York', '2017-11-01T12:30:00.000Z'],
    ['2017-11-01T08:30Z', 'Europe/Berlin', '2017-11-01T08:30:00.000Z'],
    // Seven local days back across the end of daylight saving time: 169 hours.
    ['7d', 'Europe/Berlin', '2026-11-02T12:00:00.000Z'],
  ])('%s in %s', (value, tz, iso) => expect(new Date(parseBackFlag(value, '--since', tz, NOW)).toISOString()).toBe(iso))

  it.each(['7', 'last week', '2017-13-01', '-3d'])('refuses %j', (value) => expect(() => parseBackFlag(value, '--since', 'UTC', NOW)).toThrow(/--since: cannot read/))

  it('--until takes a duration back from now, and --since counts back from it', () => {
    const w = resolveWindow({ since: '1d', until: '1d' }, 'UTC', NOW, '28d')
    expect([w.from, w.until].map((t) => new Date(t).toISOString())).toEqual(['2026-11-07T12:00:00.000Z', '2026-11-08T12:00:00.000Z'])
  })

  it('fetch --since takes a date as well', () => {
    expect(parseFetchFlags({ since: '2026-11-01' }, { timezone: 'UTC', now: NOW }).sinceMs).toBe(NOW - Date.parse('2026-11-01T00:00:00Z'))
    expect(() => parseFetchFlags({ since: '2027-01-01' }, { timezone: 'UTC', now: NOW })).toThrow(/--since: 2027-01-01 is not in the past/)
  })
})
