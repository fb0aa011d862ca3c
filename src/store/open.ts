// Opens the store a location names: a file path is SQLite (the default); a postgres:// or
// postgresql:// URL is a PostgreSQL server; any other URL is a usage error naming its scheme.
import { existsSync } from 'node:fs'
import { parseDatabaseLocation, redactLocation } from '../lib/location.js'
import { UsageError } from '../models/errors.js'
import type { OpenOptions, Store } from './types.js'

const PG_SCHEMES = new Set(['postgres', 'postgresql'])

export async function openStore(location: string, options: OpenOptions): Promise<Store> {
  const where = parseDatabaseLocation(location)
  if (where.kind === 'url') {
    if (!PG_SCHEMES.has(where.scheme)) throw unsupported(where.scheme, location)
    // Loaded on demand: SQLite users never load pg.
    const { openPgStore } = await import('./pg/index.js')
    return openPgStore(location, options)
  }
  // Loaded on demand too: commands that never open a store (--help, completion) skip better-sqlite3.
  const { openSqliteStore } = await import('./sqlite/index.js')
  return openSqliteStore(where.path, options)
}

/** Does the store exist yet (a file on disk; a server is assumed to)? */
export function storeExists(location: string): boolean {
  const where = parseDatabaseLocation(location)
  return where.kind === 'url' || existsSync(where.path)
}

function unsupported(scheme: string, location: string): UsageError {
  return new UsageError(
    `database ${redactLocation(location)}: "${scheme}://" is not a database listen can open; give a file path (SQLite) or a postgres:// URL (PostgreSQL)`,
  )
}

/** Opens the store, runs `work` with it, and closes it whatever happens. */
export async function withStore<T>(location: string, options: OpenOptions, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(location, options)
  try {
    return await work(store)
  } finally {
    await store.close()
  }
}
