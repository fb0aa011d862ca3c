// listen db migrate-to: copies an SQLite cache into a PostgreSQL store. Each table is read in
// keyset order of its rowid, a batch at a time; every batch and its resume point (copy_progress)
// commit in one transaction, so a run that stops anywhere goes on from the last committed batch,
// and a finished one run again writes nothing (mentions upsert; other rows are matched by their
// natural key). Locks are not copied: they belong to processes on the old machine.
import type pg from 'pg'
import type { CopiedTable } from '../../models/db.js'
import { ROW_WIDTH } from '../../models/row.js'
import { type Db, openDb } from '../sqlite/db.js'
import { pgError, withTransaction } from './connect.js'
import type { PgStore } from './index.js'

const BATCH = 5000

interface TableCopy {
  table: string
  /** SQLite columns after rowid. */
  select: string
  /** Writes one batch (rows without their rowid); returns rows written. */
  write(client: pg.PoolClient, rows: unknown[][]): Promise<number>
}

/** A plain INSERT … SELECT from arrays that skips rows PostgreSQL already holds (matched on `key`). */
function insertMissing(table: string, columns: Array<[string, string]>, key: string[]): TableCopy['write'] {
  const names = columns.map(([c]) => c)
  const sql = `INSERT INTO ${table} (${names.join(', ')})
    SELECT ${names.map((c) => `u.${c}`).join(', ')} FROM unnest(${columns.map(([, t], i) => `$${i + 1}::${t}[]`).join(', ')}) AS u(${names.join(', ')})
    WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE ${key.map((k) => `t.${k} IS NOT DISTINCT FROM u.${k}`).join(' AND ')})`
  return async (client, rows) => (await client.query(sql, columns.map((_, i) => rows.map((r) => r[i])))).rowCount ?? 0
}

function tables(store: PgStore, counts: Map<string, { unchanged: number }>): TableCopy[] {
  return [
    {
      table: 'models',
      select: 'version, created_at, action, based_on, description, examples, model',
      // Versions keep their numbers, so based_on stays right; the identity moves past them.
      write: async (client, rows) => {
        const n = await insertMissing('models', [['version', 'int'], ['created_at', 'bigint'], ['action', 'text'], ['based_on', 'int'], ['description', 'text'], ['examples', 'int'], ['model', 'text']], ['version'])(client, rows)
        await client.query(`SELECT setval(pg_get_serial_sequence('models', 'version'), greatest((SELECT max(version) FROM models), 1))`)
        return n
      },
    },
    {
      table: 'mentions',
      select: 'source, id, brand, created_at, author, author_id, text, url, lang, in_reply_to, thread_id, by_brand, label, label_source, scores, fetched_at, raw, pii, topic, topic_source',
      write: async (client, rows) => {
        const c = await store.writer.mergeWithin(client, rows.flat())
        counts.get('mentions')!.unchanged += c.unchanged
        return c.inserted + c.updated
      },
    },
    {
      table: 'labels',
      select: 'source, mention_id, old_label, old_source, new_label, labelled_by, labelled_at',
      write: insertMissing('labels', [['source', 'text'], ['mention_id', 'text'], ['old_label', 'text'], ['old_source', 'text'], ['new_label', 'text'], ['labelled_by', 'text'], ['labelled_at', 'bigint']],
        ['source', 'mention_id', 'new_label', 'labelled_at']),
    },
    {
      table: 'cursors',
      select: 'source, query_key, cursor, updated_at',
      // The newer cursor wins: PostgreSQL may have walked further since an earlier copy.
      write: async (client, rows) =>
        (await client.query(`INSERT INTO cursors (source, query_key, cursor, updated_at)
          SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
          ON CONFLICT (source, query_key) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
          WHERE cursors.updated_at < excluded.updated_at`, [0, 1, 2, 3].map((i) => rows.map((r) => r[i])))).rowCount ?? 0,
    },
    {
      table: 'fetch_runs',
      select: `run_id, source, status, started_at, finished_at, covered_from, covered_until, new_count, updated_count, pages, requests,
        rate_limit_waits, rate_limit_wait_ms, next_allowed_at, error`,
      write: insertMissing('fetch_runs', [['run_id', 'text'], ['source', 'text'], ['status', 'text'], ['started_at', 'bigint'], ['finished_at', 'bigint'], ['covered_from', 'bigint'],
        ['covered_until', 'bigint'], ['new_count', 'int'], ['updated_count', 'int'], ['pages', 'int'], ['requests', 'int'], ['rate_limit_waits', 'int'], ['rate_limit_wait_ms', 'bigint'],
        ['next_allowed_at', 'bigint'], ['error', 'text']], ['run_id', 'source', 'started_at']),
    },
    {
      table: 'alerts',
      select: 'brand, kind, fired_at, window_from, count, expected, p, method, message, delivery, attempts, delivered_at, error, topic',
      write: insertMissing('alerts', [['brand', 'text'], ['kind', 'text'], ['fired_at', 'bigint'], ['window_from', 'bigint'], ['count', 'int'], ['expected', 'float8'], ['p', 'float8'],
        ['method', 'text'], ['message', 'text'], ['delivery', 'text'], ['attempts', 'int'], ['delivered_at', 'bigint'], ['error', 'text'], ['topic', 'text']], ['brand', 'kind', 'fired_at', 'window_from', 'topic']),
    },
    {
      table: 'help_articles',
      select: 'id, url, title, body, lang, origin, imported_at',
      write: insertMissing('help_articles', [['id', 'text'], ['url', 'text'], ['title', 'text'], ['body', 'text'], ['lang', 'text'], ['origin', 'text'], ['imported_at', 'bigint']], ['id']),
    },
    {
      table: 'mention_checks',
      select: 'source, mention_id, checks, checked_at, next_check_at, status, vanished_at, vanished_reason, edited_at, last_text',
      write: insertMissing('mention_checks', [['source', 'text'], ['mention_id', 'text'], ['checks', 'int'], ['checked_at', 'bigint'], ['next_check_at', 'bigint'], ['status', 'text'],
        ['vanished_at', 'bigint'], ['vanished_reason', 'text'], ['edited_at', 'bigint'], ['last_text', 'text']], ['source', 'mention_id']),
    },
  ]
}

export interface CopyProgress {
  (table: string, done: number, total: number): void
}

/** Copies `sqlitePath` (an absolute path) into `store`. `resumed` tells whether an earlier run had begun. */
export async function copySqliteToPg(sqlitePath: string, store: PgStore, progress?: CopyProgress): Promise<{ resumed: boolean; tables: CopiedTable[] }> {
  const db: Db = openDb(sqlitePath, { create: false, readonly: true })
  const h = store.handle
  try {
    const done = new Map<string, number>(
      (await h.pool.query<{ tbl: string; last_rowid: number }>('SELECT tbl, last_rowid FROM copy_progress WHERE origin = $1', [sqlitePath]).catch((e: unknown) => {
        throw pgError(e, h.url)
      })).rows.map((r) => [r.tbl, r.last_rowid]),
    )
    const counts = new Map([['mentions', { unchanged: 0 }]])
    const out: CopiedTable[] = []
    for (const t of tables(store, counts)) {
      const total = (db.prepare(`SELECT count(*) FROM ${t.table}`).pluck().get() as number)
      const page = db.prepare(`SELECT rowid, ${t.select} FROM ${t.table} WHERE rowid > ? ORDER BY rowid LIMIT ${BATCH}`).raw()
      let after = done.get(t.table) ?? 0
      let read = 0
      let written = 0
      const before = after ? (db.prepare(`SELECT count(*) FROM ${t.table} WHERE rowid <= ?`).pluck().get(after) as number) : 0
      for (;;) {
        const rows = page.all(after) as unknown[][]
        if (!rows.length) break
        const last = rows[rows.length - 1]![0] as number
        const data = rows.map((r) => r.slice(1))
        if (t.table === 'mentions' && data[0]!.length !== ROW_WIDTH) throw new Error(`migrate-to: mentions rows have ${data[0]!.length} columns, expected ${ROW_WIDTH}`)
        try {
          written += await withTransaction(h, async (client) => {
            const n = await t.write(client, data)
            await client.query(`INSERT INTO copy_progress (origin, tbl, last_rowid, copied, updated_at) VALUES ($1, $2, $3, $4, $5)
              ON CONFLICT (origin, tbl) DO UPDATE SET last_rowid = excluded.last_rowid, copied = copy_progress.copied + $4, updated_at = excluded.updated_at`,
              [sqlitePath, t.table, last, rows.length, Date.now()])
            return n
          })
        } catch (e) {
          throw pgError(e, h.url)
        }
        after = last
        read += rows.length
        progress?.(t.table, before + read, total)
      }
      const unchanged = t.table === 'mentions' ? counts.get('mentions')!.unchanged : read - written
      out.push({ table: t.table, rows: total, read, written, unchanged })
    }
    return { resumed: done.size > 0, tables: out }
  } finally {
    db.close()
  }
}
