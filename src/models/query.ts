// Shape of listen query: the columns and rows of one read-only SQL statement over the cache.

export interface QueryModel {
  kind: 'query'
  sql: string
  database: string
  /** Column names, made unique (a second "id" becomes "id_2"), in the statement's order. */
  columns: string[]
  /** One object per row, keyed by `columns`. */
  rows: Array<Record<string, unknown>>
}
