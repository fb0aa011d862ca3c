// Commander wiring: the program and its global flags, then one register() per command in
// src/cli/commands/. Each action turns flags into typed options, calls src/commands/<name>.ts and
// renders the model it returns.
import { Command } from 'commander'
import { type Io, useColor } from './io.js'
import { createKit, VERSION } from './kit.js'
import * as demo from './commands/demo.js'
import * as fetch from './commands/fetch.js'
import * as importCmd from './commands/import.js'
import * as init from './commands/init.js'
import * as mentions from './commands/mentions.js'
import * as query from './commands/query.js'
import * as dbCmd from './commands/db.js'
import * as report from './commands/report.js'
import * as sourcesCmd from './commands/sources.js'
import * as classify from './commands/classify.js'
import * as evalCmd from './commands/eval.js'
import * as label from './commands/label.js'
import * as train from './commands/train.js'
import * as staff from './commands/staff.js'
import * as audit from './commands/audit.js'
import * as alerts from './commands/alerts.js'
import * as completion from './commands/completion.js'
import * as configCmd from './commands/config.js'
import * as queue from './commands/queue.js'
import * as helpArticles from './commands/help-articles.js'
import * as recheck from './commands/recheck.js'

const COMMANDS = [init, configCmd, importCmd, fetch, sourcesCmd, mentions, queue, report, audit, query, alerts, staff, classify, label, train, evalCmd, demo, completion, dbCmd, helpArticles, recheck]

export function buildProgram(io: Io, now: () => number = Date.now): Command {
  const program = new Command('listen')
  program
    .description('Social listening for customer-service teams: fetch mentions, tag them, plan staffing per hour.')
    .version(VERSION, '-V, --version')
    .option('--config <path>', 'config file (default: $LISTEN_CONFIG, else the nearest listen.config.json here or above, else $XDG_CONFIG_HOME/listen/; listen config path shows it)')
    .option('--db <path>', 'SQLite database (overrides the config)')
    .option('--tz <zone>', 'IANA time zone for reports and dates without offset (default: config, then system)')
    .option('-v, --verbose', 'log details to stderr and show stack traces')
    .exitOverride()
  const kit = createKit(io, now)
  for (const c of COMMANDS) c.register(program, kit)
  const configure = (cmd: Command, usage: string) => {
    cmd.configureOutput(outputTo(io, usage))
    for (const sub of cmd.commands) configure(sub, `${usage} ${sub.name()}`)
  }
  configure(program, 'listen')
  return program
}

/** Commander's own errors (unknown option, missing argument) read like every other error: one "listen:" line. */
function outputTo(io: Io, usage: string) {
  return {
    writeOut: (s: string) => io.stdout.write(s),
    writeErr: (s: string) => io.stderr.write(s),
    outputError: (s: string, write: (s: string) => void) => write(`${useColor(io.stderr, io.env) ? '\u001b[31mlisten:\u001b[39m' : 'listen:'} ${s.replace(/^error: /, '').trimEnd()} (see ${usage} --help)\n`),
  }
}
