// Writes dist/classify/builtin-model.json and builtin-linear.json (npm run build runs it after tsc):
// the naive Bayes and linear models trained on the built-in corpus, with the corpus digest they
// learnt, so that a process reads them instead of training them (tagger.ts builtinModel, builtinLinear);
// dist/classify/builtin-tables.bin, the naive Bayes model's scoring tables compiled with the tagger's
// default options, so that a process need not compile them either;
// and dist/care/builtin-topics.json, the built-in taxonomy's topic model (topics.ts topicClassifierFor).
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const { trainBuiltinModel, trainBuiltinLinear, corpusDigest, DEFAULT_COMPILE } = await import(join(root, 'dist/classify/tagger.js'))
const { compileModel, serializeCompiled } = await import(join(root, 'dist/classify/bayes.js'))
const { serializeLinear } = await import(join(root, 'dist/classify/linear.js'))
const { builtinTopicsDigest, trainBuiltinTopicModel } = await import(join(root, 'dist/care/topics.js'))
const t = performance.now()
const corpus = corpusDigest()
const bayes = trainBuiltinModel()
writeFileSync(join(root, 'dist/classify/builtin-model.json'), JSON.stringify({ corpus, model: bayes }))
const { format, version, revision, alpha, bigrams, labels } = bayes
const meta = { corpus, model: { format, version, revision, alpha, bigrams, labels }, options: DEFAULT_COMPILE }
writeFileSync(join(root, 'dist/classify/builtin-tables.bin'), serializeCompiled(compileModel(bayes, DEFAULT_COMPILE), meta))
writeFileSync(join(root, 'dist/classify/builtin-linear.json'), JSON.stringify({ corpus, model: serializeLinear(trainBuiltinLinear()) }))
writeFileSync(join(root, 'dist/care/builtin-topics.json'), JSON.stringify({ taxonomy: builtinTopicsDigest(), model: trainBuiltinTopicModel() }))
process.stderr.write(`built-in models trained in ${((performance.now() - t) / 1000).toFixed(2)} s\n`)
