// npm run bench [-- name ...] [--big] [--ordered]: every benchmark prints its figures beside a
// baseline from the same run, each goal with a met / not met mark, and all figures go to
// bench/out/results.json (the README table is made from one run).
// --big adds 5M rows to the import scaling; --ordered also imports the same rows in time order.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT, SHARED, figures } from './lib.js'

const all = ['startup', 'lang', 'import', 'classify', 'report', 'audit', 'fetch', 'tagger', 'brand-query', 'pg', 'learning', 'queue']
// These read the real posts of ../shared.
const needShared = new Set(['lang', 'import', 'classify', 'report', 'audit', 'fetch', 'tagger', 'brand-query', 'pg', 'learning', 'queue'])
const args = process.argv.slice(2)
const flags = { big: args.includes('--big'), ordered: args.includes('--ordered') }
// pg: --pg-rows N (ingest, default 1M) and --pg-report-rows N (by-hour over N rows on the server, e.g. 10000000).
const numberAfter = (name) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : undefined)
Object.assign(flags, { rows: numberAfter('--pg-rows'), reportRows: numberAfter('--pg-report-rows') ? [numberAfter('--pg-report-rows')] : [] })
const names = args.filter((a, i) => !a.startsWith('--') && !['--pg-rows', '--pg-report-rows'].includes(args[i - 1]))
const chosen = names.length ? names : all
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark "${name}" (${all.join(', ')})`)
    process.exit(2)
  }
}
const load = () => ({ loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100), at: new Date().toISOString() })
const started = load()
console.log(`bench on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}; load average ${started.loadavg.join(' ')}`)
const results = {}
const loads = {}
for (const name of chosen) {
  if (needShared.has(name) && !existsSync(SHARED)) {
    console.log(`\n${name}: skipped, ${SHARED} is missing`)
    continue
  }
  const mod = await import(pathToFileURL(join(ROOT, 'bench', `${name}.js`)).href)
  const before = os.loadavg()[0]
  results[name] = await mod.run(flags)
  loads[name] = { before: Math.round(before * 100) / 100, after: Math.round(os.loadavg()[0] * 100) / 100 }
}
const missed = Object.entries(results).filter(([, r]) => r && r.ok === false).map(([n]) => n)
let commit = null
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
} catch {
  commit = null
}
mkdirSync(join(ROOT, 'bench/out'), { recursive: true })
const file = join(ROOT, 'bench/out/results.json')
writeFileSync(
  file,
  `${JSON.stringify({ started, finished: load(), commit, node: process.version, cores: os.cpus().length, args, loadPerBench: loads, ok: Object.fromEntries(Object.entries(results).map(([n, r]) => [n, r?.ok ?? null])), figures }, null, 2)}\n`,
)
console.log(`\n${missed.length ? `goals missed in: ${missed.join(', ')}` : 'all goals met'}`)
console.log(`figures: ${file}; load average (1 min) before/after each benchmark: ${Object.entries(loads).map(([n, l]) => `${n} ${l.before}/${l.after}`).join(', ')}`)
