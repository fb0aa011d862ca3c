// A stored-shape mention for store tests: one function, so SQLite and PostgreSQL tests write the same rows.
import type { MentionInput } from '../../src/models/mention.js'

export const storeMention = (id: string, over: Partial<MentionInput> = {}): MentionInput => ({
  source: 'x',
  id,
  brand: 'Acme Air',
  createdAt: Date.parse('2026-11-02T09:10:00Z'),
  author: 'sam',
  authorId: '42',
  text: `post ${id}`,
  url: null,
  lang: 'en',
  inReplyTo: null,
  threadId: null,
  byBrand: false,
  raw: { id },
  ...over,
})
