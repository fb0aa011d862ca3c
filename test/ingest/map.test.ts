import { describe, expect, it } from 'vitest'
import { negatedColumn, normalizeRecord, parseFieldMap, type MapContext } from '../../src/ingest/map.js'

const ctx = (over: Partial<MapContext> = {}): MapContext => ({ map: {}, timezone: 'UTC', handles: new Set(), ...over })

describe('parseFieldMap', () => {
  it('reads field=column pairs', () => {
    expect(parseFieldMap('id=tweet_id, author=author_id,by_brand=!inbound')).toEqual({ id: 'tweet_id', author: 'author_id', by_brand: '!inbound' })
  })
  it.each([
    ['id', /not field=column/],
    ['idx=foo', /unknown field "idx"/],
    ['id=a=b', /not field=column/],
  ])('rejects %j', (spec, msg) => expect(() => parseFieldMap(spec)).toThrow(msg))
})

describe('negatedColumn', () => {
  it.each([
    ['inbound', 'inbound', false],
    ['not:inbound', 'inbound', true],
    ['NOT:inbound', 'inbound', true],
    ['!inbound', 'inbound', true],
    ['nothing', 'nothing', false],
  ])('%s → column %s, negated %s', (mapped, column, negate) => expect(negatedColumn(mapped)).toEqual({ column, negate }))
})

describe('normalizeRecord', () => {
  const twcs = {
    tweet_id: '3',
    author_id: '115712',
    inbound: 'True',
    created_at: 'Tue Oct 31 22:08:27 +0000 2017',
    text: '@sprintcare I have sent several private messages',
    in_response_to_tweet_id: '4',
  }
  const map = parseFieldMap('id=tweet_id,author=author_id,created_at=created_at,text=text,in_reply_to=in_response_to_tweet_id,by_brand=!inbound')

  it('maps a TWCS row', () => {
    const r = normalizeRecord(twcs, null, ctx({ map, source: 'twitter' }))
    expect(r.ok && r.mention).toMatchObject({
      source: 'twitter',
      id: '3',
      author: '115712',
      createdAt: Date.parse('2017-10-31T22:08:27Z'),
      inReplyTo: '4',
      byBrand: false,
    })
  })

  it.each(['not:inbound', '!inbound'])('negates the inbound column written %s', (column) => {
    const m = parseFieldMap(`id=tweet_id,created_at=created_at,text=text,by_brand=${column}`)
    const r = normalizeRecord({ ...twcs, inbound: 'False' }, null, ctx({ map: m, source: 'twitter' }))
    expect(r.ok && r.mention.byBrand).toBe(true)
  })

  it.each([
    [{ ...twcs, inbound: 'False' }, {}, true],
    [{ ...twcs, author_id: 'SprintCare', inbound: undefined }, { handles: new Set(['sprintcare']) }, true],
    [{ ...twcs, inbound: undefined }, { handles: new Set(['sprintcare']) }, false],
  ])('by_brand from the column or the handles (%#)', (record, extra, expected) => {
    const r = normalizeRecord(record, null, ctx({ map, source: 'twitter', ...extra }))
    expect(r.ok && r.mention.byBrand).toBe(expected)
  })

  it.each([
    [{ ...twcs, tweet_id: '' }, /missing id \(column "tweet_id"\)/],
    [{ ...twcs, created_at: 'last tuesday' }, /cannot read created_at "last tuesday"/],
    [{ ...twcs, text: undefined }, /missing text/],
    [{ ...twcs, inbound: 'maybe' }, /cannot read by_brand "maybe"/],
  ])('reports a bad row (%#)', (record, msg) => {
    const r = normalizeRecord(record, null, ctx({ map, source: 'twitter' }))
    expect(r.ok).toBe(false)
    expect(!r.ok && r.error).toMatch(msg)
  })

  it('needs a source from a column or --source', () => {
    const r = normalizeRecord({ id: '1', created_at: 1509487847, text: 'x' }, null, ctx())
    expect(!r.ok && r.error).toMatch(/missing source/)
  })

  it('reads camelCase exports and naive dates in the zone', () => {
    const r = normalizeRecord({ id: 7, source: 'rss', createdAt: '2026-07-01 09:00', text: 'hi', inReplyTo: 3, label: 'praise' }, '{}', ctx({ timezone: 'Europe/Berlin' }))
    expect(r.ok && r.mention).toMatchObject({ id: '7', createdAt: Date.parse('2026-07-01T07:00:00Z'), inReplyTo: '3', label: 'praise', labelSource: 'import' })
  })
})
