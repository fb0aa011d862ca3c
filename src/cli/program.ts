// Commander wiring: flags → typed options → commands/<name>.ts → render. Heavy modules load lazily
// inside actions so `listen --help` starts fast.
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Command, Option } from 'commander'
import type { CommandContext } from '../commands/context.js'
import type { Model } from '../render/views.js'
import { ExitError } from '../errors.js'
import { createLogger, useColor, type Io } from './io.js'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version

interface GlobalFlags {
  config?: string
  db?: string
  tz?: string
  verbose?: boolean
}

interface OutputFlags {
  format?: string
  bom?: boolean
}

const collect = (value: string, previous: string[] = []) => [...previous, value]

function addOutputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'output format: table, json, ndjson or csv (default: table on a terminal, json otherwise)'))
    .option('--bom', 'start CSV with a UTF-8 byte order mark (for Excel)')
}

function addWindowOptions(cmd: Command, defaultSince: string | null): Command {
  return cmd
    .option('--since <duration>', `window back from now, e.g. 7d, 12h${defaultSince ? ` (default ${defaultSince})` : ''}`)
    .option('--from <date>', 'window start (ISO 8601, e.g. 2026-11-01 or 2026-11-01T08:00+01:00)')
    .option('--until <date>', 'window end, exclusive (default now)')
}

export function buildProgram(io: Io, now: () => number = Date.now): Command {
  const program = new Command('listen')
  program
    .description('Social listening for customer-service teams: fetch mentions, tag them, plan staffing per hour.')
    .version(VERSION, '-V, --version')
    .option('--config <path>', 'config file (default ./listen.config.json or $LISTEN_CONFIG)')
    .option('--db <path>', 'SQLite database (overrides the config)')
    .option('--tz <zone>', 'IANA time zone for reports and dates without offset (default: config, then system)')
    .option('-v, --verbose', 'log details to stderr and show stack traces')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })

  const context = async (cmd: Command): Promise<CommandContext> => {
    const g = cmd.optsWithGlobals<GlobalFlags>()
    const { loadConfig } = await import('../config/load.js')
    const { assertTimeZone } = await import('../time/zone.js')
    const config = loadConfig({ config: g.config, db: g.db }, io.env, io.cwd)
    const timezone = g.tz ? assertTimeZone(g.tz) : config.timezone
    return { config, timezone, now: now(), env: io.env, log: createLogger(io, Boolean(g.verbose)), root: ROOT }
  }

  /** Validates --format before any work is done; returns the writer for the command's model. */
  const output = async (cmd: Command, timezone: string) => {
    const o = cmd.opts<OutputFlags>()
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
  }

  program
    .command('init')
    .description('write a starter listen.config.json')
    .option('--force', 'overwrite an existing file')
    .addHelpText('after', '\nExample:\n  $ listen init && $EDITOR listen.config.json')
    .action(async function (this: Command) {
      const g = this.optsWithGlobals<GlobalFlags & { force?: boolean }>()
      const { runInit } = await import('../commands/init.js')
      const model = runInit({ path: g.config, force: g.force, cwd: io.cwd })
      createLogger(io, Boolean(g.verbose)).info(`wrote ${model.path}; edit brands and sources, then run listen fetch`)
    })

  program
    .command('import')
    .description('import mentions from JSON Lines or CSV files (streamed; re-importing changes nothing)')
    .argument('<files...>', 'files to import (.jsonl, .ndjson, .csv, .tsv)')
    .option('--format <format>', 'input format when the extension does not tell: jsonl, csv or tsv')
    .option('--map <pairs>', 'field=column pairs, e.g. id=tweet_id,author=author_id; "!col" negates a boolean column')
    .option('--source <name>', 'source for every row (e.g. twitter)')
    .option('--brand <name>', 'brand for every row')
    .option('--handles <list>', "comma-separated brand handles: their posts are the brand's own replies")
    .addHelpText(
      'after',
      `
Fields: id, source, brand, created_at, author, author_id, text, url, lang, in_reply_to, thread_id, by_brand, label.
Dates: ISO 8601 (without offset: read in --tz), epoch s or ms, RFC 2822, "Tue Oct 31 22:10:47 +0000 2017".
A bad row is reported with file and line and skipped; exit 1 if any row was bad.

Example:
  $ listen import ../shared/datasets/twcs_head5000.csv --source twitter \\
      --map id=tweet_id,author=author_id,created_at=created_at,text=text,in_reply_to=in_response_to_tweet_id`,
    )
    .action(async function (this: Command, files: string[]) {
      const ctx = await context(this)
      const o = this.opts<{ format?: string; map?: string; source?: string; brand?: string; handles?: string }>()
      const { runImport } = await import('../commands/import.js')
      const model = await runImport({ files, ...o }, ctx)
      const { render } = await import('../render/render.js')
      const { viewOf } = await import('../render/views.js')
      io.stdout.write(
        render(viewOf(model), io.stdout.isTTY ? 'table' : 'json', { tz: ctx.timezone, color: useColor(io.stdout, io.env) }),
      )
      if (model.totals.bad) throw new ExitError(`${model.totals.bad} bad rows skipped; the other ${model.totals.rows - model.totals.bad} rows were saved`, 1)
    })

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
      const ctx = await context(this)
      const print = await output(this, ctx.timezone)
      const { runMentions } = await import('../commands/mentions.js')
      print(runMentions(this.opts(), ctx))
    })

  addOutputOptions(
    addWindowOptions(
      program
        .command('report')
        .description('reports over a window: --by-hour volume per local hour (the staffing input)')
        .option('--by-hour', 'volume per hour of day in --tz (the default report)')
        .option('--heatmap', 'add a weekday × hour table')
        .option('--source <name>', 'only this source (repeatable or comma-separated)', collect)
        .option('--brand <name>', 'only this brand (repeatable or comma-separated)', collect),
      '28d',
    ),
  )
    .addHelpText(
      'after',
      `
Hours are local hours of each mention's instant in --tz, exact across daylight-saving changes.
Brand replies are not counted: this is customer volume.

Example:
  $ listen report --by-hour --tz Europe/Berlin --since 28d --format csv --bom > hours.csv`,
    )
    .action(async function (this: Command) {
      const ctx = await context(this)
      const print = await output(this, ctx.timezone)
      const { runReport } = await import('../commands/report.js')
      print(runReport(this.opts(), ctx))
    })

  addOutputOptions(
    program
      .command('demo')
      .description('offline demo: builds a temporary database from built-in fixtures and prints the by-hour report')
      .option('--heatmap', 'add the weekday × hour table'),
  )
    .addHelpText('after', '\nExample:\n  $ npx listen demo --format csv')
    .action(async function (this: Command) {
      const g = this.optsWithGlobals<GlobalFlags & { heatmap?: boolean }>()
      const { assertTimeZone } = await import('../time/zone.js')
      const { runDemo } = await import('../commands/demo.js')
      const log = createLogger(io, Boolean(g.verbose))
      const timezone = g.tz ? assertTimeZone(g.tz) : 'Europe/Berlin'
      const print = await output(this, timezone)
      print(await runDemo({ heatmap: Boolean(g.heatmap), timezone, root: ROOT, log, env: io.env }))
    })

  return program
}
