// Baseline for the import benchmark: the least an importer into listen's own schema must do.
// Reads JSONL, JSON.parses each line and inserts it with one prepared statement into the
// mentions table (with its indexes and rollup triggers, as openDb creates them), all in one
// transaction; no mapping, no validation, no tagging. Usage: node bench/plain-insert.js FILE DB
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import { ROOT } from './lib.js'

const [file, dbPath] = process.argv.slice(2)
const { openDb } = await import(pathToFileURL(join(ROOT, 'dist/store/db.js')).href)
const db = openDb(dbPath, { create: true })
const insert = db.prepare(`INSERT INTO mentions (source, id, brand, created_at, author, author_id, text, url, lang,
  in_reply_to, thread_id, by_brand, label, label_source, scores, fetched_at, raw)
  VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?) ON CONFLICT (source, id) DO NOTHING`)
const now = Date.now()
let n = 0
db.exec('BEGIN')
for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  if (!line) continue
  const r = JSON.parse(line)
  insert.run(r.source, r.id, r.brand ?? null, Date.parse(r.created_at), r.author ?? null, r.text, r.url ?? null, r.lang ?? null,
    r.in_reply_to ?? null, r.thread_id ?? null, r.by_brand ? 1 : 0, now, line)
  n++
}
db.exec('COMMIT')
db.close()
console.log(n)
