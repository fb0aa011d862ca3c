// Shared by the tagger tests: a CommandContext on a temporary database that collects warnings,
// and mention rows to seed it with.
import { join } from 'node:path'
import type { CommandContext } from '../../src/commands/context.js'
import { configSchema } from '../../src/config/schema.js'
import type { MentionInput } from '../../src/models/mention.js'

export function testContext(dir: string, now = Date.parse('2026-11-02T10:00:00Z')): { ctx: CommandContext; warnings: string[] } {
  const warnings: string[] = []
  const ctx: CommandContext = {
    config: { ...configSchema.parse({}), path: null, database: join(dir, 'listen.db'), timezone: 'UTC', brands: [] },
    timezone: 'UTC',
    now,
    env: { USER: 'tester' },
    log: { warn: (m) => warnings.push(m), info() {}, debug() {} },
    root: dir,
  }
  return { ctx, warnings }
}

/** A nonsense word the built-in corpus has never seen: only training can teach it a label. */
export const ZORP = 'zorpflux zorpflux'

/** A customer mention on x, 2026-11-02 09:00 UTC, untagged unless `over` says otherwise. */
export const testMention = (id: string, text: string, over: Partial<MentionInput> = {}): MentionInput => ({
  source: 'x',
  id,
  brand: 'Acme',
  createdAt: Date.parse('2026-11-02T09:00:00Z'),
  author: null,
  authorId: null,
  text,
  url: null,
  lang: 'en',
  inReplyTo: null,
  threadId: null,
  byBrand: false,
  raw: null,
  ...over,
})
