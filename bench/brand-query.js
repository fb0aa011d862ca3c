// Brand-query matching speed on real text: µs per post for a few realistic queries over the texts
// of ../shared/datasets/dev/*.jsonl and the TWCS sample, beside a baseline measured in the same
// run (lower-casing the text and one substring test, the least any filter must do).
// Run: `node bench/brand-query.js` after `npm run build` (or `npm run bench -- brand-query`).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parse } from 'csv-parse/sync'
import { ROOT, SHARED, line, verdict } from './lib.js'

const QUERIES = [
  'slack -stock -shares',
  '"deutsche bahn" OR db_bahn OR bahn* -job -jobs',
  '(united OR @united OR "united airlines") -stock lang:en',
  '(acme OR acmeair) -job -jobs',
  '"customer service" OR support* OR (help -"help wanted")',
  '(@sprintcare OR sprint OR #sprint) -is:retweet',
  // Not realistic: a word in nearly every post, so nearly every post is tokenised (the worst case).
  'e* -zzz',
]
// Matching runs once per fetched mention; the tagger costs tens of µs per post, so a few µs is noise.
const GOAL_US = 5

function readTexts() {
  const texts = []
  for (const f of ['airline.jsonl', 'complaints.jsonl', 'germeval.jsonl']) {
    for (const l of readFileSync(join(SHARED, 'datasets/dev', f), 'utf8').split('\n')) if (l.trim()) texts.push(JSON.parse(l).text)
  }
  const twcs = parse(readFileSync(join(SHARED, 'datasets/twcs_head5000.csv')), { columns: true })
  for (const r of twcs) texts.push(r.text)
  return texts
}

function usPerPost(fn, texts, minMs = 800) {
  for (let i = 0; i < Math.min(texts.length, 500); i++) fn(texts[i])
  let n = 0
  const t0 = performance.now()
  let t = t0
  while (t - t0 < minMs) {
    for (const x of texts) fn(x)
    n += texts.length
    t = performance.now()
  }
  return ((t - t0) * 1000) / n
}

export async function run() {
  const { parseBrandQuery, matchesBrandQuery } = await import(pathToFileURL(join(ROOT, 'dist/sources/brand-query.js')).href)
  const texts = readTexts()
  const chars = texts.reduce((s, t) => s + t.length, 0)
  console.log(`\nbrand-query: ${texts.length} real posts (dev/*.jsonl + TWCS), mean ${Math.round(chars / texts.length)} chars`)
  let sink = 0
  const base = usPerPost((t) => (sink += t.toLowerCase().includes('slack') ? 1 : 0), texts)
  line('baseline: toLowerCase + includes', `${base.toFixed(2)} µs/post`)
  let worst = 0
  for (const source of QUERIES) {
    const q = parseBrandQuery(source)
    const hits = texts.filter((t) => matchesBrandQuery(q, t)).length
    const us = usPerPost((t) => matchesBrandQuery(q, t), texts)
    worst = Math.max(worst, us)
    line(source.length > 44 ? `${source.slice(0, 43)}…` : source, `${us.toFixed(2)} µs/post (${(us / base).toFixed(1)}× baseline), ${hits} match`)
  }
  const ok = worst <= GOAL_US
  line(`goal: every query ≤ ${GOAL_US} µs/post`, `${worst.toFixed(2)} µs  ${verdict(ok)}`)
  return { ok, worstUs: worst, baseUs: base, sink }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run()
