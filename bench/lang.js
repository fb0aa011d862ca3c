// Language detection (src/classify/lang.ts) on the real posts of bench/realtext.js: how often the
// detector the tagger uses (cheap vote, franc only where unsure) picks the same en/de model as
// full detection (franc on every post), and detections per second of both. Goal: ≥99 % agreement.
// The corpora's own language field (airline, complaints: en; germeval: de) is printed beside it
// as a check of both; TWCS has none.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT, figure, line } from './lib.js'
import { loadRealPosts } from './realtext.js'

const BENCH = 'lang'
const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href)

function perSecond(fn, n, minMs = 1500) {
  fn()
  let k = 0
  const t0 = performance.now()
  let t = t0
  while (t - t0 < minMs) {
    fn()
    k += n
    t = performance.now()
  }
  return (k / (t - t0)) * 1000
}

export async function run() {
  const { scanWords } = await dist('classify/scan.js')
  const { detectLang, detectLangFull, detectLangQuick, modelLangFor } = await dist('classify/lang.js')
  const posts = loadRealPosts()
  const words = posts.map((p) => scanWords(p.text))
  const kind = (l) => (l === 'en' || l === 'de' ? l : 'other or unknown')
  let model = 0
  let three = 0
  let unsure = 0
  const truth = { n: 0, cheap: 0, full: 0 }
  posts.forEach((p, i) => {
    const cheap = detectLang(words[i], p.text)
    const full = detectLangFull(p.text, words[i])
    if (modelLangFor(cheap) === modelLangFor(full)) model++
    if (kind(cheap) === kind(full)) three++
    if (detectLangQuick(words[i]) === undefined) unsure++
    if (p.lang) {
      truth.n++
      if (modelLangFor(cheap) === p.lang) truth.cheap++
      if (modelLangFor(full) === p.lang) truth.full++
    }
  })
  const n = posts.length
  const cheapRate = perSecond(() => posts.forEach((p, i) => detectLang(words[i], p.text)), n)
  const fullRate = perSecond(() => posts.forEach((p, i) => detectLangFull(p.text, words[i])), n)
  console.log(`\nlanguage detection on ${n.toLocaleString('en-US')} real posts (dev corpora + TWCS), words scanned beforehand`)
  figure(BENCH, 'same en/de model as full detection (franc on every post)', (model / n) * 100, { unit: '%', digits: 2, goal: { op: '>=', value: 99 } })
  figure(BENCH, 'same en / de / other as full detection', (three / n) * 100, { unit: '%', digits: 2 })
  figure(BENCH, 'posts the cheap vote leaves to franc', (unsure / n) * 100, { unit: '%', digits: 2 })
  figure(BENCH, 'detectLang (cheap vote, franc where unsure)', cheapRate, { unit: 'posts/s' })
  figure(BENCH, 'baseline: full detection (franc on every post)', fullRate, { unit: 'posts/s' })
  line('speed-up', `${(cheapRate / fullRate).toFixed(1)}×`)
  figure(BENCH, `model language = corpus language (${truth.n.toLocaleString('en-US')} posts): detectLang`, (truth.cheap / truth.n) * 100, { unit: '%', digits: 2 })
  figure(BENCH, 'model language = corpus language: full detection', (truth.full / truth.n) * 100, { unit: '%', digits: 2 })
  return { ok: model / n >= 0.99 }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run()
