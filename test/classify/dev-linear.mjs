// The linear model (src/classify/linear.ts) beside today's tagger, on ../shared/datasets/dev only
// (never eval/). `npm run build`, then `node test/classify/dev-linear.mjs [sections]` with sections
// from oob, curve, variants, features, speed, train (all when none given). `--tune` runs the
// learning curve on other seeds (100–104) with a grid of combination weights: the weights in
// linear.ts were chosen that way, the curve reports seeds 0–4.
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { FIVE, germevalGold5, loadDevSilver, readDev } from './dev-data.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const dist = process.env.TAGGER_DIST ?? path.join(root, 'dist/classify')
const load = (name) => import(pathToFileURL(path.join(dist, name)).href)
const { createTagger, builtinModel, loadBuiltinCorpus } = await load('tagger.js')
const { trainModel } = await load('bayes.js')
const { evaluate, binaryF1 } = await load('metrics.js')
const { mapAirline, toSentiment3, isCustomerServiceDomain } = await load('labels.js')
const { scanWords } = await load('scan.js')
const L = await load('linear.js')

const args = process.argv.slice(2)
const tune = args.includes('--tune')
const VALUED = ['--spec', '--bits', '--algorithm', '--base', '--train']
const argValue = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const sections = args.filter((a, i) => !a.startsWith('--') && !VALUED.includes(args[i - 1]))
const algorithm = argValue('--algorithm')
// --base W: the built-in corpus weighs W per post in both languages beside the team's labels (0: the
// team's labels alone); without it, DEFAULT_BASE_WEIGHT.
const baseWeight = argValue('--base') === undefined ? L.DEFAULT_BASE_WEIGHT : { en: Number(argValue('--base')), de: Number(argValue('--base')) }
const withBase = baseWeight.en > 0 || baseWeight.de > 0
const want = (s) => argValue('--spec') === undefined && argValue('--train') === undefined && (sections.length === 0 || sections.includes(s))
const f3 = (x) => x.toFixed(3)
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length
const sd = (a) => Math.sqrt(mean(a.map((x) => (x - mean(a)) ** 2)))
const spread = (a) => `${f3(mean(a))} ±${f3(sd(a))} [${f3(Math.min(...a))}–${f3(Math.max(...a))}]`
const t0 = performance.now()

// The tagger's label rule (tagger.ts pickLabel): the first label in precedence order whose
// probability reaches 0.9 of the best one.
const pick = (s) => {
  let best = 0
  for (const l of FIVE) if (s[l] > best) best = s[l]
  return FIVE.find((l) => s[l] >= best * 0.9) ?? 'other'
}
function mulberry(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
function shuffled(xs, seed) {
  const r = mulberry(seed)
  const a = [...xs]
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1))
    ;[a[i], a[j]] = [a[j], a[i]]
  }
  return a
}

const corpus = loadBuiltinCorpus()
const base = builtinModel()
const tagger = createTagger(base)
const air = readDev('airline.jsonl').map((r) => ({ text: r.text, lang: 'en', label: mapAirline(r) }))
const germ = readDev('germeval.jsonl').map((r) => ({ text: r.text, lang: 'de', label: germevalGold5(r) }))
const cs = readDev('complaints.jsonl').filter(isCustomerServiceDomain).map((r) => ({ text: r.text, gold: r.complaint === true }))

// en: airline three ways (accuracy, macro-F1); de: GermEval, macro-F1 over its four gold classes
// (outage, complaint, praise, other) so that a question predicted counts as an error, not as a fifth
// class with F1 0 that a model never predicting question would drop from the average.
const TASKS = {
  en: { name: 'airline', rows: air, test: 2000, gold: ['complaint', 'praise', 'other'], map: toSentiment3 },
  de: { name: 'germeval', rows: germ, test: 1000, gold: ['outage', 'complaint', 'praise', 'other'], map: (l) => l },
}
function scoreTask(task, golds, scores) {
  const ev = evaluate(golds.map((g, i) => [g, task.map(pick(scores[i]))]), [...new Set([...task.gold, ...FIVE.map(task.map)])])
  return { f1: mean(ev.perClass.filter((c) => task.gold.includes(c.label)).map((c) => c.f1)), acc: ev.accuracy }
}
const taggerScores = (t, rows, lang) => rows.map((r) => t.classify(r.text, lang).scores)
const linearScores = (m, rows, lang) => rows.map((r) => L.predictLinear(m, r.text, lang))
const mix = (a, b, w) => a.map((s, i) => L.combineScores(s, b[i], w))

// ── Out of the box ───────────────────────────────────────────────────────────────────────────
if (want('oob')) {
  // Both languages' corpus at the English weight, to show the German figures too; the rule gives German 0.
  const lin = L.trainLinear([], { base: corpus, algorithm, baseWeight: { de: L.DEFAULT_BASE_WEIGHT.en } })
  const ws = [0.5, 1, 2, 3]
  const cols = ['tagger', 'linear', ...ws.map((w) => `comb w${w}`), 'rule w', 'comb rule']
  console.log(`\nOut of the box: linear trained on the built-in corpus only (${corpus.length} invented posts, weighed en ${L.DEFAULT_BASE_WEIGHT.en}, de ${L.DEFAULT_BASE_WEIGHT.de}); comb = tagger · linear^w; rule = linearWeightFor`)
  console.log('figure'.padEnd(34) + cols.map((c) => c.padStart(11)).join(''))
  const line = (name, values) => console.log(name.padEnd(34) + values.map((v) => f3(v).padStart(11)).join(''))
  const row = (name, lang, f, ts, ls) => {
    const rule = L.linearWeightFor(lin, lang)
    line(name, [f(ts), f(ls), ...ws.map((w) => f(mix(ts, ls, { tagger: 1, linear: w }))), rule.linear, f(mix(ts, ls, rule))])
  }
  for (const lang of ['en', 'de']) {
    const rows = loadDevSilver(lang)
    const f1 = (scores) => evaluate(rows.map((r, i) => [r.gold, pick(scores[i])]), FIVE).macroF1
    row(`${lang} dev-silver macro-F1 (n=${rows.length})`, lang, f1, taggerScores(tagger, rows, lang), linearScores(lin, rows, lang))
  }
  {
    const f1 = (scores) => binaryF1(cs.map((r, i) => [r.gold, ['complaint', 'outage'].includes(pick(scores[i]))])).f1
    row(`en complaints CS F1 (n=${cs.length})`, 'en', f1, taggerScores(tagger, cs, 'en'), linearScores(lin, cs, 'en'))
  }
  {
    const acc = (scores) => evaluate(air.map((r, i) => [r.label, toSentiment3(pick(scores[i]))])).accuracy
    row(`en airline 3-way accuracy (n=${air.length})`, 'en', acc, taggerScores(tagger, air, 'en'), linearScores(lin, air, 'en'))
  }
  {
    const task = TASKS.de
    const f1 = (scores) => scoreTask(task, germ.map((r) => r.label), scores).f1
    row(`de germeval macro-F1 4 (n=${germ.length})`, 'de', f1, taggerScores(tagger, germ, 'de'), linearScores(lin, germ, 'de'))
  }
}

// ── Learning curve ───────────────────────────────────────────────────────────────────────────
const NS = [0, 50, 100, 200, 500, 1000]
const SEEDS = tune ? [100, 101, 102, 103, 104] : [0, 1, 2, 3, 4]
const GRID = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6]
if (want('curve')) {
  const oob = L.trainLinear(corpus, { algorithm, seed: 1 })
  for (const lang of ['en', 'de']) {
    const task = TASKS[lang]
    const res = {}
    const add = (k, v) => (res[k] ??= []).push(v)
    for (const seed of SEEDS) {
      const sh = shuffled(task.rows, seed)
      const test = sh.slice(0, task.test)
      const pool = sh.slice(task.test)
      const golds = test.map((r) => r.label)
      const t0s = taggerScores(tagger, test, lang)
      for (const n of NS) {
        const train = pool.slice(0, n)
        const nbs = n ? taggerScores(createTagger(trainModel(train, base)), test, lang) : t0s
        const lin = withBase || n ? L.trainLinear(train, { seed, algorithm, ...(withBase ? { base: corpus, baseWeight } : {}) }) : oob
        const ls = linearScores(lin, test, lang)
        const w = L.linearWeightFor(n || withBase ? lin : null, lang)
        add(`${n}:tagger`, scoreTask(task, golds, t0s))
        add(`${n}:nb`, scoreTask(task, golds, nbs))
        add(`${n}:linear`, scoreTask(task, golds, ls))
        add(`${n}:tagger+linear`, scoreTask(task, golds, mix(t0s, ls, w)))
        add(`${n}:nb+linear`, scoreTask(task, golds, mix(nbs, ls, w)))
        if (tune && (n || withBase)) for (const g of [0, ...GRID]) add(`${n}:nb+linear w${g}`, scoreTask(task, golds, mix(nbs, ls, { tagger: 1, linear: g })))
      }
    }
    const metric = lang === 'en' ? 'macro-F1 (3-way)' : 'macro-F1 (4 gold classes)'
    console.log(`\nLearning curve ${lang} ${task.name}: train on n of the pool, score on ${task.test} held-out posts; mean ±sd [min–max] over seeds ${SEEDS.join(',')}; ${metric}`)
    console.log(`   tagger = today's built-in; nb = tagger with the n labels through bayes trainModel (listen train); linear = trained on the n labels${baseWeight[lang] > 0 ? ` and the built-in corpus at ${baseWeight[lang]} per post` : ' alone (n=0: untrained, weight 0)'};`)
    console.log(`   combined = nb scores · linear^w, w = linearWeightFor (min(${L.LINEAR_WEIGHT_MAX}, ${baseWeight[lang] > 0 ? L.LINEAR_WEIGHT_BASE[lang] : 0} + n/${L.LINEAR_WEIGHT_PER})); tagger+linear the same with the untrained tagger`)
    console.log('n'.padStart(5) + ['tagger', 'nb', 'linear', 'tagger+linear', 'nb+linear (combined)'].map((c) => c.padStart(28)).join(''))
    for (const n of NS) {
      console.log(String(n).padStart(5) + ['tagger', 'nb', 'linear', 'tagger+linear', 'nb+linear'].map((c) => spread(res[`${n}:${c}`].map((x) => x.f1)).padStart(28)).join(''))
    }
    if (lang === 'en') {
      console.log('   accuracy (3-way):')
      for (const n of NS) console.log(String(n).padStart(5) + ['tagger', 'nb', 'linear', 'tagger+linear', 'nb+linear'].map((c) => spread(res[`${n}:${c}`].map((x) => x.acc)).padStart(28)).join(''))
    }
    if (tune) {
      console.log('   tuning: nb+linear macro-F1 per fixed w')
      for (const n of NS.filter((n) => n || withBase)) console.log(String(n).padStart(5) + [0, ...GRID].map((g) => `w${g} ${f3(mean(res[`${n}:nb+linear w${g}`].map((x) => x.f1)))}`.padStart(12)).join(''))
    }
  }
}

// ── Model variants: algorithm, with or without the built-in corpus, class balance ─────────────
function variantTable(title, ns, seeds, variants) {
  for (const lang of ['en', 'de']) {
    const task = TASKS[lang]
    console.log(`\n${title} — ${lang} ${task.name}, seeds ${seeds.join(',')}: macro-F1 alone / combined with nb at the best fixed w of ${GRID.join(',')}`)
    console.log('n'.padStart(5) + variants.map((v) => v.name.padStart(30)).join(''))
    for (const n of ns) {
      const cells = variants.map(() => ({ alone: [], comb: new Map() }))
      for (const seed of seeds) {
        const sh = shuffled(task.rows, seed)
        const test = sh.slice(0, task.test)
        const train = sh.slice(task.test, task.test + n)
        const golds = test.map((r) => r.label)
        const nbs = taggerScores(createTagger(trainModel(train, base)), test, lang)
        variants.forEach((v, vi) => {
          const m = v.train(train, seed)
          const ls = linearScores(m, test, lang)
          cells[vi].alone.push(scoreTask(task, golds, ls).f1)
          for (const g of GRID) {
            const list = cells[vi].comb.get(g) ?? []
            list.push(scoreTask(task, golds, mix(nbs, ls, { tagger: 1, linear: g })).f1)
            cells[vi].comb.set(g, list)
          }
        })
      }
      console.log(String(n).padStart(5) + cells.map((c) => {
        const [g, list] = [...c.comb].reduce((a, b) => (mean(b[1]) > mean(a[1]) ? b : a))
        return `${f3(mean(c.alone))} / ${f3(mean(list))}±${f3(sd(list))} w${g}`.padStart(30)
      }).join(''))
    }
  }
}

if (want('variants')) {
  variantTable('Model variants', [200, 1000], [0, 1, 2], [
    { name: 'perceptron + en corpus (kept)', train: (tr, seed) => L.trainLinear(tr, { seed, base: corpus }) },
    { name: 'perceptron + en,de corpus', train: (tr, seed) => L.trainLinear(tr, { seed, base: corpus, baseWeight: { de: 0.3 } }) },
    { name: 'perceptron, team only', train: (tr, seed) => L.trainLinear(tr, { seed }) },
    { name: 'logreg + corpus', train: (tr, seed) => L.trainLinear(tr, { seed, base: corpus, algorithm: 'logreg' }) },
    { name: 'logreg, team only', train: (tr, seed) => L.trainLinear(tr, { seed, algorithm: 'logreg' }) },
    { name: 'perceptron + corpus, unbal.', train: (tr, seed) => L.trainLinear(tr, { seed, base: corpus, balance: false }) },
  ])
}

const SPECS = {
  'full (w1-2 c2-5 dense)': L.FULL_FEATURES,
  'words 1-2 + dense': { words: true, bigrams: true, charMin: 0, charMax: 0, dense: true },
  'char 3-4 only (FAST)': L.FAST_FEATURES,
  'words 1-2 + char 3-4': { words: true, bigrams: true, charMin: 3, charMax: 4, dense: true },
}
if (want('features')) {
  variantTable('Feature sets and hash sizes', [200, 1000], [0, 1, 2], [
    ...Object.entries(SPECS).map(([name, features]) => ({ name, train: (tr, seed) => L.trainLinear(tr, { seed, features, base: corpus }) })),
    { name: 'full, 2^16 buckets', train: (tr, seed) => L.trainLinear(tr, { seed, bits: 16, base: corpus }) },
    { name: 'full, 2^20 buckets', train: (tr, seed) => L.trainLinear(tr, { seed, bits: 20, base: corpus }) },
  ])
}

// ── Speed ────────────────────────────────────────────────────────────────────────────────────
// Each feature set in its own process (--spec NAME --bits N), so the JIT sees one model shape.
if (argValue('--spec') !== undefined) {
  const features = SPECS[argValue('--spec')]
  const bits = Number(argValue('--bits') ?? 18)
  const texts = [...air, ...germ, ...cs.map((r) => ({ text: r.text, lang: 'en' }))]
  const words = []
  const out = new Float64Array(5)
  /** Best of 9 rounds over every dev post (the machine is shared; the minimum is the least disturbed). */
  function usPerPost(fn) {
    for (const r of texts) fn(r)
    let best = Infinity
    for (let round = 0; round < 9; round++) {
      const start = performance.now()
      for (const r of texts) fn(r)
      best = Math.min(best, ((performance.now() - start) * 1000) / texts.length)
    }
    return best
  }
  const m = L.trainLinear(corpus, { features, bits, epochs: 1 })
  const scan = usPerPost((r) => scanWords(r.text, words))
  const all = usPerPost((r) => {
    scanWords(r.text, words)
    L.predictWordsInto(m, words, r.lang, out)
  })
  const classify = usPerPost((r) => tagger.classify(r.text, r.lang))
  console.log(`   ${argValue('--spec').padEnd(24)} 2^${bits}: scan + features + predict ${all.toFixed(2)}, features + predict ≈ ${(all - scan).toFixed(2)} (scanWords ${scan.toFixed(2)}, tagger.classify ${classify.toFixed(2)})`)
  process.exit(0)
}
if (want('speed')) {
  const { execFileSync } = await import('node:child_process')
  console.log(`\nSpeed on the ${air.length + germ.length + cs.length} real dev posts (µs per post, best of 9 rounds, one core, each set in its own process)`)
  for (const bits of [18, 20]) {
    for (const name of Object.keys(SPECS)) process.stdout.write(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--spec', name, '--bits', String(bits)]))
  }
}

// Each feature set in its own process (--train NAME): training starts with cold word caches, as after a restart.
if (argValue('--train') !== undefined) {
  const features = SPECS[argValue('--train')]
  const team = [...air, ...germ, ...corpus.slice(0, 10_000 - air.length - germ.length)]
  const start = performance.now()
  const m = L.trainLinear(team, { features, base: corpus })
  const ms = performance.now() - start
  const s2 = performance.now()
  L.updateLinear(m, air.slice(5000, 5050))
  const up = performance.now() - s2
  const s3 = performance.now()
  L.trainLinear([], { features, base: corpus })
  const builtin = performance.now() - s3
  const stored = JSON.stringify(L.serializeLinear(m))
  console.log(`   ${argValue('--train').padEnd(24)} train ${(ms / 1000).toFixed(2)} s; update with 50 posts ${up.toFixed(0)} ms; built-in corpus alone (warm) ${(builtin / 1000).toFixed(2)} s; stored ${(stored.length / 1e6).toFixed(1)} MB JSON`)
  process.exit(0)
}
if (want('train')) {
  const { execFileSync } = await import('node:child_process')
  console.log(`\nTraining time: 10,000 labelled posts (airline, GermEval, topped up from the corpus) + the built-in corpus as base, ${L.DEFAULT_EPOCHS} epochs, ${L.DEFAULT_ALGORITHM}, each in a fresh process`)
  for (const name of Object.keys(SPECS)) process.stdout.write(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--train', name]))
}
console.log(`\n(${((performance.now() - t0) / 1000).toFixed(0)} s)`)
