// store/pg/sql.ts run(): a plain SELECT whose pooled connection turns out dead runs once more;
// writes and other errors are never repeated. The pool is a stand-in whose queries fail on cue.
import type pg from 'pg'
import { describe, expect, it } from 'vitest'
import { isConnectionLoss, isTransient, type PgHandle } from '../../src/store/pg/connect.js'
import { run } from '../../src/store/pg/sql.js'
import { ExitError } from '../../src/models/errors.js'

const lost = () => new Error('Connection terminated unexpectedly')
const sqlError = () => Object.assign(new Error('relation "nope" does not exist'), { code: '42P01' })

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })

function handle(failures: Error[], extra: Partial<PgHandle> = {}): { h: PgHandle; calls: string[] } {
  const calls: string[] = []
  const pool = {
    query: async (sql: string) => {
      calls.push(sql)
      const e = failures.shift()
      if (e) throw e
      return { rows: [{ n: 1 }], rowCount: 1 }
    },
  } as unknown as pg.Pool
  return { h: { pool, url: 'postgres://u:***@db.example/listen', close: async () => {}, ...extra }, calls }
}

describe('run() on a lost connection', () => {
  it.each([
    ['a SELECT whose connection was lost runs once more', 'SELECT count(*) FROM mentions', [lost()], 2, true],
    ['a SELECT refused (a restarting server) runs once more', 'SELECT 1', [refused()], 2, true],
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
    ['Client has encountered a connection error and is not queryable', {}, true],
    ['Client was closed and is not queryable', {}, false],
    ['duplicate key value violates unique constraint', { code: '23505' }, false],
    ['Connection terminated due to connection timeout', {}, false],
  ] as const)('isConnectionLoss(%j) is %s', (message, extra, expected) => {
    expect(isConnectionLoss(Object.assign(new Error(message), extra))).toBe(expected === true)
  })

  it.each([
    ['connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' }, true],
    ['the database system is starting up', { code: '57P03' }, true],
    ['the database system is shutting down', {}, true],
    ['Connection terminated unexpectedly', {}, true],
    ['password authentication failed for user "u"', { code: '28P01' }, false],
    ['canceling statement due to statement timeout', { code: '57014' }, false],
  ] as const)('isTransient(%j) is %s', (message, extra, expected) => {
    expect(isTransient(Object.assign(new Error(message), extra))).toBe(expected === true)
    expect(isTransient(new ExitError('wrapped', 1, { cause: Object.assign(new Error(message), extra) }))).toBe(expected === true)
  })

  it('within the reconnect window a restarting server is waited for, said once when lost and once when back', async () => {
    const said: string[] = []
    const { h, calls } = handle([lost(), refused(), refused(), refused()], { reconnectMs: 10_000, warn: (m) => said.push(m) })
    const r = await run(h, 'UPDATE fetch_runs SET status = $2 WHERE id = $1', [1, 'ok'], { idempotent: true })
    expect(r.rowCount).toBe(1)
    expect(calls).toHaveLength(5)
    expect(said).toHaveLength(2)
    expect(said[0]).toMatch(/^cannot connect to PostgreSQL at postgres:\/\/u:\*\*\*@db\.example\/listen: connection refused .*; trying again for up to 10 s$/)
    expect(said[1]).toMatch(/^reconnected to PostgreSQL at postgres:\/\/u:\*\*\*@db\.example\/listen after \d+\.\d s/)
    expect(h.outage).toBeUndefined()
  })

  it('past the reconnect window the last error is the one reported', async () => {
    const { h } = handle(Array.from({ length: 50 }, refused), { reconnectMs: 250 })
    const e = await run(h, 'SELECT 1').then(() => null, (x: unknown) => x as Error)
    expect(e).toBeInstanceOf(ExitError)
    expect(e!.message).toMatch(/^cannot connect to PostgreSQL at postgres:\/\/u:\*\*\*@db\.example\/listen: connection refused/)
  })
})
