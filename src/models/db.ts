// Shape of listen db migrate-to: what was copied from an SQLite cache into PostgreSQL, per table.

export interface CopiedTable {
  table: string
  /** Rows of the SQLite table. */
  rows: number
  /** Rows read this run (after the resume point). */
  read: number
  /** New rows in PostgreSQL (or changed, for mentions and cursors). */
  written: number
  /** Rows PostgreSQL already held as they are. */
  unchanged: number
}

export interface MigrateToModel {
  kind: 'migrate-to'
  from: string
  /** The URL, password redacted. */
  to: string
  /** The run went on from where an earlier one stopped. */
  resumed: boolean
  tables: CopiedTable[]
}
