// Progress lines belong to a person at a terminal: piped runs of import, classify and fetch print
// nothing extra on stderr; on a pseudo-terminal (util-linux `script`) the bar shows, then clears.
import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEMO_ENV } from '../../src/commands/demo.js'
import { BIN, runCli } from '../helpers/cli.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const ROOT = join(import.meta.dirname, '../..')
const DEMO = join(ROOT, 'fixtures/demo')

function posts(dir: string, n: number): string {
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ id: `p${i}`, source: 'mastodon', brand: 'Acme Air', created_at: new Date(Date.UTC(2026, 9, 12) + i * 60_000).toISOString(), text: i % 2 ? 'Die App ist schon wieder down, Störung seit heute früh' : 'thanks, all fixed' }),
  )
  const file = join(dir, 'posts.jsonl')
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

describe('progress on stderr', () => {
  it('prints nothing extra when stderr is a pipe: import, classify, fetch', async () => {
    const dir = tmp()
    const file = posts(dir, 12_000)
    const imp = await runCli(['import', file, '--no-tag'], { cwd: dir })
    expect(imp).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(imp.stdout).totals.inserted).toBe(12_000)

    const cls = await runCli(['classify', '--format', 'json'], { cwd: dir })
    expect(cls).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(cls.stdout).examined).toBe(12_000)

    const lines = await runCli(['classify', '--input', file, '--model', 'builtin'], { cwd: dir })
    expect(lines).toMatchObject({ code: 0, stderr: '' })
    expect(lines.stdout.trim().split('\n')).toHaveLength(12_000)

    const fetch = await runCli(['--config', join(DEMO, 'listen.config.json'), '--db', join(dir, 'demo.db'), 'fetch', '--replay', join(DEMO, 'replay'), '--format', 'json'], { cwd: dir, env: { ...DEMO_ENV } })
    expect(fetch).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(fetch.stdout).sources.map((s: { status: string }) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok'])
  })

  it.skipIf(!existsSync('/usr/bin/script'))('draws a bar on a terminal, clears it and ends with a one-line summary', () => {
    const dir = tmp()
    const file = posts(dir, 12_000)
    // stdout goes to /dev/null inside the pseudo-terminal: what is left is stderr as a person sees it.
    const r = spawnSync('/usr/bin/script', ['-qec', `"${process.execPath}" "${BIN}" import "${file}" --no-tag >/dev/null`, '/dev/null'], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: dir, TZ: 'UTC', NO_COLOR: '1', COLUMNS: '100' },
      encoding: 'utf8',
    })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('\r\u001b[2K')
    expect(r.stdout).toMatch(/ {2}0 % import posts\.jsonl: 0 rows/)
    expect(r.stdout).toMatch(/100 % import posts\.jsonl: 12,000 rows/)
    // The summary starts on a cleared line: the bar never runs into it.
    // eslint-disable-next-line no-control-regex
    expect(r.stdout).toMatch(/\r\u001b\[2K\S*posts\.jsonl: 12000 new, 0 updated, 0 unchanged, 0 bad rows\r?\n$/)
    expect(r.stdout).not.toContain('\u001b[36m')

    // classify --input: the bar follows the bytes read and is cleared before the summary.
    const c = spawnSync('/usr/bin/script', ['-qec', `"${process.execPath}" "${BIN}" classify --input "${file}" >/dev/null`, '/dev/null'], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: dir, TZ: 'UTC', NO_COLOR: '1', COLUMNS: '100' },
      encoding: 'utf8',
    })
    expect(c.status).toBe(0)
    expect(c.stdout).toMatch(/ \d+ % classify \S*posts\.jsonl: [\d,]+ lines/)
    // eslint-disable-next-line no-control-regex
    expect(c.stdout).toMatch(/\r\u001b\[2K\S*classify: 12000 of 12000 lines tagged with the built-in model\r?\n$/)
  })
})
