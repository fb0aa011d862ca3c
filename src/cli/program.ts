// Commander wiring: the program and its global flags, then one register() per command in
// src/cli/commands/. Each action turns flags into typed options, calls src/commands/<name>.ts and
// renders the model it returns.
import { readFileSync } from 'node:fs'
import { Command, Help } from 'commander'
import { type Io, useColor } from './io.js'
import { createKit, type Kit, VERSION } from './kit.js'

interface CommandModule {
  register(program: Command, kit: Kit): void
}

// In the order of --help. Loaded on demand: a command's action modules are loaded lazily already,
// but its flag parsing pulls in time zones, staffing and the field maps; all 21 cost about 50 ms
// of the 80 ms that `listen --help` spends above bare node.
const MODULES: Record<string, () => Promise<CommandModule>> = {
  init: () => import('./commands/init.js'),
  config: () => import('./commands/config.js'),
  import: () => import('./commands/import.js'),
  fetch: () => import('./commands/fetch.js'),
  sources: () => import('./commands/sources.js'),
  mentions: () => import('./commands/mentions.js'),
  queue: () => import('./commands/queue.js'),
  report: () => import('./commands/report.js'),
  audit: () => import('./commands/audit.js'),
  query: () => import('./commands/query.js'),
  alerts: () => import('./commands/alerts.js'),
  staff: () => import('./commands/staff.js'),
  classify: () => import('./commands/classify.js'),
  label: () => import('./commands/label.js'),
  train: () => import('./commands/train.js'),
  eval: () => import('./commands/eval.js'),
  demo: () => import('./commands/demo.js'),
  completion: () => import('./commands/completion.js'),
  db: () => import('./commands/db.js'),
  'help-articles': () => import('./commands/help-articles.js'),
  recheck: () => import('./commands/recheck.js'),
}

/** What the root's --help shows of one top-level command, and which module registers it. */
export interface ManifestEntry {
  module: string
  name: string
  aliases: string[]
  term: string
  description: string
  hidden: boolean
}

/** Written at build time next to this module (scripts/make-man.mjs) from the full program. */
const MANIFEST_URL = new URL('./commands.json', import.meta.url)

/**
 * The program with every command. With `argv`, and a manifest from the build, only the command
 * that argv names is loaded; the others are stand-ins that show in the root's help exactly as the
 * real ones would (a test compares the two). `completion` walks every command, so it loads all.
 */
export async function buildProgram(
  io: Io,
  now: () => number = Date.now,
  argv?: readonly string[],
  manifest: readonly ManifestEntry[] | null = argv ? readManifest() : null,
): Promise<Command> {
  const wanted = manifest && argv ? commandNamed(argv, manifest) : undefined
  const load = manifest && wanted !== 'completion' ? (m: string) => m === wanted : () => true
  const modules = await Promise.all(Object.entries(MODULES).map(async ([key, importModule]) => [key, load(key) ? await importModule() : null] as const))
  return assemble(io, now, modules, manifest ?? [])
}

/** The root-help view of every top-level command, from the full program (written at build time). */
export async function commandManifest(io: Io): Promise<ManifestEntry[]> {
  const out: ManifestEntry[] = []
  const help = new Help()
  for (const [module, importModule] of Object.entries(MODULES)) {
    const program = new Command('listen')
    ;(await importModule()).register(program, createKit(io, Date.now))
    for (const cmd of program.commands) {
      out.push({
        module,
        name: cmd.name(),
        aliases: cmd.aliases(),
        term: help.subcommandTerm(cmd),
        description: help.subcommandDescription(cmd),
        hidden: (cmd as unknown as { _hidden: boolean })._hidden,
      })
    }
  }
  return out
}

function readManifest(): ManifestEntry[] | null {
  try {
    return JSON.parse(readFileSync(MANIFEST_URL, 'utf8')) as ManifestEntry[]
  } catch {
    // Run from the sources (tests) or a build without it: load every command.
    return null
  }
}

/** The module of the command argv names: the first word after the global flags (`help <command>` names it second). */
export function commandNamed(argv: readonly string[], manifest: readonly ManifestEntry[]): string | undefined {
  const withValue = new Set(['--config', '--db', '--tz'])
  const words: string[] = []
  for (let i = 2; i < argv.length && words.length < 2; i++) {
    const a = argv[i]!
    if (a === '--') break
    if (withValue.has(a)) i++
    else if (!a.startsWith('-')) words.push(a)
  }
  const find = (w: string | undefined) => manifest.find((e) => e.name === w || e.aliases.includes(w ?? ''))?.module
  return words[0] === 'help' ? find(words[1]) : find(words[0])
}

function assemble(io: Io, now: () => number, modules: ReadonlyArray<readonly [string, CommandModule | null]>, manifest: readonly ManifestEntry[]): Command {
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
  const standIns = new Map<Command, ManifestEntry>()
  for (const [key, mod] of modules) {
    if (mod) {
      mod.register(program, kit)
      continue
    }
    for (const entry of manifest.filter((e) => e.module === key)) {
      const cmd = new Command(entry.name).aliases(entry.aliases).description(entry.description)
      standIns.set(cmd, entry)
      program.addCommand(cmd, { hidden: entry.hidden })
    }
  }
  if (standIns.size) {
    program.configureHelp({
      subcommandTerm(this: Help, cmd: Command) {
        return standIns.get(cmd)?.term ?? Help.prototype.subcommandTerm.call(this, cmd)
      },
    })
  }
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
