import type { Command } from 'commander'
import { UsageError } from '../../models/errors.js'
import { addOutputOptions, type Kit } from '../kit.js'

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    program
      .command('query')
      .description('read-only SQL over the cache, for what the reports do not cover (every output format)')
      .argument('<sql>', 'one SQL statement that reads: SELECT, WITH … SELECT, PRAGMA table_info(…), EXPLAIN'),
  )
    .addHelpText(
      'after',
      `
The database is opened read-only (and with PRAGMA query_only): a statement that writes is refused
with exit 2. Times are epoch milliseconds, UTC; SQLite's datetime(created_at / 1000, 'unixepoch')
shows them. Tables: mentions, mention_buckets, fetch_runs, cursors, labels, models, alerts, locks
(listen query "SELECT name, sql FROM sqlite_master" shows them all).

Example:
  $ listen query "SELECT label, count(*) AS n FROM mentions GROUP BY label ORDER BY n DESC"
  $ listen query "SELECT author, count(*) AS posts FROM mentions WHERE by_brand = 0 GROUP BY author ORDER BY posts DESC LIMIT 10" --format csv
  $ listen query "SELECT id, text FROM mentions WHERE text LIKE '%refund%'" --json id,text`,
    )
    .action(async function (this: Command, sql: string) {
      if (!sql.trim()) throw new UsageError('query: give one SQL statement, e.g. listen query "SELECT count(*) FROM mentions"')
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const { runQuery } = await import('../../commands/query.js')
      print(await runQuery({ sql }, ctx))
    })
}
