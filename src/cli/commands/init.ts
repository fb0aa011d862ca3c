import type { Command } from 'commander'
import type { GlobalFlags, Kit } from '../kit.js'

export function register(program: Command, kit: Kit): void {
  program
    .command('init')
    .description('write a starter listen.config.json')
    .option('--force', 'overwrite an existing file')
    .addHelpText('after', '\nExample:\n  $ listen init && $EDITOR listen.config.json')
    .action(async function (this: Command) {
      const g = this.optsWithGlobals<GlobalFlags & { force?: boolean }>()
      const { runInit } = await import('../../commands/init.js')
      const model = runInit({ path: g.config, force: g.force, cwd: kit.io.cwd })
      const { initNotes } = await import('../../render/views.js')
      // Said always (not only on a terminal): init writes a file and nothing else tells where.
      kit.io.stderr.write(`${initNotes(model).join('\n')}\n`)
    })
}
