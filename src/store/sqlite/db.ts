// Open the SQLite cache: WAL, busy timeout, migrations. The only place that creates connections.
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { ExitError, StoreError, UsageError } from '../../models/errors.js'
import { storeErrorOf } from './errors.js'
import { migrations } from './migrations.js'

export type Db = Database.Database

export interface OpenOptions {
  /** Read commands need an existing database; ingest commands create one. */
  create: boolean
  readonly?: boolean
}

export function openDb(path: string, options: OpenOptions): Db {
  if (path !== ':memory:' && !existsSync(path)) {
    if (!options.create) {
      throw new UsageError(
        `no database at ${path} (run \`listen import\` or \`listen fetch\` first, or pass --db PATH)`,
      )
    }
    try {
      mkdirSync(dirname(path), { recursive: true })
    } catch (e) {
      throw storeErrorOf(e, path)
    }
  }
  // A new file opened by two processes at once: switching it to WAL or migrating can meet
  // SQLITE_BUSY without the busy handler being called (SQLite returns BUSY at once where waiting
  // could deadlock, https://www.sqlite.org/c3ref/busy_handler.html), so the whole open is retried.
  const deadline = Date.now() + 20_000
  for (let attempt = 0; ; attempt++) {
    try {
      return connect(path, options)
    } catch (e) {
      if (!isBusy(e) || Date.now() > deadline) throw e
      Atomics.wait(SLEEP, 0, 0, 20 + Math.random() * 30 * Math.min(attempt + 1, 10))
    }
  }
}

const SLEEP = new Int32Array(new SharedArrayBuffer(4))

function isBusy(e: unknown): boolean {
  const err = e instanceof StoreError ? (e.cause as { code?: unknown } | undefined) : (e as { code?: unknown } | undefined)
  return typeof err?.code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(err.code)
}

function connect(path: string, options: OpenOptions): Db {
  let db: Db
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: !options.create })
  } catch (e) {
    const mapped = storeErrorOf(e, path)
    if (mapped instanceof StoreError) throw mapped
    throw new ExitError(`cannot open database ${path}: ${(e as Error).message}`, 1, { cause: e })
  }
  try {
    db.pragma('busy_timeout = 5000')
    if (!options.readonly) {
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = NORMAL')
      // Checkpoint every ~40 MB of WAL instead of SQLite's 4 MB: a bulk import copies each hot
      // index page back far less often (bench/write-variants.js measures it).
      db.pragma('wal_autocheckpoint = 10000')
    }
    db.pragma('foreign_keys = ON')
    // 32 MiB page cache: index inserts in bulk imports stay in memory.
    db.pragma('cache_size = -32768')
    // Read commands (audit, report) scan the whole table: mapped pages skip the copy into the page
    // cache. Only read-only connections, so a write error stays an error and never a SIGBUS.
    if (options.readonly) db.pragma('mmap_size = 2147483648')
    migrate(db, path)
  } catch (e) {
    db.close()
    if (e instanceof ExitError || e instanceof UsageError) throw e
    const mapped = storeErrorOf(e, path)
    if (mapped instanceof StoreError) throw mapped
    const code = (e as { code?: string }).code
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new ExitError(`database ${path} is not a SQLite database or is corrupt (${(e as Error).message})`, 1, { cause: e })
    }
    throw new ExitError(`cannot prepare database ${path}: ${(e as Error).message}`, 1, { cause: e })
  }
  return db
}

/**
 * Applies the migrations this file lacks, each in its own BEGIN IMMEDIATE transaction that reads
 * user_version again under the write lock: two processes opening a new file at once apply each
 * migration once, the second waiting (busy_timeout) and then finding it done.
 */
export function migrate(db: Db, path: string): void {
  const version = () => db.pragma('user_version', { simple: true }) as number
  const newer = (v: number) =>
    new ExitError(`database ${path} has schema version ${v}, newer than this listen (${migrations.length}); upgrade listen`)
  const current = version()
  if (current > migrations.length) throw newer(current)
  if (current === migrations.length) return
  if (db.readonly) {
    throw new ExitError(`database ${path} needs a schema upgrade; run any writing command (e.g. listen import) first`)
  }
  const step = db.transaction(() => {
    const v = version()
    if (v > migrations.length) throw newer(v)
    if (v === migrations.length) return false
    db.exec(migrations[v]!)
    db.pragma(`user_version = ${v + 1}`)
    return true
  })
  while (step.immediate()) {
    // one migration per transaction, until none is left
  }
}
