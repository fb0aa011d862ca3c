// listen mentions: list stored mentions with filters.
import type { MentionsModel } from '../models/ingest.js'
import { UsageError } from '../models/errors.js'
import type { MentionFilter } from '../models/mention.js'
import { withStore } from '../store/open.js'
import { storeAuth, type CommandContext } from './context.js'
import { emptyWindowOf } from './empty.js'
import { loadStoredArticleIndex } from './article-index.js'
import { loadPiiMasker } from './pii-masks.js'

/** Typed and checked by the CLI (cli/commands/mentions.ts parseMentionsFlags). */
export interface MentionsOptions {
  filter: Omit<MentionFilter, 'limit'>
  /** At most this many, newest first; 0 = all. */
  limit: number
}

export async function runMentions(o: MentionsOptions, ctx: CommandContext): Promise<MentionsModel> {
  if (o.filter.topics?.length) await checkTopics(o.filter.topics, ctx)
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: false, readonly: true }, async (store) => {
    const rows = await store.mentions.listMentions({ ...o.filter, limit: o.limit || undefined })
    const masker = rows.some((m) => m.pii) ? await loadPiiMasker(ctx.config.pii) : null
    const total = o.limit && rows.length === o.limit ? await store.mentions.count(o.filter) : rows.length
    const { from, until } = o.filter
    const windowed = from !== undefined || until !== undefined
    const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString())
    // Computed at read time: a new import helps every stored question at once (bench: help-articles).
    const index = rows.some((m) => m.label === 'question') ? await loadStoredArticleIndex(store) : null
    const articles = index ? { index, best: (await import('../care/articles.js')).bestArticle } : null
    const articleOf = (m: (typeof rows)[number]) => {
      const hit = articles && m.label === 'question' ? articles.best(m.text, articles.index, m.lang) : null
      return hit ? { id: hit.article.id, title: hit.article.title, url: hit.article.url, confidence: Math.round(hit.confidence * 1000) / 1000 } : null
    }
    return {
      kind: 'mentions',
      timezone: ctx.timezone,
      total,
      shown: rows.length,
      window: windowed ? { from: iso(from), until: iso(until) } : null,
      ...(windowed && !rows.length ? { emptyWindow: await emptyWindowOf(store, { from, until }) } : {}),
      mentions: rows.map((m) => ({
        ...m,
        createdAt: new Date(m.createdAt).toISOString(),
        fetchedAt: new Date(m.fetchedAt).toISOString(),
        article: articleOf(m),
        // Masks are worked out from the text now: the store keeps only the kinds.
        piiMasked: m.pii && masker ? masker.findings(m.text).map((f) => masker.mask(m.text, f)) : [],
      })),
    }
  })
}

/** A misspelt topic would list nothing and look like a quiet day: name it instead. */
async function checkTopics(topics: readonly string[], ctx: CommandContext): Promise<void> {
  // Only here: the topic module brings the topic model and language detection.
  const { builtinTopics, topicNames } = await import('../care/topics.js')
  const known = [...topicNames(ctx.config.topics ?? builtinTopics()), 'untagged']
  const unknown = topics.filter((t) => !known.includes(t))
  if (unknown.length) throw new UsageError(`--topic: unknown topic ${unknown.map((t) => JSON.stringify(t)).join(', ')}; expected one of ${known.join(', ')} (the taxonomy is "topics" in the config)`)
}
