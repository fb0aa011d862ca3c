// Five-class development figures: our own labels (test/classify/dev-silver/{en,de}.jsonl, ids
// only) for samples of ../shared/datasets/dev, joined with the texts there. Never eval/.
// `npm run build`, then `node test/classify/dev-silver.mjs [-v]`.
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { FIVE as LABELS, loadDevSilver, scoreDevSilver } from './dev-data.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const dist = process.env.TAGGER_DIST ?? path.join(root, 'dist/classify')
const load = (name) => import(pathToFileURL(path.join(dist, name)).href)

const { createTagger, builtinModel } = await load('tagger.js')
const { evaluate, evaluateWithIntervals } = await load('metrics.js')
const tagger = createTagger(builtinModel())
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
  const { low, high } = ev.intervals.macroF1
  console.log(`${lang} dev-silver: macro-F1 ${ev.macroF1.toFixed(3)} (95% interval ${low.toFixed(3)}–${high.toFixed(3)}) acc ${ev.accuracy.toFixed(3)} n=${ev.total}`)
  console.log('    ' + LABELS.map((l) => l.slice(0, 6).padStart(7)).join('') + '   P     R     F1')
  LABELS.forEach((l, i) => {
    const pc = ev.perClass.find((m) => m.label === l) ?? {}
    console.log(l.slice(0, 3).padEnd(4) + ev.confusion[i].map((n) => String(n).padStart(7)).join('') + `  ${(pc.precision ?? 0).toFixed(2)}  ${(pc.recall ?? 0).toFixed(2)}  ${(pc.f1 ?? 0).toFixed(2)}`)
  })
  const conf = rows.filter((r) => r.confident)
  console.log(`   confident only: macro-F1 ${scoreDevSilver(tagger, evaluate, conf).macroF1.toFixed(3)} n=${conf.length}`)
  out.push(`${lang}=${ev.macroF1.toFixed(3)}`)
  if (process.argv.includes('-v')) {
    for (const r of rows) {
      const p = tagger.classify(r.text, r.lang).label
      if (p !== r.gold) console.log(`  ${r.gold}→${p}${r.confident ? '' : '?'}: ${r.text.slice(0, 150).replace(/\n/g, ' ')}`)
    }
  }
}
console.log('SUMMARY ' + out.join(' '))
