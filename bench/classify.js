// `listen classify --input FILE`, the whole process, on 100k real-text rows (bench/realtext.js:
// the import input, lang mostly absent), against natural's BayesClassifier trained on the same
// built-in corpus in the same run (bench/tagger.js). Goals: ≥50,000 posts/s and ≥10× natural.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT, figure, fmt, line, runListen, tempDir } from './lib.js'
import { describeInput, realInput } from './realtext.js'
import { postsPerSecond, trainNatural } from './tagger.js'

const BENCH = 'classify'

export async function run({ rows = 100_000 } = {}) {
  const file = await realInput({ rows })
  const { dir, cleanup } = tempDir()
  try {
    const out = join(dir, 'tagged.ndjson')
    const r = await runListen(['classify', '--input', file, '--model', 'builtin', '--db', join(dir, 'none.db')], { stdoutFile: out })
    if (r.code !== 0) throw new Error(`listen classify failed (${r.code}): ${r.stderr}`)
    const lines = readFileSync(out, 'utf8').split('\n').filter(Boolean)
    const rate = lines.length / (r.ms / 1000)

    const { loadBuiltinCorpus, createTagger, builtinModel } = await import(pathToFileURL(join(ROOT, 'dist/classify/tagger.js')).href)
    const corpus = loadBuiltinCorpus()
    const { natural, trainMs } = trainNatural(corpus)
    // natural manages ~1,000 posts/s: a sample of the same file, the same rows for both.
    const sample = readFileSync(file, 'utf8').split('\n', 3000).filter(Boolean).map((l) => JSON.parse(l))
    const nat = postsPerSecond((p) => natural.classify(p.text), sample, 3000)
    const tagger = createTagger(builtinModel())
    const inProcess = postsPerSecond((p) => tagger.classify(p.text, p.lang), sample)

    console.log(`\nclassify --input on ${describeInput(rows)}`)
    figure(BENCH, 'listen classify --input FILE, whole process', rate, { unit: 'posts/s', goal: { op: '>=', value: 50_000 }, extra: { rows: lines.length, ms: r.ms, rssMb: r.rssMb } })
    line('', `${(r.ms / 1000).toFixed(2)} s for ${fmt(lines.length)} posts, peak RSS ${fmt(r.rssMb)} MB`)
    figure(BENCH, 'listen classify / natural BayesClassifier', rate / nat, { unit: '×', digits: 1, goal: { op: '>=', value: 10, text: '≥10×' } })
    figure(BENCH, `baseline: natural BayesClassifier, in process (${sample.length} of the rows)`, nat, { unit: 'posts/s', extra: { trainMs } })
    figure(BENCH, 'for scale: our tagger in process on the same rows (no I/O)', inProcess, { unit: 'posts/s' })
    return { ok: rate >= 50_000 && rate / nat >= 10 && lines.length === rows }
  } finally {
    cleanup()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run()
