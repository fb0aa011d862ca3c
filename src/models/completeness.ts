// How complete a report's data is: per source, the hours no successful fetch covered, and why.
export type HoleReason = 'deferred' | 'failed' | 'running' | 'not-fetched' | 'since-last-fetch'

export interface Hole {
  from: string
  until: string
  hours: number
  reason: HoleReason
}

export interface SourceCompleteness {
  source: string
  /** complete: every hour covered; incomplete: holes; imported: no fetch log, so unknown. */
  status: 'complete' | 'incomplete' | 'imported'
  hours: number
  coveredHours: number
  deferredHours: number
  failedHours: number
  notFetchedHours: number
  /** Hours after the newest successful fetch up to the window's end (data not fetched yet). */
  pendingHours: number
  /** End of the newest successful coverage inside the window, ISO. */
  coveredUntil: string | null
  holes: Hole[]
  note: string
}

export interface Completeness {
  /** true: every source complete; false: some hour lacks a successful fetch; null: unknown (imported data only). */
  complete: boolean | null
  sources: SourceCompleteness[]
  notes: string[]
}
