// Tagger benchmark: quality out of the box and after training, and speed against natural's
// BayesClassifier measured in the same run. Reads ../shared (eval/ for measurement only, never
// trained or tuned on; trained on: dev/airline.jsonl for figure 3, the TWCS excerpt's brand replies
// for figure 6, silver5's ids left out). Run: `node bench/tagger.js` after `npm run build`, or
// with TAGGER_DIST=/path/to/dist/classify to use another build.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { figure } from './lib.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '..')
const shared = path.resolve(root, '../shared')
const dist = process.env.TAGGER_DIST ?? path.join(root, 'dist/classify')

const load = (name) => import(pathToFileURL(path.join(dist, name)).href)

function readJsonl(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
}

const pct = (x) => x.toFixed(3)
// Figures checked against a goal get a fourth decimal: 0.7997 must not read as a met 0.800.
const fig = (x) => x.toFixed(4)

function renderConfusion(ev) {
  const w = Math.max(9, ...ev.labels.map((l) => l.length + 1))
  const head = 'gold\\pred'.padEnd(w) + ev.labels.map((l) => l.padStart(w)).join('')
  const rows = ev.labels.map((l, i) => l.padEnd(w) + ev.confusion[i].map((n) => String(n).padStart(w)).join(''))
  const per = ev.perClass.map((m) => `  ${m.label.padEnd(w)} P ${pct(m.precision)}  R ${pct(m.recall)}  F1 ${pct(m.f1)}  n=${m.support}`)
  return ['  ' + head, ...rows.map((r) => '  ' + r), ...per].join('\n')
}

/** The baseline of every tagger speed goal: natural's BayesClassifier trained on `corpus`. */
export function trainNatural(corpus) {
  const require = createRequire(path.join(root, 'package.json'))
  // Subpath: the package index loads dotenv, prints banners and takes ~0.9 s.
  const BayesClassifier = require('natural/lib/natural/classifiers/bayes_classifier.js')
  const natural = new BayesClassifier()
  const t = performance.now()
  for (const ex of corpus) natural.addDocument(ex.text, ex.label)
  natural.train()
  return { natural, trainMs: performance.now() - t }
}

export function postsPerSecond(fn, texts, minMs = 1500) {
  for (let i = 0; i < Math.min(texts.length, 200); i++) fn(texts[i])
  let n = 0
  const t0 = performance.now()
  let t = t0
  while (t - t0 < minMs) {
    for (const x of texts) fn(x)
    n += texts.length
    t = performance.now()
  }
  return (n / (t - t0)) * 1000
}

export async function run() {
  const { createTagger, builtinModel, builtinLinear, loadBuiltinCorpus } = await load('tagger.js')
  const { cloneLinear, updateLinear } = await load('linear.js')
  const { compileReplyPatterns, DISTANT_WEIGHT } = await load('replies.js')
  const { HUMAN_WEIGHT } = await import(pathToFileURL(path.join(dist, '../ingest/tagging.js')).href)
  /** As `listen train FILE` does: naive Bayes counts the examples, the linear model learns them at HUMAN_WEIGHT. */
  const trainLikeCli = (examples) =>
    createTagger(trainModel(examples, builtinModel()), {}, updateLinear(cloneLinear(builtinLinear()), examples.map((e) => ({ ...e, weight: HUMAN_WEIGHT }))))
  const { evaluate, evaluateWithIntervals, binaryF1, bootstrapIntervals } = await load('metrics.js')
  // 95% percentile-bootstrap interval over the posts: on 260 posts a macro-F1 moves by several
  // points from sample to sample, and a goal inside the interval is neither clearly met nor missed.
  const within = (i) => `95% interval ${pct(i.low)}–${pct(i.high)}`
  const { trainModel } = await load('bayes.js')
  const { mapAirline, toSentiment3, isCustomerServiceDomain } = await load('labels.js')
  const { LABELS } = await import(pathToFileURL(path.join(dist, '../models/mention.js')).href)

  const tagger = createTagger(builtinModel())
  const silver = readJsonl(path.join(shared, 'eval/silver5.jsonl'))

  // 1. silver5 per language, out of the box.
  console.log('1) out of the box, eval/silver5.jsonl (5 classes)')
  const silverPred = new Map()
  const silverF1 = {}
  const silverConfident = {}
  for (const lang of ['en', 'de']) {
    const rows = silver.filter((r) => r.lang === lang)
    const pairs = rows.map((r) => {
      const p = tagger.classify(r.text, r.lang).label
      silverPred.set(r, p)
      return [r.label, p]
    })
    const ev = evaluateWithIntervals(pairs, LABELS)
    silverF1[lang] = ev.macroF1
    console.log(`  ${lang}: macro-F1 ${fig(ev.macroF1)} (goal ≥0.70; ${within(ev.intervals.macroF1)})  accuracy ${pct(ev.accuracy)}  n=${ev.total}`)
    console.log(renderConfusion(ev))
    const conf = evaluateWithIntervals(rows.filter((r) => r.confident).map((r) => [r.label, silverPred.get(r)]), LABELS)
    silverConfident[lang] = conf.macroF1
    console.log(`  ${lang}, rows marked confident: macro-F1 ${fig(conf.macroF1)} (${within(conf.intervals.macroF1)})  accuracy ${pct(conf.accuracy)}  n=${conf.total}`)
  }

  // 2. complaints, customer-service rows; complaint or outage counts as complaint.
  const comp = readJsonl(path.join(shared, 'eval/complaints.jsonl')).filter(isCustomerServiceDomain)
  const compPairs = comp.map((r) => {
    const l = tagger.classify(r.text, r.lang ?? 'en').label
    return [r.complaint === true, l === 'complaint' || l === 'outage']
  })
  const cf = binaryF1(compPairs)
  // Binary macro-F1: the mean of complaint's and not-complaint's F1 (calling everything a complaint scores about 0.4).
  const binaryMacro = (ps) => (binaryF1(ps).f1 + binaryF1(ps.map(([g, p]) => [!g, !p])).f1) / 2
  const [cfInterval, bmInterval] = bootstrapIntervals(compPairs.length, (draw) => {
    const ps = Array.from(draw, (i) => compPairs[i])
    return [binaryF1(ps).f1, binaryMacro(ps)]
  })
  const bm = binaryMacro(compPairs)
  console.log(`\n2) out of the box, eval/complaints.jsonl customer-service rows (n=${comp.length})`)
  console.log(`  complaint F1 ${fig(cf.f1)} (goal ≥0.80; ${within(cfInterval)})  P ${pct(cf.precision)}  R ${pct(cf.recall)}`)
  console.log(`  binary macro-F1 ${fig(bm)} (goal ≥0.80; ${within(bmInterval)})`)

  // 3. train on dev/airline, 3-way accuracy on eval/airline.
  const devAir = readJsonl(path.join(shared, 'datasets/dev/airline.jsonl'))
  const examples = devAir.flatMap((r) => {
    const label = mapAirline(r)
    return label ? [{ text: r.text, label, lang: r.lang }] : []
  })
  const trained = trainLikeCli(examples)
  const evalAir = readJsonl(path.join(shared, 'eval/airline.jsonl'))
  const airEv = evaluateWithIntervals(
    evalAir.flatMap((r) => {
      const g = mapAirline(r)
      return g ? [[g, toSentiment3(trained.classify(r.text, r.lang).label)]] : []
    }),
    ['complaint', 'praise', 'other'],
  )
  console.log(`\n3) after training on dev/airline.jsonl (${examples.length} posts), eval/airline.jsonl 3-way (outage→complaint, question→other)`)
  console.log(`  accuracy ${fig(airEv.accuracy)} (goal ≥0.80; ${within(airEv.intervals.accuracy)}; published NB 0.77)  macro-F1 ${pct(airEv.macroF1)}  n=${airEv.total}`)
  console.log(renderConfusion(airEv))

  // 4. speed and accuracy against natural's BayesClassifier on the same corpus and texts.
  const corpus = loadBuiltinCorpus()
  const { natural, trainMs: naturalTrainMs } = trainNatural(corpus)
  const texts = silver.map((r) => r.text)
  const silverAll = (predict) => evaluate(silver.map((r) => [r.label, predict(r)]), LABELS)
  const natEv = silverAll((r) => natural.classify(r.text))
  const ourEv = silverAll((r) => silverPred.get(r))
  const noHint = silverAll((r) => tagger.classify(r.text).label)
  const ours = postsPerSecond((i) => tagger.classify(i.text, i.lang), silver)
  const oursDetect = postsPerSecond((t) => tagger.classify(t), texts)
  const nat = postsPerSecond((t) => natural.classify(t), texts)
  const ratio = ours / nat
  console.log(`\n4) speed on eval/silver5 texts (n=${texts.length}, repeated), both trained on the built-in corpus (${corpus.length} posts)`)
  console.log(`  ours, lang from the platform field: ${Math.round(ours).toLocaleString('en')} posts/s (${(1e6 / ours).toFixed(1)} µs/post)  accuracy ${pct(ourEv.accuracy)} macro-F1 ${pct(ourEv.macroF1)}`)
  console.log(`  ours, language detected:           ${Math.round(oursDetect).toLocaleString('en')} posts/s (${(1e6 / oursDetect).toFixed(1)} µs/post)  accuracy ${pct(noHint.accuracy)} macro-F1 ${pct(noHint.macroF1)}`)
  console.log(`  natural BayesClassifier:           ${Math.round(nat).toLocaleString('en')} posts/s (${(1e6 / nat).toFixed(1)} µs/post)  accuracy ${pct(natEv.accuracy)} macro-F1 ${pct(natEv.macroF1)}  (train ${Math.round(naturalTrainMs)} ms)`)
  console.log(`  ratio ours/natural: ${ratio.toFixed(1)}× (with detection ${(oursDetect / nat).toFixed(1)}×; goal ≥10× with equal or better accuracy)`)

  // 5. a typical post: ~150 characters, written by us.
  const typical = [
    { text: '@Telvio my internet has been down since 8am and nobody at your support line picks up the phone. Third time this month already, seriously?! 😡', lang: 'en' },
    { text: '@SwiftParcel hi, can you help me? the app says my parcel was delivered at noon but nothing arrived at my door. Order 448812, thanks in advance', lang: 'en' },
    { text: '@Nordbahn RE5 fällt schon wieder aus, Signalstörung bei Hamm. Wann fährt der nächste Zug nach Dortmund? Ich komme heute zu spät zur Arbeit 🙄', lang: 'de' },
    { text: '@Vidora danke für die schnelle Hilfe gestern Abend, mein Konto läuft wieder und euer Service war wirklich super freundlich und kompetent! 👍', lang: 'de' },
  ]
  const chars = typical.reduce((a, p) => a + p.text.length, 0) / typical.length
  const usGiven = 1e6 / postsPerSecond((p) => tagger.classify(p.text, p.lang), typical)
  const usDetected = 1e6 / postsPerSecond((p) => tagger.classify(p.text), typical)
  console.log(`\n5) a typical post (${Math.round(chars)} characters): ${usGiven.toFixed(1)} µs with the language given (goal ≤8), ${usDetected.toFixed(1)} µs detected`)

  // 6. listen train --from-replies on the TWCS excerpt, silver5's ids left out; silver5 en and complaints again.
  const { twcsDistant } = await import(pathToFileURL(path.join(root, 'test/classify/dev-replies.mjs')).href)
  const silverIds = new Set(silver.map((r) => r.id))
  const { pairs: replyPairs, examples: distant } = twcsDistant(path.join(shared, 'datasets/twcs_head5000.csv'), compileReplyPatterns(), silverIds)
  const fromReplies = createTagger(builtinModel(), {}, updateLinear(cloneLinear(builtinLinear()), distant.map((e) => ({ ...e, weight: DISTANT_WEIGHT }))))
  const silverEn = silver.filter((r) => r.lang === 'en')
  const repliesEv = evaluateWithIntervals(silverEn.map((r) => [r.label, fromReplies.classify(r.text, r.lang).label]), LABELS)
  const repliesCs = comp.map((r) => {
    const l = fromReplies.classify(r.text, r.lang ?? 'en').label
    return [r.complaint === true, l === 'complaint' || l === 'outage']
  })
  const perClass = LABELS.map((l) => `${l} ${distant.filter((e) => e.label === l).length}`).join(', ')
  console.log(`\n6) listen train --from-replies on ../shared/datasets/twcs_head5000.csv: ${distant.length} distant labels of ${replyPairs} customer posts with a brand reply (${perClass}), at ${DISTANT_WEIGHT} of a human label; silver5's ${silverIds.size} ids left out`)
  console.log(`  silver5 en macro-F1 ${fig(repliesEv.macroF1)} (${within(repliesEv.intervals.macroF1)}; out of the box ${fig(silverF1.en)})`)
  console.log(`  complaints customer-service rows: complaint F1 ${fig(binaryF1(repliesCs).f1)}, binary macro-F1 ${fig(binaryMacro(repliesCs))} (out of the box ${fig(cf.f1)}, ${fig(bm)})`)

  // 7. Retraining on 10,000 labelled posts as listen train does (dev airline + GermEval, repeated to 10,000).
  const devGerm = readJsonl(path.join(shared, 'datasets/dev/germeval.jsonl'))
  const { mapGermeval } = await load('labels.js')
  const pool = [...examples, ...devGerm.flatMap((r) => (mapGermeval(r) ? [{ text: r.text, lang: 'de', label: mapGermeval(r) }] : []))]
  const tenK = Array.from({ length: 10_000 }, (_, i) => pool[i % pool.length])
  const t0 = performance.now()
  trainLikeCli(tenK)
  const retrainS = (performance.now() - t0) / 1000
  console.log(`\n7) retraining on 10,000 labelled posts (naive Bayes + linear model, as listen train): ${retrainS.toFixed(2)} s (goal ≤5 s)`)

  console.log('\ntagger goals')
  const goals = {
    'silver5 en macro-F1 ≥0.70': figure('tagger', 'silver5 macro-F1, English', silverF1.en, { digits: 4, goal: { op: '>=', value: 0.7, text: '≥0.70' } }),
    'silver5 de macro-F1 ≥0.70': figure('tagger', 'silver5 macro-F1, German', silverF1.de, { digits: 4, goal: { op: '>=', value: 0.7, text: '≥0.70' } }),
    'silver5 en confident': figure('tagger', 'silver5 macro-F1, English, confident rows', silverConfident.en, { digits: 4 }) ?? true,
    'silver5 de confident': figure('tagger', 'silver5 macro-F1, German, confident rows', silverConfident.de, { digits: 4 }) ?? true,
    'complaint F1 ≥0.80': figure('tagger', 'complaint F1, customer-service rows', cf.f1, { digits: 4, goal: { op: '>=', value: 0.8, text: '≥0.80' } }),
    'binary macro-F1 ≥0.80': figure('tagger', 'binary macro-F1, customer-service rows', bm, { digits: 4, goal: { op: '>=', value: 0.8, text: '≥0.80' } }),
    'from replies': figure('tagger', 'silver5 macro-F1, English, after train --from-replies (TWCS)', repliesEv.macroF1, { digits: 4 }) ?? true,
    'retrain ≤5 s': figure('tagger', 'retrain on 10,000 labelled posts', retrainS, { unit: 's', digits: 2, goal: { op: '<=', value: 5 } }),
    'airline accuracy ≥0.80': figure('tagger', 'airline 3-way accuracy after training', airEv.accuracy, { digits: 4, goal: { op: '>=', value: 0.8, text: '≥0.80' } }),
    '≥10× natural with equal or better accuracy':
      figure('tagger', 'speed ours / natural on silver5 texts (lang given)', ratio, { unit: '×', digits: 1, goal: { op: '>=', value: 10, text: '≥10×' } }) && ourEv.accuracy >= natEv.accuracy,
    '≤8 µs per typical post': figure('tagger', 'a typical post, language given', usGiven, { unit: 'µs', digits: 1, goal: { op: '<=', value: 8 } }),
  }
  const missed = Object.entries(goals).filter(([, met]) => !met).map(([name]) => name)
  console.log(`tagger: ${missed.length ? `missed ${missed.join('; ')}` : 'all goals met'}`)
  return { ok: missed.length === 0 }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run()
}
