#!/usr/bin/env node
// Brings the README's transcripts up to date with what the commands print today:
//   README_PRINT=1 npx vitest run test/e2e/readme.test.ts && node scripts/update-readme-transcripts.mjs
// Each expected line that no longer matches is replaced by the printed line in its place (lines of
// the same start, e.g. the same table row); "…" lines and lines with "…" inside stay. Steps that
// still do not match are listed for a hand edit.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..')
const README = join(ROOT, 'README.md')
const actualText = readFileSync(join(ROOT, 'test/out/readme-actual.txt'), 'utf8')

// "## NAME, README line N\n$ command…\noutput\n\n" per step, in README order.
const printed = new Map()
for (const chunk of actualText.split(/^## /m).slice(1)) {
  const m = /^[\w-]+, README line (\d+)\n/.exec(chunk)
  if (!m) continue
  const rest = chunk.slice(m[0].length).replace(/\n+$/, '').split('\n')
  // Drop the echoed command (it may span lines: a here-document or continuation lines).
  printed.set(Number(m[1]), rest)
}

const lines = readFileSync(README, 'utf8').split('\n')
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const fits = (e, a) => (e.includes('…') ? new RegExp(`^${e.split('…').map(esc).join('.*')}$`).test(a) : e === a)
// A line's identity: its start with the figures blanked, but a table row keeps its first cell (the hour).
const keyOf = (s) => {
  const row = /^│\s*([^│]*?)\s*│/.exec(s)
  return `${row ? row[1] : ''}|${s.replace(/\d[\d,.\s%]*/g, '#').slice(0, 24)}`
}

let changed = 0
const unresolved = []
for (const [cmdLine, out] of printed) {
  const i = cmdLine - 1
  if (!lines[i]?.startsWith('$ ')) continue
  // The echoed command in `out` is as long as the command in the README.
  let k = i
  while (lines[k].endsWith('\\')) k++
  const heredoc = /<<-?\s*'?(\w+)'?/.exec(lines[i])
  if (heredoc) while (k + 1 < lines.length && lines[k].trim() !== heredoc[1]) k++
  const echoed = k - i + 1
  const actual = out.slice(echoed)
  let end = k + 1
  while (end < lines.length && !lines[end].startsWith('$ ') && !/^```\s*$/.test(lines[end])) end++
  const expected = lines.slice(k + 1, end)
  let p = 0
  const next = expected.map((e) => {
    if (e.trim() === '…' || e.includes('…') || e === '') return e
    for (let q = p; q < actual.length; q++) {
      if (actual[q] === e || keyOf(actual[q]) === keyOf(e)) {
        p = q + 1
        if (actual[q] !== e) changed++
        return actual[q]
      }
    }
    return e
  })
  for (let x = 0; x < next.length; x++) lines[k + 1 + x] = next[x]
  const ok = (() => {
    const memo = new Map()
    const go = (a, b) => {
      const key = `${a},${b}`
      if (memo.has(key)) return memo.get(key)
      let r
      if (a === next.length) r = b === actual.length
      else if (next[a].trim() === '…') r = go(a + 1, b) || (b < actual.length && go(a, b + 1))
      else r = b < actual.length && fits(next[a], actual[b]) && go(a + 1, b + 1)
      memo.set(key, r)
      return r
    }
    return go(0, 0)
  })()
  if (!ok) unresolved.push(cmdLine)
}
writeFileSync(README, lines.join('\n'))
console.log(`${changed} lines updated; ${unresolved.length ? `still to fix by hand: README lines ${unresolved.join(', ')}` : 'every transcript matches'}`)
