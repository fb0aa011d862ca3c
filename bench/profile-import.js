// Where `listen import` spends its time: runs the CLI with --cpu-prof on real text (every thread
// writes its own profile: the main thread writes to SQLite, the reader thread parses, maps and
// tags) and prints per thread how busy it was, the top functions by self time and a few
// inclusive groups. Usage: node bench/profile-import.js [ROWS] [--no-tag] [--by-time]
// Profiles stay in bench/out/profile-*/ for Chrome DevTools or speedscope.
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT, fmt, runProcess } from './lib.js'
import { OUT, realInput } from './realtext.js'

/** Self and inclusive milliseconds per node of a .cpuprofile, and the thread's wall span. */
export function readProfile(file) {
  const p = JSON.parse(readFileSync(file, 'utf8'))
  const byId = new Map(p.nodes.map((n) => [n.id, { ...n, self: 0, parent: null }]))
  for (const n of byId.values()) for (const c of n.children ?? []) byId.get(c).parent = n
  for (let i = 0; i < p.samples.length; i++) byId.get(p.samples[i]).self += (p.timeDeltas[i] ?? 0) / 1000
  const wall = (p.endTime - p.startTime) / 1000
  return { nodes: [...byId.values()], wall }
}

const nameOf = (n) => {
  const f = n.callFrame
  const file = f.url ? f.url.replace(/^.*\/(node_modules\/|dist\/|node:)/, '$1').replace(/^file:\/\//, '') : ''
  return `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`
}

/** Share of the thread's busy time spent inside (inclusive) any frame matching `test`, counted once. */
function inclusive(nodes, test) {
  let ms = 0
  for (const n of nodes) {
    if (!n.self) continue
    for (let a = n; a; a = a.parent) {
      if (test(a.callFrame)) {
        ms += n.self
        break
      }
    }
  }
  return ms
}

const GROUPS = {
  'tagger (classify)': (f) => f.functionName === 'classify' && f.url.includes('classify/tagger'),
  'language detection (detectLang)': (f) => f.functionName === 'detectLang',
  'franc': (f) => f.url.includes('franc') || f.url.includes('trigram-utils'),
  'scanWords': (f) => f.functionName === 'scanWords',
  'scoreWords (model + rules)': (f) => f.functionName === 'scoreWords',
  'normalizeRecord (mapping)': (f) => f.functionName === 'normalizeRecord',
  'parseInstant (dates)': (f) => f.functionName === 'parseInstant',
  'JSON.parse': (f) => f.functionName === 'parse' && !f.url,
  'JSON.stringify': (f) => f.functionName === 'stringify' && !f.url,
  'readline / stream': (f) => /readline|internal\/streams|fs\/streams/.test(f.url),
  'postMessage (to the writer)': (f) => f.functionName === 'postMessage',
  'upsertRows (SQLite writes)': (f) => f.functionName === 'upsertRows',
  'garbage collector': (f) => f.functionName === '(garbage collector)',
}

export function summarizeProfile(file, top = 15) {
  const { nodes, wall } = readProfile(file)
  const idle = nodes.filter((n) => n.callFrame.functionName === '(idle)').reduce((s, n) => s + n.self, 0)
  const busy = wall - idle
  const self = new Map()
  for (const n of nodes) {
    if (!n.self || n.callFrame.functionName === '(idle)') continue
    const k = nameOf(n)
    self.set(k, (self.get(k) ?? 0) + n.self)
  }
  const lines = [`  wall ${fmt(wall)} ms, busy ${fmt(busy)} ms (${((busy / wall) * 100).toFixed(0)} %), idle ${((idle / wall) * 100).toFixed(0)} %`]
  lines.push('  top functions by self time (share of busy time):')
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`    ${((v / busy) * 100).toFixed(1).padStart(5)} %  ${k}`)
  lines.push('  inclusive groups (share of busy time):')
  for (const [g, test] of Object.entries(GROUPS)) {
    const ms = inclusive(nodes, test)
    if (ms > 0) lines.push(`    ${((ms / busy) * 100).toFixed(1).padStart(5)} %  ${g}`)
  }
  return { wall, busy, text: lines.join('\n') }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2)
  const rows = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000)
  const byTime = args.includes('--by-time')
  const extra = args.includes('--no-tag') ? ['--no-tag'] : []
  const file = await realInput({ rows, byTime })
  const dir = join(OUT, `profile-${rows}${byTime ? '-by-time' : ''}${extra.length ? '-no-tag' : ''}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const db = join(dir, 'profile.db')
  const r = await runProcess(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, join(ROOT, 'bin/listen.js'), 'import', file, '--db', db, ...extra])
  if (r.code !== 0) throw new Error(`import failed: ${r.stderr}`)
  rmSync(db, { force: true })
  rmSync(`${db}-wal`, { force: true })
  rmSync(`${db}-shm`, { force: true })
  console.log(`listen import ${extra.join(' ')} of ${rows.toLocaleString('en-US')} real-text rows${byTime ? ' (in time order)' : ''} under --cpu-prof: ${fmt(r.ms)} ms = ${fmt(rows / (r.ms / 1000))}/s, CPU ${fmt(r.cpuMs)} ms (both threads), peak RSS ${fmt(r.rssMb)} MB`)
  const profiles = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort()
  for (const f of profiles) {
    // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread 0 is the main thread.
    const thread = Number(f.split('.').at(-3))
    console.log(`\n${thread === 0 ? 'main thread (writer)' : `worker thread ${thread} (reader: parse, map, tag)`}: ${f}`)
    console.log(summarizeProfile(join(dir, f)).text)
  }
}
