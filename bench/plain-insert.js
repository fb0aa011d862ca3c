// Baseline for the import benchmark: the least an importer into listen's own schema must do.
// Reads JSONL, JSON.parses each line and inserts it with one prepared statement into the
// mentions table (with its indexes, as openDb creates them, and the quarter-hour rollup counted
// per batch as listen does), all in one transaction; no mapping, no validation, no tagging.
// Usage: node bench/plain-insert.js FILE DB
// Options measure what a write-path change would gain (bench/write-variants.js):
//   --no-raw          leave the raw JSON column empty
//   --trigger         the old way: a rollup trigger per inserted row instead of counts per batch
//   --batch N         one transaction per N rows (default: one for the whole file, written 5,000 rows at a time)
//   --sort-batches    sort each batch by created_at before inserting it
//   --checkpoint N    PRAGMA wal_autocheckpoint = N pages (SQLite's default is 1000)
//   --cache-mb N      page cache of N MiB (openDb sets 32)
//   --index-after     drop the created_at and reply indexes first, build them after the last row
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import { ROOT } from './lib.js'

const args = process.argv.slice(2)
const [file, dbPath] = args.filter((a, i) => !a.startsWith('--') && !/^\d+$/.test(a) && !(args[i - 1] ?? '').match(/^--(batch|checkpoint|cache-mb)$/))
const opt = (name) => {
  const i = args.indexOf(name)
  return i < 0 ? null : Number(args[i + 1])
}
const noRaw = args.includes('--no-raw')
const noTrigger = !args.includes('--trigger')
const sortBatches = args.includes('--sort-batches')
const ownTransactions = opt('--batch') !== null
const batchSize = opt('--batch') ?? 5000
const checkpoint = opt('--checkpoint')
const cacheMb = opt('--cache-mb')
const indexAfter = args.includes('--index-after')

const { openDb } = await import(pathToFileURL(join(ROOT, 'dist/store/sqlite/db.js')).href)
const db = openDb(dbPath, { create: true })
if (checkpoint !== null) db.pragma(`wal_autocheckpoint = ${checkpoint}`)
if (!noTrigger) {
  db.exec(`CREATE TRIGGER mentions_bucket_insert AFTER INSERT ON mentions WHEN new.by_brand = 0 BEGIN
    INSERT INTO mention_buckets (bucket, brand, label, n)
    VALUES (new.created_at / 900000, coalesce(new.brand, ''), coalesce(new.label, ''), 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
  END`)
}
if (cacheMb !== null) db.pragma(`cache_size = -${cacheMb * 1024}`)
const indexes = indexAfter ? db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name IN ('mentions_created', 'mentions_reply')").pluck().all() : []
if (indexAfter) db.exec('DROP INDEX mentions_created; DROP INDEX mentions_reply')
const insert = db.prepare(`INSERT INTO mentions (source, id, brand, created_at, author, author_id, text, url, lang,
  in_reply_to, thread_id, by_brand, label, label_source, scores, fetched_at, raw)
  VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?) ON CONFLICT (source, id) DO NOTHING`)
const bump = db.prepare(`INSERT INTO mention_buckets (bucket, brand, label, n) VALUES (?, ?, '', ?)
  ON CONFLICT DO UPDATE SET n = n + excluded.n`)
const now = Date.now()
let n = 0
let batch = []

const insertRows = (rows) => {
  if (sortBatches) rows.sort((a, b) => a.t - b.t)
  const counts = noTrigger ? new Map() : null
  for (const { r, t, line } of rows) {
    const changes = insert.run(r.source, r.id, r.brand ?? null, t, r.author ?? null, r.text, r.url ?? null, r.lang ?? null,
      r.in_reply_to ?? null, r.thread_id ?? null, r.by_brand ? 1 : 0, now, noRaw ? null : line).changes
    if (counts && changes && !r.by_brand) {
      const k = `${Math.floor(t / 900_000)}\u0000${r.brand ?? ''}`
      counts.set(k, (counts.get(k) ?? 0) + 1)
    }
  }
  if (counts) {
    for (const [k, c] of counts) {
      const [bucket, brand] = k.split('\u0000')
      bump.run(Number(bucket), brand, c)
    }
  }
}
const flush = ownTransactions ? db.transaction(insertRows) : insertRows
if (!ownTransactions) db.exec('BEGIN')

for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  if (!line) continue
  const r = JSON.parse(line)
  batch.push({ r, t: Date.parse(r.created_at), line })
  n++
  if (batch.length >= batchSize) {
    flush(batch)
    batch = []
  }
}
if (batch.length) flush(batch)
if (!ownTransactions) db.exec('COMMIT')
for (const sql of indexes) db.exec(sql)
db.close()
console.log(n)
