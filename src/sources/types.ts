// src/sources — one adapter per platform behind this interface (fetch + normalise), and the brand query.
// The one adapter interface. A new platform = one file in src/sources/ + one line in registry.ts.
// Adapters never import the store, chalk or `process`: everything they need arrives in FetchContext.
import type { Http } from '../http/types.js'
import { UsageError } from '../models/errors.js'
import type { Brand, Mention } from '../models/mention.js'

export interface SourceConfig {
  enabled?: boolean | undefined
  baseUrl?: string | undefined
  [key: string]: unknown
}

export interface Page {
  mentions: Mention[]
  /** Opaque paging token for the next page of this walk, null when the walk is done. */
  next: string | null
  /**
   * How the fetch checks these mentions against the brand query (brand-filter.ts): 'query' when
   * the platform did not search with it (the whole query), 'exclusions' when the platform tied them
   * to the brand by other means (a hashtag, the brand's own feed; only its -exclusions). Absent:
   * searched server-side, or the brand's own posts and their threads: kept as they are.
   */
  brandFilter?: 'query' | 'exclusions' | undefined
}

export interface Credential {
  /** Config key that names the env var, e.g. "tokenEnv" in sources.x. */
  key: string
  /** Env var used when the config does not name one, e.g. "X_BEARER_TOKEN". */
  defaultEnv: string
  required: boolean
  purpose: string
}

export interface FetchContext {
  brand: Brand
  /** This source's block from the config, with baseUrl resolved (config value or adapter default). */
  config: SourceConfig & { baseUrl: string }
  /** Opaque high-water mark saved after the last completed walk; null = first run, backfill from `since`. */
  cursor: string | null
  /** Epoch ms; lower bound for a backfill (and for --full). */
  since: number
  /** Stop after this many pages (a backfill cap). */
  maxPages: number
  /** Credential values by Credential.key (undefined when the env var is not set). */
  secrets: Record<string, string | undefined>
  http: Http
  signal: AbortSignal
}

export interface WalkStep {
  page: Page
  /** The cursor to save if the walk ends after this page (usually the newest id/time seen in the walk). */
  highWater: string | null
}

/** What a platform says about a post looked up again (listen recheck). */
export type LookupOutcome = { state: 'live'; text: string } | { state: 'gone'; reason: 'deleted' | 'removed' | 'hidden' | 'not found' }

export type LookupContext = Pick<FetchContext, 'config' | 'secrets' | 'http' | 'signal'>

export interface LookupPost {
  id: string
  url: string | null
}

export interface SourceAdapter {
  name: string
  description: string
  defaultBaseUrl: string
  credentials: readonly Credential[]
  /** Walks the pages for one brand query: newest first, until the cursor, `since` or maxPages. */
  walk(ctx: FetchContext): AsyncIterable<WalkStep>
  /**
   * Looks stored posts up again by id: an outcome for each post the platform answered about. A post
   * left out of the map is one the platform did not say anything about (recheck counts it unknown).
   */
  lookup?(posts: readonly LookupPost[], ctx: LookupContext): Promise<Map<string, LookupOutcome>>
  /** Platforms without a lookup: why, in a sentence listen recheck shows. */
  noLookup?: string
}

/** A brand for normalizers that only the text of a looked-up post is wanted from. */
export const LOOKUP_BRAND: Brand = { name: '', query: '' }

/** `items` in chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** The env var that holds a credential: the name the config gives under `cred.key`, else the default. */
export function credentialEnv(config: SourceConfig | null | undefined, cred: Credential): string {
  const named = config?.[cred.key]
  return typeof named === 'string' && named ? named : cred.defaultEnv
}

/**
 * The values of `creds`, in order. Throws a UsageError naming the unset env vars as the config
 * names them, with `hint` saying what they are. commands/fetch.ts checks the same before a walk;
 * this keeps an adapter called directly (tests, replay) as clear, and narrows the values to strings.
 */
export function requireSecrets(ctx: Pick<FetchContext, 'config' | 'secrets'>, source: string, creds: readonly Credential[], hint: string): string[] {
  const values = creds.map((c) => ctx.secrets[c.key])
  const unset = creds.filter((_, i) => !values[i]).map((c) => credentialEnv(ctx.config, c))
  if (unset.length) throw new UsageError(`${source}: set ${unset.join(' and ')} (${hint})`)
  return values as string[]
}
