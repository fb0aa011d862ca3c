import type { Command } from 'commander'
import { addOutputOptions, ROOT, type GlobalFlags, type Kit } from '../kit.js'

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    program
      .command('demo')
      .description('offline demo: fetches built-in recordings into a temporary database (or the --db file, which is kept) and prints the by-hour report')
      .option('--heatmap', 'add the weekday × hour table'),
  )
    .addHelpText('after', '\nExample:\n  $ npx listen demo --format csv\n  $ npx listen --db demo.db demo        # keeps demo.db for the other commands')
    .action(async function (this: Command) {
      const g = this.optsWithGlobals<GlobalFlags & { heatmap?: boolean }>()
      const { assertTimeZone } = await import('../../time/zone.js')
      const { runDemo } = await import('../../commands/demo.js')
      const timezone = g.tz ? assertTimeZone(g.tz) : 'Europe/Berlin'
      const print = await kit.output(this, timezone)
      const { resolve } = await import('node:path')
      const database = g.db ? resolve(kit.io.cwd, g.db) : undefined
      print(await runDemo({ heatmap: Boolean(g.heatmap), timezone, root: ROOT, log: kit.logger(this), database }))
    })
}
