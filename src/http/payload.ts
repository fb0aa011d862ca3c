// Turning a response body into trusted data: schema validation with a message that names the
// source and the URL, and HTML → plain text for platforms that send post bodies as HTML.
import type { z } from 'zod'
import { HttpError } from '../models/errors.js'
import type { HttpResponse } from './types.js'

/** Validates `data` against `schema`; a missing or mistyped field throws HttpError naming source, URL and field. */
export function parsePayload<S extends z.ZodType>(
  schema: S,
  data: unknown,
  where: { source: string; response: Pick<HttpResponse, 'url' | 'status'> },
): z.infer<S> {
  const result = schema.safeParse(data)
  if (result.success) return result.data
  const issues = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ')
  throw new HttpError(
    `${where.source}: unexpected payload from ${where.response.url}: ${issues}`,
    where.response.url,
    where.response.status,
    { cause: result.error },
  )
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
}

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10)
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return NAMED_ENTITIES[entity.toLowerCase()] ?? whole
  })
}

/**
 * Post HTML (Mastodon `content`, Hacker News `comment_text`) as plain text: paragraphs become
 * blank lines, <br> a newline, tags vanish, entities are decoded.
 */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n\n')
    .replace(/<p[^>]*>/gi, '\n\n')
    .replace(/<[^>]*>/g, '')
  return decodeEntities(text)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
