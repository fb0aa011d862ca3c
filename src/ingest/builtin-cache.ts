// The built-in model, trained once at build time: training it from data/corpus takes 2–3 s, which
// every process (and every reader thread of an import) paid before the first post was tagged.
// `npm run build` writes dist/builtin-model.json (scripts/make-builtin-model.mjs); it is used only
// while the corpus it was trained on is unchanged, else the model is trained here as before.
import { existsSync, readFileSync } from 'node:fs'
import { type BayesModel, parseModel } from '../classify/bayes.js'
import { builtinModel, corpusDigest } from '../classify/tagger.js'

export const BUILTIN_CACHE = new URL('../builtin-model.json', import.meta.url)

let cached: BayesModel | null = null

/** The built-in model, from the build's cache when it matches the corpus. Shared: copy before changing it. */
export function loadBuiltinModel(): BayesModel {
  if (cached) return cached
  if (existsSync(BUILTIN_CACHE)) {
    try {
      const stored = JSON.parse(readFileSync(BUILTIN_CACHE, 'utf8')) as { corpus?: unknown; model?: unknown }
      if (stored.corpus === corpusDigest()) return (cached = parseModel(stored.model))
    } catch {
      // An unreadable cache is rebuilt by the next `npm run build`; training here gives the same model.
    }
  }
  return (cached = builtinModel())
}
