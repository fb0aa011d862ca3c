import type { Command } from 'commander'
import { addOutputOptions, type Kit } from '../kit.js'

export function register(program: Command, kit: Kit): void {
  const db = program.command('db').description('database maintenance: copy an SQLite cache into PostgreSQL')
  addOutputOptions(
    db
      .command('migrate-to')
      .description('copy the SQLite cache (--db or the config) into a PostgreSQL store; idempotent and resumable')
      .argument('<url>', 'postgres://user@host:5432/database')
      .option('--password-env <name>', 'environment variable holding the password of <url> (never put it in the URL on shared machines)'),
  )
    .addHelpText(
      'after',
      `
Copies mentions (with their labels, human ones included), label history, model versions, cursors,
fetch runs and alerts, a batch at a time; each batch commits with its resume point, so a run that
stops goes on where it stopped, and a finished one run again writes nothing. Progress on stderr.
Then point the config's "database" at the URL.

Example:
  $ LISTEN_PG_PASSWORD=… listen db migrate-to postgres://listen@db.example:5432/listen --password-env LISTEN_PG_PASSWORD --db care.db`,
    )
    .action(async function (this: Command, url: string, f: { passwordEnv?: string }) {
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const { runMigrateTo } = await import('../../commands/db.js')
      print(await runMigrateTo({ url, passwordEnv: f.passwordEnv }, ctx))
    })
}
