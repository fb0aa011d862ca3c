// Development figures on ../shared/datasets/dev only (never eval/): `npm run build` first, then
// `node test/classify/dev-eval.mjs`. Maps the dev corpora to our classes as datasets/README.md says.
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const dist = process.env.TAGGER_DIST ?? path.join(root, 'dist/classify')
const load = (name) => import(pathToFileURL(path.join(dist, name)).href)
const { createTagger, builtinModel } = await load('tagger.js')
const { evaluate, binaryF1 } = await load('metrics.js')
const { trainModel } = await load('bayes.js')
const { mapAirline, toSentiment3, isCustomerServiceDomain } = await load('labels.js')
const { readDev: readJsonl, germevalGold5: gold5 } = await import('./dev-data.mjs')
const pct = (x) => x.toFixed(3)
const verbose = process.argv.includes('-v')
const tagger = createTagger(builtinModel())

function show(name, ev) {
  console.log(`${name}: macro-F1 ${pct(ev.macroF1)} acc ${pct(ev.accuracy)} n=${ev.total}`)
  console.log('   ' + ev.labels.map((l) => l.slice(0, 6).padStart(7)).join(''))
  ev.labels.forEach((l, i) => console.log(l.slice(0, 3).padEnd(3) + ev.confusion[i].map((n) => String(n).padStart(7)).join('')))
}

// German: GermEval in five classes (germevalGold5 in dev-data.mjs).
const germ = readJsonl('germeval.jsonl')
const g5 = germ.map((r) => [gold5(r), tagger.classify(r.text, 'de').label, r])
show('de germeval 5 (question→other gold only)', evaluate(g5.map(([g, p]) => [g, p]), ['outage', 'complaint', 'question', 'praise', 'other']))
const g3 = evaluate(g5.map(([g, p]) => [toSentiment3(g), toSentiment3(p)]), ['complaint', 'praise', 'other'])
show('de germeval 3-way', g3)

// English: complaints (customer-service rows: complaint vs not; random rows should be other).
const comp = readJsonl('complaints.jsonl')
const cs = comp.filter(isCustomerServiceDomain)
const cp = cs.map((r) => [r.complaint === true, ['complaint', 'outage'].includes(tagger.classify(r.text, 'en').label), r])
const cf = binaryF1(cp.map(([g, p]) => [g, p]))
console.log(`en complaints CS: F1 ${pct(cf.f1)} P ${pct(cf.precision)} R ${pct(cf.recall)} n=${cs.length}`)
const rnd = comp.filter((r) => !isCustomerServiceDomain(r))
const rl = {}
for (const r of rnd) { const l = tagger.classify(r.text, 'en').label; rl[l] = (rl[l] ?? 0) + 1 }
console.log(`en complaints random_* (≈other): ${JSON.stringify(rl)} other-share ${pct((rl.other ?? 0) / rnd.length)}`)

// English: airline, out of the box and 2-fold train/test inside dev.
const air = readJsonl('airline.jsonl')
const a0 = evaluate(air.map((r) => [mapAirline(r), toSentiment3(tagger.classify(r.text, 'en').label)]), ['complaint', 'praise', 'other'])
show('en airline out of the box 3-way', a0)
const half = (i) => i % 2
let accs = []
for (const fold of [0, 1]) {
  const train = air.filter((_, i) => half(i) !== fold).map((r) => ({ text: r.text, label: mapAirline(r), lang: 'en' }))
  const t = createTagger(trainModel(train, builtinModel()))
  const ev = evaluate(air.filter((_, i) => half(i) === fold).map((r) => [mapAirline(r), toSentiment3(t.classify(r.text, 'en').label)]), ['complaint', 'praise', 'other'])
  accs.push(ev.accuracy)
  if (fold === 0) show('en airline trained on dev half', ev)
}
console.log(`en airline 2-fold accuracy ${pct((accs[0] + accs[1]) / 2)}`)
const summary = { de3: g3.macroF1, de5: evaluate(g5.map(([g, p]) => [g, p])).macroF1, cs: cf.f1, rndOther: (rl.other ?? 0) / rnd.length, air0: a0.macroF1, air2f: (accs[0] + accs[1]) / 2 }
console.log('SUMMARY ' + Object.entries(summary).map(([k, v]) => `${k}=${pct(v)}`).join(' '))
if (verbose) {
  for (const [g, p, r] of g5.filter(([g, p]) => g !== p).slice(0, 60)) console.log(`de ${g}→${p}: ${r.text.slice(0, 140)}`)
}
