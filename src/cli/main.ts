// src/cli — the top floor: commander wiring, flags → typed options, terminal I/O; only here does anything exit.
// Entry point: the only place that sets the exit code. 0 ok, 1 failure, 2 usage/config error.
import { CommanderError } from 'commander'
import { exitCodeOf } from '../models/errors.js'
import { processIo, useColor } from './io.js'
import { buildProgram } from './program.js'

const io = processIo()
const verbose = process.argv.includes('--verbose') || process.argv.includes('-v')

// `listen mentions | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0)
  throw e
})

try {
  await (await buildProgram(io, Date.now, process.argv)).parseAsync(process.argv)
} catch (error) {
  process.exitCode = reportError(error)
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message; help and version are not failures.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0
    // `listen help [command]` asked for help (exit code 0); `listen` alone shows it as an error (1).
    if (error.code === 'commander.help') return error.exitCode === 0 ? 0 : 2
    return 2
  }
  const red = (s: string) => (useColor(io.stderr, io.env) ? `\u001b[31m${s}\u001b[39m` : s)
  const message = error instanceof Error ? error.message : String(error)
  io.stderr.write(`${red('listen:')} ${message}\n`)
  if (verbose) {
    let e: unknown = error
    while (e instanceof Error) {
      io.stderr.write(`${e.stack ?? e.message}\n`)
      e = e.cause
      if (e) io.stderr.write('caused by: ')
    }
  }
  return exitCodeOf(error)
}
