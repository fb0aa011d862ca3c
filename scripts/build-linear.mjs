// Writes dist/classify/builtin-model.json and builtin-linear.json (npm run build runs it after tsc):
// the naive Bayes and linear models trained on the built-in corpus, with the corpus digest they
// learnt, so that a process reads them instead of training them (tagger.ts builtinModel, builtinLinear);
// and dist/care/builtin-topics.json, the built-in taxonomy's topic model (topics.ts topicClassifierFor).
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const { trainBuiltinModel, trainBuiltinLinear, corpusDigest } = await import(join(root, 'dist/classify/tagger.js'))
const { serializeLinear } = await import(join(root, 'dist/classify/linear.js'))
const { builtinTopicsDigest, trainBuiltinTopicModel } = await import(join(root, 'dist/care/topics.js'))
const t = performance.now()
const corpus = corpusDigest()
writeFileSync(join(root, 'dist/classify/builtin-model.json'), JSON.stringify({ corpus, model: trainBuiltinModel() }))
writeFileSync(join(root, 'dist/classify/builtin-linear.json'), JSON.stringify({ corpus, model: serializeLinear(trainBuiltinLinear()) }))
writeFileSync(join(root, 'dist/care/builtin-topics.json'), JSON.stringify({ taxonomy: builtinTopicsDigest(), model: trainBuiltinTopicModel() }))
process.stderr.write(`built-in models trained in ${((performance.now() - t) / 1000).toFixed(2)} s\n`)
