// SQL pieces the PostgreSQL repositories share: running a statement with PG errors mapped, and the
// "written by the brand" predicate (SQLite's brandPredicate in store/sqlite/sql.ts, in PG syntax).
import type pg from 'pg'
import type { BrandMatcher } from '../../models/scope.js'
import { isTransient, pgError, type PgHandle, reconnecting } from './connect.js'

/** Text ordered byte-wise, as SQLite orders it, whatever the database's collation. */
export const C = 'COLLATE "C"'

/** Appends a parameter and returns its placeholder. */
export function param(params: unknown[], value: unknown): string {
  params.push(value)
  return `$${params.length}`
}

/**
 * One statement on the pool, PG and socket errors as one clear ExitError naming the redacted URL.
 * A plain SELECT (or a statement the caller marks idempotent) whose connection was lost runs once
 * more at once, on a fresh connection: pg-pool can hand out an idle client whose backend was
 * terminated before the socket's close reached it
 * (https://github.com/brianc/node-postgres/issues/2112); then again within the handle's reconnect
 * window, for a server that is restarting. Other writes are never repeated: the server may have
 * applied them.
 */
export async function run<T extends pg.QueryResultRow = pg.QueryResultRow>(
  h: PgHandle,
  sql: string,
  params: unknown[] = [],
  options: { idempotent?: boolean } = {},
): Promise<pg.QueryResult<T>> {
  const once = () => h.pool.query<T>(sql, params)
  try {
    return await (options.idempotent || /^\s*SELECT\b/i.test(sql) ? rereading(h, once) : once())
  } catch (e) {
    throw pgError(e, h.url)
  }
}

/** `read` (which only reads) once more at once after a lost connection, then within the reconnect window (see run). */
export async function rereading<T>(h: PgHandle, read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (e) {
    if (!isTransient(e)) throw e
  }
  return reconnecting(h, read)
}

/** Predicate "row `a` was written by the brand", never NULL; handles match case-insensitively, with or without "@". */
export function brandPredicate(a: string, m: BrandMatcher, params: unknown[]): string {
  const ors = [`${a}.by_brand`]
  const handleIn = (hs: readonly string[]) => {
    const p = param(params, hs.flatMap((h) => [h, `@${h}`]))
    return `lower(${a}.author) = ANY(${p}::text[]) OR lower(${a}.author_id) = ANY(${p}::text[])`
  }
  for (const [source, hs] of m.bySource) {
    if (!hs.length) continue
    ors.push(`(${a}.source = ${param(params, source)} AND (${handleIn(hs)}))`)
  }
  if (m.anySource.length) ors.push(handleIn(m.anySource))
  if (m.nonNumeric) ors.push(`coalesce(${a}.author_id, ${a}.author) ~ '[^0-9]'`)
  return `coalesce(${ors.join(' OR ')}, false)`
}

/** `AND col = ANY($n)` for a non-empty list, else ''. */
export function anyOf(column: string, values: readonly string[] | undefined, params: unknown[]): string {
  return values?.length ? ` AND ${column} = ANY(${param(params, [...values])}::text[])` : ''
}
