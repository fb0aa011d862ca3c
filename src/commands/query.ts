// listen query "SQL": read-only SQL over the cache, for what the reports do not cover.
import type { QueryModel } from '../models/query.js'
import { withStore } from '../store/open.js'
import { storeAuth, type CommandContext } from './context.js'

export interface QueryOptions {
  sql: string
}

/** "id", "id" → "id", "id_2": every output format needs one key per column. */
export function uniqueColumns(names: readonly string[]): string[] {
  const used = new Set<string>()
  return names.map((n) => {
    const name = n || 'column'
    let candidate = name
    for (let k = 2; used.has(candidate); k++) candidate = `${name}_${k}`
    used.add(candidate)
    return candidate
  })
}

export async function runQuery(o: QueryOptions, ctx: CommandContext): Promise<QueryModel> {
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: false, readonly: true }, async (store) => {
    const r = await store.query(o.sql)
    const columns = uniqueColumns(r.columns)
    return {
      kind: 'query',
      sql: o.sql,
      database: store.location,
      columns,
      rows: r.rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]]))),
    }
  })
}
