// What every command registration shares: global flags → CommandContext, the output writer, and
// the common option groups. Kept light: heavy modules load inside actions.
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Command, Option } from 'commander'
import type { CommandContext, Logger } from '../commands/context.js'
import type { Model } from '../models/output.js'
import { createLogger, type Io, useColor } from './io.js'
import type { OutputFlags } from './output.js'
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
    .addOption(new Option('--format <format>', 'output format: table, json, ndjson, csv or tsv (default: table on a terminal, json otherwise; with --output: from the file extension)'))
    .option('--json [fields]', 'JSON array of the rows with only these comma-separated fields (gh style); alone: list the fields')
    .option('-o, --output <file>', 'write the output to this file instead of stdout')
    .option('--bom', 'csv/tsv: start with a UTF-8 byte order mark (for Excel)')
    .option('--no-header', 'csv/tsv: leave out the header row')
    .option('--no-formula-guard', "csv/tsv: keep cells as they are; by default a cell starting with = + - @ gets a leading ' so spreadsheets never run it (turn off for pandas, csvkit, sqlite-utils)")
}

export function addWindowOptions(cmd: Command, defaultSince: string | null): Command {
  return cmd
    .option('--since <when>', `window back from --until or now: a duration (7d, 12h) or a date (2026-11-01, 2026-11-01T08:00)${defaultSince ? ` (default ${defaultSince})` : ''}`)
    .option('--from <date>', 'window start (ISO 8601, e.g. 2026-11-01 or 2026-11-01T08:00+01:00)')
    .option('--until <when>', 'window end, exclusive: a date, or a duration back from now (default now)')
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
      const config = await loadConfig({ config: g.config, db: g.db }, io.env, io.cwd)
      // A malformed brand query is a config error for every command, not a surprise in the next fetch.
      if (config.brands.length) (await import('../sources/brand-query.js')).parseBrandQueries(config.brands, config.path)
      const timezone = g.tz ? assertTimeZone(g.tz) : config.timezone
      const progress = createProgressBar(io.stderr, io.env)
      return { config, timezone, now: now(), env: io.env, log: createLogger(io, Boolean(g.verbose), progress), progress, root: ROOT }
    },
    async output(cmd, timezone) {
      const [{ chooseFormat }, { render }, { viewOf }, { noticesOf }, { parseOutputFlags, writeOutputFile }] = await Promise.all([
        import('../render/format.js'),
        import('../render/render.js'),
        import('../render/views.js'),
        import('../render/notices.js'),
        import('./output.js'),
      ])
      const spec = parseOutputFlags(cmd.opts<OutputFlags>(), Boolean(io.stdout.isTTY), io.cwd, chooseFormat)
      const log = logger(cmd)
      return (model: Model) => {
        const text = render(viewOf(model), spec.format, {
          tz: timezone,
          color: spec.file === undefined && useColor(io.stdout, io.env),
          bom: spec.bom,
          width: spec.file === undefined ? (io.stdout.columns ?? 120) : 120,
          header: spec.header,
          formulaGuard: spec.formulaGuard,
          fields: spec.fields,
        })
        if (spec.file === undefined) io.stdout.write(text)
        else {
          writeOutputFile(spec.file, text)
          log.info(`wrote ${spec.file}`)
        }
        for (const n of noticesOf(model, spec.format)) {
          if (n.level === 'warning') log.warn(n.text)
          else io.stderr.write(`${n.text}\n`)
        }
      }
    },
  }
}
