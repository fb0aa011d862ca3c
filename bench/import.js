// Issue 2: `listen import` of a 1M-line JSONL file: ≥50k mentions/s and peak RSS ≤300 MB, run as
// the real CLI in a child process. Baseline in the same run: a child that only reads and
// JSON.parses the same file (the ceiling for any importer).
import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT, line, runNode, tempDir, verdict } from './lib.js'

const TEXTS = [
  '@NordwindHilfe seit heute morgen kein Netz in Hamburg, was ist los?',
  'My Acme Air flight was delayed again and nobody tells us anything. Third time this month!',
  'Wie aktiviere ich die eSIM bei Nordwind Mobile? Finde nichts in der App.',
  'Thanks @AcmeAirHelp for sorting out my rebooking so quickly, great service',
  'Acme Air announces new routes to Porto and Split next summer.',
]

async function writeFixture(file, rows) {
  const out = createWriteStream(file)
  const start = Date.parse('2026-08-01T00:00:00Z')
  for (let i = 0; i < rows; i++) {
    const rec = {
      id: `p${i}`,
      source: ['x', 'reddit', 'mastodon', 'bluesky'][i % 4],
      brand: i % 3 ? 'Nordwind Mobile' : 'Acme Air',
      created_at: new Date(start + i * 7_777).toISOString(),
      author: `user${i % 9973}`,
      text: `${TEXTS[i % TEXTS.length]} #${i}`,
      lang: i % 2 ? 'de' : 'en',
      in_reply_to: i % 4 === 3 ? `p${i - 1}` : undefined,
    }
    if (!out.write(`${JSON.stringify(rec)}\n`)) await new Promise((r) => out.once('drain', r))
  }
  await new Promise((r) => out.end(r))
}

export async function run({ rows = 1_000_000 } = {}) {
  const { dir, cleanup } = tempDir()
  try {
    const file = join(dir, 'mentions.jsonl')
    await writeFixture(file, rows)
    const parseOnly = await runNode([
      '-e',
      `const rl=require('node:readline').createInterface({input:require('node:fs').createReadStream(${JSON.stringify(file)})});let n=0;rl.on('line',l=>{JSON.parse(l);n++});rl.on('close',()=>console.log(n))`,
    ])
    const ours = await runNode([join(ROOT, 'bin/listen.js'), 'import', file, '--db', join(dir, 'bench.db')])
    if (ours.code !== 0) throw new Error(`import failed (${ours.code}): ${ours.stderr}`)
    const inserted = JSON.parse(ours.stdout).totals.inserted
    const rate = inserted / (ours.ms / 1000)
    const baseRate = rows / (parseOnly.ms / 1000)
    console.log(`\nimport of a ${rows.toLocaleString('en-US')}-line JSONL file (whole CLI process)`)
    line('listen import', `${(ours.ms / 1000).toFixed(1)} s = ${Math.round(rate).toLocaleString('en-US')} mentions/s  ${verdict(rate >= 50_000)} (goal ≥50,000/s)`)
    line('peak RSS of listen import', `${ours.rssMb.toFixed(0)} MB  ${verdict(ours.rssMb <= 300)} (goal ≤300 MB)`)
    line('baseline: read + JSON.parse only', `${(parseOnly.ms / 1000).toFixed(1)} s = ${Math.round(baseRate).toLocaleString('en-US')} lines/s, ${parseOnly.rssMb.toFixed(0)} MB`)
    line('listen import speed as a share of the parse-only ceiling', `${((rate / baseRate) * 100).toFixed(0)} %`)
    return { rate, rssMb: ours.rssMb, ok: rate >= 50_000 && ours.rssMb <= 300 && inserted === rows }
  } finally {
    cleanup()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run()
