// What a reader thread needs to tag like loadActiveTagger, without loading the tagger in this
// thread when the built-in model applies (import's main thread only writes).
import type { TagSpec } from '../models/tagger.js'
import type { Store } from '../store/types.js'

/** Nothing when the built-in model applies (the thread builds it itself), else the active model's JSON. */
export async function activeTagSpec(store: Store): Promise<TagSpec> {
  if (await store.models.usesBuiltin()) return { model: null }
  const { loadActiveTagger, specOf } = await import('./tagging.js')
  return specOf(await loadActiveTagger(store), false)
}
