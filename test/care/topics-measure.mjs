#!/usr/bin/env node
// Topic accuracy on our own labelled set (test/care/topics-labelled.jsonl, written for listen):
// overall, per language and per topic (precision/recall), for the built-in taxonomy. Runs dist/:
// `npm run build && node test/care/topics-measure.mjs [--json]`.
import { readFileSync } from 'node:fs'
import { topicClassifierFor } from '../../dist/care/topics.js'

const file = new URL('./topics-labelled.jsonl', import.meta.url)
const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
const c = topicClassifierFor(null)
const stats = { all: [0, 0], en: [0, 0], de: [0, 0], keyword: [0, 0], model: [0, 0] }
const per = new Map(c.topics.map((t) => [t, { tp: 0, fp: 0, fn: 0 }]))
const misses = []
for (const r of rows) {
  const got = c.classify(r.text, r.lang)
  const ok = got.topic === r.topic
  for (const k of ['all', r.lang, got.source]) {
    stats[k][0] += ok ? 1 : 0
    stats[k][1]++
  }
  if (ok) per.get(r.topic).tp++
  else {
    per.get(r.topic).fn++
    per.get(got.topic).fp++
    misses.push(`${r.topic} → ${got.topic} (${got.source}): ${r.text}`)
  }
}
const pct = ([a, n]) => (n ? `${((100 * a) / n).toFixed(1)}% (${a}/${n})` : '–')
const topics = [...per].map(([t, s]) => ({ topic: t, precision: s.tp / (s.tp + s.fp || 1), recall: s.tp / (s.tp + s.fn || 1) }))
const macroF1 = topics.reduce((sum, t) => sum + (t.precision + t.recall ? (2 * t.precision * t.recall) / (t.precision + t.recall) : 0), 0) / topics.length
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ posts: rows.length, accuracy: stats.all[0] / stats.all[1], en: stats.en[0] / stats.en[1], de: stats.de[0] / stats.de[1], macroF1, topics }, null, 2))
} else {
  console.log(`posts ${rows.length}  accuracy ${pct(stats.all)}  en ${pct(stats.en)}  de ${pct(stats.de)}  macro-F1 ${macroF1.toFixed(3)}`)
  console.log(`decided by keyword ${pct(stats.keyword)}  by model ${pct(stats.model)}`)
  for (const t of topics) console.log(`  ${t.topic.padEnd(10)} precision ${t.precision.toFixed(2)}  recall ${t.recall.toFixed(2)}`)
  if (process.argv.includes('--misses')) for (const m of misses) console.error(m)
}
