// listen completion bash|zsh|fish: scripts generated from the commander program, loaded into the
// real shells and asked to complete, as a user's TAB would.
import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildProgram } from '../../src/cli/program.js'
import { runCli } from '../helpers/cli.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const has = (shell: string) => existsSync(`/usr/bin/${shell}`) || existsSync(`/bin/${shell}`)
const program = await buildProgram({ stdout: process.stdout, stderr: process.stderr, env: {}, cwd: '/' })
const COMMANDS = program.commands.map((c) => c.name())

async function script(shell: string): Promise<string> {
  const dir = tmp()
  const r = await runCli(['completion', shell], { cwd: dir })
  expect(r).toMatchObject({ code: 0, stderr: '' })
  const file = join(dir, shell === 'zsh' ? '_listen' : `listen.${shell}`)
  writeFileSync(file, r.stdout)
  return file
}

describe('listen completion', () => {
  it('refuses an unknown shell', async () => {
    const r = await runCli(['completion', 'tcsh'], { cwd: tmp() })
    expect(r).toMatchObject({ code: 2, stdout: '' })
    expect(r.stderr).toMatch(/^listen: completion: "tcsh" is not one of bash, zsh, fish/)
  })

  it.skipIf(!has('bash'))('bash: commands, each command’s flags, and the values of --format, --label and files', async () => {
    const file = await script('bash')
    const complete = (...words: string[]) => {
      const r = spawnSync('bash', ['-c', `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _listen; printf '%s\\n' "\${COMPREPLY[@]}"`, 'bash', file, 'listen', ...words], { encoding: 'utf8' })
      expect(r.stderr).toBe('')
      return r.stdout.trim().split('\n').filter(Boolean)
    }
    expect(complete('')).toEqual(expect.arrayContaining([...COMMANDS, '--db', '--tz', '--config']))
    expect(complete('rep')).toEqual(['report'])
    const report = program.commands.find((c) => c.name() === 'report')!
    expect(complete('report', '--')).toEqual(expect.arrayContaining(report.options.map((o) => o.long)))
    expect(complete('report', '--format', '')).toEqual(['table', 'json', 'ndjson', 'csv', 'tsv'])
    expect(complete('import', '--format', '')).toEqual(['jsonl', 'csv', 'tsv'])
    expect(complete('--db', 'x.db', 'mentions', '--label', 'unt')).toEqual(['untagged'])
    expect(complete('--tz', 'Europe/Ber')).toEqual(['Europe/Berlin'])
    expect(complete('config', '')).toEqual(expect.arrayContaining(['path']))
    expect(complete('completion', '')).toEqual(expect.arrayContaining(['bash', 'zsh', 'fish']))
  })

  it.skipIf(!has('fish'))('fish: commands with descriptions, flags and values', async () => {
    const file = await script('fish')
    const complete = (line: string) => {
      const r = spawnSync('fish', ['--no-config', '-c', `source $argv[1]; complete -C "${line}"`, file], { encoding: 'utf8' })
      expect(r.stderr).toBe('')
      return r.stdout.trim().split('\n').map((l) => l.split('\t')[0])
    }
    expect(complete('listen ')).toEqual(expect.arrayContaining(COMMANDS))
    expect(complete('listen rep')).toEqual(['report'])
    expect(complete('listen report --for')).toEqual(['--format'])
    expect(complete('listen report --format ').sort()).toEqual(['csv', 'json', 'ndjson', 'table', 'tsv'])
    expect(complete('listen import --format ').sort()).toEqual(['csv', 'jsonl', 'tsv'])
    expect(complete('listen config ')).toEqual(['path'])
  })

  it.skipIf(!has('zsh'))('zsh: the script parses and completes in an interactive zsh (zpty)', async () => {
    const file = await script('zsh')
    expect(spawnSync('zsh', ['-n', file], { encoding: 'utf8' }).status).toBe(0)
    // An interactive zsh on a pseudo-terminal: type, press TAB twice, read until the values show.
    const driver = `
zmodload zsh/zpty
zpty z 'zsh -f -i'
zpty -w z 'PS1="> "; fpath=(${join(file, '..')} $fpath); autoload -Uz compinit; compinit -u -D; listen() { :; }'
zpty -w z $'listen report --format \\t\\t'
out=""
for i in {1..100}; do
  while zpty -r -t z chunk; do out+=$chunk; done
  [[ $out == *ndjson*tsv* ]] && break
  sleep 0.1
done
zpty -d z
print -r -- "$out"`
    const r = spawnSync('zsh', ['-f', '-c', driver], { encoding: 'utf8', timeout: 20_000 })
    // eslint-disable-next-line no-control-regex
    const screen = r.stdout.replace(/\u001b\[[0-9;?]*[a-zA-Z]/g, '')
    expect(screen).toMatch(/csv\s+json\s+ndjson\s+table\s+tsv/)
  })
})
