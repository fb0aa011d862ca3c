// Benchmark inputs made of real posts: the texts of ../shared/datasets/dev/*.jsonl and of
// ../shared/datasets/twcs_head5000.csv, cycled (reshuffled each cycle) into rows as an export of
// several platforms would hold them: unique ids, ten sources, a dozen brands, a long tail of
// authors, times at random over 90 days and out of order, `lang` only where the platform has such
// a field, customer follow-ups and brand replies with `in_reply_to`.
// The texts come from non-commercial corpora: the files live only in bench/out (gitignored) and
// are never committed. Cached by rows + seed (+ order); GENERATOR in the name invalidates old ones.
import { copyFileSync, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { ROOT, SHARED, runListen } from './lib.js'

export const OUT = join(ROOT, 'bench/out')
const GENERATOR = 'v2'
export const DEFAULT_SEED = 20261109
/** The 90 days the times fall in: [FROM, UNTIL). */
export const UNTIL = Date.parse('2026-11-09T00:00:00Z')
export const FROM = UNTIL - 90 * 86_400_000

// Platform, weight in the mix, and whether its API gives a language field (x: `lang`, Mastodon:
// `language`, Bluesky: `langs`); the others never do. About 42 % of rows can carry one.
const SOURCES = [
  ['x', 26, true], ['facebook', 15, false], ['reddit', 12, false], ['youtube', 10, false], ['mastodon', 8, true],
  ['bluesky', 8, true], ['rss', 8, false], ['hackernews', 5, false], ['stackexchange', 4, false], ['github', 4, false],
]
const THREADED = new Set(['reddit', 'youtube', 'facebook', 'hackernews', 'github', 'stackexchange'])
const BRANDS = [
  'Acme Air', 'Nordwind Mobile', 'Telvio', 'SwiftParcel', 'Vidora', 'Nordbahn', 'Rheinstrom', 'Kiwi Bank',
  'Polar Stream', 'Brightcell', 'Lumen Versicherung', 'Hafenpost',
]
// Customer posts per UTC hour, relative: quiet at night, busy mornings and evenings.
const HOURLY = [2, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 9, 9, 9, 8, 8, 8, 9, 10, 11, 10, 8, 6, 4]
const AUTHORS = 400_000

/** Seeded PRNG (mulberry32): the same seed gives the same file on every machine. */
export function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function readJsonl(file) {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))
}

let cached = null

/**
 * The real posts: { text, lang (the corpus's, null when it has none), origin, byBrand }. TWCS rows
 * with inbound=False are the companies' own replies.
 */
export function loadRealPosts() {
  if (cached) return cached
  const posts = []
  for (const name of ['airline', 'complaints', 'germeval']) {
    for (const r of readJsonl(join(SHARED, 'datasets/dev', `${name}.jsonl`))) {
      if (typeof r.text === 'string' && r.text.trim()) posts.push({ text: r.text, lang: r.lang ?? null, origin: name, byBrand: false })
    }
  }
  const twcs = parse(readFileSync(join(SHARED, 'datasets/twcs_head5000.csv')), { columns: true, skip_empty_lines: true })
  for (const r of twcs) if (r.text?.trim()) posts.push({ text: r.text, lang: null, origin: 'twcs', byBrand: r.inbound === 'False' })
  cached = posts
  return posts
}

function pickWeighted(table, r) {
  let x = r * table.total
  for (let i = 0; i < table.weights.length; i++) {
    x -= table.weights[i]
    if (x < 0) return i
  }
  return table.weights.length - 1
}
const weighted = (weights) => ({ weights, total: weights.reduce((a, b) => a + b, 0) })

/**
 * Rows as columns (typed arrays): which post, source, brand, author, time, parent row (-1 none),
 * thread root, lang given. A reply is later than its parent and on its source, for its brand.
 */
function generateRows(rows, seed) {
  const posts = loadRealPosts()
  const rand = rng(seed)
  const order = Uint32Array.from(posts, (_, i) => i)
  const shuffle = () => {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1))
      const t = order[i]
      order[i] = order[j]
      order[j] = t
    }
  }
  const srcTable = weighted(SOURCES.map((s) => s[1]))
  const hourTable = weighted(HOURLY)
  const post = new Uint32Array(rows)
  const source = new Uint8Array(rows)
  const brand = new Int8Array(rows)
  const author = new Int32Array(rows)
  const time = new Float64Array(rows)
  const parent = new Int32Array(rows).fill(-1)
  const root = new Int32Array(rows)
  const langGiven = new Uint8Array(rows)
  for (let i = 0; i < rows; i++) {
    if (i % posts.length === 0) shuffle()
    const p = order[i % posts.length]
    post[i] = p
    root[i] = i
    const isBrand = posts[p].byBrand || rand() < 0.02
    // Replies point back a little (threads are recent): brand posts always, customers 12 %.
    const replies = i > 0 && (isBrand ? rand() < 0.9 : rand() < 0.12)
    if (replies) {
      const j = Math.max(0, i - 1 - Math.floor(rand() * Math.min(i, 20_000)))
      parent[i] = j
      root[i] = root[j]
      source[i] = source[j]
      brand[i] = brand[j]
      // Answers come minutes to a day later (log-uniform).
      time[i] = time[j] + Math.exp(Math.log(30_000) + rand() * Math.log(86_400_000 / 30_000))
    } else {
      source[i] = pickWeighted(srcTable, rand())
      brand[i] = rand() < 0.05 ? -1 : Math.floor(rand() * BRANDS.length)
      const day = Math.floor(rand() * 90)
      time[i] = FROM + day * 86_400_000 + pickWeighted(hourTable, rand()) * 3_600_000 + Math.floor(rand() * 3_600_000)
    }
    if (time[i] >= UNTIL) time[i] = UNTIL - 1 - Math.floor(rand() * 3_600_000)
    // A long tail: a few authors post a lot, most once or twice. -1 marks the brand's own handle.
    author[i] = isBrand ? -1 : Math.floor(AUTHORS * rand() ** 3)
    const hasField = SOURCES[source[i]][2] && posts[p].lang !== null
    langGiven[i] = hasField && rand() < 0.9 ? 1 : 0
  }
  return { posts, post, source, brand, author, time, parent, root, langGiven, rows }
}

// Platform ids grow with time (X and Mastodon snowflakes, Bluesky TIDs, Reddit base 36): the
// post's epoch ms, then the row number to make it unique. In time order they append to the index.
const idOf = (g, i) => `${Math.floor(g.time[i])}${String(i).padStart(7, '0')}`
const handleOf = (b) => (b < 0 ? 'brand_care' : `${BRANDS[b].replace(/\s+/g, '')}Help`)

function recordOf(g, i) {
  const p = g.posts[g.post[i]]
  const src = SOURCES[g.source[i]][0]
  const rec = {
    id: idOf(g, i),
    source: src,
    brand: g.brand[i] < 0 ? null : BRANDS[g.brand[i]],
    created_at: new Date(g.time[i]).toISOString(),
    author: g.author[i] < 0 ? handleOf(g.brand[i]) : `user${g.author[i]}`,
    text: p.text,
  }
  if (g.langGiven[i]) rec.lang = p.lang
  if (g.parent[i] >= 0) rec.in_reply_to = idOf(g, g.parent[i])
  if (THREADED.has(src) && g.root[i] !== i) rec.thread_id = idOf(g, g.root[i])
  if (g.author[i] < 0) rec.by_brand = true
  if (src === 'rss' || src === 'hackernews' || src === 'github' || src === 'stackexchange') rec.url = `https://${src}.example/${rec.id}`
  return rec
}

const CSV_COLUMNS = ['id', 'source', 'brand', 'created_at', 'author', 'text', 'lang', 'in_reply_to', 'thread_id', 'by_brand', 'url']

async function writeLines(file, count, lineOf) {
  mkdirSync(OUT, { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  const out = createWriteStream(tmp)
  let chunk = ''
  for (let k = 0; k < count; k++) {
    chunk += lineOf(k)
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((r) => out.once('drain', r))
      chunk = ''
    }
  }
  out.write(chunk)
  await new Promise((r, j) => out.end((e) => (e ? j(e) : r())))
  renameSync(tmp, file)
}

/**
 * Path of a benchmark input of `rows` real-text rows in bench/out, written on first use.
 * `byTime`: the same rows sorted by created_at (to measure what arrival out of order costs).
 * `format`: 'jsonl' (the import input) or 'csv' (same columns).
 */
export async function realInput({ rows, seed = DEFAULT_SEED, byTime = false, format = 'jsonl' }) {
  const file = join(OUT, `real-${GENERATOR}-${rows}-s${seed}${byTime ? '-by-time' : ''}.${format}`)
  if (existsSync(file)) return file
  const g = generateRows(rows, seed)
  let order = null
  if (byTime) {
    order = Uint32Array.from({ length: rows }, (_, i) => i)
    order.sort((a, b) => g.time[a] - g.time[b])
  }
  const at = (k) => (order ? order[k] : k)
  if (format === 'csv') {
    const row = (i) => {
      const r = recordOf(g, i)
      return CSV_COLUMNS.map((c) => (r[c] === undefined || r[c] === null ? '' : r[c]))
    }
    await writeLines(file, rows + 1, (k) => stringify([k === 0 ? CSV_COLUMNS : row(at(k - 1))]))
  } else {
    await writeLines(file, rows, (k) => `${JSON.stringify(recordOf(g, at(k)))}\n`)
  }
  return file
}

const dbCachePath = (rows, seed) => join(OUT, `real-${GENERATOR}-${rows}-s${seed}.db`)

async function isCurrentDb(path, rows) {
  if (!existsSync(path)) return false
  const { default: Database } = await import('better-sqlite3')
  const { migrations } = await import(pathToFileURL(join(ROOT, 'dist/store/sqlite/migrations.js')).href)
  const db = new Database(path, { readonly: true })
  try {
    return db.pragma('user_version', { simple: true }) === migrations.length && db.prepare('SELECT count(*) AS n FROM mentions').get().n === rows
  } catch {
    return false
  } finally {
    db.close()
  }
}

/** Keeps a database that `listen import` (tagged) made of realInput({ rows, seed }) for later benchmarks. */
export function keepImportedDb(dbPath, { rows, seed = DEFAULT_SEED }) {
  mkdirSync(OUT, { recursive: true })
  const target = dbCachePath(rows, seed)
  for (const f of [target, `${target}-wal`, `${target}-shm`, target.replace(/\.db$/, '.duckdb')]) rmSync(f, { force: true })
  copyFileSync(dbPath, target)
  if (existsSync(`${dbPath}-wal`)) copyFileSync(`${dbPath}-wal`, `${target}-wal`)
}

/**
 * A database of realInput({ rows, seed }) imported by `listen import` with tagging, from the
 * cache when its schema is current (the import benchmark leaves one there).
 */
export async function importedDb({ rows, seed = DEFAULT_SEED }) {
  const target = dbCachePath(rows, seed)
  if (await isCurrentDb(target, rows)) return target
  const file = await realInput({ rows, seed })
  const tmp = `${target}.${process.pid}.tmp`
  console.log(`  (importing ${rows.toLocaleString('en-US')} real-text rows into ${target} first)`)
  const r = await runListen(['import', file, '--db', tmp])
  if (r.code !== 0) throw new Error(`listen import failed (${r.code}): ${r.stderr}`)
  keepImportedDb(tmp, { rows, seed })
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true })
  return target
}

/** What an input holds, for the benchmark's header line. */
export function describeInput(rows) {
  const posts = loadRealPosts()
  const by = {}
  for (const p of posts) by[p.origin] = (by[p.origin] ?? 0) + 1
  return `${rows.toLocaleString('en-US')} rows cycling ${posts.length.toLocaleString('en-US')} real posts (${Object.entries(by).map(([k, v]) => `${k} ${v}`).join(', ')})`
}

/** Shares of the generated rows, printed once so the input is described, not assumed. */
export async function summarizeInput(file) {
  let n = 0, lang = 0, reply = 0, brand = 0, outOfOrder = 0, prev = -Infinity, words = 0
  for await (const l of createInterface({ input: createReadStream(file) })) {
    const r = JSON.parse(l)
    n++
    if (r.lang) lang++
    if (r.in_reply_to) reply++
    if (r.by_brand) brand++
    const t = Date.parse(r.created_at)
    if (t < prev) outOfOrder++
    prev = t
    words += r.text.split(/\s+/).filter(Boolean).length
  }
  return { rows: n, langShare: lang / n, replyShare: reply / n, brandShare: brand / n, outOfOrderShare: outOfOrder / n, meanWords: words / n }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = Number(process.argv[2] ?? 100_000)
  const file = await realInput({ rows })
  console.log(file, await summarizeInput(file))
}
