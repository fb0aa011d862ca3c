import type { Command } from 'commander'
import { addOutputOptions, ROOT, type GlobalFlags, type Kit } from '../kit.js'

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    program
      .command('demo')
      .description('offline demo: builds a temporary database from built-in fixtures and prints the by-hour report')
      .option('--heatmap', 'add the weekday × hour table'),
  )
    .addHelpText('after', '\nExample:\n  $ npx listen demo --format csv')
    .action(async function (this: Command) {
      const g = this.optsWithGlobals<GlobalFlags & { heatmap?: boolean }>()
      const { assertTimeZone } = await import('../../time/zone.js')
      const { runDemo } = await import('../../commands/demo.js')
      const timezone = g.tz ? assertTimeZone(g.tz) : 'Europe/Berlin'
      const print = await kit.output(this, timezone)
      print(await runDemo({ heatmap: Boolean(g.heatmap), timezone, root: ROOT, log: kit.logger(this) }))
    })
}
