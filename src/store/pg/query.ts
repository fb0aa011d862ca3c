// listen query on PostgreSQL: one statement in a READ ONLY transaction that is always rolled back.
// queryMode 'extended' makes pg use the extended protocol (an unnamed statement), which refuses
// several commands in one string, so "COMMIT; DELETE …" cannot step out of the transaction
// (https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY).
import type { QueryArrayConfig } from 'pg'
import { UsageError } from '../../models/errors.js'
import type { QueryResult } from '../types.js'
import { isTransient, pgError, type PgHandle, withClient } from './connect.js'
import { rereading } from './sql.js'

export async function queryReadOnly(h: PgHandle, sql: string): Promise<QueryResult> {
  // Always rolled back, so safe to run again after a lost connection.
  return rereading(h, () =>
    withClient(h, async (client, broken) => {
      await client.query('BEGIN READ ONLY')
      try {
        // queryMode is in pg ≥ 8.12 but not yet in @types/pg.
        const config = { text: sql, rowMode: 'array', queryMode: 'extended' } as QueryArrayConfig
        const r = await client.query(config)
        if (!r.fields.length) throw new UsageError('query: this statement returns no rows; listen query runs read-only statements (SELECT, WITH, EXPLAIN)')
        return { columns: r.fields.map((f) => f.name), rows: r.rows }
      } catch (e) {
        if (e instanceof UsageError) throw e
        if (isTransient(e)) throw pgError(e, h.url)
        throw new UsageError(`query: ${(e as Error).message}`, { cause: e })
      } finally {
        await client.query('ROLLBACK').catch(broken)
      }
    }),
  )
}
