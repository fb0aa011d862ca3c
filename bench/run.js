// npm run bench [-- name ...]: every benchmark prints its figures beside a baseline from the same run.
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { existsSync } from 'node:fs'
import { ROOT, SHARED } from './lib.js'

const all = ['startup', 'report', 'import', 'fetch', 'tagger', 'audit', 'brand-query']
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : all
const results = {}
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark "${name}" (${all.join(', ')})`)
    process.exit(2)
  }
  if ((name === 'tagger' || name === 'brand-query') && !existsSync(SHARED)) {
    console.log(`\n${name}: skipped, ${SHARED} is missing`)
    continue
  }
  const mod = await import(pathToFileURL(join(ROOT, 'bench', `${name}.js`)).href)
  results[name] = await mod.run()
}
const missed = Object.entries(results).filter(([, r]) => r && r.ok === false).map(([n]) => n)
console.log(`\n${missed.length ? `goals missed: ${missed.join(', ')}` : 'all goals met'}`)
