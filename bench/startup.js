// Issue 2: `listen --help` cold start ≤150 ms. Baseline in the same run: a bare `node -e ""`.
// Beside it, the whole process of the commands a shift runs all day (and cron every few minutes)
// on a small real-text database: what each costs above bare node is start-up, not data.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT, SHARED, figure, line, median, runListen, runNode, tempDir } from './lib.js'

/** Whole-process wall and CPU time of each command, median of `runs`, runs of all commands interleaved. */
async function measureCommands(runs) {
  const { realInput } = await import('./realtext.js')
  const input = await realInput({ rows: 2000 })
  const { dir, cleanup } = tempDir()
  try {
    const db = join(dir, 'small.db')
    const imported = await runListen(['import', input, '--db', db])
    if (imported.code !== 0) throw new Error(`import for the start-up bench failed: ${imported.stderr}`)
    // One line: an import's fixed cost (a reader thread with the tagger, topics and personal-data checks).
    const text = readFileSync(input, 'utf8')
    writeFileSync(join(dir, 'one.jsonl'), text.slice(0, text.indexOf('\n') + 1))
    const commands = [
      ['mentions', '--db', db],
      ['queue', '--since', '30d', '--db', db],
      ['report', '--by-hour', '--db', db],
      ['audit', '--db', db],
      ['alerts', '--db', db],
      ['import', join(dir, 'one.jsonl'), '--db', join(dir, 'one.db')],
    ]
    const times = commands.map(() => ({ wall: [], cpu: [] }))
    for (let i = 0; i < runs; i++) {
      for (const [j, args] of commands.entries()) {
        const r = await runListen(args)
        if (r.code !== 0 && r.code !== 3) throw new Error(`listen ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
        times[j].wall.push(r.ms)
        times[j].cpu.push(r.cpuMs)
      }
    }
    console.log(`\nwhole process on 2,000 real-text mentions (median of ${runs}; CPU counts every thread)`)
    for (const [j, args] of commands.entries()) {
      const name = `listen ${args.filter((a) => !a.startsWith(dir) && !a.startsWith(ROOT) && a !== '--db').join(' ')}`
      const wall = median(times[j].wall)
      const cpu = median(times[j].cpu)
      figure('startup', name, wall, { unit: 'ms', text: `${wall.toFixed(0)} ms, CPU ${cpu.toFixed(0)} ms`, extra: { cpuMs: cpu } })
    }
  } finally {
    cleanup()
  }
}

export async function run({ runs = 15 } = {}) {
  const bare = []
  const help = []
  for (let i = 0; i < runs; i++) {
    bare.push((await runNode(['-e', ''])).ms)
    help.push((await runNode([join(ROOT, 'bin/listen.js'), '--help'])).ms)
  }
  const h = median(help)
  const b = median(bare)
  console.log(`\ncold start (median of ${runs} runs)`)
  figure('startup', 'listen --help, cold', h, { unit: 'ms', goal: { op: '<=', value: 150 } })
  figure('startup', 'baseline: node -e ""', b, { unit: 'ms' })
  line('listen --help cost above bare node', `${(h - b).toFixed(0)} ms (${(h / b).toFixed(2)}×)`)
  if (existsSync(SHARED)) await measureCommands(Math.min(runs, 9))
  else line('whole-process commands', `skipped: ${SHARED} is missing`)
  return { ok: h <= 150 }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run()
