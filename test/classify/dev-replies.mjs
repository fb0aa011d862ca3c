// Distant labels from the brand replies of the TWCS excerpt (../shared/datasets/twcs_head5000.csv,
// the ids of ../shared/eval/silver5.jsonl left out), measured on dev only: dev-silver en, the
// complaints corpus's customer-service rows and airline. `npm run build`, then
// `node test/classify/dev-replies.mjs`: per-class counts of the distant labels, then each figure
// for the built-in tagger and after learning them at several weights.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parse } from 'csv-parse/sync'
import { FIVE, loadDevSilver, readDev } from './dev-data.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const shared = path.resolve(root, '../shared')
const dist = process.env.TAGGER_DIST ?? path.join(root, 'dist/classify')
const load = (name) => import(pathToFileURL(path.join(dist, name)).href)
const R = await load('replies.js')
const T = await load('tagger.js')
const L = await load('linear.js')
const { evaluate, binaryF1 } = await load('metrics.js')
const { mapAirline, toSentiment3, isCustomerServiceDomain } = await load('labels.js')

/** Customer posts of a TWCS export with their first brand reply → distant examples (silver5 ids left out). */
export function twcsDistant(file, patterns, exclude) {
  const rows = parse(readFileSync(file), { columns: true })
  const byId = new Map(rows.map((r) => [r.tweet_id, r]))
  const first = new Map()
  for (const r of rows) {
    if (r.inbound !== 'False' || !r.in_response_to_tweet_id) continue
    const prev = first.get(r.in_response_to_tweet_id)
    if (!prev || Date.parse(r.created_at) < Date.parse(prev.created_at)) first.set(r.in_response_to_tweet_id, r)
  }
  const out = []
  let pairs = 0
  for (const r of rows) {
    if (r.inbound !== 'True' || exclude.has(`twcs:${r.tweet_id}`)) continue
    const reply = first.get(r.tweet_id)
    if (!reply) continue
    pairs++
    const d = R.distantLabel(reply.text, null, patterns)
    if (d) out.push({ text: r.text, label: d.label, lang: 'en', followUp: byId.get(r.in_response_to_tweet_id)?.inbound === 'False' })
  }
  return { pairs, examples: out }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const silverIds = new Set(readFileSync(path.join(shared, 'eval/silver5.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).id))
  const { pairs, examples } = twcsDistant(path.join(shared, 'datasets/twcs_head5000.csv'), R.compileReplyPatterns(), silverIds)
  const counts = Object.fromEntries(FIVE.map((l) => [l, examples.filter((e) => e.label === l).length]))
  console.log(`TWCS: ${pairs} customer posts with a brand reply, ${examples.length} distant labels ${JSON.stringify(counts)}`)
  const devSilver = loadDevSilver('en')
  const cs = readDev('complaints.jsonl').filter(isCustomerServiceDomain)
  const air = readDev('airline.jsonl').map((r) => ({ text: r.text, label: mapAirline(r) }))
  const figures = (t) => [
    evaluate(devSilver.map((r) => [r.gold, t.classify(r.text, 'en').label]), FIVE).macroF1,
    binaryF1(cs.map((r) => [r.complaint === true, ['complaint', 'outage'].includes(t.classify(r.text, 'en').label)])).f1,
    evaluate(air.map((r) => [r.label, toSentiment3(t.classify(r.text, 'en').label)])).accuracy,
  ]
  const line = (name, f) => console.log(name.padEnd(26) + f.map((x) => x.toFixed(3).padStart(12)).join(''))
  console.log(''.padEnd(26) + ['dev-silver', 'CS compl F1', 'airline acc'].map((s) => s.padStart(12)).join(''))
  line('built-in', figures(T.createTagger()))
  for (const w of [0.1, 0.3, 1]) {
    const lin = L.updateLinear(L.cloneLinear(T.builtinLinear()), examples.map((e) => ({ ...e, weight: w })))
    line(`distant at weight ${w}`, figures(T.createTagger(T.builtinModel(), {}, lin)))
  }
}
