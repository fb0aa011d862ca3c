import type { Command } from 'commander'
import { addOutputOptions, type Kit } from '../kit.js'

export function register(program: Command, kit: Kit): void {
  addOutputOptions(program.command('sources').description('each source: enabled, credentials (env names only), last run, cursor age, next run'))
    .addHelpText('after', '\nExample:\n  $ listen sources --format table')
    .action(async function (this: Command) {
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const { runSources } = await import('../../commands/sources.js')
      print(await runSources(ctx))
    })
}
