import { describe, expect, it } from 'vitest'
import { esc, safeUrl, zoneDescription } from '../../src/render/html.js'

describe('html escaping of strangers’ text', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`"onmouseover='x'`, '&quot;onmouseover=&#39;x&#39;'],
    ['Größe & Übermut', 'Größe &amp; Übermut'],
    ['a\u202eevil\u202cb', 'aevilb'],
    ['line\nbreak', 'line break'],
    [null, ''],
  ])('esc(%j) = %j', (input, out) => expect(esc(input)).toBe(out))

  it.each([
    ['https://example.social/@x/1', 'https://example.social/@x/1'],
    ['http://example.org/a?b=1&c=2', 'http://example.org/a?b=1&c=2'],
    ['javascript:alert(1)', null],
    [' JavaScript:alert(1)', null],
    ['data:text/html,<b>x</b>', null],
    ['/relative/path', null],
    [null, null],
  ])('safeUrl(%j) = %j', (input, out) => expect(safeUrl(input)).toBe(out))
})

describe('zoneDescription', () => {
  it.each([
    ['2026-10-12T00:00:00+02:00', '2026-11-09T00:00:00+01:00', 'Europe/Berlin', 'Europe/Berlin (UTC+2, then UTC+1 from 2026-10-25 02:00)'],
    ['2026-03-23T00:00:00+01:00', '2026-04-06T00:00:00+02:00', 'Europe/Berlin', 'Europe/Berlin (UTC+1, then UTC+2 from 2026-03-29 03:00)'],
    ['2026-01-05T00:00:00Z', '2026-01-12T00:00:00Z', 'UTC', 'UTC (UTC+0)'],
    ['2026-01-05T00:00:00Z', '2026-01-12T00:00:00Z', 'Asia/Kolkata', 'Asia/Kolkata (UTC+5:30)'],
  ])('%s – %s in %s', (from, until, tz, out) => expect(zoneDescription(Date.parse(from), Date.parse(until), tz)).toBe(out))
})
