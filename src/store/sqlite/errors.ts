// SQLite and file-system failures as StoreError: the database named, the cause in words
// (https://www.sqlite.org/rescode.html), so a full disk is never reported as a bad input file.
import { StoreError, type StoreFault } from '../../models/errors.js'

const FAULTS: ReadonlyArray<[RegExp, StoreFault, string]> = [
  [/^(SQLITE_FULL|ENOSPC|EDQUOT)$/, 'disk-full', 'disk full'],
  [/^(SQLITE_READONLY(_\w+)?|EROFS)$/, 'read-only', 'read-only'],
  [/^(EACCES|EPERM|SQLITE_PERM)$/, 'read-only', 'read-only for this user (permission denied)'],
  [/^SQLITE_(BUSY|LOCKED)(_\w+)?$/, 'locked', 'locked by another process'],
  [/^SQLITE_CANTOPEN(_\w+)?$/, 'cannot-open', 'cannot be opened'],
  [/^SQLITE_IOERR(_\w+)?$/, 'io', 'disk I/O error'],
]

/** A StoreError for a known storage failure; any other error is returned as it is. */
export function storeErrorOf(error: unknown, path: string): unknown {
  if (error instanceof StoreError) return error
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return error
  for (const [re, fault, words] of FAULTS) {
    if (!re.test(code)) continue
    const detail = error instanceof Error ? error.message : code
    // An I/O error on a write is how some file systems report a full disk.
    const why = fault === 'io' && /SQLITE_IOERR_(WRITE|FSYNC|TRUNCATE)/.test(code) ? `${words} (is the disk full?)` : words
    return new StoreError(`database ${path}: ${why} (${detail}, ${code})`, path, fault, { cause: error })
  }
  return error
}
