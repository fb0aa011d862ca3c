import type { Command } from 'commander'
import { addOutputOptions, addWindowOptions, collect, type Kit } from '../kit.js'

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    addWindowOptions(
      program
        .command('mentions')
        .description('list stored mentions, newest first')
        .option('--source <name>', 'only this source (repeatable or comma-separated)', collect)
        .option('--brand <name>', 'only this brand (repeatable or comma-separated)', collect)
        .option('--label <label>', 'only this label: outage, complaint, question, praise, other', collect)
        .option('--search <text>', 'only mentions whose text contains this (case-insensitive)')
        .option('--limit <n>', 'at most n mentions, 0 = all (default 100)', (v) => Number(v)),
      null,
    ),
  )
    .addHelpText('after', '\nExample:\n  $ listen mentions --since 7d --label outage --format csv --bom > outages.csv')
    .action(async function (this: Command) {
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const { runMentions } = await import('../../commands/mentions.js')
      print(await runMentions(this.opts(), ctx))
    })
}
