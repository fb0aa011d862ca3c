// Issue 2: `report --by-hour` over 1M mentions spread over 90 days, warm, inside the process,
// against a naive GROUP BY strftime('%H', …) over the same table in the same run. Goal ≤100 ms.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT, line, median, tempDir, timeMs, verdict } from './lib.js'

const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href)

export async function run({ rows = 1_000_000 } = {}) {
  const { openDb } = await dist('store/sqlite/db.js')
  const { MentionStore } = await dist('store/sqlite/mentions.js')
  const { summarizeByHour } = await dist('report/byHour.js')
  const { dir, cleanup } = tempDir()
  try {
    const db = openDb(join(dir, 'bench.db'), { create: true })
    const until = Date.parse('2026-11-09T00:00:00Z')
    const from = until - 90 * 86_400_000
    const fill = timeMs(() => {
      // Deterministic spread with a daily curve; labels cycle. Inserted through the real triggers.
      db.exec(`
        WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${rows - 1})
        INSERT INTO mentions (source, id, brand, created_at, author, text, by_brand, label, label_source, fetched_at)
        SELECT CASE i % 5 WHEN 0 THEN 'x' WHEN 1 THEN 'reddit' WHEN 2 THEN 'mastodon' WHEN 3 THEN 'bluesky' ELSE 'rss' END,
               'm' || i, CASE i % 3 WHEN 0 THEN 'Acme Air' ELSE 'Nordwind Mobile' END,
               ${from} + ((i * 7919) % ${rows}) * (${until - from} / ${rows}) + (abs(random()) % 60000),
               'user' || (i % 5000), 'text ' || i, (i % 11 = 0),
               CASE i % 6 WHEN 0 THEN 'outage' WHEN 1 THEN 'complaint' WHEN 2 THEN 'question' WHEN 3 THEN 'praise' WHEN 4 THEN 'other' ELSE NULL END,
               CASE WHEN i % 6 = 5 THEN NULL ELSE 'model' END, ${until}
        FROM seq;`)
    })
    db.close()
    const rdb = openDb(join(dir, 'bench.db'), { create: false, readonly: true })
    const store = new MentionStore(rdb)
    const tz = 'Europe/Berlin'
    const ours = () => summarizeByHour(store.countByQuarterHour({ from, until }), { timezone: tz, from, until, heatmap: true })
    const naiveStmt = rdb.prepare(`SELECT strftime('%H', created_at / 1000, 'unixepoch') AS hour, label, count(*) AS n
      FROM mentions WHERE created_at >= ? AND created_at < ? AND by_brand = 0 GROUP BY hour, label`)
    const naive = () => naiveStmt.all(from, until)
    ours()
    naive() // warm both
    const oursMs = median(Array.from({ length: 7 }, () => timeMs(ours).ms))
    const naiveMs = median(Array.from({ length: 3 }, () => timeMs(naive).ms))
    const a = ours()
    const total = a.total
    const naiveTotal = naive().reduce((s, r) => s + r.n, 0)
    console.log(`\nreport --by-hour over ${rows.toLocaleString('en-US')} mentions / 90 days (fill took ${(fill.ms / 1000).toFixed(1)} s)`)
    line('listen (rollup + edge rows, local hours in Europe/Berlin, heatmap)', `${oursMs.toFixed(1)} ms  ${verdict(oursMs <= 100)} (goal ≤100 ms)`)
    line("naive GROUP BY strftime('%H', …) (UTC hours only)", `${naiveMs.toFixed(1)} ms`)
    line('speed-up', `${(naiveMs / oursMs).toFixed(1)}×`)
    line('same customer total in both', `${total === naiveTotal ? 'yes' : 'NO'} (${total.toLocaleString('en-US')})`)
    rdb.close()
    return { oursMs, naiveMs, ok: oursMs <= 100 && total === naiveTotal }
  } finally {
    cleanup()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run()
