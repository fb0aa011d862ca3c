import { describe, expect, it } from 'vitest'
import { DEFAULT_SLA_MS, openPostsOf, queueLabelOf, rankQueue, type WindowPost } from '../../src/care/queue.js'
import type { QueueCandidate } from '../../src/models/queue.js'

const T0 = Date.parse('2026-11-09T10:00:00Z')
const MIN = 60_000
const sla = { outage: 15 * MIN, complaint: DEFAULT_SLA_MS, question: DEFAULT_SLA_MS, untagged: 2 * DEFAULT_SLA_MS }
const post = (id: string, label: QueueCandidate['label'], minutesAgo: number, over: Partial<QueueCandidate> = {}): QueueCandidate => ({
  source: 'x', id, brand: 'Acme', createdAt: T0 - minutesAgo * MIN, author: `u${id}`, authorId: null, label, text: id, url: null, pii: '', topic: null, replies: 0, ...over,
})
const order = (posts: QueueCandidate[]) => rankQueue(posts, T0, sla).map((r) => r.post.id)

describe('queueLabelOf', () => {
  it.each([
    ['outage', 'outage'], ['complaint', 'complaint'], ['question', 'question'], [null, 'untagged'], ['praise', null], ['other', null],
  ] as const)('%s → %s', (label, want) => expect(queueLabelOf(label)).toBe(want))
})

describe('rankQueue', () => {
  it.each([
    ['outage before complaint before question before untagged', [post('q', 'question', 90), post('u', null, 100), post('c', 'complaint', 5), post('o', 'outage', 1)], ['o', 'c', 'q', 'u']],
    ['oldest first within a label', [post('new', 'complaint', 5), post('old', 'complaint', 50)], ['old', 'new']],
    ['a grown thread first within its label', [post('old', 'complaint', 50), post('grown', 'complaint', 5, { replies: 2 })], ['grown', 'old']],
    ['a grown question stays behind a complaint', [post('c', 'complaint', 1), post('q', 'question', 50, { replies: 3 })], ['c', 'q']],
    ['an author waiting again first within the label', [post('a1', 'question', 60, { author: 'ann' }), post('b', 'question', 40), post('a2', 'question', 10, { author: 'ann' })], ['a2', 'a1', 'b']],
    ['the same author on another source counts apart', [post('a1', 'question', 60, { author: 'ann' }), post('b', 'question', 40), post('a2', 'question', 10, { author: 'ann', source: 'reddit' })], ['a1', 'b', 'a2']],
    ['praise and other are left out', [post('p', 'praise', 5), post('x', 'other', 5), post('q', 'question', 5)], ['q']],
  ])('%s', (_, posts, want) => expect(order(posts)).toEqual(want))

  it.each([
    ['outage 10 min old, SLA 15 min', post('o', 'outage', 10), 5 * MIN, false],
    ['outage 20 min old, SLA 15 min', post('o', 'outage', 20), -5 * MIN, true],
    ['untagged 90 min old, SLA 2 h', post('u', null, 90), 30 * MIN, false],
    ['question exactly at its SLA', post('q', 'question', 60), 0, false],
  ])('%s: SLA left and breach', (_, p, left, breached) => {
    const [r] = rankQueue([p], T0, sla)
    expect([r!.slaLeftMs, r!.breached]).toEqual([left, breached])
  })

  it('counts earlier waiting posts of the author, case-insensitively, by author id first', () => {
    const r = rankQueue([post('1', 'complaint', 30, { author: 'Ann', authorId: '7' }), post('2', 'complaint', 20, { author: 'ann_new', authorId: '7' }), post('3', 'complaint', 10, { author: 'ANN' })], T0, sla)
    expect(Object.fromEntries(r.map((x) => [x.post.id, x.authorWaiting]))).toEqual({ '1': 0, '2': 1, '3': 0 })
  })
})

describe('openPostsOf (the audit reply-chain rule on one window read)', () => {
  const w = (id: string, over: Partial<WindowPost> = {}): WindowPost => ({ ...post(id, 'complaint', 0), inReplyTo: null, threadId: null, isBrand: false, ...over })
  const open = (posts: WindowPost[]) => openPostsOf(posts).map((p) => `${p.id}:${p.replies}`)
  it.each([
    ['a direct brand reply answers the post', [w('a'), w('r', { inReplyTo: 'a', isBrand: true })], []],
    ['a reply to a customer follow-up answers the chain', [w('a'), w('b', { inReplyTo: 'a' }), w('r', { inReplyTo: 'b', isBrand: true })], []],
    ['a brand post in the thread answers its root', [w('root'), w('x', { inReplyTo: 'root', threadId: 'root' }), w('r', { inReplyTo: 'other', threadId: 'root', isBrand: true })], ['x:0']],
    ['the walk stops at a brand post', [w('a'), w('r1', { inReplyTo: 'a', isBrand: true }), w('b', { inReplyTo: 'r1' }), w('r2', { inReplyTo: 'b', isBrand: true })], []],
    ['a customer follow-up after the answer waits, and the thread grew', [w('a'), w('r', { inReplyTo: 'a', isBrand: true }), w('b', { inReplyTo: 'a' })], ['b:0']],
    ['customer replies count as growth', [w('a'), w('b', { inReplyTo: 'a' }), w('c', { inReplyTo: 'a' })], ['a:2', 'b:0', 'c:0']],
    ['chains stay within their source', [w('a'), w('r', { inReplyTo: 'a', isBrand: true, source: 'reddit' })], ['a:0']],
  ])('%s', (_, posts, want) => expect(open(posts)).toEqual(want))
})
