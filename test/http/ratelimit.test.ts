import { describe, expect, it } from 'vitest'
import { isRateLimited, parseBodyBackoff, parseRateLimitRemaining, parseRateLimitReset } from '../../src/http/ratelimit.js'
import { redactText, redactUrl } from '../../src/http/redact.js'
import { decodeEntities, htmlToText } from '../../src/http/payload.js'

const NOW = Date.parse('2025-05-14T12:00:00Z')

describe('parseRateLimitReset: every platform convention → epoch ms', () => {
  it.each([
    ['Retry-After seconds', { 'retry-after': '120' }, NOW + 120_000],
    ['Retry-After HTTP date', { 'retry-after': 'Wed, 14 May 2025 12:05:00 GMT' }, Date.parse('2025-05-14T12:05:00Z')],
    ['X x-rate-limit-reset epoch s', { 'x-rate-limit-reset': '1747212300' }, 1747212300_000],
    ['GitHub x-ratelimit-reset epoch s', { 'x-ratelimit-reset': '1747224000' }, 1747224000_000],
    ['Reddit x-ratelimit-reset seconds left', { 'x-ratelimit-reset': '42' }, NOW + 42_000],
    ['Reddit fractional seconds', { 'x-ratelimit-reset': '42.5' }, NOW + 42_500],
    ['Mastodon x-ratelimit-reset ISO', { 'x-ratelimit-reset': '2025-05-14T12:35:00.146988Z' }, Date.parse('2025-05-14T12:35:00.146Z')],
    ['Bluesky ratelimit-reset epoch s', { 'ratelimit-reset': '1747227600' }, 1747227600_000],
    ['IETF draft ratelimit-reset delta', { 'ratelimit-reset': '30' }, NOW + 30_000],
    ['Retry-After wins over the window reset', { 'retry-after': '5', 'x-rate-limit-reset': '1747212300' }, NOW + 5_000],
    ['nothing announced', { 'content-type': 'application/json' }, null],
    ['garbage', { 'retry-after': 'soon' }, null],
  ])('%s', (_name, headers: Record<string, string>, expected) => expect(parseRateLimitReset(headers, NOW)).toBe(expected))
})

describe('remaining and refusal', () => {
  it.each([
    [{ 'x-rate-limit-remaining': '0' }, 0],
    [{ 'x-ratelimit-remaining': '592.0' }, 592],
    [{ 'ratelimit-remaining': '2983' }, 2983],
    [{}, null],
  ])('remaining %j', (headers: Record<string, string>, n) => expect(parseRateLimitRemaining(headers)).toBe(n))
  it.each([
    [429, {}, true],
    [403, { 'x-ratelimit-remaining': '0' }, true],
    [403, { 'x-ratelimit-remaining': '10' }, false],
    [403, {}, false],
    [500, {}, false],
  ])('status %i %j → %s', (status, headers: Record<string, string>, expected) => expect(isRateLimited(status, headers)).toBe(expected))
})

describe('Stack Exchange body hints', () => {
  it.each([
    [{ items: [], backoff: 10, quota_remaining: 200 }, NOW + 10_000],
    [{ items: [], quota_remaining: 0 }, Date.parse('2025-05-15T00:00:00Z')],
    [{ items: [], quota_remaining: 9000 }, null],
    [[1, 2], null],
  ])('%j', (body, expected) => expect(parseBodyBackoff(body, NOW)).toBe(expected))
})

describe('redaction', () => {
  it.each([
    ['https://api.example.com/x?access_token=abc123&q=1', [], 'https://api.example.com/x?access_token=***&q=1'],
    ['https://www.googleapis.com/youtube/v3/commentThreads?key=AIzaSyXXXX&part=snippet', [], 'https://www.googleapis.com/youtube/v3/commentThreads?key=***&part=snippet'],
    ['https://a.example/x?client_secret=s3cr3t', [], 'https://a.example/x?client_secret=***'],
    ['https://a.example/x?q=tok-en%2Fvalue', ['tok-en/value'], 'https://a.example/x?q=***'],
    ['https://user:pass@a.example/', [], 'https://user:***@a.example/'],
  ])('%s', (url, secrets: string[], expected) => expect(redactUrl(url, secrets)).toBe(expected))
  it('removes every secret from free text', () => {
    expect(redactText('Bearer sekrit-123 and again sekrit-123', ['sekrit-123'])).toBe('Bearer *** and again ***')
  })
})

describe('HTML to text', () => {
  it.each([
    ['<p>Hallo &amp; willkommen</p><p>Zweiter Absatz</p>', 'Hallo & willkommen\n\nZweiter Absatz'],
    ['eins<br>zwei<br />drei', 'eins\nzwei\ndrei'],
    ['<a href="https://x">https:&#x2F;&#x2F;x</a> it&#39;s &quot;ok&quot;', 'https://x it\'s "ok"'],
    ['plain text', 'plain text'],
  ])('%s', (html, text) => expect(htmlToText(html)).toBe(text))
  it('leaves unknown entities alone', () => expect(decodeEntities('&bogus; &#128512;')).toBe('&bogus; 😀'))
})
