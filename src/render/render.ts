// src/render — models into text (table, json, ndjson, csv, html); depends on models and time only.
// render(view, format): the one way data reaches stdout. Returns a string; printing is the caller's.
import { Chalk } from 'chalk'
import Table from 'cli-table3'
import { stringify } from 'csv-stringify/sync'
import { formatLocal, formatLocalMinute } from '../time/zone.js'
import type { Format } from './format.js'
import { UsageError } from '../models/errors.js'
import { neutralizeCsvCell, sanitizeForTerminal, stripEscapes } from './sanitize.js'
import type { Column, View } from './view.js'

export interface RenderOptions {
  /** Zone for local-time columns. */
  tz: string
  /** ANSI colour in tables (TTY and no NO_COLOR). */
  color: boolean
  /** Prefix CSV with a UTF-8 byte order mark so Excel reads umlauts right. */
  bom?: boolean
  /** Terminal width for tables. */
  width?: number
  /** CSV/TSV: the header row (default true; --no-header). */
  header?: boolean
  /** CSV/TSV: the apostrophe before cells a spreadsheet would run (default true; --no-formula-guard). */
  formulaGuard?: boolean
  /** --json FIELDS: a JSON array of the rows with these fields only (gh style). */
  fields?: readonly string[] | undefined
}

export function render(view: View, format: Format, options: RenderOptions): string {
  switch (format) {
    case 'json':
      return options.fields ? renderFields(view, options.fields) : `${JSON.stringify(view.json, null, 2)}\n`
    case 'ndjson':
      return view.rows.map((r) => JSON.stringify(r)).join('\n') + (view.rows.length ? '\n' : '')
    case 'csv':
      return renderCsv(view, options, ',')
    case 'tsv':
      return renderCsv(view, options, '\t')
    case 'table':
      return renderTable(view, options)
  }
}

/** The fields a --json FIELDS list may name: the view's columns, then any other keys of its rows. */
export function fieldsOf(view: View): string[] {
  const keys = new Set(view.columns.map((c) => c.key))
  for (const r of view.rows) for (const k of Object.keys(r)) keys.add(k)
  return [...keys]
}

function renderFields(view: View, fields: readonly string[]): string {
  const known = fieldsOf(view)
  if (!fields.length) throw new UsageError(`--json: name the fields, comma-separated (e.g. --json ${known.slice(0, 2).join(',')}); available: ${known.join(', ')}`)
  const unknown = fields.filter((f) => !known.includes(f))
  if (unknown.length) {
    throw new UsageError(`--json: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `"${f}"`).join(', ')}; available: ${known.join(', ')}`)
  }
  const rows = view.rows.map((r) => Object.fromEntries(fields.map((f) => [f, r[f] ?? null])))
  return `${JSON.stringify(rows, null, 2)}\n`
}

function renderCsv(view: View, options: RenderOptions, delimiter: ',' | '\t'): string {
  const guard = options.formulaGuard !== false
  const header: string[] = []
  for (const c of view.columns) {
    header.push(c.key)
    if (c.kind === 'instant') header.push(`${c.key}_local`)
  }
  const records = view.rows.map((row) => {
    const out: unknown[] = []
    for (const c of view.columns) {
      const v = row[c.key]
      if (c.kind === 'instant') {
        const t = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN
        out.push(Number.isFinite(t) ? new Date(t).toISOString() : '')
        out.push(Number.isFinite(t) ? formatLocal(t, options.tz) : '')
      } else {
        out.push(csvValue(v, guard))
      }
    }
    return out
  })
  // csv-stringify quotes a cell with the delimiter, a quote or the record delimiter (CRLF), but not a
  // bare LF or CR: quoted_match adds those, or strict readers (Python's csv, pandas) split the record.
  const body = stringify(options.header === false ? records : [header, ...records], { delimiter, record_delimiter: 'windows', quoted_match: /[\r\n]/ })
  return (options.bom ? '\ufeff' : '') + body
}

function csvValue(v: unknown, guard: boolean): string | number {
  if (v === null || v === undefined) return ''
  if (typeof v === 'number') return v
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  const text = stripEscapes(typeof v === 'object' ? JSON.stringify(v) : String(v))
  return guard ? neutralizeCsvCell(text) : text
}

const LABEL_COLOURS: Record<string, 'red' | 'magenta' | 'yellow' | 'green' | 'gray'> = {
  outage: 'red',
  complaint: 'magenta',
  question: 'yellow',
  praise: 'green',
  other: 'gray',
}

function renderTable(view: View, options: RenderOptions): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 })
  const columns = view.columns.filter((c) => c.table !== false)
  const table = new Table({
    head: columns.map((c) => chalk.bold(c.header)),
    style: { head: [], border: [], compact: true },
    wordWrap: false,
  })
  for (const row of view.rows) {
    table.push(
      columns.map((c) => {
        const content = cell(row[c.key], c, options, chalk)
        return c.kind === 'int' || c.kind === 'number' ? { content, hAlign: 'right' as const } : content
      }),
    )
  }
  const parts: string[] = []
  if (view.title) parts.push(chalk.bold(sanitizeForTerminal(view.title)))
  parts.push(view.rows.length ? table.toString() : chalk.dim('(no rows)'))
  for (const n of view.notes ?? []) parts.push(chalk.dim(sanitizeForTerminal(n)))
  return `${parts.join('\n')}\n`
}

function cell(v: unknown, c: Column, options: RenderOptions, chalk: InstanceType<typeof Chalk>): string {
  if (v === null || v === undefined || v === '') return ''
  switch (c.kind) {
    case 'instant': {
      const t = typeof v === 'number' ? v : Date.parse(String(v))
      return Number.isFinite(t) ? formatLocalMinute(t, options.tz) : ''
    }
    case 'number':
      return typeof v === 'number' ? v.toFixed(2) : String(v)
    case 'int':
      return typeof v === 'number' ? v.toLocaleString('en-US') : String(v)
    case 'label': {
      const colour = LABEL_COLOURS[String(v)]
      return colour ? chalk[colour](String(v)) : sanitizeForTerminal(String(v))
    }
    default: {
      const text = sanitizeForTerminal(typeof v === 'object' ? JSON.stringify(v) : String(v))
      const width = c.width ?? 60
      return text.length > width ? `${text.slice(0, width - 1)}…` : text
    }
  }
}
