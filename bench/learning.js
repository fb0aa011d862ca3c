// Learning curve of `listen label --next` on dev data only (../shared/datasets/dev, never eval/):
// macro-F1 on a held-out dev split after 0…500 labels chosen by the --next selector (the current
// model's uncertainty, the model rebuilt every BATCH labels as the terminal session does) versus
// chosen at random, several seeds. Labels train both models as human labels do in loadActiveTagger:
// the same function, taggerWithLabels (ingest/tagging.ts), on the built-in models.
// Goal (issue 13): --next reaches random's 500-label figure with at most 200 labels.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { figure, ROOT, SHARED } from './lib.js'

const dist = path.join(ROOT, 'dist')
const load = (name) => import(pathToFileURL(path.join(dist, name)).href)
const readJsonl = (file) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))

export const CHECKPOINTS = [0, 50, 100, 200, 300, 500]
const SEEDS = [1, 2, 3]
/** Labels between rebuilds: the terminal session's default --retrain-every is 20. */
const BATCH = 20
const TEST_SHARE = 0.3
// Dev-only tuning knobs (LEARN_SPREAD, LEARN_STRATEGY, LEARN_SETS=de): the defaults are the product's.
const SPREAD = process.env.LEARN_SPREAD ? Number(process.env.LEARN_SPREAD) : undefined
const STRATEGY = process.env.LEARN_STRATEGY ?? 'margin'

function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function shuffled(xs, seed) {
  const r = rng(seed)
  const a = [...xs]
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1))
    ;[a[i], a[j]] = [a[j], a[i]]
  }
  return a
}

const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length
const f3 = (x) => x.toFixed(3)

export async function run() {
  const { builtinLinear, builtinModel } = await load('classify/tagger.js')
  const { taggerWithLabels } = await load('ingest/tagging.js')
  const { evaluate } = await load('classify/metrics.js')
  const { mapAirline, toSentiment3 } = await load('classify/labels.js')
  const { selectForLabelling } = await load('classify/select.js')
  const { germevalGold5 } = await import(pathToFileURL(path.join(ROOT, 'test/classify/dev-data.mjs')).href)
  const dev = (name) => readJsonl(path.join(SHARED, 'datasets/dev', name))

  const sets = [
    {
      name: 'airline (en)',
      lang: 'en',
      rows: dev('airline.jsonl').flatMap((r) => {
        const gold = mapAirline(r)
        return gold ? [{ text: r.text, lang: 'en', source: r.airline ?? 'x', gold }] : []
      }),
      // Airline gold has three classes: predictions are read the same way.
      score: (t, rows) => evaluate(rows.map((r) => [r.gold, toSentiment3(t.classify(r.text, r.lang).label)]), ['complaint', 'praise', 'other']).macroF1,
    },
    {
      name: 'GermEval (de)',
      lang: 'de',
      rows: dev('germeval.jsonl').map((r) => ({ text: r.text, lang: 'de', source: /twitter\.com/.test(r.id) ? 'x' : 'web', gold: germevalGold5(r) })),
      score: (t, rows) => evaluate(rows.map((r) => [r.gold, t.classify(r.text, r.lang).label])).macroF1,
    },
  ]

  const builtin = { model: builtinModel(), linear: builtinLinear(), shared: true, linearShared: true }
  const taggerFor = (labelled) => taggerWithLabels(builtin, labelled.map((r) => ({ text: r.text, label: r.gold, lang: r.lang })))

  let allOk = true
  const summary = {}
  for (const set of sets.filter((s) => !process.env.LEARN_SETS || process.env.LEARN_SETS.split(',').includes(s.lang))) {
    console.log(`\nlearning curve, ${set.name}: ${set.rows.length} dev posts, ${Math.round(TEST_SHARE * 100)}% held out; macro-F1 after n labels (mean of ${SEEDS.length} seeds)`)
    const curves = { next: CHECKPOINTS.map(() => []), random: CHECKPOINTS.map(() => []) }
    const t0 = Date.now()
    for (const seed of SEEDS) {
      const all = shuffled(set.rows, seed)
      const nTest = Math.round(all.length * TEST_SHARE)
      const test = all.slice(0, nTest)
      const pool = all.slice(nTest)
      // Random: the first n of the shuffled pool.
      CHECKPOINTS.forEach((n, k) => curves.random[k].push(set.score(taggerFor(pool.slice(0, n)), test)))
      // --next: pick BATCH at a time by the current model's uncertainty, rebuild, repeat.
      const labelled = []
      const left = new Set(pool.keys())
      let tagger = taggerFor(labelled)
      for (let k = 0; k < CHECKPOINTS.length; k++) {
        while (labelled.length < CHECKPOINTS[k]) {
          const ids = [...left]
          const scored = ids.map((i) => {
            const r = pool[i]
            const c = tagger.classify(r.text, r.lang)
            return { source: r.source, text: r.text, guess: c.label, scores: c.scores }
          })
          const want = Math.min(BATCH, CHECKPOINTS[k] - labelled.length)
          for (const j of selectForLabelling(scored, want, { strategy: STRATEGY, ...(SPREAD === undefined ? {} : { spread: SPREAD }) })) {
            labelled.push(pool[ids[j]])
            left.delete(ids[j])
          }
          tagger = taggerFor(labelled)
        }
        curves.next[k].push(set.score(tagger, test))
      }
    }
    const next = curves.next.map(mean)
    const random = curves.random.map(mean)
    console.log(`  labels   ${CHECKPOINTS.map((n) => String(n).padStart(6)).join('')}`)
    console.log(`  --next   ${next.map((x) => f3(x).padStart(6)).join('')}`)
    console.log(`  random   ${random.map((x) => f3(x).padStart(6)).join('')}   (${((Date.now() - t0) / 1000).toFixed(1)} s)`)
    const target = random[CHECKPOINTS.indexOf(500)]
    const reachedAt = CHECKPOINTS.find((n, k) => next[k] >= target) ?? null
    const key = set.lang
    summary[key] = { next, random, reachedAt }
    for (const [k, n] of CHECKPOINTS.entries()) {
      figure('learning', `${set.name} macro-F1, ${n} labels: --next / random`, next[k], { digits: 3, text: `${f3(next[k])} / ${f3(random[k])}`, extra: { random: random[k], labels: n } })
    }
    const ok = figure('learning', `${set.name}: labels --next needs to reach random's 500-label ${f3(target)}`, reachedAt ?? Infinity, {
      goal: { op: '<=', value: 200, text: '≤200 labels' },
      text: reachedAt === null ? `not within 500` : `${reachedAt}`,
    })
    allOk &&= Boolean(ok)
  }
  return { ok: allOk, summary }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run()
