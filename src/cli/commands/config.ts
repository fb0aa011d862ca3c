import type { Command } from 'commander'
import { ExitError } from '../../models/errors.js'
import type { GlobalFlags, Kit } from '../kit.js'

const ORIGIN: Record<string, string> = {
  flag: 'from --config',
  env: 'from $LISTEN_CONFIG',
  directory: 'the nearest listen.config.json in this directory or above',
  xdg: 'from $XDG_CONFIG_HOME/listen (~/.config/listen when unset)',
}

export function register(program: Command, kit: Kit): void {
  const config = program
    .command('config')
    .description('where the config file is: listen config path')
    .addHelpText('after', '\nExample:\n  $ listen config path')
  config
    .command('path')
    .description('print the path of the config file in use (exit 1 when there is none: listen runs on defaults)')
    .addHelpText(
      'after',
      `
Order: --config PATH, $LISTEN_CONFIG, the nearest listen.config.json in the working directory or
above it (up to the home directory), then $XDG_CONFIG_HOME/listen/listen.config.json
(~/.config/listen/ when XDG_CONFIG_HOME is unset). The database path in the config is relative
to the config file.

Example:
  $ listen config path
  $ $EDITOR "$(listen config path)"`,
    )
    .action(async function (this: Command) {
      const g = this.optsWithGlobals<GlobalFlags>()
      const { locateConfig } = await import('../../config/load.js')
      const where = locateConfig({ config: g.config }, kit.io.env, kit.io.cwd)
      if (!where.path) throw new ExitError(`no config file; listen runs on defaults (looked for ${where.searched.join(', ')}); listen init writes one`, 1)
      const { existsSync } = await import('node:fs')
      if (!existsSync(where.path)) throw new ExitError(`${where.path} (${ORIGIN[where.origin ?? '']}) does not exist; listen init --config ${where.path} writes it`, 1)
      kit.io.stdout.write(`${where.path}\n`)
      kit.logger(this).info(`(${ORIGIN[where.origin ?? ''] ?? ''})`)
    })
}
