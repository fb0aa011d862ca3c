// src/commands — one file per command: typed options in, a model out; orchestration only, no wording, no printing.
// What every command receives from the CLI wiring: resolved config, zone, clock and a stderr logger.
import type { Config } from '../config/load.js'
import { parseDuration } from '../time/parse.js'

export interface Logger {
  /** Something the operator should read (bad rows, deferred sources). */
  warn(message: string): void
  /** Progress and one-line summaries. */
  info(message: string): void
  /** Only with --verbose. */
  debug(message: string): void
}

/** A progress line for long runs; the CLI draws it only on a terminal. */
export interface Progress {
  /** `done` of `total` (any unit); without a total only the label shows. Throttled by the CLI. */
  update(label: string, done: number, total?: number): void
  /** Clears the line (at the end, or before other output); the next update draws it again. */
  clear(): void
}

export interface CommandContext {
  config: Config
  /** --tz, else the config's zone, else the system's. */
  timezone: string
  now: number
  env: NodeJS.ProcessEnv
  log: Logger
  /** Absent in tests and library use: commands call it as ctx.progress?.update(...). */
  progress?: Progress
  /** Project root (for built-in fixtures). */
  root: string
}


/** A server restart mid-command is waited out this long unless the config says otherwise. */
export const DEFAULT_RECONNECT_MS = 30_000

/** What opening the configured store needs besides its location: the password's variable, the environment, the reconnect window and the logger. */
export function storeAuth(ctx: Pick<CommandContext, 'config' | 'env'> & Partial<Pick<CommandContext, 'log'>>): {
  passwordEnv: string | undefined
  env: NodeJS.ProcessEnv
  reconnectMs: number
  log?: { warn(message: string): void }
} {
  const reconnectMs = parseDuration(ctx.config.databaseReconnect ?? '') ?? DEFAULT_RECONNECT_MS
  return { passwordEnv: ctx.config.databasePasswordEnv, env: ctx.env, reconnectMs, ...(ctx.log ? { log: ctx.log } : {}) }
}
