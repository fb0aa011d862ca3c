// The man page, listen(1), built from the same commander program and help texts as --help, so the
// two never drift. scripts/make-man.mjs writes it to dist/listen.1 at build time; package.json
// "man" installs it with the package (`man listen` after a global install).
import type { Command, Help } from 'commander'

/** roff: backslashes and hyphens escaped (options stay copyable), leading dots and quotes guarded, non-ASCII as \[uXXXX]. */
export function roffEscape(text: string): string {
  let out = ''
  for (const ch of text.replace(/\\/g, '\\e').replace(/-/g, '\\-')) {
    const cp = ch.codePointAt(0)!
    out += cp > 0x7e ? `\\[u${cp.toString(16).toUpperCase().padStart(4, '0')}]` : ch
  }
  return out.replace(/^([.'])/gm, '\\&$1')
}

/** The text a command adds after its help (addHelpText('after', …)): examples and details. */
function afterHelp(cmd: Command): string {
  let text = ''
  ;(cmd as unknown as NodeJS.EventEmitter).emit('afterHelp', { error: false, command: cmd, write: (s: string) => (text += s) })
  return text.replace(/^\n+|\s+$/g, '')
}

/** An after-help block as roff: "Example:" lines become a no-fill block, the prose a paragraph. */
function details(text: string): string {
  if (!text) return ''
  const out: string[] = []
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split('\n')
    const head = lines[0]!.trim()
    if (/^Examples?:$/.test(head)) {
      out.push('.PP', `.B ${roffEscape(head)}`, '.RS 2', '.nf', ...lines.slice(1).map((l) => roffEscape(l.replace(/^ {2}/, ''))), '.fi', '.RE')
    } else {
      out.push('.PP', roffEscape(lines.map((l) => l.trim()).join(' ')))
    }
  }
  return out.join('\n')
}

function options(cmd: Command, help: Help): string {
  return help
    .visibleOptions(cmd)
    .map((o) => `.TP\n.B ${roffEscape(help.optionTerm(o))}\n${roffEscape(help.optionDescription(o))}`)
    .join('\n')
}

function commandSection(cmd: Command, help: Help): string {
  const parts = [`.SS "${roffEscape(help.commandUsage(cmd))}"`, roffEscape(help.commandDescription(cmd))]
  const args = help.visibleArguments(cmd)
  if (args.length) parts.push(...args.map((a) => `.TP\n.I ${roffEscape(help.argumentTerm(a))}\n${roffEscape(help.argumentDescription(a))}`))
  const opts = options(cmd, help)
  if (opts) parts.push(opts)
  const more = details(afterHelp(cmd))
  if (more) parts.push(more)
  for (const sub of help.visibleCommands(cmd).filter((c) => c.name() !== 'help')) parts.push(commandSection(sub, help))
  return parts.join('\n')
}

export function renderManPage(program: Command, version: string): string {
  const help = program.createHelp()
  const commands = help.visibleCommands(program).filter((c) => c.name() !== 'help')
  return [
    `.TH LISTEN 1 "" "listen ${roffEscape(version)}" "User Commands"`,
    '.SH NAME',
    `listen \\- ${roffEscape(program.description())}`,
    '.SH SYNOPSIS',
    '.B listen',
    '[\\fIglobal options\\fR] \\fIcommand\\fR [\\fIoptions\\fR]',
    '.SH DESCRIPTION',
    roffEscape(
      'listen fetches brand mentions from platform APIs (or imports them from JSON Lines and CSV files) into a local SQLite database, tags them outage, complaint, question, praise or other (German and English), and turns hourly volume into a staffing plan, first-response audits, alerts and an HTML report. Every read command prints a table on a terminal and JSON otherwise; --format table|json|ndjson|csv|tsv, --json FIELDS and --output FILE choose. Data goes to stdout; warnings, notes and progress to stderr.',
    ),
    '.SH GLOBAL OPTIONS',
    options(program, help),
    '.SH COMMANDS',
    ...commands.map((c) => commandSection(c, help)),
    '.SH EXIT STATUS',
    '.TP\n.B 0\nok',
    `.TP\n.B 1\n${roffEscape('a failure: bad rows skipped while the rest was saved, a source that failed while the others were saved, a corrupt database')}`,
    `.TP\n.B 2\n${roffEscape('usage or config error: unknown flag, bad date, duration or time zone, bad config, missing database')}`,
    `.TP\n.B 3\n${roffEscape('listen alerts --fail-on-alert: an alert fired')}`,
    '.SH ENVIRONMENT',
    `.TP\n.B LISTEN_CONFIG\n${roffEscape('the config file, when --config is not given')}`,
    `.TP\n.B XDG_CONFIG_HOME\n${roffEscape('listen/listen.config.json under it is read when no listen.config.json is found in the working directory or above (default ~/.config)')}`,
    `.TP\n.B NO_COLOR\n${roffEscape('no colour in tables and on stderr (https://no-color.org)')}`,
    `.TP\n.B TERM\n${roffEscape('dumb: no colour, no progress line and no one-line summaries')}`,
    '.SH FILES',
    `.TP\n.B listen.config.json\n${roffEscape('brands, sources, time zone and staffing; the database path in it is relative to the file (listen config path shows which file is used)')}`,
    `.TP\n.B listen.db\n${roffEscape('the SQLite cache (default beside the config; --db overrides)')}`,
    '.SH SEE ALSO',
    roffEscape('The README of the package: every command with a transcript, the config keys, the output formats and the architecture.'),
    '',
  ].join('\n')
}
