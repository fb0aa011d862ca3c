// Issue 2: `listen --help` cold start ≤150 ms. Baseline in the same run: a bare `node -e ""`.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT, figure, line, median, runNode } from './lib.js'

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
  return { ok: h <= 150 }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run()
