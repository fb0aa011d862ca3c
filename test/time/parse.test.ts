import { describe, expect, it } from 'vitest'
import { UsageError } from '../../src/models/errors.js'
import { parseDuration, parseInstant, parseInstantChecked } from '../../src/time/parse.js'
import { parseInstantFlag } from '../../src/time/window.js'
import { addLocalDays, formatLocal, localDaysBetween, zonedToInstant } from '../../src/time/zone.js'

describe('parseInstant', () => {
  it.each([
    ['2017-10-31T22:10:47Z', '2017-10-31T22:10:47.000Z'],
    ['2017-10-31T22:10:47.123+01:00', '2017-10-31T21:10:47.123Z'],
    ['2017-10-31 22:10:47 -0800', '2017-11-01T06:10:47.000Z'],
    ['2017-10-31T22:10:47+0530', '2017-10-31T16:40:47.000Z'],
    ['Tue Oct 31 22:10:47 +0000 2017', '2017-10-31T22:10:47.000Z'],
    ['Tue Oct 31 22:10:47 +0200 2017', '2017-10-31T20:10:47.000Z'],
    ['Tue, 31 Oct 2017 22:10:47 +0000', '2017-10-31T22:10:47.000Z'],
    ['31 Oct 2017 22:10:47 GMT', '2017-10-31T22:10:47.000Z'],
    ['1509487847', '2017-10-31T22:10:47.000Z'],
    ['1509487847123', '2017-10-31T22:10:47.123Z'],
    [1509487847, '2017-10-31T22:10:47.000Z'],
    ['2017-10-31', '2017-10-31T00:00:00.000Z'],
  ])('%s → %s (UTC default)', (input, iso) => {
    expect(new Date(parseInstant(input)!).toISOString()).toBe(iso)
  })

  it.each([
    ['2026-07-01T09:00', 'Europe/Berlin', '2026-07-01T07:00:00.000Z'],
    ['2026-01-01T09:00', 'Europe/Berlin', '2026-01-01T08:00:00.000Z'],
    ['2026-03-29T02:30', 'Europe/Berlin', '2026-03-29T01:30:00.000Z'], // in the spring gap: after it
    ['2026-10-25T02:30', 'Europe/Berlin', '2026-10-25T00:30:00.000Z'], // in the autumn overlap: the earlier
    ['2026-11-01', 'Asia/Kathmandu', '2026-10-31T18:15:00.000Z'],
  ])('%s in %s → %s', (input, tz, iso) => {
    expect(new Date(parseInstant(input, tz)!).toISOString()).toBe(iso)
  })

  it.each(['', 'yesterday', '2017-13-01', '2017-02-30T10:00Z', 'Tue Foo 31 22:10:47 +0000 2017', '31/10/2017'])(
    'rejects %j',
    (input) => expect(parseInstant(input)).toBeNull(),
  )
})

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['6m', 360_000],
    ['1.5h', 5_400_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
  ])('%s → %d ms', (input, ms) => expect(parseDuration(input)).toBe(ms))
  it.each(['', '7', 'd', '7x', '-1h', '1h 30m'])('rejects %j', (input) => expect(parseDuration(input)).toBeNull())
})

describe('zone arithmetic', () => {
  it('counts a 25-hour DST day as one day', () => {
    const from = zonedToInstant('Europe/Berlin', 2026, 10, 25)
    const until = zonedToInstant('Europe/Berlin', 2026, 10, 26)
    expect(until - from).toBe(25 * 3_600_000)
    expect(localDaysBetween(from, until, 'Europe/Berlin')).toBe(1)
  })
  it('adds calendar days at the same wall time across DST', () => {
    const start = zonedToInstant('Europe/Berlin', 2026, 10, 20, 9)
    expect(formatLocal(addLocalDays(start, 7, 'Europe/Berlin'), 'Europe/Berlin')).toBe('2026-10-27T09:00:00+01:00')
  })
  it.each([
    [Date.UTC(2026, 5, 1, 12), 'Asia/Kolkata', '2026-06-01T17:30:00+05:30'],
    [Date.UTC(2026, 5, 1, 12), 'America/New_York', '2026-06-01T08:00:00-04:00'],
    [Date.UTC(2026, 5, 1, 12), 'UTC', '2026-06-01T12:00:00+00:00'],
  ])('formats %d in %s as %s', (t, tz, s) => expect(formatLocal(t, tz)).toBe(s))
})

describe('a local time in the spring-forward gap', () => {
  it.each([
    ['2026-03-29T02:30', '--from', 'Europe/Berlin', 'the clocks jump from 02:00 to 03:00 on 2026-03-29', '2026-03-29T02:30+01:00'],
    ['2026-03-08 02:00', '--until', 'America/New_York', 'the clocks jump from 02:00 to 03:00 on 2026-03-08', '2026-03-08 02:00-05:00'],
    ['2026-10-04T02:15', '--at', 'Australia/Lord_Howe', 'the clocks jump from 02:00 to 02:30 on 2026-10-04', '2026-10-04T02:15+10:30'],
  ])('%s as %s in %s is a usage error naming the flag, the zone and the gap', (value, flag, tz, jump, withOffset) => {
    expect(() => parseInstantFlag(value, flag, tz)).toThrow(UsageError)
    expect(() => parseInstantFlag(value, flag, tz)).toThrow(
      `${flag}: ${value} does not exist in ${tz}: ${jump} (daylight saving time); give a time outside the gap, or an offset such as ${withOffset}`,
    )
  })

  it.each([
    ['2026-03-29T01:59', 'Europe/Berlin', '2026-03-29T00:59:00.000Z'],
    ['2026-03-29T03:00', 'Europe/Berlin', '2026-03-29T01:00:00.000Z'],
    ['2026-03-29T02:30+01:00', 'Europe/Berlin', '2026-03-29T01:30:00.000Z'],
    ['2026-10-25T02:30', 'Europe/Berlin', '2026-10-25T00:30:00.000Z'],
    // A date alone is the day's first instant, also where the day starts in a gap.
    ['2026-09-06', 'America/Santiago', '2026-09-06T04:00:00.000Z'],
  ])('%s in %s is fine as a flag → %s', (value, tz, iso) => {
    expect(new Date(parseInstantFlag(value, '--from', tz)).toISOString()).toBe(iso)
  })

  it.each([
    ['2026-03-29T02:30', 'Europe/Berlin', true],
    ['2026-03-29 02:00:00', 'Europe/Berlin', true],
    ['2026-03-29T03:00', 'Europe/Berlin', false],
    ['2026-03-29T02:30Z', 'Europe/Berlin', false],
    ['2026-03-29T02:30', 'UTC', false],
  ])('parseInstantChecked(%s, %s) marks the gap: %s', (value, tz, inGap) => {
    expect(parseInstantChecked(value, tz)).toEqual({ instant: parseInstant(value, tz), inGap })
  })
})
