// store/pg/sql.ts run(): a plain SELECT whose pooled connection turns out dead runs once more;
// writes and other errors are never repeated. The pool is a stand-in whose queries fail on cue.
import type pg from 'pg'
import { describe, expect, it } from 'vitest'
import { isConnectionLoss, type PgHandle } from '../../src/store/pg/connect.js'
import { run } from '../../src/store/pg/sql.js'
import { ExitError } from '../../src/models/errors.js'

const lost = () => new Error('Connection terminated unexpectedly')
const sqlError = () => Object.assign(new Error('relation "nope" does not exist'), { code: '42P01' })

function handle(failures: Error[]): { h: PgHandle; calls: string[] } {
  const calls: string[] = []
  const pool = {
    query: async (sql: string) => {
      calls.push(sql)
      const e = failures.shift()
      if (e) throw e
      return { rows: [{ n: 1 }], rowCount: 1 }
    },
  } as unknown as pg.Pool
  return { h: { pool, url: 'postgres://u:***@db.example/listen', close: async () => {} }, calls }
}

describe('run() on a lost connection', () => {
  it.each([
    ['a SELECT whose connection was lost runs once more', 'SELECT count(*) FROM mentions', [lost()], 2, true],
    ['a SELECT lost twice fails, naming the database', '  select 1', [lost(), lost()], 2, false],
    ['an INSERT whose connection was lost is not repeated', 'INSERT INTO mentions VALUES (1)', [lost()], 1, false],
    ['a WITH … INSERT is not repeated', 'WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x', [lost()], 1, false],
    ['a SELECT that fails in SQL is not repeated', 'SELECT * FROM nope', [sqlError()], 1, false],
  ] as const)('%s', async (_, sql, failures, calls, ok) => {
    const { h, calls: seen } = handle([...failures])
    const result = await run(h, sql).then((r) => r, (e: unknown) => e)
    expect(seen).toHaveLength(calls)
    if (ok) expect(result).toMatchObject({ rows: [{ n: 1 }] })
    else {
      expect(result).toBeInstanceOf(ExitError)
      expect((result as Error).message).toContain('PostgreSQL at postgres://u:***@db.example/listen')
    }
  })

  it.each([
    ['Connection terminated unexpectedly', {}, true],
    ['terminating connection due to administrator command', { code: '57P01' }, true],
    ['read ECONNRESET', { code: 'ECONNRESET' }, true],
    ['duplicate key value violates unique constraint', { code: '23505' }, false],
    ['Connection terminated due to connection timeout', {}, false],
  ] as const)('isConnectionLoss(%j) is %s', (message, extra, expected) => {
    expect(isConnectionLoss(Object.assign(new Error(message), extra))).toBe(expected === true)
  })
})
