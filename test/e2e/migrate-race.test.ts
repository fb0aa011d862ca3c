// Two processes on a database that does not exist yet: both must migrate it (or wait for the other)
// and write, 20 times over (the fault suite runs two real `listen fetch` on a new file too). Before
// migrations ran inside BEGIN IMMEDIATE, some runs failed with "table mentions already exists".
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrations } from '../../src/store/sqlite/migrations.js'
import { useTempDir } from '../helpers/tmp.js'

const STORE = pathToFileURL(join(import.meta.dirname, '../../dist/store/sqlite/index.js')).href

/** A process that opens (and so migrates) the store and saves 50 mentions, as any writing command does. */
function writer(db: string, who: string): Promise<{ code: number | null; stderr: string }> {
  const script = `
    import { openSqliteStore } from ${JSON.stringify(STORE)}
    const store = openSqliteStore(${JSON.stringify(db)}, { create: true })
    const rows = Array.from({ length: 50 }, (_, i) => ({ source: 'x', id: '${who}' + i, brand: null, createdAt: Date.parse('2026-11-02T09:00:00Z'),
      author: null, authorId: null, text: 'post ' + i, url: null, lang: null, inReplyTo: null, threadId: null, byBrand: false, raw: null }))
    await store.mentions.upsertMentions(rows)
    await store.close()`
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => resolve({ code, stderr }))
  })
}

const tmp = useTempDir()

describe('two processes on a new database', () => {
  it('20 rounds of two concurrent writers on one new file: every run succeeds, every row once', async () => {
    const dir = tmp()
    const failures: string[] = []
    for (let round = 0; round < 20; round++) {
      const db = join(dir, `round${round}.db`)
      const runs = await Promise.all(['a', 'b'].map((who) => writer(db, who)))
      for (const r of runs) if (r.code !== 0) failures.push(`round ${round}: exit ${r.code}: ${r.stderr.trim().split('\n').find((l) => /Error/.test(l)) ?? r.stderr.trim()}`)
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
