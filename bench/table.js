// Renders bench/out/results.json (one `npm run bench` run) as a Markdown table for the README:
// every figure with a goal, then the baselines of the same run. Usage: node bench/table.js [FILE]
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, fmt } from './lib.js'

const file = process.argv[2] ?? join(ROOT, 'bench/out/results.json')
const r = JSON.parse(readFileSync(file, 'utf8'))
const value = (f) => (f.skipped ? `skipped: ${f.skipped}` : `${fmt(f.value, f.digits ?? 0)}${f.unit ? ` ${f.unit}` : ''}`)
const goal = (f) => `${f.goal.op === '>=' ? '≥' : '≤'}${fmt(f.goal.value, Number.isInteger(f.goal.value) ? 0 : Math.min(f.digits ?? 2, 2))}${f.unit ? ` ${f.unit}` : ''}`
console.log(`Run of ${r.started.at} at ${r.commit?.slice(0, 10) ?? '?'} on ${r.cores} cores, node ${r.node}; load average at start ${r.started.loadavg.join(' ')}.\n`)
console.log('| benchmark | figure | goal | measured | met |\n|---|---|---|---|---|')
for (const f of r.figures.filter((x) => x.goal)) console.log(`| ${f.bench} | ${f.name} | ${goal(f)} | ${value(f)} | ${f.met ? 'yes' : '**no**'} |`)
console.log('\n| benchmark | baseline or context (same run) | measured |\n|---|---|---|')
for (const f of r.figures.filter((x) => !x.goal)) console.log(`| ${f.bench} | ${f.name} | ${value(f)} |`)
