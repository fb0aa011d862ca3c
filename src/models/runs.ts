// Fetch bookkeeping shapes: a run per source, its progress, and the key of a brand query's cursor.
export type RunStatus = 'running' | 'ok' | 'failed' | 'deferred'

export interface RunRecord {
  id: number
  runId: string
  source: string
  status: RunStatus
  startedAt: number
  finishedAt: number | null
  coveredFrom: number | null
  coveredUntil: number | null
  newCount: number
  updatedCount: number
  pages: number
  requests: number
  rateLimitWaits: number
  rateLimitWaitMs: number
  nextAllowedAt: number | null
  error: string | null
}

export interface RunProgress {
  status: RunStatus
  finishedAt?: number | null
  coveredFrom?: number | null
  coveredUntil?: number | null
  newCount: number
  updatedCount: number
  pages: number
  requests: number
  rateLimitWaits: number
  rateLimitWaitMs: number
  nextAllowedAt?: number | null
  error?: string | null
}

export function queryKey(brand: { name: string; query: string }): string {
  return `${brand.name}\u001f${brand.query}`
}

/** The fields of a fetch_runs row (see src/store/runs.ts) that completeness needs. */
export type FetchRunSpan = Pick<RunRecord, 'source' | 'status' | 'startedAt' | 'finishedAt' | 'coveredFrom' | 'coveredUntil'>
