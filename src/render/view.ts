// A View is what every command model turns into: one JSON document, plus rows for table/ndjson/csv.

export type ColumnKind = 'text' | 'int' | 'number' | 'instant' | 'label'

export interface Column {
  key: string
  header: string
  kind?: ColumnKind
  /** Max characters in a table cell (longer text is cut with …). */
  width?: number
  /** false: left out of the terminal table (still in csv, json and ndjson). */
  table?: boolean
}

export interface View {
  /** The complete document for --format json. */
  json: unknown
  /** One record per line for ndjson, per row for csv and table. */
  rows: Record<string, unknown>[]
  columns: Column[]
  /** Table heading. */
  title?: string
  /** Lines shown under the table (e.g. completeness); part of the JSON document already. */
  notes?: string[]
}
