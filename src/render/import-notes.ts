// The words of listen import's warnings and failures: bad rows, repeats, the header hint with a
// suggested --map, rows left untagged, and how many rows a failure left saved.
import type { ImportFileResult } from '../models/ingest.js'

const n = (x: number) => x.toLocaleString('en-US')

export const badRowWarning = (file: string, line: number, error: string) => `${file}:${line}: ${error}; row skipped`

export const untaggedWarning = (file: string, line: number, error: string) => `${file}:${line}: not tagged (${error}); saved without a label`

export const repeatsNote = (file: string, more: number, error: string) =>
  `${file}: ${n(more)} more ${more === 1 ? 'row' : 'rows'} skipped with the same error: ${error}`

export const moreBadRowsNote = (more: number) => `… ${n(more)} more bad rows not shown`

/** After rows failed on columns the file does not have: its header and a --map that fits it. */
export function columnsHint(file: string, fields: readonly string[], columns: readonly string[], mapFlag: string | null): string[] {
  return [
    `${file}: no column for ${fields.join(', ')}; the file's columns are: ${columns.join(', ')}`,
    mapFlag ? `${file}: try ${mapFlag}` : `${file}: name the columns with --map field=column (listen import --help lists the fields)`,
  ]
}

/** How much of the import stands after a failure in `file`: its saved rows and the files before it. */
export function savedSoFar(file: string, current: ImportFileResult, done: readonly ImportFileResult[]): string {
  const saved = current.inserted + current.updated + current.unchanged
  const here = saved === 0 ? `no row of ${file} was saved` : `${n(saved)} rows of ${file} were saved before the problem, the rest were not`
  const rows = done.reduce((s, r) => s + r.inserted + r.updated + r.unchanged, 0)
  const before = done.length ? `; the ${done.length === 1 ? 'file' : `${done.length} files`} before it ${done.length === 1 ? 'was' : 'were'} imported in full (${n(rows)} rows)` : ''
  return `${here}${before}`
}

export const readFailure = (file: string, why: string, saved: string) => `${file}: cannot read: ${why}; ${saved}`

export const storeFailure = (why: string, file: string, saved: string) =>
  `${why}, while importing ${file}; ${saved}. Import again once it is fixed: rows already saved are left as they are`
