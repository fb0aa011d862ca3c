// listen query's PostgreSQL path (store/pg/query.ts) against a real server: one statement in a
// READ ONLY transaction, rolled back; writes, several statements and escapes from the transaction
// are refused, and the data is unchanged afterwards.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { UsageError } from '../../src/models/errors.js'
import { openPool, type PgHandle } from '../../src/store/pg/connect.js'
import { queryReadOnly } from '../../src/store/pg/query.js'
import { describeWithPg, usePgSchemas } from '../helpers/pg.js'

const schemas = usePgSchemas()

describeWithPg('queryReadOnly on PostgreSQL', () => {
  let h: PgHandle
  beforeAll(async () => {
    const { url } = await schemas.fresh()
    h = await openPool({ url, env: {} })
    await h.pool.query("CREATE TABLE mentions (id text PRIMARY KEY, text text); INSERT INTO mentions VALUES ('a', 'Störung'), ('b', 'danke')")
  })
  afterAll(async () => h?.close())

  it('returns columns and rows of a SELECT', async () => {
    expect(await queryReadOnly(h, 'SELECT id, text, id FROM mentions ORDER BY id')).toEqual({
      columns: ['id', 'text', 'id'],
      rows: [
        ['a', 'Störung', 'a'],
        ['b', 'danke', 'b'],
      ],
    })
  })

  it.each([
    ["DELETE FROM mentions WHERE id = 'a' RETURNING id", /query: cannot execute DELETE in a read-only transaction/],
    ["INSERT INTO mentions VALUES ('c', 'x')", /query: cannot execute INSERT in a read-only transaction/],
    ["COMMIT; DELETE FROM mentions", /query: cannot insert multiple commands into a prepared statement/],
    ['SET TRANSACTION READ WRITE', /query: this statement returns no rows/],
    ['CREATE TABLE t (x int)', /query: cannot execute CREATE TABLE in a read-only transaction/],
    ['SELEC 1', /query: syntax error at or near "SELEC"/],
  ])('refuses %j with a usage error', async (sql, msg) => {
    const e = await queryReadOnly(h, sql).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(UsageError)
    expect((e as Error).message).toMatch(msg)
    expect((await h.pool.query('SELECT count(*)::int AS n FROM mentions')).rows[0].n).toBe(2)
  })

  it('leaves the pooled connection clean for the next query', async () => {
    await queryReadOnly(h, 'SET TRANSACTION READ WRITE').catch(() => {})
    const r = await h.pool.query('SHOW transaction_read_only')
    expect(r.rows[0].transaction_read_only).toBe('off')
    expect((await queryReadOnly(h, 'SELECT 1 AS one')).rows).toEqual([[1]])
  })
})
