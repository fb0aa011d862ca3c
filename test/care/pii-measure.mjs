// Measures the personal-data detector: µs per post on real text (../shared, read only), hits per
// kind there, precision/recall on our labelled set, and libphonenumber-js 'max' against 'min' metadata.
// Run: `npm run build && node test/care/pii-measure.mjs` (add `--list twcs` to print every hit on
// that corpus with its context, for reading by hand; `--errors` prints the set's misses and false hits).
import { statSync } from 'node:fs'
import os from 'node:os'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { KINDS, loadPiiSet, loadRealTexts, scorePii } from './pii-score.mjs'

const root = join(import.meta.dirname, '../..')
const shared = join(root, '../shared')
const { createPiiDetector, detectPii } = await import(pathToFileURL(join(root, 'dist/care/pii.js')).href)
const args = process.argv.slice(2)

const require = createRequire(import.meta.url)
const minMetadata = require('libphonenumber-js/metadata.min.json')

// CPU time of this process, not wall time: the machine is shared, and other work would inflate the figure.
function usPerPost(fn, texts, minMs = 1500) {
  for (let i = 0; i < Math.min(texts.length, 2000); i++) fn(texts[i])
  let n = 0
  const cpu = () => {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1000
  }
  const t0 = cpu()
  let t = t0
  while (t - t0 < minMs) {
    for (const x of texts) fn(x)
    n += texts.length
    t = cpu()
  }
  return ((t - t0) * 1000) / n
}

const f2 = (x) => x.toFixed(2)
const f3 = (x) => x.toFixed(3)

const real = loadRealTexts(shared)
if (real.length === 0) {
  console.error(`no real texts under ${shared}/datasets`)
  process.exit(1)
}
const texts = real.map((r) => r.text)
const withDigits = texts.filter((t) => /\d/.test(t))
const quick = texts.filter((t) => !/[0-9@]/.test(t))
const detector = createPiiDetector({ region: 'DE' })
const run = (t) => detectPii(t, detector)

console.log(`Real texts: ${texts.length} (dev/*.jsonl + twcs_head5000.csv), ${withDigits.length} with a digit, ${quick.length} with neither digit nor '@'`)
console.log(`\nSpeed (CPU µs per post; region DE, default regions, max metadata; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`)
console.log(`  all posts                 ${f2(usPerPost(run, texts))} µs/post`)
console.log(`  posts with a digit        ${f2(usPerPost(run, withDigits))} µs/post`)
console.log(`  posts without digit or @  ${f2(usPerPost(run, quick))} µs/post`)
const clean = texts.filter((t) => run(t).length === 0)
console.log(`  posts with no finding     ${f2(usPerPost(run, clean))} µs/post (${clean.length} posts)`)
const flagged = new Set()
const perKind = Object.fromEntries(KINDS.map((k) => [k, 0]))
for (const r of real) {
  const found = run(r.text)
  if (found.length) flagged.add(r)
  for (const f of found) perKind[f.kind]++
}
const sources = [...new Set(real.map((r) => r.source))]
console.log('\nHits per kind on the real texts')
console.log(`  ${'source'.padEnd(11)}${'posts'.padStart(7)}${'flagged'.padStart(9)}  ${KINDS.map((k) => k.padStart(9)).join('')}`)
for (const s of [...sources, 'all']) {
  const rows = real.filter((r) => s === 'all' || r.source === s)
  const counts = Object.fromEntries(KINDS.map((k) => [k, 0]))
  let n = 0
  for (const r of rows) {
    const found = run(r.text)
    if (found.length) n++
    for (const f of found) counts[f.kind]++
  }
  console.log(`  ${s.padEnd(11)}${String(rows.length).padStart(7)}${String(n).padStart(9)}  ${KINDS.map((k) => String(counts[k]).padStart(9)).join('')}`)
}

const set = loadPiiSet()
function printScore(title, detect) {
  const score = scorePii(set, detect)
  console.log(`\n${title} (${set.length} posts, ${set.filter((r) => r.pii.length).length} with personal data)`)
  console.log(`  ${'kind'.padEnd(10)}${'P'.padStart(7)}${'R'.padStart(7)}${'tp'.padStart(5)}${'fp'.padStart(5)}${'fn'.padStart(5)}`)
  for (const [k, c] of [...Object.entries(score.perKind), ['overall', score.overall]]) {
    console.log(`  ${k.padEnd(10)}${f3(c.precision).padStart(7)}${f3(c.recall).padStart(7)}${String(c.tp).padStart(5)}${String(c.fp).padStart(5)}${String(c.fn).padStart(5)}`)
  }
  return score
}
const score = printScore('Labelled set test/care/pii-set.jsonl', run)
for (const lang of ['en', 'de']) {
  const s = scorePii(set.filter((r) => r.lang === lang), run).overall
  console.log(`  ${lang}: P ${f3(s.precision)} R ${f3(s.recall)}`)
}
if (args.includes('--errors')) for (const e of score.errors) console.log(`  ${e.type} ${e.kind.padEnd(8)} ${e.id} ${JSON.stringify(e.value)}`)

// Phone metadata: 'max' knows the allocated number ranges, 'min' only lengths and leading digits.
const minDetector = createPiiDetector({ region: 'DE', phoneMetadata: minMetadata })
const runMin = (t) => detectPii(t, minDetector)
const size = (p) => (statSync(require.resolve(p)).size / 1024).toFixed(0)
console.log(`\nlibphonenumber-js metadata: max ${size('libphonenumber-js/metadata.max.json')} KB, min ${size('libphonenumber-js/metadata.min.json')} KB (JSON on disk)`)
console.log(`  max: ${f2(usPerPost(run, withDigits, 1000))} µs/post with a digit`)
console.log(`  min: ${f2(usPerPost(runMin, withDigits, 1000))} µs/post with a digit`)
const phoneScore = (d) => scorePii(set, (t) => detectPii(t, d).filter((f) => f.kind === 'phone')).perKind.phone
for (const [name, d] of [['max', detector], ['min', minDetector]]) {
  const p = phoneScore(d)
  let hits = 0
  for (const t of texts) hits += detectPii(t, d).filter((f) => f.kind === 'phone').length
  console.log(`  ${name}: phone P ${f3(p.precision)} R ${f3(p.recall)} on the set; ${hits} phone hits on the real texts`)
}

const listing = args.indexOf('--list')
if (listing >= 0) {
  const source = args[listing + 1] ?? 'twcs'
  console.log(`\nEvery hit on ${source} (kind, value, context)`)
  for (const r of real.filter((x) => x.source === source)) {
    for (const f of run(r.text)) {
      const context = r.text.slice(Math.max(0, f.start - 60), f.end + 40).replace(/\s+/g, ' ')
      console.log(`  ${r.id}\t${f.kind}\t${JSON.stringify(r.text.slice(f.start, f.end))}\t${context}`)
    }
  }
}
