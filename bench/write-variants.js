// What would a change of the write path gain? The plain insert (bench/plain-insert.js) on the
// same real-text rows, once as it is and once per variant, each a whole process on a fresh
// database. Usage: node bench/write-variants.js [ROWS]
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT, dbBytes, fmt, line, runProcess, tempDir } from './lib.js'
import { realInput } from './realtext.js'

const B = ['--batch', '2000']
const VARIANTS = [
  ['as listen import wrote before: transactions of 2,000 rows, a rollup trigger per row', [...B, '--trigger']],
  ['  + each batch sorted by created_at', [...B, '--trigger', '--sort-batches']],
  ['  + no raw JSON column', [...B, '--trigger', '--no-raw']],
  ['  + rollup counted per batch, not a trigger per row', B],
  ['as listen import writes now: 2,000 rows sorted, rollup per batch (wal_autocheckpoint 10,000 in openDb)', [...B, '--sort-batches', '--checkpoint', '10000']],
  ['  + wal_autocheckpoint 10,000 pages', [...B, '--checkpoint', '10000']],
  ['  + page cache 128 MiB instead of 32', [...B, '--cache-mb', '128']],
  ['  + indexes built after the last row', [...B, '--index-after']],
  ['transactions of 20,000 rows, sorted', ['--batch', '20000', '--sort-batches']],
  ['  + no raw, rollup per batch, checkpoint 10,000', ['--batch', '20000', '--sort-batches', '--no-raw', '--checkpoint', '10000']],
  ['one transaction for the whole file (the import bench baseline)', []],
]

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = Number(process.argv[2] ?? 1_000_000)
  const files = { 'out of order': await realInput({ rows }), 'in time order': await realInput({ rows, byTime: true }) }
  const { dir, cleanup } = tempDir()
  try {
    for (const [order, file] of Object.entries(files)) {
      console.log(`\nplain insert of ${rows.toLocaleString('en-US')} real-text rows, ${order}`)
      for (const [name, flags] of VARIANTS) {
        const db = join(dir, `v${Math.random().toString(36).slice(2)}.db`)
        const r = await runProcess(process.execPath, [join(ROOT, 'bench/plain-insert.js'), file, db, ...flags])
        if (r.code !== 0) throw new Error(r.stderr)
        line(name, `${(r.ms * 1000 / rows).toFixed(1)} µs/row (CPU ${(r.cpuMs * 1000 / rows).toFixed(1)}) = ${fmt(rows / (r.ms / 1000))}/s, ${(dbBytes(db) / rows).toFixed(0)} B/row, ${fmt(r.rssMb)} MB`)
      }
    }
  } finally {
    cleanup()
  }
}
