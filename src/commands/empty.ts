// A report over a window without any mention says where the data is: the span the database holds.
import type { EmptyWindow } from '../models/scope.js'
import type { Store } from '../store/types.js'

/** undefined when [from, until) holds any mention (customer or brand, any source); an open end is unbounded. */
export async function emptyWindowOf(store: Store, w: { from?: number | undefined; until?: number | undefined }): Promise<EmptyWindow | undefined> {
  if (await store.mentions.count({ from: w.from, until: w.until })) return undefined
  const span = await store.mentions.span()
  return { stored: span && { first: new Date(span.first).toISOString(), last: new Date(span.last).toISOString(), mentions: span.count } }
}
