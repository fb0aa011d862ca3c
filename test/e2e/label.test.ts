// listen label --next and --input as a user runs them, the terminal session through a real child
// process (LISTEN_FORCE_TTY=1 reads the keys from stdin) with its background retrain worker.
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BIN, runCli } from '../helpers/cli.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()

const TEXTS = [
  'is your app down? nothing loads',
  'thank you so much, great service!',
  'how do I reset my password?',
  'my bag never arrived and nobody answers',
  'flight delayed three hours, no information at all',
  'the website keeps crashing at checkout',
  'can I bring my dog on board',
  'lovely crew on the flight to Lisbon',
]

async function seeded(): Promise<string> {
  const dir = tmp()
  const rows = TEXTS.map((text, i) => ({ id: String(i + 1), source: 'x', created_at: `2026-11-02T09:${String(i).padStart(2, '0')}:00Z`, text }))
  writeFileSync(join(dir, 'm.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'))
  const r = await runCli(['--db', 'l.db', 'import', 'm.jsonl'], { cwd: dir })
  expect(r.code, r.stderr).toBe(0)
  return dir
}

describe('listen label --next / --input', () => {
  it('--next N --format ndjson prints the posts to label, least sure first', async () => {
    const dir = await seeded()
    const r = await runCli(['--db', 'l.db', 'label', '--next', '3', '--format', 'ndjson'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { mention: string; guess: string; uncertainty: number })
    expect(rows).toHaveLength(3)
    expect(rows[0]!.uncertainty).toBeGreaterThanOrEqual(rows[2]!.uncertainty)
    const csv = await runCli(['--db', 'l.db', 'label', '--next', '2', '--format', 'csv'], { cwd: dir })
    expect(csv.stdout.split(/\r?\n/)[0]).toBe('mention,guess,uncertainty,score_outage,score_complaint,score_question,score_praise,score_other,brand,createdAt,createdAt_local,author,lang,text,parent,reply')
  })

  it('--input: exit 2 for a bad row, 1 for an unknown id, 0 with --skip-unknown', async () => {
    const dir = await seeded()
    writeFileSync(join(dir, 'bad.csv'), 'id,label\nx:1,outage\nx:2,furious\n')
    const bad = await runCli(['--db', 'l.db', 'label', '--input', 'bad.csv'], { cwd: dir })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('bad.csv:3: unknown label "furious"')
    writeFileSync(join(dir, 'u.csv'), 'id,label\nx:1,outage\nx:99,praise\n')
    const unknown = await runCli(['--db', 'l.db', 'label', '--input', 'u.csv'], { cwd: dir })
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('u.csv:3: no mention x:99')
    const skip = await runCli(['--db', 'l.db', 'label', '--input', 'u.csv', '--skip-unknown', '--format', 'json'], { cwd: dir })
    expect(skip.code, skip.stderr).toBe(0)
    expect(JSON.parse(skip.stdout)).toMatchObject({ saved: 1, unknown: [{ mention: 'x:99', line: 3 }] })
    expect(skip.stderr).toContain('1 id not in the database, skipped: x:99 (line 3)')
    const usage = await runCli(['--db', 'l.db', 'label', '--next', '--input', 'u.csv'], { cwd: dir })
    expect(usage.code).toBe(2)
  })

  it('on a terminal: cards, keys, undo, a background retrain, quit', async () => {
    const dir = await seeded()
    const child = spawn(process.execPath, [BIN, '--db', 'l.db', 'label', '--next', '--retrain-every', '2'], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: dir, TZ: 'UTC', LISTEN_FORCE_TTY: '1', NO_COLOR: '1', USER: 'lea' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const prompts = () => stderr.split('\n> ').length - 1
    const press = async (key: string, until: () => boolean) => {
      const before = prompts()
      child.stdin.write(key)
      for (let i = 0; i < 400 && (prompts() <= before || !until()); i++) await new Promise((r) => setTimeout(r, 25))
    }
    for (let i = 0; i < 400 && !stderr.endsWith('> '); i++) await new Promise((r) => setTimeout(r, 25))
    expect(stderr).toContain('1 outage  2 complaint  3 question  4 praise  5 other   s skip  u undo  q quit')
    await press('2', () => stderr.includes('as complaint'))
    await press('u', () => stderr.includes('undid'))
    await press('2', () => true)
    await press('s', () => stderr.includes('skipped'))
    await press('4', () => stderr.includes('rebuilding the model in the background'))
    // The worker's new list arrives while the card waits for a key, and says so at once.
    for (let i = 0; i < 400 && !stderr.includes('model rebuilt ('); i++) await new Promise((r) => setTimeout(r, 25))
    await press('s', () => true)
    child.stdin.write('q')
    const code = await new Promise<number | null>((r) => child.on('close', r))
    expect(code, stderr).toBe(0)
    expect(stdout).toBe('')
    expect(stderr).toContain('model rebuilt (built-in model + 2 human labels): the next posts are picked by it')
    expect(stderr).toMatch(/2 labels saved, \d+ skipped, 1 undone, model rebuilt 1 time/)
    expect(stderr).not.toContain('\u001b[')
    const list = await runCli(['--db', 'l.db', 'mentions', '--format', 'ndjson', '--since', '3650d'], { cwd: dir })
    const human = list.stdout.trim().split('\n').map((l) => JSON.parse(l) as { labelSource: string }).filter((m) => m.labelSource === 'human')
    expect(human).toHaveLength(2)
  }, 60_000)
})
