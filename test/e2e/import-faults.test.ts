// listen import against a database that refuses writes, as a user meets it: the database and the
// cause named, exit 1, and a true count of the rows that were saved.
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const NOBODY = 65534
const isRoot = process.getuid?.() === 0

function rowsFile(path: string, from: number, count: number, text = (i: number) => `Nordwind Mobile: kein Netz in Kiel seit 8 Uhr, Auftrag ${i} ${'x'.repeat(120)}`): void {
  const lines: string[] = []
  for (let i = from; i < from + count; i++) lines.push(JSON.stringify({ id: String(i), source: 'x', created_at: '2026-11-02T09:00:00Z', text: text(i) }))
  writeFileSync(path, `${lines.join('\n')}\n`)
}

const count = (db: string) => {
  const d = new Database(db, { readonly: true })
  try {
    return d.prepare('SELECT count(*) FROM mentions').pluck().get() as number
  } finally {
    d.close()
  }
}

/** A small tmpfs, when this process may mount one (root with CAP_SYS_ADMIN); else null. */
function smallDisk(bytes: number): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'listen-full-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'ignore' })
    return dir
  } catch {
    rmSync(dir, { recursive: true, force: true })
    return null
  }
}
const mounted: string[] = []
afterEach(() => {
  for (const dir of mounted.splice(0)) unmount(dir)
})
function unmount(dir: string): void {
  execFileSync('umount', [dir])
  rmSync(dir, { recursive: true, force: true })
}
const canMount = ((dir) => (dir ? (unmount(dir), true) : false))(smallDisk(1 << 20))

describe('listen import: the database refuses the write', () => {
  it('a database the user may not write: "read-only", exit 1, no row claimed', async () => {
    const dir = tmp()
    const db = join(dir, 'listen.db')
    rowsFile(join(dir, 'a.jsonl'), 1, 10)
    expect((await runCli(['import', 'a.jsonl', '--db', db], { cwd: dir })).code).toBe(0)
    rowsFile(join(dir, 'b.jsonl'), 100, 10)
    // Someone else's database in a shared folder. Root writes through any mode bits, so as root the
    // import runs as nobody, as a non-root user would; otherwise the file is made read-only.
    chmodSync(dir, 0o777)
    chmodSync(db, isRoot ? 0o644 : 0o444)
    const r = await runCli(['import', 'b.jsonl', '--db', db], { cwd: dir, ...(isRoot ? { uid: NOBODY } : {}) })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`listen: database ${db}: read-only (attempt to write a readonly database, SQLITE_READONLY), while importing b.jsonl; no row of b.jsonl was saved.`)
    expect(r.stderr).not.toContain('cannot read')
    expect(count(db)).toBe(10)
  })

  it.skipIf(!canMount)('a full disk: "disk full", exit 1, and the rows it says were saved are there', async () => {
    const disk = smallDisk(3 << 20)!
    mounted.push(disk)
    const dir = tmp()
    const db = join(disk, 'listen.db')
    rowsFile(join(dir, 'big.jsonl'), 1, 30_000)
    const r = await runCli(['import', 'big.jsonl', '--db', db], { cwd: dir })
    expect(r.code).toBe(1)
    const m = /listen: database (\S+): disk full \(database or disk is full, SQLITE_FULL\), while importing big\.jsonl; ([\d,]+) rows of big\.jsonl were saved before the problem, the rest were not\./.exec(r.stderr)
    expect(m, r.stderr).not.toBeNull()
    expect(m![1]).toBe(db)
    const saved = Number(m![2]!.replace(/,/g, ''))
    expect(saved).toBeGreaterThan(0)
    expect(saved).toBeLessThan(30_000)
    expect(count(db)).toBe(saved)
  })

  it('a post of one 5 MB word is imported and tagged beside the others (reader thread)', async () => {
    const dir = tmp()
    rowsFile(join(dir, 'odd.jsonl'), 1, 3, (i) => (i === 2 ? 'a'.repeat(5_000_000) : `Netz weg ${i}`))
    const r = await runCli(['import', 'odd.jsonl'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).totals).toMatchObject({ rows: 3, inserted: 3, bad: 0 })
    const d = new Database(join(dir, 'listen.db'), { readonly: true })
    expect(d.prepare('SELECT count(*) FROM mentions WHERE label IS NOT NULL').pluck().get()).toBe(3)
    d.close()
  })
})
