// The PostgreSQL store: bulk ingest of 1M mentions through the COPY path (goal ≥50,000/s) beside
// SQLite's upsertRows on the same rows in the same run; the rollup kept by statement-level triggers
// beside the alternatives; by-hour on the server, warm, beside a naive GROUP BY on the same server.
//
//   npm run build && node bench/pg.js [--rows N] [--report-rows N ...] [--workers-only]   e.g. --report-rows 1000000 10000000
// (also four concurrent listen fetch workers against one; --workers-only runs just that part)
//
// The server: LISTEN_BENCH_PG or LISTEN_TEST_PG, else a throwaway cluster from
// scripts/pg-test-cluster.sh (started and stopped here). Texts are the 5,000 real posts of
// ../shared/datasets/twcs_head5000.csv when present (read only, never stored), else five of our own.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { pathToFileURL } from 'node:url'
import { parse } from 'csv-parse/sync'
import pg from 'pg'
import copyStreams from 'pg-copy-streams'
import { ROOT, SHARED, line, median, runProcess, tempDir, timeMsAsync } from './lib.js'

// bench/lib.js has no verdict() (figure() marks goals); this file prints its own lines.
const verdict = (ok) => (ok ? 'met' : 'NOT MET')

const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href)
const DAY = 86_400_000
const START = Date.parse('2026-08-01T00:00:00Z')
const SPAN = 90 * DAY
const fmt = (n) => Math.round(n).toLocaleString('en-US')

const OWN_TEXTS = [
  '@NordwindHilfe seit heute morgen kein Netz in Hamburg, was ist los?',
  'My Acme Air flight was delayed again and nobody tells us anything. Third time this month!',
  'Wie aktiviere ich die eSIM bei Nordwind Mobile? Finde nichts in der App.',
  'Thanks @AcmeAirHelp for sorting out my rebooking so quickly, great service',
  'Acme Air announces new routes to Porto and Split next summer.',
]

function loadTexts() {
  const file = join(SHARED, 'datasets/twcs_head5000.csv')
  if (!existsSync(file)) return { texts: OWN_TEXTS, origin: 'five invented posts (../shared missing)' }
  const rows = parse(readFileSync(file), { columns: true })
  return { texts: rows.map((r) => r.text), origin: `${rows.length.toLocaleString('en-US')} real posts (twcs_head5000.csv)` }
}

/** Batch `b` of `size` mentions, packed as appendRow does: the same rows for every store. */
function makeBatch(appendRow, texts, b, size, rows) {
  const flat = []
  for (let i = b * size; i < Math.min(rows, (b + 1) * size); i++) {
    const label = [null, 'outage', 'complaint', 'question', 'praise', 'other'][i % 6]
    const m = {
      source: ['x', 'reddit', 'mastodon', 'bluesky'][i % 4],
      id: `p${i}`,
      brand: i % 3 ? 'Nordwind Mobile' : 'Acme Air',
      createdAt: START + Math.floor((i * SPAN) / rows) + (i % 7) * 1000,
      author: `user${i % 9973}`,
      authorId: String(i % 9973),
      text: `${texts[i % texts.length]} #${i}`,
      url: null,
      lang: i % 2 ? 'de' : 'en',
      inReplyTo: i % 4 === 3 ? `p${i - 1}` : null,
      threadId: null,
      byBrand: i % 11 === 0,
      label,
      labelSource: label ? 'model' : null,
      scores: label ? { [label]: 0.8 } : null,
    }
    m.raw = { id: m.id, created_at: new Date(m.createdAt).toISOString(), text: m.text, author: m.author }
    appendRow(flat, m, START + SPAN)
  }
  return flat
}

async function server() {
  const url = process.env.LISTEN_BENCH_PG || process.env.LISTEN_TEST_PG
  if (url) return { url, stop: () => {} }
  const script = join(ROOT, 'scripts/pg-test-cluster.sh')
  const started = execFileSync(script, ['start'], { encoding: 'utf8' }).trim()
  return { url: started, stop: () => execFileSync(script, ['stop']) }
}

async function freshSchema(admin, base) {
  const schema = `bench_${randomBytes(4).toString('hex')}`
  await admin.query(`CREATE SCHEMA ${schema}`)
  const u = new URL(base)
  u.searchParams.set('options', `-c search_path=${schema}`)
  return { schema, url: u.toString() }
}

async function ingest({ rows, batch, makeRows, upsert }) {
  let ms = 0
  const totals = { inserted: 0, updated: 0, unchanged: 0 }
  for (let b = 0; b * batch < rows; b++) {
    const flat = makeRows(b, batch)
    const t = await timeMsAsync(() => upsert(flat))
    ms += t.ms
    for (const k of Object.keys(totals)) totals[k] += t.result[k]
  }
  return { ms, rate: rows / (ms / 1000), totals }
}

/** One bulk load of new rows per rollup strategy, at the SQL level: COPY into staging, then the insert. */
async function rollupVariants(admin, base, { appendRow, copyValue, ROW_WIDTH, openPool, migratePg, PgMentionWriter, COLUMNS }, texts, rows) {
  const batch = 10_000
  const COLS = COLUMNS.join(', ')
  const insert = `INSERT INTO mentions (${COLS}) SELECT ${COLS} FROM stage ON CONFLICT DO NOTHING`
  const variants = {
    'statement triggers (the schema)': { setup: '', sql: insert },
    'no triggers, rollup by the statement': {
      setup: 'DROP TRIGGER mentions_buckets_insert ON mentions; DROP TRIGGER mentions_buckets_update ON mentions; DROP TRIGGER mentions_buckets_delete ON mentions',
      sql: `WITH up AS (${insert} RETURNING created_at, brand, label, by_brand)
        INSERT INTO mention_buckets (bucket, brand, label, n)
        SELECT created_at / 900000, coalesce(brand, ''), coalesce(label, ''), count(*) FROM up WHERE NOT by_brand GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (bucket, brand, label) DO UPDATE SET n = mention_buckets.n + excluded.n`,
    },
    'row triggers (as SQLite)': {
      setup: `DROP TRIGGER mentions_buckets_insert ON mentions;
        CREATE FUNCTION bucket_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
          IF NOT new.by_brand THEN
            INSERT INTO mention_buckets VALUES (new.created_at / 900000, coalesce(new.brand, ''), coalesce(new.label, ''), 1)
            ON CONFLICT (bucket, brand, label) DO UPDATE SET n = mention_buckets.n + 1;
          END IF; RETURN NULL; END $$;
        CREATE TRIGGER bucket_row AFTER INSERT ON mentions FOR EACH ROW EXECUTE FUNCTION bucket_row()`,
      sql: insert,
    },
    'no rollup at all (the floor)': {
      setup: 'DROP TRIGGER mentions_buckets_insert ON mentions',
      sql: insert,
    },
  }
  const out = {}
  for (const [name, v] of Object.entries(variants)) {
    const { url, schema } = await freshSchema(admin, base)
    const h = await openPool({ url, env: {}, max: 1 })
    await migratePg(h)
    if (v.setup) await h.pool.query(v.setup)
    const writer = new PgMentionWriter(h)
    await writer.ensurePartitions([START, START + SPAN])
    const client = await h.pool.connect()
    await client.query(`CREATE TEMP TABLE stage (LIKE mentions) ON COMMIT DELETE ROWS`)
    let ms = 0
    for (let b = 0; b * batch < rows; b++) {
      const flat = makeBatch(appendRow, texts, b, batch, rows)
      let text = ''
      for (let i = 0; i < flat.length; i += ROW_WIDTH) {
        for (let f = 0; f < ROW_WIDTH; f++) text += (f ? '\t' : '') + copyValue(flat[i + f])
        text += '\n'
      }
      const t = await timeMsAsync(async () => {
        await client.query('BEGIN')
        await pipeline(Readable.from([text]), client.query(copyStreams.from(`COPY stage (${COLS}) FROM STDIN`)))
        await client.query(v.sql)
        await client.query('COMMIT')
      })
      ms += t.ms
    }
    const exact = (await client.query(`SELECT (SELECT coalesce(sum(n), 0) FROM mention_buckets) AS b, (SELECT count(*) FROM mentions WHERE NOT by_brand) AS m`)).rows[0]
    client.release()
    await h.close()
    await admin.query(`DROP SCHEMA ${schema} CASCADE`)
    out[name] = { rate: rows / (ms / 1000), exact: name.includes('floor') ? null : Number(exact.b) === Number(exact.m) }
  }
  return out
}

/** Fills a schema with `rows` mentions on the server (generate_series), through the triggers. */
async function fillOnServer(h, writer, rows) {
  await writer.ensurePartitions([START, START + SPAN - 1, START + SPAN / 2, START + SPAN / 3, START + (2 * SPAN) / 3])
  const chunk = 1_000_000
  for (let lo = 0; lo < rows; lo += chunk) {
    const hi = Math.min(rows, lo + chunk) - 1
    await h.pool.query(`INSERT INTO mentions (source, id, brand, created_at, author, text, by_brand, label, label_source, fetched_at)
      SELECT (ARRAY['x', 'reddit', 'mastodon', 'bluesky'])[i % 4 + 1], 'm' || i, CASE WHEN i % 3 = 0 THEN 'Acme Air' ELSE 'Nordwind Mobile' END,
        ${START} + (i * ${SPAN}::bigint) / ${rows} + (i % 7) * 1000, 'user' || (i % 9973), 'text ' || i, i % 11 = 0,
        (ARRAY['outage', 'complaint', 'question', 'praise', 'other', NULL])[i % 6 + 1], CASE WHEN i % 6 = 5 THEN NULL ELSE 'model' END, ${START + SPAN}
      FROM generate_series(${lo}::bigint, ${hi}::bigint) AS i`)
  }
  await h.pool.query(`INSERT INTO mention_keys SELECT source, id, created_at FROM mentions`)
}

async function byHour(h, { PgMentionReports, summarizeByHour }, label) {
  await h.pool.query('VACUUM ANALYZE mentions')
  await h.pool.query('VACUUM ANALYZE mention_buckets')
  const reports = new PgMentionReports(h)
  const tz = 'Europe/Berlin'
  // A window with edges inside quarter hours: the edge rows are read too.
  const w = { from: START + 7 * 60_000 + 13_000, until: START + SPAN - 3 * 60_000 }
  const ours = () => reports.countByHourOfWeek({ ...w, timezone: tz })
  const viaTs = async () => summarizeByHour(await reports.countByQuarterHour(w), { timezone: tz, ...w, heatmap: true })
  const naiveSql = `SELECT extract(isodow FROM t)::int - 1 AS weekday, extract(hour FROM t)::int AS hour, label, count(*) AS n
    FROM (SELECT to_timestamp(created_at / 1000.0) AT TIME ZONE $3 AS t, coalesce(label, '') AS label FROM mentions
          WHERE created_at >= $1 AND created_at < $2 AND NOT by_brand) m GROUP BY 1, 2, 3`
  const naive = async () => (await h.pool.query(naiveSql, [w.from, w.until, tz])).rows
  await ours()
  await viaTs()
  await naive()
  const times = async (fn, n) => {
    const xs = []
    for (let i = 0; i < n; i++) xs.push((await timeMsAsync(fn)).ms)
    return median(xs)
  }
  const oursMs = await times(ours, 7)
  const tsMs = await times(viaTs, 7)
  const naiveMs = await times(naive, 3)
  const total = (await ours()).reduce((s, r) => s + r.counts.reduce((a, b) => a + b, 0), 0)
  const naiveRows = await naive()
  const naiveTotal = naiveRows.reduce((s, r) => s + Number(r.n), 0)
  const cells = new Map()
  for (const r of naiveRows) cells.set(`${r.weekday}/${r.hour}`, (cells.get(`${r.weekday}/${r.hour}`) ?? 0) + Number(r.n))
  const same = (await ours()).every((r) => cells.get(`${r.weekday}/${r.hour}`) === r.counts.reduce((a, b) => a + b, 0))
  console.log(`\nby-hour on the server over ${label} mentions / 90 days, warm (Europe/Berlin, hour of week × label)`)
  line('countByHourOfWeek (rollup + edge rows, AT TIME ZONE on the server)', `${oursMs.toFixed(1)} ms  ${verdict(oursMs <= 100)} (goal ≤100 ms)`)
  line('countByQuarterHour + summarizeByHour in TypeScript (heatmap)', `${tsMs.toFixed(1)} ms`)
  line('naive GROUP BY over the rows, AT TIME ZONE per row', `${naiveMs.toFixed(1)} ms`)
  line('speed-up over naive', `${(naiveMs / oursMs).toFixed(1)}×`)
  line('same counts per hour of week in both', `${same && total === naiveTotal ? 'yes' : 'NO'} (${fmt(total)})`)
  return { oursMs, naiveMs, ok: oursMs <= 100 && same && total === naiveTotal }
}

/**
 * Four `listen fetch` processes at once against one that works alone, on the same local stand-in
 * for Algolia's HN search (LATENCY ms per request, as a real API answers): each brand query is one
 * advisory lock, so the four split the queries. Goal: the four finish within 1.3× a quarter of the
 * single worker's time, with every mention stored once.
 */
async function fetchWorkers(admin, base, texts) {
  const { createServer } = await import('node:http')
  const { writeFileSync } = await import('node:fs')
  const BRANDS = Array.from({ length: 16 }, (_, i) => `Brand${String.fromCharCode(65 + i)}`)
  const PER = 500
  const LATENCY = 120
  const nowS = Math.floor(Date.now() / 1000)
  const hits = new Map(BRANDS.map((b, k) => [b, Array.from({ length: PER }, (_, i) => ({
    objectID: String(1_000_000 * (k + 1) + i), created_at_i: nowS - 3600 - i * 1700, author: `user${i % 97}`,
    title: `${b} ${texts[(k * PER + i) % texts.length].slice(0, 200)}`, _tags: ['story'],
  }))]))
  const http = createServer((req, res) => {
    const url = new URL(req.url, 'http://x')
    const floor = Number(/created_at_i>=(\d+)/.exec(url.searchParams.get('numericFilters') ?? '')?.[1] ?? 0)
    const per = Number(url.searchParams.get('hitsPerPage') ?? 100)
    const page = Number(url.searchParams.get('page') ?? 0)
    const matching = (hits.get(url.searchParams.get('query')) ?? []).filter((h) => h.created_at_i >= floor)
    const body = JSON.stringify({ hits: matching.slice(page * per, page * per + per), page, nbPages: Math.ceil(matching.length / per), hitsPerPage: per })
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(body), LATENCY)
  })
  await new Promise((r) => http.listen(0, '127.0.0.1', r))
  const { dir, cleanup } = tempDir()
  const schemas = []
  try {
    writeFileSync(join(dir, 'listen.config.json'), JSON.stringify({
      brands: BRANDS.map((name) => ({ name, query: name })),
      sources: { hackernews: { baseUrl: `http://127.0.0.1:${http.address().port}/api/v1` } },
    }))
    const fetchOnce = async (url) => {
      const r = await runProcess(process.execPath, [join(ROOT, 'bin/listen.js'), 'fetch', '--since', '30d', '--format', 'json', '--db', url, '--source', 'hackernews'],
        { cwd: dir, env: { PATH: process.env.PATH, HOME: dir } })
      if (r.code !== 0) throw new Error(`listen fetch exit ${r.code}: ${r.stderr}`)
      return { news: JSON.parse(r.stdout).totals.new, cpuMs: r.cpuMs }
    }
    const { openPgStore } = await dist('store/pg/index.js')
    const round = async (n) => {
      const { url, schema } = await freshSchema(admin, base)
      schemas.push(schema)
      await (await openPgStore(url, { create: true })).close()
      const t0 = performance.now()
      const runs = await Promise.all(Array.from({ length: n }, () => fetchOnce(url)))
      const ms = performance.now() - t0
      const keys = Number((await admin.query(`SELECT count(*) AS n FROM ${schema}.mention_keys`)).rows[0].n)
      return { ms, news: runs.map((r) => r.news), cpuMs: runs.reduce((a, r) => a + r.cpuMs, 0), keys }
    }
    const one = await round(1)
    const four = await round(4)
    const total = BRANDS.length * PER
    const goal = (1.3 * one.ms) / 4
    const dupes = four.news.reduce((a, b) => a + b, 0) - total
    console.log(`\nfetch workers: ${BRANDS.length} brand queries × ${PER} stories, ${LATENCY} ms per request (local stand-in), each worker a listen fetch process`)
    line('one worker', `${(one.ms / 1000).toFixed(2)} s, ${one.keys.toLocaleString('en-US')} mentions`)
    line('four workers at once', `${(four.ms / 1000).toFixed(2)} s  ${verdict(four.ms <= goal)} (goal ≤${(goal / 1000).toFixed(2)} s = 1.3 × one ÷ 4)`)
    line('speed-up four ÷ one', `${(one.ms / four.ms).toFixed(2)}×`)
    line('CPU of the listen processes: one / four together', `${(one.cpuMs / 1000).toFixed(2)} s / ${(four.cpuMs / 1000).toFixed(2)} s on ${os.cpus().length} cores`)
    line('request latency alone: one worker / a quarter of it', `${((BRANDS.length * Math.ceil(PER / 100) * LATENCY) / 1000).toFixed(2)} s / ${((BRANDS.length * Math.ceil(PER / 100) * LATENCY) / 4000).toFixed(2)} s`)
    line('duplicates (new counted twice) / stored', `${dupes} / ${four.keys.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}  ${verdict(dupes === 0 && four.keys === total && one.keys === total)}`)
    return { oneMs: one.ms, fourMs: four.ms, duplicates: dupes, ok: four.ms <= goal && dupes === 0 && four.keys === total }
  } finally {
    for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`).catch(() => {})
    http.close()
    cleanup()
  }
}

export async function run({ rows = 1_000_000, reportRows = [], only = null } = {}) {
  rows ??= 1_000_000
  const { MentionStore } = await dist('store/sqlite/mentions.js')
  const { appendRow, ROW_WIDTH } = await dist('models/row.js')
  const { openDb } = await dist('store/sqlite/db.js')
  const { openPool } = await dist('store/pg/connect.js')
  const { migratePg } = await dist('store/pg/migrations.js')
  const { PgMentionWriter, copyValue, COLUMNS } = await dist('store/pg/ingest.js')
  const { PgMentionReports } = await dist('store/pg/reports.js')
  const { summarizeByHour } = await dist('report/byHour.js')
  const { texts, origin } = loadTexts()
  const srv = await server()
  const admin = new pg.Pool({ connectionString: srv.url, max: 1 })
  const { dir, cleanup } = tempDir()
  const schemas = []
  try {
    const version = (await admin.query('SHOW server_version')).rows[0].server_version
    console.log(`\nPostgreSQL ${version} at ${new URL(srv.url).host}; texts: ${origin}`)
    if (only === 'workers') return await fetchWorkers(admin, srv.url, texts)
    const makeRows = (b, size) => makeBatch(appendRow, texts, b, size, rows)

    // SQLite first (same rows, same batches): the baseline in this run.
    const db = openDb(join(dir, 'bench.db'), { create: true })
    const store = new MentionStore(db)
    const lite = await ingest({ rows, batch: 2000, makeRows, upsert: async (flat) => store.upsertRows(flat) })
    db.close()

    const { url, schema } = await freshSchema(admin, srv.url)
    schemas.push(schema)
    const h = await openPool({ url, env: {}, max: 2 })
    await migratePg(h)
    const writer = new PgMentionWriter(h)
    const first = await ingest({ rows, batch: 2000, makeRows, upsert: (flat) => writer.upsertRows(flat) })
    const again = await ingest({ rows, batch: 2000, makeRows, upsert: (flat) => writer.upsertRows(flat) })
    const { url: url2, schema: schema2 } = await freshSchema(admin, srv.url)
    schemas.push(schema2)
    const h2 = await openPool({ url: url2, env: {}, max: 2 })
    await migratePg(h2)
    const writer2 = new PgMentionWriter(h2)
    const big = await ingest({ rows, batch: 20_000, makeRows, upsert: (flat) => writer2.upsertRows(flat) })
    await h2.close()

    const n = rows.toLocaleString('en-US')
    console.log(`\nbulk ingest of ${n} new mentions (time inside upsertRows only; the rows are built outside it)`)
    line('PostgreSQL: COPY + one INSERT … ON CONFLICT per batch of 2,000', `${(first.ms / 1000).toFixed(1)} s = ${fmt(first.rate)} mentions/s  ${verdict(first.rate >= 50_000)} (goal ≥50,000/s)`)
    line('PostgreSQL: the same in batches of 20,000', `${(big.ms / 1000).toFixed(1)} s = ${fmt(big.rate)} mentions/s`)
    line('PostgreSQL: re-import of the same rows (all unchanged)', `${(again.ms / 1000).toFixed(1)} s = ${fmt(again.rate)} mentions/s`)
    line('baseline: SQLite MentionStore.upsertRows, batches of 2,000', `${(lite.ms / 1000).toFixed(1)} s = ${fmt(lite.rate)} mentions/s`)
    line('PostgreSQL ÷ SQLite', `${(first.rate / lite.rate).toFixed(2)}×`)
    const countsOk = first.totals.inserted === rows && again.totals.unchanged === rows && lite.totals.inserted === rows && big.totals.inserted === rows
    line('counts: all inserted, then all unchanged', countsOk ? 'yes' : `NO ${JSON.stringify({ first: first.totals, again: again.totals })}`)

    const variantRows = Math.min(rows, 300_000)
    const variants = await rollupVariants(admin, srv.url, { appendRow, copyValue, ROW_WIDTH, openPool, migratePg, PgMentionWriter, COLUMNS }, texts, variantRows)
    console.log(`\nrollup upkeep under bulk load: ${variantRows.toLocaleString('en-US')} new rows, COPY + INSERT, batches of 10,000`)
    for (const [name, v] of Object.entries(variants)) line(name, `${fmt(v.rate)} rows/s${v.exact === null ? '' : v.exact ? ', rollup exact' : ', rollup WRONG'}`)

    const results = { ingest: first.rate, ok: first.rate >= 50_000 && countsOk }
    results.byHour = [await byHour(h, { PgMentionReports, summarizeByHour }, n)]
    await h.close()
    for (const r of reportRows) {
      const { url: u, schema: s } = await freshSchema(admin, srv.url)
      schemas.push(s)
      const hr = await openPool({ url: u, env: {}, max: 2, statementTimeoutMs: 0 })
      await migratePg(hr)
      const t = await timeMsAsync(() => fillOnServer(hr, new PgMentionWriter(hr), r))
      console.log(`\n(filled ${r.toLocaleString('en-US')} rows on the server in ${(t.ms / 1000).toFixed(0)} s)`)
      results.byHour.push(await byHour(hr, { PgMentionReports, summarizeByHour }, r.toLocaleString('en-US')))
      await hr.close()
    }
    results.workers = await fetchWorkers(admin, srv.url, texts)
    results.ok = results.ok && results.byHour.every((b) => b.ok) && results.workers.ok
    return results
  } finally {
    for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`).catch(() => {})
    await admin.end()
    cleanup()
    srv.stop()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2)
  const opt = (name) => {
    const i = args.indexOf(name)
    if (i < 0) return []
    const out = []
    for (let j = i + 1; j < args.length && !args[j].startsWith('--'); j++) out.push(Number(args[j]))
    return out
  }
  const rows = opt('--rows')[0] ?? 1_000_000
  await run({ rows, reportRows: opt('--report-rows'), only: args.includes('--workers-only') ? 'workers' : null })
}
