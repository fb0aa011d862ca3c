// The README's transcripts, run as printed: each `<!-- transcript: NAME -->` block's commands in a
// fresh directory per NAME (called /home/me/care in the README), with `listen` on PATH, `../shared`
// beside it, and stdout and stderr as a terminal interleaves them. README_PRINT=1 writes what the
// commands print today to test/out/readme-actual.txt instead of failing, for updating the README.
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BIN } from '../helpers/cli.js'
import { SHARED } from '../helpers/tmp.js'
import { outputMatches, parseTranscripts } from '../helpers/transcripts.js'

const ROOT = join(import.meta.dirname, '../..')
const transcripts = parseTranscripts(readFileSync(join(ROOT, 'README.md'), 'utf8'))
// Not run: they open a browser or an editor.
const SKIP = /^(xdg-open|open|\$EDITOR)\b/
const PRINT = process.env.README_PRINT === '1'
const OUT = join(ROOT, 'test/out/readme-actual.txt')
const roots: string[] = []
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true })
})

function session(): { cwd: string; env: NodeJS.ProcessEnv } {
  const root = mkdtempSync(join(tmpdir(), 'listen-readme-'))
  roots.push(root)
  const cwd = join(root, 'care')
  const bin = join(root, 'bin')
  mkdirSync(cwd)
  mkdirSync(bin)
  symlinkSync(SHARED, join(root, 'shared'))
  writeFileSync(join(bin, 'listen'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`)
  chmodSync(join(bin, 'listen'), 0o755)
  return { cwd, env: { PATH: `${bin}:${process.env.PATH}`, HOME: cwd, TZ: 'UTC', NO_COLOR: '1', LANG: 'C.UTF-8' } }
}

describe('transcript matching', () => {
  it.each([
    [['a', 'b'], ['a', 'b'], true],
    [['a', '…', 'd'], ['a', 'b', 'c', 'd'], true],
    [['a', '  …', 'd'], ['a', 'd'], true],
    [['a', 'x…z'], ['a', 'x 1 2 z'], true],
    [['a', 'x…z'], ['a', 'x 1 2 y'], false],
    [['a (b)'], ['a (b)'], true],
    [['a'], ['a', 'b'], false],
    [['…'], [], true],
  ])('%j fits %j: %s', (expected, actual, fits) => expect(outputMatches(expected, actual)).toBe(fits))
  it('reads commands, continuation lines and here-documents', () => {
    const [t] = parseTranscripts('<!-- transcript: x -->\n```console\n$ a \\\n    b\nout\n$ cat > f <<\'JSON\'\n{}\nJSON\n$ c\n```\n')
    expect(t!.steps.map((s) => [s.command, s.expected])).toEqual([
      ['a  b', ['out']],
      ["cat > f <<'JSON'\n{}\nJSON", []],
      ['c', []],
    ])
  })
})

describe('README transcripts', () => {
  it('has the transcripts of the first hour', () => {
    expect(transcripts.map((t) => t.name)).toEqual(expect.arrayContaining(['demo', 'care', 'twcs', 'twcs-plain', 'staff', 'demo-db']))
  })

  if (PRINT) mkdirSync(join(ROOT, 'test/out'), { recursive: true })
  if (PRINT) writeFileSync(OUT, '')

  for (const t of transcripts) {
    it(`${t.name}: ${t.steps.length} commands print what the README shows`, () => {
      const { cwd, env } = session()
      for (const step of t.steps) {
        if (SKIP.test(step.command)) continue
        // npx would ask the registry in a directory without the package; the shim is the same program.
        const command = step.command.replace(/^npx listen\b/, 'listen')
        const r = spawnSync('bash', ['-c', `exec 2>&1\n${command}`], { cwd, env, encoding: 'utf8', timeout: 60_000 })
        const actual = r.stdout.split(cwd).join('/home/me/care').replace(/\n$/, '').split('\n').map((l) => l.trimEnd())
        if (actual.length === 1 && actual[0] === '') actual.pop()
        if (PRINT) {
          appendFileSync(OUT, `## ${t.name}, README line ${step.line}\n$ ${step.command}\n${actual.join('\n')}\n\n`)
          continue
        }
        expect(outputMatches(step.expected, actual), `README line ${step.line}: $ ${command}\n--- README\n${step.expected.join('\n')}\n--- printed\n${actual.join('\n')}`).toBe(true)
      }
    }, 120_000)
  }
})
