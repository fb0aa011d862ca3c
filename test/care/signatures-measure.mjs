// Agent signatures on the real TWCS customer-support sample (../shared, measurement only):
// per brand, the share of its replies with a signature and the distinct agents; then precision
// and recall against our hand check (signatures-gold.json: tweet ids and a hash of the agent we
// read, or null, so no corpus text lands in the repository); last, how often a signature is found
// in customer posts (dev/*.jsonl), which are not what the parser is for: a ceiling on false hits.
//
//   npm run build && node test/care/signatures-measure.mjs            figures
//   node test/care/signatures-measure.mjs --sample [found] [none]     print a fresh random sample to read
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parse } from 'csv-parse/sync'

const ROOT = join(import.meta.dirname, '../..')
const TWCS = join(ROOT, '../shared/datasets/twcs_head5000.csv')
const GOLD = join(import.meta.dirname, 'signatures-gold.json')
const { createSignatureParser, parseSignature } = await import(pathToFileURL(join(ROOT, 'dist/care/signatures.js')).href)

const hashAgent = (agent) => createHash('sha256').update(agent).digest('hex').slice(0, 12)

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function sample(xs, n, rand) {
  const a = [...xs]
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[a[i], a[j]] = [a[j], a[i]]
  }
  return a.slice(0, n)
}

const parser = createSignatureParser()
const replies = parse(readFileSync(TWCS), { columns: true })
  .filter((r) => r.inbound === 'False')
  .map((r) => ({ id: r.tweet_id, brand: r.author_id, text: r.text, agent: parseSignature(parser, r.text) }))
const found = replies.filter((r) => r.agent !== null)
const none = replies.filter((r) => r.agent === null)

if (process.argv[2] === '--sample') {
  const rand = mulberry32(Number(process.env.SEED ?? 20251103))
  const nFound = Number(process.argv[3] ?? 200)
  const nNone = Number(process.argv[4] ?? 100)
  for (const [label, rows] of [['FOUND', sample(found, nFound, rand)], ['NONE', sample(none, nNone, rand)]]) {
    for (const r of rows) console.log(`${label}\t${r.id}\t${r.brand}\t${r.agent ?? '-'}\t${JSON.stringify(r.text)}`)
  }
  process.exit(0)
}

const byBrand = new Map()
for (const r of replies) {
  const b = byBrand.get(r.brand) ?? { n: 0, signed: 0, agents: new Set() }
  b.n++
  if (r.agent !== null) {
    b.signed++
    b.agents.add(r.agent)
  }
  byBrand.set(r.brand, b)
}
const pct = (x) => `${(100 * x).toFixed(1)}%`
console.log(`TWCS head 5000: ${replies.length} brand replies from ${byBrand.size} brands; ${found.length} (${pct(found.length / replies.length)}) with a signature`)
console.log(`\n  ${'brand'.padEnd(18)}${'replies'.padStart(8)}${'signed'.padStart(9)}${'agents'.padStart(8)}`)
for (const [brand, b] of [...byBrand].sort((x, y) => y[1].n - x[1].n)) {
  if (b.n < 10) continue
  console.log(`  ${brand.padEnd(18)}${String(b.n).padStart(8)}${pct(b.signed / b.n).padStart(9)}${String(b.agents.size).padStart(8)}`)
}
const small = [...byBrand.values()].filter((b) => b.n < 10)
console.log(`  ${`(${small.length} brands < 10)`.padEnd(18)}${String(small.reduce((s, b) => s + b.n, 0)).padStart(8)}${pct(small.reduce((s, b) => s + b.signed, 0) / small.reduce((s, b) => s + b.n, 0)).padStart(9)}`)

// The hand check: a random sample of replies with a signature (is the agent right?) and of replies
// without one (was a signature missed?), labelled by reading them.
const gold = JSON.parse(readFileSync(GOLD, 'utf8'))
const byId = new Map(replies.map((r) => [r.id, r]))
let fTotal = 0
let fRight = 0
let nTotal = 0
let nMissed = 0
for (const [id, expected] of Object.entries(gold.labels)) {
  const r = byId.get(id)
  if (!r) throw new Error(`gold id ${id} is not a brand reply of ${TWCS}`)
  if (r.agent !== null) {
    fTotal++
    if (expected !== null && hashAgent(r.agent) === expected) fRight++
  } else {
    nTotal++
    if (expected !== null) nMissed++
  }
}
const precision = fRight / fTotal
const missRate = nMissed / nTotal
// Recall over the whole file: true signatures found (found × precision) over those plus the ones
// missed (replies without a signature × the share of them that had one).
const recall = (found.length * precision) / (found.length * precision + none.length * missRate)
// Wilson 95% interval for a proportion.
const wilson = (k, n) => {
  const z = 1.96
  const p = k / n
  const d = 1 + (z * z) / n
  const c = p + (z * z) / (2 * n)
  const h = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))
  return `[${pct((c - h) / d)}, ${pct((c + h) / d)}]`
}
console.log(`\nhand check (${GOLD.replace(`${ROOT}/`, '')}, ${Object.keys(gold.labels).length} replies read):`)
console.log(`  precision  ${fRight}/${fTotal} found signatures right = ${pct(precision)}  95% ${wilson(fRight, fTotal)}`)
console.log(`  missed     ${nMissed}/${nTotal} replies without a found signature had one = ${pct(missRate)}  95% ${wilson(nMissed, nTotal)}`)
console.log(`  recall     ≈ ${pct(recall)} (found ${found.length} × precision against missed ${none.length} × miss rate)`)
const silent = [...byBrand.values()].filter((b) => b.signed === 0)
console.log(`  brands with no signature found: ${silent.length} (${silent.reduce((s, b) => s + b.n, 0)} replies)`)

console.log('\ncustomer posts (not brand replies), share in which a "signature" is found:')
for (const f of ['airline', 'complaints', 'germeval']) {
  const texts = readFileSync(join(ROOT, `../shared/datasets/dev/${f}.jsonl`), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).text)
  const hits = texts.filter((t) => parseSignature(parser, t) !== null).length
  console.log(`  ${f.padEnd(12)} ${hits}/${texts.length} = ${pct(hits / texts.length)}`)
}
