// What every command receives from the CLI wiring: resolved config, zone, clock and a stderr logger.
import type { Config } from '../config/load.js'

export interface Logger {
  /** Something the operator should read (bad rows, deferred sources). */
  warn(message: string): void
  /** Progress and one-line summaries. */
  info(message: string): void
  /** Only with --verbose. */
  debug(message: string): void
}

export interface CommandContext {
  config: Config
  /** --tz, else the config's zone, else the system's. */
  timezone: string
  now: number
  env: NodeJS.ProcessEnv
  log: Logger
  /** Project root (for built-in fixtures). */
  root: string
}

export const silentLogger: Logger = { warn() {}, info() {}, debug() {} }
