// `report --by-hour` over 1M real-text mentions imported by `listen import` (tagged, times at
// random over 90 days): warm inside the process against a naive GROUP BY strftime('%H', …) over the
// same table, and the whole `listen report --by-hour` process against a whole DuckDB process
// answering the same question from its own database of the same rows. Goals: ≤100 ms warm; the
// listen process ahead of DuckDB's.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT, figure, line, median, runListen, runProcess, skipped, timeMs } from './lib.js'
import { FROM, UNTIL, importedDb } from './realtext.js'

const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href)
const TZ = 'Europe/Berlin'
const BENCH = 'report'

/** Warm by-hour (rollup + edges, local hours, heatmap) and the naive query on one database. */
export async function measureByHour(dbPath, { from = FROM, until = UNTIL, runs = 7 } = {}) {
  const { openDb } = await dist('store/sqlite/db.js')
  const { MentionStore } = await dist('store/sqlite/mentions.js')
  const { summarizeByHour } = await dist('report/byHour.js')
  const db = openDb(dbPath, { create: false, readonly: true })
  try {
    const store = new MentionStore(db)
    const ours = () => summarizeByHour(store.countByQuarterHour({ from, until }), { timezone: TZ, from, until, heatmap: true })
    const naiveStmt = db.prepare(`SELECT strftime('%H', created_at / 1000, 'unixepoch') AS hour, label, count(*) AS n
      FROM mentions WHERE created_at >= ? AND created_at < ? AND by_brand = 0 GROUP BY hour, label`)
    const naive = () => naiveStmt.all(from, until)
    ours()
    naive()
    const oursMs = median(Array.from({ length: runs }, () => timeMs(ours).ms))
    const naiveMs = median(Array.from({ length: 3 }, () => timeMs(naive).ms))
    return { oursMs, naiveMs, total: ours().total, naiveTotal: naive().reduce((s, r) => s + r.n, 0) }
  } finally {
    db.close()
  }
}

// DuckDB gets the columns the report needs, loaded once from the same SQLite rows (not timed).
async function buildDuckDb(sqlitePath, duckPath, duck) {
  const { openDb } = await dist('store/sqlite/db.js')
  const db = openDb(sqlitePath, { create: false, readonly: true })
  const inst = await duck.DuckDBInstance.create(duckPath)
  const con = await inst.connect()
  await con.run('CREATE TABLE mentions (created_at BIGINT NOT NULL, brand VARCHAR, label VARCHAR, by_brand BOOLEAN NOT NULL)')
  const app = await con.createAppender('mentions')
  for (const r of db.prepare('SELECT created_at, brand, label, by_brand FROM mentions').raw().iterate()) {
    app.appendBigInt(BigInt(r[0]))
    if (r[1] === null) app.appendNull()
    else app.appendVarchar(r[1])
    if (r[2] === null) app.appendNull()
    else app.appendVarchar(r[2])
    app.appendBoolean(r[3] === 1)
    app.endRow()
  }
  app.closeSync()
  con.closeSync()
  inst.closeSync()
  db.close()
}

// The same answer as listen's JSON: customer posts per local hour (and weekday × hour) and label.
const DUCK_QUERY = (from, until) => `
  SELECT dayofweek(t) AS wd, hour(t) AS h, coalesce(label, 'untagged') AS label, count(*) AS n
  FROM (SELECT timezone('${TZ}', to_timestamp(created_at / 1000.0)) AS t, label FROM mentions
        WHERE created_at >= ${from} AND created_at < ${until} AND NOT by_brand)
  GROUP BY ALL`

async function duckProcess(duckPath) {
  const script = `
    const { DuckDBInstance } = await import('@duckdb/node-api')
    const inst = await DuckDBInstance.create(${JSON.stringify(duckPath)}, { access_mode: 'READ_ONLY' })
    const con = await inst.connect()
    const rows = (await con.runAndReadAll(${JSON.stringify(DUCK_QUERY(FROM, UNTIL))})).getRows()
    const hours = Array.from({ length: 24 }, () => ({}))
    let total = 0
    for (const [, h, label, n] of rows) { hours[h][label] = (hours[h][label] ?? 0) + Number(n); total += Number(n) }
    console.log(JSON.stringify({ total, hours }))`
  return runProcess(process.execPath, ['--input-type=module', '-e', script])
}

export async function run({ rows = 1_000_000 } = {}) {
  const dbPath = await importedDb({ rows })
  console.log(`\nreport --by-hour over ${rows.toLocaleString('en-US')} real-text mentions imported by listen (tagged), 90 days`)
  const m = await measureByHour(dbPath)
  figure(BENCH, 'listen, warm in process (rollup + edges, Europe/Berlin, heatmap)', m.oursMs, { unit: 'ms', digits: 1, goal: { op: '<=', value: 100 } })
  figure(BENCH, "baseline: naive GROUP BY strftime('%H', …) (UTC hours only)", m.naiveMs, { unit: 'ms', digits: 1 })
  line('speed-up over the naive query', `${(m.naiveMs / m.oursMs).toFixed(1)}×`)
  line('same customer total in both', `${m.total === m.naiveTotal ? 'yes' : 'NO'} (${m.total.toLocaleString('en-US')})`)

  const args = ['report', '--by-hour', '--heatmap', '--db', dbPath, '--tz', TZ, '--from', new Date(FROM).toISOString(), '--until', new Date(UNTIL).toISOString(), '--format', 'json']
  const procRuns = []
  let procTotal = null
  for (let i = 0; i < 5; i++) {
    const r = await runListen(args)
    if (r.code !== 0) throw new Error(`listen report failed (${r.code}): ${r.stderr}`)
    procTotal = JSON.parse(r.stdout).total
    procRuns.push(r.ms)
  }
  const procMs = median(procRuns)
  let duck = null
  try {
    duck = await import('@duckdb/node-api')
  } catch {
    duck = null
  }
  let ok = m.oursMs <= 100 && m.total === m.naiveTotal
  if (!duck) {
    figure(BENCH, 'listen report --by-hour, whole process (median of 5)', procMs, { unit: 'ms' })
    skipped(BENCH, 'DuckDB, whole process', '@duckdb/node-api is not installed (npm install; it ships its binary in the npm package)')
  } else {
    const duckPath = dbPath.replace(/\.db$/, '.duckdb')
    if (!existsSync(duckPath)) await buildDuckDb(dbPath, duckPath, duck)
    const duckRuns = []
    let duckTotal = null
    for (let i = 0; i < 5; i++) {
      const r = await duckProcess(duckPath)
      if (r.code !== 0) throw new Error(`duckdb process failed (${r.code}): ${r.stderr}`)
      duckTotal = JSON.parse(r.stdout).total
      duckRuns.push(r.ms)
    }
    const duckMs = median(duckRuns)
    const bare = median(await Promise.all([0, 1, 2].map(() => runProcess(process.execPath, ['-e', '']).then((r) => r.ms))))
    figure(BENCH, 'listen report --by-hour --heatmap, whole process (median of 5)', procMs, {
      unit: 'ms',
      goal: { op: '<=', value: duckMs, text: `ahead of DuckDB's ${duckMs.toFixed(0)} ms` },
    })
    figure(BENCH, 'baseline: DuckDB process, same rows in its own file, same answer', duckMs, { unit: 'ms' })
    line('bare node -e "" for scale', `${bare.toFixed(0)} ms`)
    line('same customer total (listen / DuckDB)', `${procTotal === duckTotal ? 'yes' : 'NO'} (${procTotal} / ${duckTotal})`)
    ok &&= procMs <= duckMs && procTotal === duckTotal
  }
  return { ok }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run()
