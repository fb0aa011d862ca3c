// Five-class development figures: our own labels (test/classify/dev-silver/{en,de}.jsonl, ids
// only) for samples of ../shared/datasets/dev, joined with the texts there. Never eval/.
// `npm run build`, then `node test/classify/dev-silver.mjs [-v]`.
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { FIVE as LABELS, cohenKappa, loadDevSilver, scoreDevSilver } from './dev-data.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const dist = process.env.TAGGER_DIST ?? path.join(root, 'dist/classify')
const load = (name) => import(pathToFileURL(path.join(dist, name)).href)

const { createTagger, builtinModel } = await load('tagger.js')
const { evaluate, evaluateWithIntervals } = await load('metrics.js')
const tagger = createTagger(builtinModel())
const f3 = (x) => x.toFixed(3)
const within = (e) => `${f3(e.macroF1)} (95% interval ${f3(e.intervals.macroF1.low)}–${f3(e.intervals.macroF1.high)})`

/** Rows gold (or annotator A), columns predicted (or annotator B); with P, R and F1 per row. */
function printConfusion(ev, indent = '') {
  console.log(indent + '    ' + LABELS.map((l) => l.slice(0, 6).padStart(7)).join('') + '   P     R     F1')
  LABELS.forEach((l, i) => {
    const pc = ev.perClass.find((m) => m.label === l) ?? {}
    console.log(indent + l.slice(0, 3).padEnd(4) + ev.confusion[i].map((n) => String(n).padStart(7)).join('') + `  ${(pc.precision ?? 0).toFixed(2)}  ${(pc.recall ?? 0).toFixed(2)}  ${(pc.f1 ?? 0).toFixed(2)}`)
  })
}

const out = []
for (const lang of ['en', 'de']) {
  let rows
  try {
    rows = loadDevSilver(lang)
  } catch (e) {
    console.log(`${lang}: ${e.message}`)
    continue
  }
  const ev = scoreDevSilver(tagger, evaluateWithIntervals, rows)
  console.log(`${lang} dev-silver: macro-F1 ${within(ev)} acc ${f3(ev.accuracy)} n=${ev.total}`)
  printConfusion(ev)
  const conf = rows.filter((r) => r.confident)
  console.log(`   confident only: macro-F1 ${scoreDevSilver(tagger, evaluate, conf).macroF1.toFixed(3)} n=${conf.length}`)
  out.push(`${lang}=${ev.macroF1.toFixed(3)}`)
  // The second annotator (GUIDELINES.md): how well two annotators agree is about the best a tagger can do.
  const b = loadDevSilver(lang, 'b')
  if (b.some((r, i) => r.key !== rows[i].key)) throw new Error(`${lang}.b.jsonl: not the same posts in the same order as ${lang}.jsonl`)
  const ab = evaluateWithIntervals(rows.map((r, i) => [r.gold, b[i].gold]), LABELS)
  const tb = scoreDevSilver(tagger, evaluateWithIntervals, b)
  const agreed = rows.filter((r, i) => r.gold === b[i].gold)
  console.log(`   annotator B against A (rows A, columns B): macro-F1 ${within(ab)}, agreement ${f3(ab.accuracy)}, Cohen's kappa ${f3(cohenKappa(rows.map((r) => r.gold), b.map((r) => r.gold)))}`)
  printConfusion(ab, '   ')
  console.log(`   tagger against B: macro-F1 ${within(tb)}; on the ${agreed.length} posts where A and B agree: ${within(scoreDevSilver(tagger, evaluateWithIntervals, agreed))}`)
  out.push(`${lang}B=${f3(tb.macroF1)} ${lang}AB=${f3(ab.macroF1)}`)
  if (process.argv.includes('-v')) {
    for (const r of rows) {
      const p = tagger.classify(r.text, r.lang).label
      if (p !== r.gold) console.log(`  ${r.gold}→${p}${r.confident ? '' : '?'}: ${r.text.slice(0, 150).replace(/\n/g, ' ')}`)
    }
  }
}
console.log('SUMMARY ' + out.join(' '))
