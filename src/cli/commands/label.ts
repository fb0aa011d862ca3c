import type { Command } from 'commander'
import { addOutputOptions, type Kit } from '../kit.js'

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    program
      .command('label')
      .description('record a human correction: it wins over the model and trains the tagger')
      .argument('<mention>', 'the mention as <source>:<id> (see listen mentions --format csv)')
      .argument('<label>', 'outage, complaint, question, praise or other')
      .option('--by <name>', 'who corrected it (default $USER)'),
  )
    .addHelpText(
      'after',
      `
listen classify and later imports or fetches never replace a human label. Every correction is
kept in the database's label history, and the labelled mention is added to the tagger's training
examples whenever the model is used.

Example:
  $ listen label x:1590000000000000000 outage --by sam`,
    )
    .action(async function (this: Command, mention: string, label: string) {
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const { runLabel } = await import('../../commands/label.js')
      print(await runLabel({ mention, label, by: this.opts<{ by?: string }>().by }, ctx))
    })
}
