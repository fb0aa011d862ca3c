// `listen import` on real text (bench/realtext.js: real posts, lang mostly absent, times out of
// order, replies and brand posts), run as the real CLI in a child process. Beside it in the same
// run, on the same file: the parse-only ceiling, a plain better-sqlite3 insert into listen's own
// schema in one transaction (bench/plain-insert.js), `listen import --no-tag`, and
// `sqlite-utils insert --nl` when installed. Then the scaling: import and by-hour at 100k, 1M
// and (with --big) 5M rows. The old template input stays as a last, labelled line.
// Goals: tagged ≥50,000 mentions/s and peak RSS ≤300 MB at 1M; untagged at least as fast as
// sqlite-utils on the same file.
import { createWriteStream, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT, dbBytes, figure, fmt, line, runListen, runProcess, skipped, tempDir, which } from './lib.js'
import { measureByHour } from './report.js'
import { describeInput, keepImportedDb, realInput, summarizeInput } from './realtext.js'

const BENCH = 'import'
const RATE_GOAL = { op: '>=', value: 50_000 }
const RSS_GOAL = { op: '<=', value: 300 }

const TEMPLATES = [
  '@NordwindHilfe seit heute morgen kein Netz in Hamburg, was ist los?',
  'My Acme Air flight was delayed again and nobody tells us anything. Third time this month!',
  'Wie aktiviere ich die eSIM bei Nordwind Mobile? Finde nichts in der App.',
  'Thanks @AcmeAirHelp for sorting out my rebooking so quickly, great service',
  'Acme Air announces new routes to Porto and Split next summer.',
]

async function writeTemplateFixture(file, rows) {
  const out = createWriteStream(file)
  const start = Date.parse('2026-08-01T00:00:00Z')
  for (let i = 0; i < rows; i++) {
    const rec = {
      id: `p${i}`,
      source: ['x', 'reddit', 'mastodon', 'bluesky'][i % 4],
      brand: i % 3 ? 'Nordwind Mobile' : 'Acme Air',
      created_at: new Date(start + i * 7_777).toISOString(),
      author: `user${i % 9973}`,
      text: `${TEMPLATES[i % TEMPLATES.length]} #${i}`,
      lang: i % 2 ? 'de' : 'en',
      in_reply_to: i % 4 === 3 ? `p${i - 1}` : undefined,
    }
    if (!out.write(`${JSON.stringify(rec)}\n`)) await new Promise((r) => out.once('drain', r))
  }
  await new Promise((r) => out.end(r))
}

const perSecond = (rows, ms) => rows / (ms / 1000)

/**
 * The reader thread's work (parse, map, tag) on the same file with and without personal-data
 * detection, in process and in CPU time: the import above always detects it, so this isolates its cost.
 */
export async function measureReaderPii(file) {
  const { produceBatches } = await import(pathToFileURL(join(ROOT, 'dist/ingest/batches.js')).href)
  const { PARAM_NAMES, ROW_WIDTH } = await import(pathToFileURL(join(ROOT, 'dist/models/row.js')).href)
  const PII = PARAM_NAMES.indexOf('pii')
  const job = (pii) => ({ file, format: 'jsonl', map: {}, timezone: 'UTC', handles: [], batchSize: 2000, fetchedAt: 0, tag: { model: null }, pii })
  const cpu = async (pii) => {
    let rows = 0
    let flagged = 0
    const c = process.cpuUsage()
    await produceBatches(job(pii), async (b) => {
      rows += b.rows.length / ROW_WIDTH
      for (let i = PII; i < b.rows.length; i += ROW_WIDTH) if (b.rows[i]) flagged++
    })
    const u = process.cpuUsage(c)
    return { rows, flagged, ms: (u.user + u.system) / 1000 }
  }
  await cpu(null) // warm the tagger and the file cache
  // Alternating runs, median of each: on a shared machine one run can take twice another.
  const offs = []
  const ons = []
  for (let i = 0; i < 3; i++) {
    offs.push(await cpu(null))
    ons.push(await cpu({}))
  }
  const mid = (xs) => [...xs].sort((a, b) => a.ms - b.ms)[xs.length >> 1]
  // The detector alone on the same texts: the figure the reader's noise cannot hide.
  const { createPiiDetector, detectPii } = await import(pathToFileURL(join(ROOT, 'dist/care/pii.js')).href)
  const { createReadStream } = await import('node:fs')
  const { createInterface } = await import('node:readline')
  const texts = []
  for await (const l of createInterface({ input: createReadStream(file) })) texts.push(JSON.parse(l).text)
  const detector = createPiiDetector({})
  for (const t of texts.slice(0, 5000)) detectPii(t, detector)
  const c = process.cpuUsage()
  for (const t of texts) detectPii(t, detector)
  const u = process.cpuUsage(c)
  return { off: mid(offs), on: mid(ons), detectUs: (u.user + u.system) / texts.length }
}
const us = (ms, rows) => (ms * 1000) / rows

async function listenImport(file, db, extra = []) {
  const r = await runListen(['import', file, '--db', db, ...extra])
  if (r.code !== 0) throw new Error(`listen import ${extra.join(' ')} failed (${r.code}): ${r.stderr}`)
  const inserted = JSON.parse(r.stdout).totals.inserted
  return { ...r, inserted, rate: perSecond(inserted, r.ms), bytes: dbBytes(db) }
}

function printImport(name, rows, r, { rateGoal, rssGoal } = {}) {
  figure(BENCH, name, r.rate, { unit: 'mentions/s', goal: rateGoal, extra: { rows, ms: r.ms, cpuMs: r.cpuMs, rssMb: r.rssMb, bytesPerMention: r.bytes / rows } })
  line('', `${(r.ms / 1000).toFixed(1)} s, ${us(r.ms, rows).toFixed(1)} µs/mention (CPU ${us(r.cpuMs, rows).toFixed(1)} µs), ${(r.bytes / rows).toFixed(0)} bytes/mention on disk`)
  if (rssGoal) figure(BENCH, `${name}: peak RSS`, r.rssMb, { unit: 'MB', goal: rssGoal })
  else line('', `peak RSS ${fmt(r.rssMb)} MB`)
}

export async function run({ rows = 1_000_000, big = false, ordered = false, templates = true } = {}) {
  const { dir, cleanup } = tempDir()
  let ok = true
  try {
    const file = await realInput({ rows })
    const s = await summarizeInput(file)
    console.log(`\nimport of real text: ${describeInput(rows)}, ${(statSync(file).size / 1e6).toFixed(0)} MB JSONL`)
    line('input', `${(s.meanWords).toFixed(1)} words/post, lang given ${(s.langShare * 100).toFixed(0)} %, replies ${(s.replyShare * 100).toFixed(0)} %, brand posts ${(s.brandShare * 100).toFixed(0)} %, ${(s.outOfOrderShare * 100).toFixed(0)} % earlier than the row before`)

    const parseOnly = await runProcess(process.execPath, [
      '-e',
      `const rl=require('node:readline').createInterface({input:require('node:fs').createReadStream(${JSON.stringify(file)})});let n=0;rl.on('line',l=>{JSON.parse(l);n++});rl.on('close',()=>console.log(n))`,
    ])
    const tagged = await listenImport(file, join(dir, 'tagged.db'))
    // The reader pool's share: the same tagged import with one reader thread instead of one per core.
    const oneReader = await listenImport(file, join(dir, 'one-reader.db'), ['--readers', '1'])
    const untagged = await listenImport(file, join(dir, 'untagged.db'), ['--no-tag'])
    const noTopics = await listenImport(file, join(dir, 'no-topics.db'), ['--no-topics'])
    const plainDb = join(dir, 'plain.db')
    const plain = await runProcess(process.execPath, [join(ROOT, 'bench/plain-insert.js'), file, plainDb])
    if (plain.code !== 0) throw new Error(`plain insert failed: ${plain.stderr}`)
    const sqliteUtils = which('sqlite-utils')
    let su = null
    if (sqliteUtils) {
      const suDb = join(dir, 'sqlite-utils.db')
      su = await runProcess(sqliteUtils, ['insert', suDb, 'mentions', file, '--nl'])
      if (su.code !== 0) throw new Error(`sqlite-utils failed: ${su.stderr}`)
      su.bytes = dbBytes(suDb)
    }

    console.log(`\nimport of ${rows.toLocaleString('en-US')} real-text rows (whole processes, same file)`)
    printImport('listen import (tagging on the way in)', rows, tagged, { rateGoal: RATE_GOAL, rssGoal: RSS_GOAL })
    printImport('listen import --readers 1 (one reader thread: the pool switched off)', rows, oneReader)
    line('reader pool speed-up (default readers / one reader)', `${(tagged.rate / oneReader.rate).toFixed(2)}×`)
    const untaggedGoal = su ? { op: '>=', value: perSecond(rows, su.ms), text: `≥ sqlite-utils' ${fmt(perSecond(rows, su.ms))}/s` } : undefined
    printImport('listen import --no-topics (labels, no topics)', rows, noTopics)
    line('cost of topics (tagged − --no-topics per mention)', `${(us(tagged.ms, rows) - us(noTopics.ms, rows)).toFixed(1)} µs wall, ${(us(tagged.cpuMs, rows) - us(noTopics.cpuMs, rows)).toFixed(1)} µs CPU`)
    printImport('listen import --no-tag', rows, untagged, { rateGoal: untaggedGoal })
    if (!su) skipped(BENCH, 'sqlite-utils insert --nl', 'sqlite-utils is not installed (apt-get install sqlite-utils); the untagged goal is not judged')
    else printImport('baseline: sqlite-utils insert db mentions file.jsonl --nl', rows, { ...su, rate: perSecond(rows, su.ms) })
    printImport("baseline: plain better-sqlite3 insert into listen's schema, one transaction", rows, { ...plain, rate: perSecond(rows, plain.ms), bytes: dbBytes(plainDb) })
    figure(BENCH, 'baseline: read + JSON.parse only (the ceiling)', perSecond(rows, parseOnly.ms), { unit: 'lines/s', extra: { rssMb: parseOnly.rssMb } })
    line('listen import (tagged) as a share of the plain insert / parse ceiling', `${((tagged.rate / perSecond(rows, plain.ms)) * 100).toFixed(0)} % / ${((tagged.ms ? parseOnly.ms / tagged.ms : 0) * 100).toFixed(0)} %`)
    line('cost of tagging (tagged − untagged per mention)', `${(us(tagged.ms, rows) - us(untagged.ms, rows)).toFixed(1)} µs`)
    ok &&= tagged.inserted === rows && untagged.inserted === rows && tagged.rate >= RATE_GOAL.value && tagged.rssMb <= RSS_GOAL.value
    if (su) ok &&= untagged.rate >= perSecond(rows, su.ms)
    keepImportedDb(join(dir, 'tagged.db'), { rows })

    const readerRows = Math.min(rows, 200_000)
    const r = await measureReaderPii(readerRows === rows ? file : await realInput({ rows: readerRows }))
    console.log(`\npersonal data on ingest: the reader thread (parse, map, tag) on ${readerRows.toLocaleString('en-US')} real-text rows, in process, CPU time`)
    figure(BENCH, 'reader thread with personal-data detection (median of 3)', perSecond(r.on.rows, r.on.ms), { unit: 'mentions/s', extra: { cpuMs: r.on.ms, flagged: r.on.flagged } })
    figure(BENCH, 'baseline: the same reader without it (median of 3, alternating)', perSecond(r.off.rows, r.off.ms), { unit: 'mentions/s', extra: { cpuMs: r.off.ms } })
    figure(BENCH, 'detection alone on the same texts', r.detectUs, { unit: 'µs/mention', digits: 2 })
    line('reader difference (on − off)', `${(us(r.on.ms, r.on.rows) - us(r.off.ms, r.off.rows)).toFixed(2)} µs/mention; ${fmt(r.on.flagged)} mentions (${((r.on.flagged / r.on.rows) * 100).toFixed(2)} %) hold personal data`)

    if (ordered) {
      const sorted = await realInput({ rows, byTime: true })
      const inOrder = await listenImport(sorted, join(dir, 'ordered.db'))
      console.log('\nthe same rows sorted by created_at (arrival order is the only difference)')
      printImport('listen import, rows in time order', rows, inOrder)
      // CPU time too: on a shared machine the wall clock of two runs minutes apart can differ by more than the effect.
      figure(BENCH, 'out of order costs (wall)', us(tagged.ms, rows) - us(inOrder.ms, rows), { unit: 'µs/mention', digits: 1 })
      figure(BENCH, 'out of order costs (CPU, both threads)', us(tagged.cpuMs, rows) - us(inOrder.cpuMs, rows), { unit: 'µs/mention', digits: 1 })
      line('', `bytes on disk ${((tagged.bytes / inOrder.bytes - 1) * 100).toFixed(1)} % more`)
    }

    console.log(`\nscaling: listen import (tagged) and by-hour (warm, in process) per size`)
    const sizes = [...new Set([100_000, rows, ...(big ? [5_000_000] : [])])]
    for (const n of sizes) {
      let r = tagged
      const db = join(dir, n === rows ? 'tagged.db' : `scale-${n}.db`)
      if (n !== rows) r = await listenImport(await realInput({ rows: n }), db)
      const h = await measureByHour(db)
      const label = `${n.toLocaleString('en-US')} rows`
      figure(BENCH, `scaling ${label}: import`, us(r.ms, n), { unit: 'µs/mention', digits: 1, extra: { rows: n, rate: r.rate, rssMb: r.rssMb, bytesPerMention: r.bytes / n } })
      line('', `${fmt(r.rate)} mentions/s, peak RSS ${fmt(r.rssMb)} MB, ${(r.bytes / n).toFixed(0)} bytes/mention`)
      figure(BENCH, `scaling ${label}: by-hour warm`, h.oursMs, { unit: 'ms', digits: 1, extra: { rows: n, naiveMs: h.naiveMs } })
      line('', `naive GROUP BY ${fmt(h.naiveMs)} ms`)
      if (n !== rows) for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true })
    }

    if (templates) {
      const tfile = join(dir, 'templates.jsonl')
      await writeTemplateFixture(tfile, rows)
      const t = await listenImport(tfile, join(dir, 'templates.db'))
      console.log('\nfor comparison with earlier figures: the old input (5 template texts, lang given, times in order)')
      printImport('listen import of template rows (not real text)', rows, t)
    }
    return { ok }
  } finally {
    cleanup()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const a = process.argv.slice(2)
  await run({ big: a.includes('--big'), ordered: a.includes('--ordered'), rows: a.includes('--small') ? 100_000 : 1_000_000 })
}
