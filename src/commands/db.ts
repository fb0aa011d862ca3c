// listen db migrate-to URL: copies the configured SQLite cache into a PostgreSQL store (store/pg/migrate.ts).
import { parseDatabaseLocation, redactLocation } from '../lib/location.js'
import type { MigrateToModel } from '../models/db.js'
import { UsageError } from '../models/errors.js'
import { openStore } from '../store/open.js'
import type { CommandContext } from './context.js'

export interface MigrateToOptions {
  url: string
  /** Environment variable holding the target's password. */
  passwordEnv?: string | undefined
}

export async function runMigrateTo(o: MigrateToOptions, ctx: CommandContext): Promise<MigrateToModel> {
  const from = parseDatabaseLocation(ctx.config.database)
  if (from.kind !== 'file') throw new UsageError(`db migrate-to: the source must be an SQLite file (--db PATH), not ${redactLocation(ctx.config.database)}`)
  const to = parseDatabaseLocation(o.url)
  if (to.kind !== 'url' || !['postgres', 'postgresql'].includes(to.scheme)) {
    throw new UsageError(`db migrate-to: ${redactLocation(o.url)} is not a PostgreSQL URL (postgres://user@host:5432/database)`)
  }
  // The source must exist: opening it read-only says so in the usual words when it does not.
  const source = await openStore(from.path, { create: false, readonly: true })
  await source.close()
  const { PgStore } = await import('../store/pg/index.js')
  const { copySqliteToPg } = await import('../store/pg/migrate.js')
  const target = await openStore(o.url, { create: true, passwordEnv: o.passwordEnv, env: ctx.env })
  try {
    if (!(target instanceof PgStore)) throw new Error('unreachable: a postgres:// URL opens a PgStore')
    const r = await copySqliteToPg(from.path, target, (table, done, total) => ctx.progress?.update(`copying ${table}`, done, total))
    ctx.progress?.clear()
    if (r.resumed) ctx.log.info('went on from where an earlier migrate-to stopped')
    return { kind: 'migrate-to', from: from.path, to: target.location, resumed: r.resumed, tables: r.tables }
  } finally {
    await target.close()
  }
}
