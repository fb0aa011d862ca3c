// Two processes on a database that does not exist yet: both must migrate it (or wait for the other)
// and import, 20 times over. Before migrations ran inside BEGIN IMMEDIATE, some runs failed with
// "table mentions already exists" or "database is locked".
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrations } from '../../src/store/sqlite/migrations.js'
import { runCli } from '../helpers/cli.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()

describe('two processes on a new database', () => {
  it('20 rounds of two concurrent imports into one new file: every run succeeds, every row once', async () => {
    const dir = tmp()
    for (const who of ['a', 'b']) {
      const rows = Array.from({ length: 50 }, (_, i) => JSON.stringify({ id: `${who}${i}`, source: 'x', created_at: '2026-11-02T09:00:00Z', text: `post ${who} ${i}` }))
      writeFileSync(join(dir, `${who}.jsonl`), rows.join('\n'))
    }
    const failures: string[] = []
    for (let round = 0; round < 20; round++) {
      const db = join(dir, `round${round}.db`)
      const runs = await Promise.all(['a', 'b'].map((who) => runCli(['import', `${who}.jsonl`, '--db', db, '--no-tag'], { cwd: dir })))
      for (const r of runs) if (r.code !== 0) failures.push(`round ${round}: exit ${r.code}: ${r.stderr.trim()}`)
      expect(failures).toEqual([])
      const d = new Database(db, { readonly: true })
      expect(d.pragma('user_version', { simple: true })).toBe(migrations.length)
      expect(d.prepare('SELECT count(*) FROM mentions').pluck().get()).toBe(100)
      expect(d.pragma('integrity_check', { simple: true })).toBe('ok')
      d.close()
    }
    expect(failures).toEqual([])
  }, 120_000)
})
