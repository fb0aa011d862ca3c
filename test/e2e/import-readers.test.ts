// Several reader threads share a JSON Lines file in chunks; the database and the summary are the
// same as with one reader: labels, the rollup, a key given twice (the later row wins), bad lines.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const TEXTS = ['kein Netz in Kiel seit 8 Uhr', 'my flight was cancelled, nobody answers', 'danke für die schnelle Hilfe', 'how do I activate the eSIM?']

function dump(db: string) {
  const d = new Database(db, { readonly: true })
  try {
    return {
      mentions: d.prepare('SELECT source, id, created_at, text, lang, label, scores FROM mentions ORDER BY source, id').all(),
      buckets: d.prepare('SELECT bucket, brand, label, n FROM mention_buckets WHERE n > 0 ORDER BY 1, 2, 3').all(),
    }
  } finally {
    d.close()
  }
}

describe('listen import --readers', () => {
  it('gives the same database and summary with one reader and with three', async () => {
    const dir = tmp()
    const file = join(dir, 'rows.jsonl')
    const base = Date.parse('2026-11-02T00:00:00Z')
    const lines = Array.from({ length: 9_000 }, (_, i) =>
      i === 4_321 ? '{not json' : JSON.stringify({ id: String(i === 8_500 ? 7 : i), source: 'x', brand: 'Acme', created_at: new Date(base + ((i * 7919) % 9000) * 60_000).toISOString(), text: `${TEXTS[i % 4]} ${i}` }),
    )
    writeFileSync(file, `${lines.join('\n')}\n`)
    const one = await runCli(['import', file, '--db', join(dir, 'one.db'), '--readers', '1'], { cwd: dir })
    const three = await runCli(['import', file, '--db', join(dir, 'three.db'), '--readers', '3'], { cwd: dir })
    expect([one.code, three.code]).toEqual([1, 1])
    expect(JSON.parse(three.stdout).totals).toEqual(JSON.parse(one.stdout).totals)
    expect(JSON.parse(one.stdout).totals).toMatchObject({ rows: 9_000, inserted: 8_998, updated: 1, bad: 1 })
    expect(three.stderr).toContain(':4322:')
    expect(dump(join(dir, 'three.db'))).toEqual(dump(join(dir, 'one.db')))
  })

  it('rejects a reader count that is not a whole number from 1', async () => {
    const r = await runCli(['import', join(tmp(), 'none.jsonl'), '--readers', '0'], { cwd: tmp() })
    expect(r.code).toBe(2)
  })
})
