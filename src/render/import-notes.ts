// The words of listen import's warnings and failures: bad rows, repeats, the header hint with a
// suggested --map, rows left untagged, and how many rows a failure left saved.
import type { ImportFileResult } from '../models/ingest.js'
import { formatLocalMinute, offsetAt } from '../time/zone.js'

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

/** Rows at a local time the zone skips; `first` is one of them as read (the instant after the jump). */
export function gapNote(file: string, rows: number, tz: string, first: number): string {
  const jump = offsetAt(first, tz) - offsetAt(first - 43_200_000, tz)
  const shown = formatLocalMinute(first, tz).slice(11)
  const example = jump > 0 ? ` (${clockMinus(shown, jump)} became ${shown})` : ''
  return `${file}: ${n(rows)} ${rows === 1 ? 'row has' : 'rows have'} a local time that does not exist in ${tz} (the clocks skip it when daylight saving time starts); ${rows === 1 ? 'it was' : 'they were'} kept, moved forward by the length of the gap${example}`
}

function clockMinus(hhmm: string, ms: number): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number]
  const t = (((h * 60 + m - Math.round(ms / 60_000)) % 1440) + 1440) % 1440
  return `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`
}
