import { describe, expect, it } from 'vitest'
import type { Mention } from '../../src/models/mention.js'
import { brandFilterOf, languageDropReason, queryDropReason } from '../../src/sources/brand-filter.js'

const mention = (text: string, over: Partial<Mention> = {}): Mention => ({
  source: 'rss', id: '1', brand: 'Slack', createdAt: 0, author: null, authorId: null, text, url: null, lang: null,
  inReplyTo: null, threadId: null, byBrand: false, raw: null, ...over,
})

describe('queryDropReason', () => {
  const slack = brandFilterOf({ name: 'Slack', query: 'slack -stock -shares' })
  it.each([
    ['query', 'Slack is down for everyone', {}, null],
    ['query', 'Slack stock falls after earnings', {}, 'excluded'],
    ['query', 'Teams is down', {}, 'query'],
    ['query', 'read this', { url: 'https://news.example/slack-outage' }, null],
    ['exclusions', 'our chat is down #ausfall', {}, null],
    ['exclusions', 'buy the stock now', {}, 'excluded'],
    [undefined, 'buy the stock now', {}, null],
    ['query', 'we are looking into it', { byBrand: true }, null],
  ] as const)('%s: %j %j → %s', (mode, text, over, why) => {
    expect(queryDropReason(slack, mention(text, over), mode)).toBe(why)
  })
})

describe('languageDropReason', () => {
  const de = brandFilterOf({ name: 'Nordwind', query: 'nordwind', languages: ['de'] })
  it.each([
    ['Netz weg', { lang: 'de' }, null],
    ['Netz weg', { lang: 'de-AT' }, null],
    ['network down', { lang: 'en' }, 'language'],
    ['why is the network down again, this is the third time this week', {}, 'language'],
    ['warum ist das Netz schon wieder weg, das ist jetzt das dritte Mal', {}, null],
    ['ok', {}, null],
    ['network down', { lang: 'und' }, null],
    ['we are on it', { lang: 'en', byBrand: true }, null],
  ] as const)('%j %j → %s', (text, over, why) => {
    expect(languageDropReason(de, mention(text, over))).toBe(why)
  })
  it('keeps every language when the brand names none', () => {
    expect(languageDropReason(brandFilterOf({ name: 'A', query: 'a' }), mention('hello', { lang: 'en' }))).toBeNull()
  })
})
