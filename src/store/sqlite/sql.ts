// SQL pieces the SQLite repositories share: a statement cache and the "written by the brand" predicate.
import type Database from 'better-sqlite3'
import type { BrandMatcher } from '../../models/scope.js'
import type { Db } from './db.js'

/** Statements are prepared on first use and kept: report filters vary, so their SQL does too. */
export function statementCache(db: Db): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>()
  return (sql) => {
    let s = cache.get(sql)
    if (!s) cache.set(sql, (s = db.prepare(sql)))
    return s
  }
}

/** SQL predicate "row `a` was written by the brand", with its parameters appended to `params`. */
export function brandPredicate(a: string, m: BrandMatcher, params: unknown[]): string {
  const ors = [`${a}.by_brand = 1`]
  const handleIn = (hs: readonly string[]) => {
    // Plain comparisons (no lower()/ltrim() per row): each handle with and without "@", any case.
    const both = hs.flatMap((h) => [h, `@${h}`])
    const marks = both.map(() => '?').join(', ')
    params.push(...both, ...both)
    return `${a}.author COLLATE NOCASE IN (${marks}) OR ${a}.author_id COLLATE NOCASE IN (${marks})`
  }
  for (const [source, hs] of m.bySource) {
    if (!hs.length) continue
    params.push(source)
    ors.push(`(${a}.source = ? AND (${handleIn(hs)}))`)
  }
  if (m.anySource.length) ors.push(handleIn(m.anySource))
  if (m.nonNumeric) ors.push(`coalesce(${a}.author_id, ${a}.author) GLOB '*[^0-9]*'`)
  // ifnull: a NULL author makes IN yield NULL, and NOT NULL would drop the row instead of keeping it.
  return `ifnull(${ors.join(' OR ')}, 0)`
}
