// What every command registration shares: global flags → CommandContext, the output writer, and
// the common option groups. Kept light: heavy modules load inside actions.
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Command, Option } from 'commander'
import type { CommandContext, Logger } from '../commands/context.js'
import type { Model } from '../models/output.js'
import { createLogger, type Io, useColor } from './io.js'
import { createProgressBar } from './progress.js'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version

export interface GlobalFlags {
  config?: string
  db?: string
  tz?: string
  verbose?: boolean
}

export interface Kit {
  io: Io
  now(): number
  /** Loads and validates the config, resolves --tz. */
  context(cmd: Command): Promise<CommandContext>
  /** Validates --format/--bom before any work; returns the writer for the command's model. */
  output(cmd: Command, timezone: string): Promise<(model: Model) => void>
  logger(cmd: Command): Logger
}

export const collect = (value: string, previous: string[] = []) => [...previous, value]

export function addOutputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'output format: table, json, ndjson or csv (default: table on a terminal, json otherwise)'))
    .option('--bom', 'start CSV with a UTF-8 byte order mark (for Excel)')
}

export function addWindowOptions(cmd: Command, defaultSince: string | null): Command {
  return cmd
    .option('--since <duration>', `window back from now, e.g. 7d, 12h${defaultSince ? ` (default ${defaultSince})` : ''}`)
    .option('--from <date>', 'window start (ISO 8601, e.g. 2026-11-01 or 2026-11-01T08:00+01:00)')
    .option('--until <date>', 'window end, exclusive (default now)')
}

export function createKit(io: Io, now: () => number = Date.now): Kit {
  const logger = (cmd: Command) => createLogger(io, Boolean(cmd.optsWithGlobals<GlobalFlags>().verbose))
  return {
    io,
    now,
    logger,
    async context(cmd) {
      const g = cmd.optsWithGlobals<GlobalFlags>()
      const { loadConfig } = await import('../config/load.js')
      const { assertTimeZone } = await import('../time/zone.js')
      const config = loadConfig({ config: g.config, db: g.db }, io.env, io.cwd)
      // A malformed brand query is a config error for every command, not a surprise in the next fetch.
      if (config.brands.length) (await import('../sources/brand-query.js')).parseBrandQueries(config.brands, config.path)
      const timezone = g.tz ? assertTimeZone(g.tz) : config.timezone
      const progress = createProgressBar(io.stderr, io.env)
      return { config, timezone, now: now(), env: io.env, log: createLogger(io, Boolean(g.verbose), progress), progress, root: ROOT }
    },
    async output(cmd, timezone) {
      const o = cmd.opts<{ format?: string; bom?: boolean }>()
      const [{ chooseFormat }, { render }, { viewOf }] = await Promise.all([
        import('../render/format.js'),
        import('../render/render.js'),
        import('../render/views.js'),
      ])
      const format = chooseFormat(o.format, Boolean(io.stdout.isTTY))
      return (model: Model) => {
        io.stdout.write(
          render(viewOf(model), format, {
            tz: timezone,
            color: useColor(io.stdout, io.env),
            bom: Boolean(o.bom),
            width: io.stdout.columns ?? 120,
          }),
        )
      }
    },
  }
}
