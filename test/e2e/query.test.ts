// listen query "SQL": read-only SQL over the cache in every output format; writes are refused by
// the connection itself, and the file is unchanged afterwards.
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()

async function withPosts(): Promise<string> {
  const dir = tmp()
  const rows = [
    { id: 'a', source: 'mastodon', created_at: '2026-11-02T10:00Z', text: 'Störung seit heute früh', label: 'outage' },
    { id: 'b', source: 'mastodon', created_at: '2026-11-02T11:00Z', text: 'danke, läuft wieder', label: 'praise' },
    { id: 'c', source: 'reddit', created_at: '2026-11-02T12:00Z', text: '@support =1+1 where is my refund?', label: 'question' },
  ]
  writeFileSync(join(dir, 'p.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'))
  expect((await runCli(['import', 'p.jsonl', '--no-tag'], { cwd: dir })).code).toBe(0)
  return dir
}

const SQL = 'SELECT source, count(*) AS n FROM mentions GROUP BY source ORDER BY n DESC'

describe('listen query', () => {
  it.each([
    ['json', (s: string) => expect(JSON.parse(s)).toMatchObject({ kind: 'query', columns: ['source', 'n'], rows: [{ source: 'mastodon', n: 2 }, { source: 'reddit', n: 1 }] })],
    ['ndjson', (s: string) => expect(s).toBe('{"source":"mastodon","n":2}\n{"source":"reddit","n":1}\n')],
    ['csv', (s: string) => expect(s).toBe('source,n\r\nmastodon,2\r\nreddit,1\r\n')],
    ['tsv', (s: string) => expect(s).toBe('source\tn\r\nmastodon\t2\r\nreddit\t1\r\n')],
    ['table', (s: string) => expect(s).toMatch(/│ source\s+│ n\s+│[\s\S]*│ mastodon │ 2\s+│[\s\S]*2 rows\n$/)],
  ] as const)('prints %s', async (format, check) => {
    const dir = await withPosts()
    const r = await runCli(['query', SQL, '--format', format], { cwd: dir })
    expect(r).toMatchObject({ code: 0, stderr: '' })
    check(r.stdout)
  })

  it('--json FIELDS, unique column names, the csv guard on text cells', async () => {
    const dir = await withPosts()
    const picked = await runCli(['query', "SELECT id, id, text FROM mentions WHERE id = 'c'", '--json', 'id_2,text'], { cwd: dir })
    expect(JSON.parse(picked.stdout)).toEqual([{ id_2: 'c', text: '@support =1+1 where is my refund?' }])
    const csv = await runCli(['query', "SELECT text FROM mentions WHERE id = 'c'", '--format', 'csv'], { cwd: dir })
    expect(csv.stdout).toBe("text\r\n'@support =1+1 where is my refund?\r\n")
  })

  it.each([
    ['DELETE FROM mentions', /this statement returns no rows; listen query runs read-only statements/],
    ['DELETE FROM mentions RETURNING id', /query: attempt to write a readonly database/],
    ["UPDATE mentions SET text = 'x' RETURNING id", /query: attempt to write a readonly database/],
    ['PRAGMA query_only = OFF', /returns no rows/],
    ["ATTACH DATABASE 'other.db' AS o", /returns no rows/],
    ['SELECT 1; DELETE FROM mentions', /query: one SQL statement at a time/],
    ['SELEC 1', /query: near "SELEC": syntax error/],
    ['SELECT * FROM nope', /query: no such table: nope/],
  ])('refuses %j with exit 2 and leaves the database as it was', async (sql, msg) => {
    const dir = await withPosts()
    const before = createHash('sha256').update(readFileSync(join(dir, 'listen.db'))).digest('hex')
    const r = await runCli(['query', sql], { cwd: dir })
    expect(r).toMatchObject({ code: 2, stdout: '' })
    expect(r.stderr).toMatch(msg)
    expect(r.stderr.split('\n')).toHaveLength(2)
    expect(createHash('sha256').update(readFileSync(join(dir, 'listen.db'))).digest('hex')).toBe(before)
    const count = await runCli(['query', 'SELECT count(*) AS n FROM mentions', '--json', 'n'], { cwd: dir })
    expect(JSON.parse(count.stdout)).toEqual([{ n: 3 }])
  })

  it('needs a database and says so', async () => {
    const r = await runCli(['query', 'SELECT 1'], { cwd: tmp() })
    expect(r).toMatchObject({ code: 2, stdout: '' })
    expect(r.stderr).toMatch(/no database at .*listen\.db/)
  })
})
