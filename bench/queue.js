// Issue 16: `listen queue` over 1M customer mentions (90 days, real texts) with 300k brand replies,
// in process: reply chains walked for the window, every unanswered post ranked, the top 50 masked.
// Baseline in the same run: a naive query (direct replies only, a correlated NOT EXISTS per post,
// no index on the reply side's by_brand) sorted in SQL. Goal: ≤200 ms for the default window (24h); 7 days beside it.
import os from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT, figure, line, median, tempDir, timeMs } from './lib.js'
import { loadRealPosts } from './realtext.js'

const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href)
const GOAL = { op: '<=', value: 200 }

export async function run({ mentions = 1_000_000, replies = 300_000 } = {}) {
  const { openDb } = await dist('store/sqlite/db.js')
  const { QueueStore } = await dist('store/sqlite/queue.js')
  const { rankQueue } = await dist('care/queue.js')
  const { createPiiDetector, detectPii, maskPiiInText } = await dist('care/pii.js')
  const { resolveBrandMatcher } = await dist('report/audit.js')
  const { dir, cleanup } = tempDir()
  try {
    const db = openDb(join(dir, 'bench.db'), { create: true })
    const until = Date.parse('2026-11-09T00:00:00Z')
    const from = until - 90 * 86_400_000
    const step = Math.floor((until - from) / mentions)
    const texts = loadRealPosts()
    const detector = createPiiDetector({})
    db.exec('CREATE TEMP TABLE texts (i INTEGER PRIMARY KEY, t TEXT NOT NULL, pii TEXT NOT NULL)')
    const putText = db.prepare('INSERT INTO texts (i, t, pii) VALUES (?, ?, ?)')
    db.transaction(() => texts.forEach((p, i) => putText.run(i, p.text, [...new Set(detectPii(p.text, detector).map((f) => f.kind))].join(','))))()
    const T = texts.length
    const at = (v) => `(${from} + ((${v}) * 7919 % ${mentions}) * ${step})`
    // The audit benchmark's rows (bench/audit.js): out of time order, every 10th post a follow-up, replies 1–1440 min later.
    const fill = timeMs(() => {
      db.exec(`
        WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${mentions - 1})
        INSERT INTO mentions (source, id, brand, created_at, author, text, in_reply_to, by_brand, label, label_source, fetched_at, pii)
        SELECT CASE i % 4 WHEN 0 THEN 'x' WHEN 1 THEN 'reddit' WHEN 2 THEN 'mastodon' ELSE 'bluesky' END, 'm' || i, 'Acme',
               CASE WHEN i % 10 = 9 THEN ${at('i - 4')} + 300000 ELSE ${at('i')} END, 'user' || (i % 50000),
               (SELECT t FROM texts WHERE texts.i = seq.i % ${T}),
               CASE WHEN i % 10 = 9 THEN 'm' || (i - 4) END, 0,
               CASE i % 6 WHEN 0 THEN 'outage' WHEN 1 THEN 'complaint' WHEN 2 THEN 'question' WHEN 3 THEN 'praise' WHEN 4 THEN 'other' ELSE NULL END,
               CASE WHEN i % 6 = 5 THEN NULL ELSE 'model' END, ${until}, (SELECT pii FROM texts WHERE texts.i = seq.i % ${T})
        FROM seq;
        WITH RECURSIVE seq(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM seq WHERE j < ${replies - 1})
        INSERT INTO mentions (source, id, brand, created_at, author, text, in_reply_to, by_brand, fetched_at, pii)
        SELECT CASE ((j * 3) % ${mentions}) % 4 WHEN 0 THEN 'x' WHEN 1 THEN 'reddit' WHEN 2 THEN 'mastodon' ELSE 'bluesky' END,
               'r' || j, 'Acme', ${at(`(j * 3) % ${mentions}`)} + CASE WHEN ((j * 3) % ${mentions}) % 10 = 9 THEN 300000 ELSE 0 END + 60000 * (1 + (j * 7919) % 1440),
               CASE WHEN j % 5 = 0 THEN 'AcmeHelp' ELSE 'agent' || (j % 40) END, (SELECT t FROM texts WHERE texts.i = (j * 13) % ${T}), 'm' || ((j * 3) % ${mentions}),
               j % 5 <> 0, ${until}, ''
        FROM seq;`)
    })
    db.close()
    const rdb = openDb(join(dir, 'bench.db'), { create: false, readonly: true })
    const store = new QueueStore(rdb)
    const brand = resolveBrandMatcher([], 'AcmeHelp')
    const sla = { outage: 3_600_000, complaint: 3_600_000, question: 3_600_000, untagged: 3_600_000 }
    const labels = ['outage', 'complaint', 'question', 'untagged']
    const ours = (days) => () => {
      const posts = store.openPosts({ from: until - days * 86_400_000, until, labels, brand })
      const top = rankQueue(posts, until, sla).slice(0, 50)
      for (const r of top) if (r.post.pii) maskPiiInText(r.post.text, detectPii(r.post.text, detector))
      return { waiting: posts.length, top: top.length }
    }
    const naiveStmt = rdb.prepare(`SELECT m.source, m.id, m.created_at, m.label, m.text FROM mentions m
      WHERE m.created_at >= ? AND m.created_at < ? AND m.by_brand = 0 AND (m.label IN ('outage', 'complaint', 'question') OR m.label IS NULL)
        AND NOT EXISTS (SELECT 1 FROM mentions r WHERE r.source = m.source AND r.in_reply_to = m.id AND r.by_brand = 1)
      ORDER BY CASE m.label WHEN 'outage' THEN 0 WHEN 'complaint' THEN 1 WHEN 'question' THEN 2 ELSE 3 END, m.created_at LIMIT 50`)
    const naive = (days) => () => naiveStmt.all(until - days * 86_400_000, until)
    const cpuMs = (fn) => {
      const c = process.cpuUsage()
      const t = timeMs(fn)
      const u = process.cpuUsage(c)
      return { wall: t.ms, cpu: (u.user + u.system) / 1000, result: t.result }
    }
    console.log(`\nqueue over ${mentions.toLocaleString('en-US')} customer mentions + ${replies.toLocaleString('en-US')} brand replies / 90 days (fill took ${(fill.ms / 1000).toFixed(1)} s)`)
    let ok = true
    for (const days of [1, 7]) {
      ours(days)()
      naive(days)() // warm both
      const runs = Array.from({ length: days === 1 ? 5 : 3 }, () => cpuMs(ours(days)))
      const base = Array.from({ length: days === 1 ? 3 : 1 }, () => cpuMs(naive(days)))
      const ms = median(runs.map((r) => r.wall))
      const baseMs = median(base.map((r) => r.wall))
      const goal = days === 1 ? GOAL : undefined
      figure('queue', `listen queue --since ${days}d (reply chains, handles, ranking, top 50 masked)`, ms, { unit: 'ms', goal, extra: { cpuMs: median(runs.map((r) => r.cpu)), waiting: runs[0].result.waiting } })
      line('', `CPU ${median(runs.map((r) => r.cpu)).toFixed(0)} ms; ${runs[0].result.waiting.toLocaleString('en-US')} posts waiting`)
      figure('queue', `baseline: naive NOT EXISTS per post, direct by_brand replies only (--since ${days}d)`, baseMs, { unit: 'ms', extra: { cpuMs: median(base.map((r) => r.cpu)) } })
      if (goal) ok &&= ms <= GOAL.value
    }
    line('load average (1 min) / cores', `${os.loadavg()[0].toFixed(1)} / ${os.cpus().length}`)
    rdb.close()
    return { ok }
  } finally {
    cleanup()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run()
