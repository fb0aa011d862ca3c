// The terminal: streams, colour decision and the stderr logger. Only cli/ touches process.
import type { Writable } from 'node:stream'
import type { Logger } from '../commands/context.js'

export interface Io {
  stdout: Writable & { isTTY?: boolean; columns?: number }
  stderr: Writable & { isTTY?: boolean }
  env: NodeJS.ProcessEnv
  cwd: string
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }
}

/** Colour only on a TTY, and never when NO_COLOR is set (https://no-color.org) or TERM=dumb. */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.TERM === 'dumb') return false
  return Boolean(stream.isTTY)
}

const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[39m` : s)

/** `progress`: the progress line on the same stream, cleared before each message. */
export function createLogger(io: Io, verbose: boolean, progress?: { clear(): void }): Logger {
  const color = useColor(io.stderr, io.env)
  // One-line summaries belong to a person at a terminal, as the progress line does (TERM=dumb: neither).
  const chatty = verbose || (Boolean(io.stderr.isTTY) && io.env.TERM !== 'dumb')
  const write = (s: string) => {
    progress?.clear()
    io.stderr.write(s)
  }
  return {
    warn: (m) => write(`${paint(color, 33, 'warning:')} ${m}\n`),
    info: (m) => {
      if (chatty) write(`${m}\n`)
    },
    debug: (m) => {
      if (verbose) write(`${paint(color, 90, m)}\n`)
    },
  }
}
