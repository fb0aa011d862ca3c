// listen(1): written by npm run build from the commander program; package.json "man" installs it.
// groff renders it without a warning, and it holds every command, every flag and every example
// that --help shows.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { buildProgram } from '../../src/cli/program.js'
import { runCli } from '../helpers/cli.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const ROOT = join(import.meta.dirname, '../..')
const PAGE = join(ROOT, 'dist/listen.1')
const program = await buildProgram({ stdout: process.stdout, stderr: process.stderr, env: {}, cwd: ROOT })
const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)]

describe('the man page', () => {
  it('is installed with the package', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { man: string; files: string[] }
    expect(pkg.man).toBe('./dist/listen.1')
    expect(pkg.files).toContain('dist')
    expect(existsSync(PAGE)).toBe(true)
  })

  it.skipIf(!existsSync('/usr/bin/groff'))('renders without warnings and holds every command, flag and example of --help', async () => {
    const r = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-rLL=200n', PAGE], { encoding: 'utf8', env: { ...process.env, GROFF_NO_SGR: '1' } })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    // Overstrike bold/underline (x\bx) back to plain text.
    // eslint-disable-next-line no-control-regex
    const text = r.stdout.replace(/.\u0008/g, '')
    for (const cmd of all(program)) {
      if (cmd !== program) expect(text).toContain(cmd.createHelp().commandUsage(cmd))
      for (const o of cmd.options) expect(text, `${cmd.name()} ${o.long}`).toContain(o.long!)
    }
    for (const name of ['report', 'mentions', 'query', 'completion']) {
      const help = await runCli([name, '--help'], { cwd: tmp() })
      const examples = help.stdout.split(/Examples?:\n/)[1]!.trim().split('\n').map((l) => l.trim())
      for (const line of examples) expect(text).toContain(line)
    }
    expect(text).toMatch(/EXIT STATUS[\s\S]*\b3\s+listen alerts --fail-on-alert/)
  })
})
