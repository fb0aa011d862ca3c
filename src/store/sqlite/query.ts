// listen query on SQLite: one statement on a connection that cannot write. The file is opened
// read-only by the command (better-sqlite3 `readonly`, which also covers ATTACHed files), and
// PRAGMA query_only refuses writes again at the SQL level (https://sqlite.org/pragma.html#pragma_query_only).
import { UsageError } from '../../models/errors.js'
import type { QueryResult } from '../types.js'
import type { Db } from './db.js'

/** Integers beyond 2^53 stay exact as strings; the others are numbers. */
function plain(v: unknown): unknown {
  if (typeof v !== 'bigint') return v
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()
}

export function runReadOnlyQuery(db: Db, sql: string): QueryResult {
  if (!db.readonly) throw new Error('listen query needs a read-only connection')
  db.pragma('query_only = ON')
  let stmt
  try {
    stmt = db.prepare(sql)
  } catch (e) {
    const message = (e as Error).message
    if (/more than one statement/i.test(message)) throw new UsageError('query: one SQL statement at a time', { cause: e })
    throw new UsageError(`query: ${message}`, { cause: e })
  }
  if (!stmt.reader) throw new UsageError('query: this statement returns no rows; listen query runs read-only statements (SELECT, WITH, PRAGMA table_info, EXPLAIN)')
  try {
    const rows = (stmt.raw(true).safeIntegers(true).all() as unknown[][]).map((r) => r.map(plain))
    return { columns: stmt.columns().map((c) => c.name), rows }
  } catch (e) {
    throw new UsageError(`query: ${(e as Error).message}`, { cause: e })
  }
}
