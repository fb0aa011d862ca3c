// The completeness figure every report carries, from the store's fetch log (report/completeness.ts).
import type { Completeness } from '../models/completeness.js'
import { summarizeCompleteness } from '../report/completeness.js'
import type { Store } from '../store/types.js'
import type { Window } from '../time/window.js'
import type { CommandContext } from './context.js'

/** Completeness of [from, until) for the report's sources: the filter, else enabled and stored ones. */
export async function completenessFor(store: Store, o: Window & { timezone: string; sources?: string[] | undefined }, ctx: CommandContext): Promise<Completeness> {
  const enabled = Object.entries(ctx.config.sources).filter(([, s]) => s.enabled !== false).map(([name]) => name)
  const sources = o.sources?.length ? o.sources : [...new Set([...enabled, ...(await store.reports.storedSources())])]
  const [fetchedSources, runs] = await Promise.all([store.reports.fetchedSources(), store.reports.fetchRuns(o.from, o.until)])
  return summarizeCompleteness({ ...o, sources, fetchedSources, runs })
}
