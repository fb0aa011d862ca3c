// GitHub issue and pull-request search, newest first, bounded by a `created:>=` qualifier.
// https://docs.github.com/en/rest/search/search#search-issues-and-pull-requests
// Comments are not search results: the brand's replies would need one request per issue
// (GET /repos/{owner}/{repo}/issues/{n}/comments), so they are not fetched; issues opened by the
// brand's own accounts (handles.github) are marked byBrand.
import { z } from 'zod'
import { parsePayload } from '../http/payload.js'
import type { HttpResponse } from '../http/types.js'
import { HttpError } from '../models/errors.js'
import type { Brand, Mention } from '../models/mention.js'
import { lowerHandlesOf } from './handles.js'
import { type FetchContext, LOOKUP_BRAND, type LookupContext, type LookupOutcome, type LookupPost, type SourceAdapter, type WalkStep } from './types.js'

const SOURCE = 'github'

const itemSchema = z.object({
  id: z.number(),
  number: z.number().optional(),
  title: z.string(),
  body: z.string().nullish(),
  html_url: z.string(),
  created_at: z.iso.datetime({ offset: true }),
  user: z.object({ login: z.string(), id: z.number() }).nullish(),
  pull_request: z.object({}).loose().nullish(),
})
export type GithubIssue = z.infer<typeof itemSchema>

const searchSchema = z.object({
  total_count: z.number(),
  incomplete_results: z.boolean().optional(),
  items: z.array(itemSchema),
})

const errorSchema = z.object({
  message: z.string(),
  errors: z
    .array(z.object({ message: z.string().optional(), code: z.string().optional(), resource: z.string().optional(), field: z.string().optional() }))
    .optional(),
  documentation_url: z.string().optional(),
})

/** An issue or pull request from search or a list endpoint → a mention (title, blank line, Markdown body). Pure. */
export function normalizeGithub(item: GithubIssue, brand: Brand): Mention {
  const login = item.user?.login ?? null
  return {
    source: SOURCE,
    id: String(item.id),
    brand: brand.name,
    createdAt: Date.parse(item.created_at),
    author: login,
    authorId: item.user ? String(item.user.id) : null,
    text: [item.title.trim(), (item.body ?? '').trim()].filter(Boolean).join('\n\n'),
    url: item.html_url,
    lang: null,
    inReplyTo: null,
    threadId: String(item.id),
    byBrand: login !== null && lowerHandlesOf(brand, SOURCE).includes(login.toLowerCase()),
    raw: item,
  }
}

/** The rel="next" target of an RFC 8288 Link header, or null. */
export function nextLink(header: string | undefined): string | null {
  if (!header) return null
  for (const part of header.split(',')) {
    const m = part.match(/<([^>]+)>\s*;\s*rel="?([^";]+)"?/)
    if (m && m[2]!.split(/\s+/).includes('next')) return m[1]!
  }
  return null
}

function fail(res: HttpResponse, data: unknown): never {
  const parsed = errorSchema.safeParse(data)
  const detail = parsed.success
    ? [parsed.data.message, ...(parsed.data.errors ?? []).map((e) => e.message ?? [[e.resource, e.field].filter(Boolean).join('.'), e.code].filter(Boolean).join(' '))].filter(Boolean).join(': ')
    : 'error without a message'
  throw new HttpError(`${SOURCE}: ${res.url} → ${res.status}: ${detail}`, res.url, res.status)
}

/** "2025-03-01T09:30:00Z": the search qualifier takes ISO 8601 without milliseconds. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

async function* walk(ctx: FetchContext): AsyncIterable<WalkStep> {
  const token = ctx.secrets.tokenEnv
  const cursorMs = ctx.cursor !== null && /^\d+$/.test(ctx.cursor) ? Number(ctx.cursor) : null
  const lower = cursorMs ?? ctx.since
  const extra = typeof ctx.config.qualifiers === 'string' ? ` ${ctx.config.qualifiers}` : ''
  const first = new URL(`${ctx.config.baseUrl.replace(/\/$/, '')}/search/issues`)
  first.searchParams.set('q', `${ctx.brand.query}${extra} created:>=${isoSeconds(lower)}`)
  first.searchParams.set('sort', 'created')
  first.searchParams.set('order', 'desc')
  first.searchParams.set('per_page', '100')
  // Opts into the new issue search syntax (AND/OR, parentheses); the old one is being retired.
  // https://github.blog/changelog/2025-03-06-github-issues-projects-api-support-for-issues-advanced-search-and-more/
  first.searchParams.set('advanced_search', 'true')

  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  }
  let newest = cursorMs
  let pages = 0
  let url: string | null = first.toString()
  while (url !== null) {
    const { data, response }: { data: unknown; response: HttpResponse } = await ctx.http.json(
      { url, headers, secrets: token ? [token] : [], source: SOURCE, okStatuses: [422] },
      ctx.signal,
    )
    if (response.status >= 400) fail(response, data)
    const result: z.infer<typeof searchSchema> = parsePayload(searchSchema, data, { source: SOURCE, response })
    pages++
    const mentions: Mention[] = result.items.map((i) => normalizeGithub(i, ctx.brand)).filter((m) => m.createdAt >= lower)
    for (const m of mentions) if (newest === null || m.createdAt > newest) newest = m.createdAt
    // Paging follows the Link header; the search API stops at 1,000 results.
    url = mentions.length < result.items.length ? null : nextLink(response.headers.link)
    const capped = pages >= ctx.maxPages && url !== null
    const highWater = capped && cursorMs !== null ? String(cursorMs) : newest === null ? null : String(newest)
    // GitHub matched the terms (in comments too, which are not fetched); its search has no bare -word exclusion.
    yield { page: { mentions, next: url, brandFilter: 'exclusions' }, highWater }
    if (capped) return
  }
}

/**
 * Issues and pull requests again by their URL (`/repos/{owner}/{repo}/issues/{n}`): 410 Gone once
 * deleted, 404 when deleted or no longer visible to the token. https://docs.github.com/en/rest/issues/issues#get-an-issue
 */
async function lookupGithub(posts: readonly LookupPost[], ctx: LookupContext): Promise<Map<string, LookupOutcome>> {
  const token = ctx.secrets.tokenEnv
  const headers: Record<string, string> = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', ...(token ? { authorization: `Bearer ${token}` } : {}) }
  const out = new Map<string, LookupOutcome>()
  for (const p of posts) {
    const m = /^https:\/\/github\.com\/([^/]+)\/([^/]+)\/(?:issues|pull)\/(\d+)$/.exec(p.url ?? '')
    if (!m) continue
    const url = `${ctx.config.baseUrl.replace(/\/$/, '')}/repos/${m[1]}/${m[2]}/issues/${m[3]}`
    const res = await ctx.http.request({ url, source: SOURCE, headers, secrets: token ? [token] : [], okStatuses: [404, 410] }, ctx.signal)
    if (res.status === 410) out.set(p.id, { state: 'gone', reason: 'deleted' })
    else if (res.status === 404) out.set(p.id, { state: 'gone', reason: 'not found' })
    else out.set(p.id, { state: 'live', text: normalizeGithub(parsePayload(itemSchema, JSON.parse(res.body), { source: SOURCE, response: res }), LOOKUP_BRAND).text })
  }
  return out
}

export const github: SourceAdapter = {
  name: SOURCE,
  description: 'GitHub issues and pull requests matching the brand query',
  defaultBaseUrl: 'https://api.github.com',
  credentials: [
    {
      key: 'tokenEnv',
      defaultEnv: 'GITHUB_TOKEN',
      required: false,
      purpose: 'raises the search limit from 10 to 30 requests per minute and includes private repositories',
    },
  ],
  walk,
  lookup: lookupGithub,
}
