// Shapes of listen fetch and listen sources: per source, what a run did or would do.
export type SourceStatus = 'ok' | 'failed' | 'deferred' | 'planned'

export interface SourceResult {
  source: string
  status: SourceStatus
  brands: string[]
  new: number
  updated: number
  pages: number
  requests: number
  rateLimitWaits: number
  rateLimitWaitMs: number
  durationMs: number
  nextAllowedAt: string | null
  error: string | null
  /**
   * Fetched but not saved, per reason: query (the brand query does not match, checked where the
   * platform could not search with it), excluded (one of its -exclusions matches), language (not one of brands[].languages).
   */
  dropped: { query: number; excluded: number; language: number }
  /** --dry-run: what would be asked for. */
  plan?: Array<{
    brand: string
    query: string
    /** How the query reads where it is checked locally (brand-query.ts describeBrandQuery), with explicit grouping. */
    checked: string
    cursor: string | null
    from: string
    baseUrl: string
    credentials: string[]
  }>
}

export interface FetchModel {
  kind: 'fetch'
  runId: string
  dryRun: boolean
  startedAt: string
  sources: SourceResult[]
  totals: { new: number; updated: number; failed: number; deferred: number; dropped: number }
}

export interface SourceRow {
  source: string
  enabled: boolean
  description: string
  baseUrl: string
  /** Env var names only, never values. */
  credentialsSet: string[]
  credentialsMissing: string[]
  lastRunAt: string | null
  lastStatus: string | null
  lastNew: number | null
  lastError: string | null
  cursorAgeHours: number | null
  nextRunAt: string | null
}

export interface SourcesModel {
  kind: 'sources'
  database: string
  sources: SourceRow[]
}
