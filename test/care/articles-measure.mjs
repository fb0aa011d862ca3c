// Help-article matching on our own labelled questions: top-1 / top-3 on answerable questions, the share
// of unanswerable ones left without an article, per language and split, plus index-build and query time.
// The dev split chooses parameters and the calibration; the test split is only reported.
//   npm run build && node test/care/articles-measure.mjs          # figures (-v lists dev errors)
//   node test/care/articles-measure.mjs --fit                      # fit the calibration on dev, print it
//   node test/care/articles-measure.mjs --compare                  # the same against minisearch
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

import { parse as parseCsv } from 'csv-parse/sync'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../..')
const args = new Set(process.argv.slice(2))
const verbose = args.has('-v')

const care = await import(pathToFileURL(path.join(root, 'dist/care/articles.js')).href)
const { parseArticlesJsonl, buildArticleIndex, topArticleFeatures, topArticles, matchArticle, normalizeArticleWords, DEFAULT_CALIBRATION } = care

export const articles = parseArticlesJsonl(readFileSync(path.join(root, 'fixtures/care/help-articles.jsonl'), 'utf8'))
export const questions = readFileSync(path.join(here, 'article-questions.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l))

const pct = (x) => (Number.isNaN(x) ? '   – ' : (100 * x).toFixed(1).padStart(5) + '%')

/** Figures of one ranking function over a set of questions: `rank(q) → { ids: top ids, accepted: bool }`. */
export function evaluate(qs, rank) {
  let answerable = 0
  let top1 = 0
  let top3 = 0
  let shownRight = 0
  let unanswerable = 0
  let leftEmpty = 0
  const errors = []
  for (const q of qs) {
    const { ids, accepted } = rank(q)
    if (q.gold === null) {
      unanswerable++
      if (!accepted) leftEmpty++
      else errors.push({ q, got: ids[0], kind: 'shown for a no-answer question' })
      continue
    }
    answerable++
    const hit1 = ids.length > 0 && q.gold.includes(ids[0])
    if (hit1) top1++
    if (ids.slice(0, 3).some((id) => q.gold.includes(id))) top3++
    if (hit1 && accepted) shownRight++
    else errors.push({ q, got: ids[0] ?? null, kind: hit1 ? 'right but below the threshold' : accepted ? 'wrong article shown' : 'wrong top-1 (not shown)' })
  }
  return {
    n: qs.length,
    answerable,
    top1: top1 / answerable,
    top3: top3 / answerable,
    shownRight: shownRight / answerable,
    unanswerable,
    leftEmpty: leftEmpty / unanswerable,
    decisions: (shownRight + leftEmpty) / qs.length,
    // Answerable and unanswerable questions count alike: a care desk sees far more of the latter.
    balanced: (shownRight / answerable + leftEmpty / unanswerable) / 2,
    errors,
  }
}

function row(label, e) {
  return `${label.padEnd(10)} ${String(e.answerable).padStart(4)} ${pct(e.top1)} ${pct(e.top3)} ${pct(e.shownRight)}   ${String(e.unanswerable).padStart(4)} ${pct(e.leftEmpty)}   ${pct(e.decisions)}    ${pct(e.balanced)}`
}

export function report(title, rankFor) {
  console.log(`\n${title}`)
  console.log('split/lang  ans  top-1  top-3  shown✓   none  left∅   all decisions  balanced')
  for (const split of ['dev', 'test']) {
    for (const lang of ['en', 'de', 'all']) {
      const qs = questions.filter((q) => q.split === split && (lang === 'all' || q.lang === lang))
      console.log(row(`${split} ${lang}`, evaluate(qs, rankFor)))
    }
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

function timeBuild(build, list, runs = 15) {
  build(list)
  const ms = []
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint()
    build(list)
    ms.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  return median(ms)
}

function timeQueries(fn, texts, minMs = 1000) {
  for (const t of texts) fn(t)
  let n = 0
  const t0 = performance.now()
  let t1 = t0
  while (t1 - t0 < minMs) {
    for (const t of texts) fn(t)
    n += texts.length
    t1 = performance.now()
  }
  return ((t1 - t0) * 1000) / n
}

/** 500 articles: ours, repeated under new ids with the words of each copy shifted, so vocabularies grow. */
export function manyArticles(count = 500) {
  const out = []
  for (let i = 0; out.length < count; i++) {
    for (const a of articles) {
      if (out.length >= count) break
      const words = a.body.split(' ')
      const shift = (i * 7) % words.length
      out.push({ ...a, id: `${a.id}-${i}`, body: [...words.slice(shift), ...words.slice(0, shift)].join(' ') + (i ? ` Variante${i} variant${i}` : '') })
    }
  }
  return out
}

function sigmoid(x) {
  return 1 / (1 + Math.exp(-x))
}

/** Platt scaling on dev: P(top-1 answers the question) from (norm, margin); then the threshold with the most right decisions. */
function fitCalibration(index, iterations = 20000) {
  const dev = questions.filter((q) => q.split === 'dev')
  const rows = dev.map((q) => {
    const f = topArticleFeatures(index, q.text, 1)[0]
    return { q, x: f ? [f.norm, f.margin] : [0, 0], y: f && q.gold?.includes(f.article.id) ? 1 : 0 }
  })
  let [b0, b1, b2] = [0, 0, 0]
  const rate = 0.5
  const l2 = 0.01
  for (let it = 0; it < iterations; it++) {
    let g0 = 0
    let g1 = 0
    let g2 = 0
    for (const r of rows) {
      const e = sigmoid(b0 + b1 * r.x[0] + b2 * r.x[1]) - r.y
      g0 += e
      g1 += e * r.x[0]
      g2 += e * r.x[1]
    }
    b0 -= (rate * g0) / rows.length
    b1 -= rate * (g1 / rows.length + l2 * b1)
    b2 -= rate * (g2 / rows.length + l2 * b2)
  }
  const nNone = rows.filter((r) => r.q.gold === null).length
  let best = { threshold: 0.5, right: -1 }
  for (let t = 0.05; t < 0.96; t += 0.01) {
    let shown = 0
    let empty = 0
    for (const r of rows) {
      const accepted = sigmoid(b0 + b1 * r.x[0] + b2 * r.x[1]) >= t
      if (r.q.gold === null) empty += accepted ? 0 : 1
      else shown += accepted && r.y === 1 ? 1 : 0
    }
    const right = shown / (rows.length - nNone) + empty / nNone
    // Ties go to the higher threshold: an agent loses less to a missing suggestion than to a wrong one.
    if (right >= best.right - 1e-12) best = { threshold: Math.round(t * 100) / 100, right }
  }
  return { bias: +b0.toFixed(3), norm: +b1.toFixed(3), margin: +b2.toFixed(3), threshold: best.threshold }
}

async function compareMinisearch(index) {
  let MiniSearch
  try {
    MiniSearch = (await import('minisearch')).default
  } catch {
    console.log('\nminisearch is not installed (npm install): comparison skipped')
    return
  }
  const variants = {
    'minisearch, its own tokenizer, prefix + fuzzy 0.2': () => ({
      fields: ['title', 'body'],
      storeFields: ['id'],
      searchOptions: { boost: { title: 2 }, prefix: true, fuzzy: 0.2 },
    }),
    'minisearch with our words (stems, stop words, hyphen joins), fuzzy 0.2': (lang) => ({
      fields: ['title', 'body'],
      storeFields: ['id'],
      tokenize: (text) => normalizeArticleWords(text, lang),
      processTerm: (t) => t,
      searchOptions: { boost: { title: 2.5 }, fuzzy: 0.2 },
    }),
    'minisearch with our words, no fuzzy matching': (lang) => ({
      fields: ['title', 'body'],
      storeFields: ['id'],
      tokenize: (text) => normalizeArticleWords(text, lang),
      processTerm: (t) => t,
      searchOptions: { boost: { title: 2.5 } },
    }),
  }
  for (const [name, optionsFor] of Object.entries(variants)) {
    const build = (list) => {
      const engines = {}
      for (const lang of ['en', 'de']) {
        const ms = new MiniSearch(optionsFor(lang))
        ms.addAll(list.filter((a) => a.lang === lang))
        engines[lang] = ms
      }
      return engines
    }
    const engines = build(articles)
    const search = (q) => engines[q.lang === 'de' ? 'de' : 'en'].search(q.text)
    // Raw scores: the threshold with the most right decisions on dev.
    const dev = questions.filter((q) => q.split === 'dev')
    const devHits = dev.map((q) => ({ q, hits: search(q) }))
    let best = { t: 0, right: -1 }
    for (const t of [...new Set(devHits.map((d) => d.hits[0]?.score ?? 0))].sort((a, b) => a - b)) {
      const right = evaluate(dev, (q) => {
        const hits = devHits.find((d) => d.q === q).hits
        return { ids: hits.slice(0, 3).map((h) => h.id), accepted: (hits[0]?.score ?? 0) >= t }
      }).balanced
      if (right > best.right) best = { t, right }
    }
    report(`${name} (language given; threshold on its raw score ${best.t.toFixed(2)}, chosen on dev like ours)`, (q) => {
      const hits = search(q)
      return { ids: hits.slice(0, 3).map((h) => h.id), accepted: (hits[0]?.score ?? 0) >= best.t }
    })
    const many = manyArticles(500)
    console.log(`  build: ${timeBuild(build, articles).toFixed(2)} ms for ${articles.length} articles, ${timeBuild(build, many, 5).toFixed(1)} ms for 500`)
    console.log(`  query: ${timeQueries((q) => search(q), questions).toFixed(1)} µs per question (language given)`)
    console.log(`  index as JSON: ${(JSON.stringify(engines.en).length + JSON.stringify(engines.de).length) / 1000} kB (ours: ${JSON.stringify(index).length / 1000} kB)`)
  }
}

/** Coordinate-free grid search on dev: every combination, calibration refitted for each, most right decisions wins. */
function tune() {
  const grid = process.env.GRID
    ? JSON.parse(process.env.GRID)
    : { k1: [1.2, 1.6, 2.2], bBody: [0.3, 0.5, 0.75], bTitle: [0.3, 0.6], titleWeight: [3, 4, 6], unknownWeight: [0.3, 0.6, 1], partWeight: [0.5, 0.8], fuzzyWeight: [0.5, 0.8], minPossible: [0, 1, 1.5] }
  const dev = questions.filter((q) => q.split === 'dev')
  let combos = [{}]
  for (const [key, values] of Object.entries(grid)) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })))
  const results = []
  for (const params of combos) {
    const idx = buildArticleIndex(articles, { params })
    idx.calibration = fitCalibration(idx, 3000)
    const e = evaluate(dev, (q) => ({ ids: topArticles(idx, q.text, 3).map((m) => m.article.id), accepted: matchArticle(idx, q.text) !== null }))
    results.push({ params, balanced: e.balanced, decisions: e.decisions, top1: e.top1, leftEmpty: e.leftEmpty })
  }
  results.sort((a, b) => b.balanced - a.balanced || b.top1 - a.top1)
  for (const r of results.slice(0, 12)) console.log(`balanced ${pct(r.balanced)} all ${pct(r.decisions)} top-1 ${pct(r.top1)} left∅ ${pct(r.leftEmpty)}  ${JSON.stringify(r.params)}`)
}
if (args.has('--tune')) tune()

const index = buildArticleIndex(articles)
if (args.has('--fit')) {
  const calibration = fitCalibration(index)
  console.log('calibration fitted on dev:', JSON.stringify(calibration))
  console.log('in the module now:        ', JSON.stringify(DEFAULT_CALIBRATION))
}

report(`ours: ${articles.length} articles, ${questions.length} questions; language detected`, (q) => {
  const top = topArticles(index, q.text, 3)
  return { ids: top.map((m) => m.article.id), accepted: matchArticle(index, q.text) !== null }
})
report('ours, language given', (q) => {
  const top = topArticles(index, q.text, 3, q.lang)
  return { ids: top.map((m) => m.article.id), accepted: matchArticle(index, q.text, q.lang) !== null }
})

const texts = questions.map((q) => q.text)
const many = manyArticles(500)
const bigIndex = buildArticleIndex(many)
console.log(`\nindex build: ${timeBuild(buildArticleIndex, articles).toFixed(2)} ms for ${articles.length} articles, ${timeBuild(buildArticleIndex, many, 7).toFixed(1)} ms for 500 (median)`)
const t0 = performance.now()
for (const q of questions) topArticles(JSON.parse(JSON.stringify(bigIndex)), q.text, 1)
console.log(`cold start from JSON (parse + first query), 500 articles: ${((performance.now() - t0) / questions.length).toFixed(1)} ms`)
console.log(`query, 44 articles: ${timeQueries((t) => matchArticle(index, t), texts).toFixed(1)} µs per question with language detection, ${timeQueries((t) => matchArticle(index, t, 'en'), texts).toFixed(1)} µs with the language given`)
console.log(`query, 500 articles: ${timeQueries((t) => matchArticle(bigIndex, t), texts).toFixed(1)} µs per question with language detection`)
console.log(`index as JSON: ${(JSON.stringify(index).length / 1000).toFixed(0)} kB for ${articles.length} articles, ${(JSON.stringify(bigIndex).length / 1000).toFixed(0)} kB for 500`)

// Real text (../shared/datasets, development data; read, never copied). TWCS: customer tweets to shops,
// parcel services and mobile networks that ask something (not replies, with "?"), labelled by us (ids only)
// with the article of ours that would answer them if they had been sent to us, or none.
// GermEval: real German posts about Deutsche Bahn with a "?"; none of our articles answers them.
function realText() {
  const shared = path.resolve(root, '../shared/datasets')
  let tweets
  try {
    tweets = new Map(parseCsv(readFileSync(path.join(shared, 'twcs_head5000.csv'), 'utf8'), { columns: true }).map((r) => [r.tweet_id, r.text]))
  } catch {
    console.log('\n../shared/datasets not found: real-text figures skipped')
    return
  }
  const labels = readFileSync(path.join(here, 'twcs-article-labels.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))
  const qs = labels.map((l) => ({ id: l.tweet_id, text: tweets.get(l.tweet_id), gold: l.gold }))
  const e = evaluate(qs, (q) => ({ ids: topArticles(index, q.text, 3).map((m) => m.article.id), accepted: matchArticle(index, q.text) !== null }))
  console.log(`\nreal text, TWCS (${qs.length} questions to shops, parcel services and mobile networks; ${e.answerable} answerable by an article of ours):`)
  console.log(`  top-1 ${pct(e.top1)}, top-3 ${pct(e.top3)}, right article shown ${pct(e.shownRight)}; unanswerable left empty ${pct(e.leftEmpty)} (${e.unanswerable})`)
  if (verbose) for (const { q, got, kind } of e.errors) console.log(`    [${kind}] ${q.id} gold=${q.gold?.join(',') ?? 'none'} got=${got}`)
  const bahn = readFileSync(path.join(shared, 'dev/germeval.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)).filter((p) => p.text.includes('?'))
  const shown = bahn.filter((p) => matchArticle(index, p.text, 'de') !== null)
  console.log(`real text, GermEval dev posts with "?" (${bahn.length}, about Deutsche Bahn, none answerable): an article shown for ${pct(shown.length / bahn.length)}`)
  if (verbose) for (const p of shown.slice(0, 15)) console.log(`    ${matchArticle(index, p.text, 'de').article.id}: ${p.text.slice(0, 140).replace(/\s+/g, ' ')}`)
}
realText()

if (verbose) {
  const dev = questions.filter((q) => q.split === 'dev')
  const e = evaluate(dev, (q) => {
    const top = topArticles(index, q.text, 3)
    return { ids: top.map((m) => m.article.id), accepted: matchArticle(index, q.text) !== null }
  })
  console.log('\ndev errors:')
  for (const { q, got, kind } of e.errors) {
    const top = topArticleFeatures(index, q.text, 2)
    const f = top.map((t) => `${t.article.id} n${t.norm.toFixed(2)} m${t.margin.toFixed(2)}`).join(' | ')
    console.log(`  [${kind}] ${q.id} ${q.lang} gold=${q.gold?.join(',') ?? 'none'} got=${got}\n      ${q.text}\n      ${f}`)
  }
}

if (args.has('--compare')) await compareMinisearch(index)
