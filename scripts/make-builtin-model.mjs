// Writes dist/builtin-model.json (npm run build runs it after tsc): the built-in model trained on
// data/corpus, keyed by the corpus digest, so a process loads it instead of training it (2–3 s).
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const { builtinModel, corpusDigest } = await import(join(root, 'dist/classify/tagger.js'))
const { BUILTIN_CACHE } = await import(join(root, 'dist/ingest/builtin-cache.js'))
writeFileSync(BUILTIN_CACHE, JSON.stringify({ corpus: corpusDigest(), model: builtinModel() }))
