// The packed row: a mention as ROW_WIDTH positional values, cheap to pass between threads and to bind in SQL.
import type { MentionInput } from './mention.js'

export const PARAM_NAMES = ['source', 'id', 'brand', 'createdAt', 'author', 'authorId', 'text', 'url', 'lang', 'inReplyTo', 'threadId', 'byBrand', 'label', 'labelSource', 'scores', 'fetchedAt', 'raw', 'pii', 'topic', 'topicSource']

export const ROW_WIDTH = PARAM_NAMES.length

/**
 * Appends one mention as ROW_WIDTH positional values in PARAM_NAMES order (positional binding is
 * much cheaper than 19 named parameters).
 */
export function appendRow(out: unknown[], m: MentionInput, fetchedAt: number): void {
  out.push(
    m.source,
    m.id,
    m.brand,
    m.createdAt,
    m.author,
    m.authorId,
    m.text,
    m.url,
    m.lang,
    m.inReplyTo,
    m.threadId,
    m.byBrand ? 1 : 0,
    m.label ?? null,
    m.label ? (m.labelSource ?? 'model') : null,
    m.label && m.scores ? JSON.stringify(m.scores) : null,
    fetchedAt,
    m.raw === undefined || m.raw === null ? null : typeof m.raw === 'string' ? m.raw : JSON.stringify(m.raw),
    m.pii ?? null,
    m.topic ?? null,
    m.topic ? (m.topicSource ?? 'model') : null,
  )
}
