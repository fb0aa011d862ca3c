// src/config — the config file: find, read, validate (zod).
// Find, read and validate listen.config.json: --config PATH, then $LISTEN_CONFIG, then the nearest
// listen.config.json in the working directory or above it (as git and npm look), then
// $XDG_CONFIG_HOME/listen/listen.config.json (~/.config when unset).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { z } from 'zod'
import { parseDatabaseLocation } from '../lib/location.js'
import { UsageError } from '../models/errors.js'
import type { Brand } from '../models/mention.js'
import { systemTimeZone } from '../time/zone.js'
import { readCachedConfig, saveCachedConfig } from './cache.js'
import type { ConfigFile } from './schema.js'

export const CONFIG_FILE = 'listen.config.json'

export interface Config extends Omit<ConfigFile, 'database' | 'timezone'> {
  /** Absolute path of the config file, or null when running on defaults. */
  path: string | null
  database: string
  timezone: string
  brands: Brand[]
}

export interface ConfigFlags {
  config?: string | undefined
  db?: string | undefined
}

export type ConfigOrigin = 'flag' | 'env' | 'directory' | 'xdg'

export interface ConfigLocation {
  path: string | null
  origin: ConfigOrigin | null
  /** Where listen looked, in order (for "not found" messages). */
  searched: string[]
}

/**
 * The config in use. The upward search stops after the home directory: a listen.config.json in
 * /home or / is somebody else's.
 */
export function locateConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv, cwd: string): ConfigLocation {
  if (flags.config) return { path: resolve(cwd, flags.config), origin: 'flag', searched: [] }
  if (env.LISTEN_CONFIG) return { path: resolve(cwd, env.LISTEN_CONFIG), origin: 'env', searched: [] }
  const searched: string[] = []
  const home = env.HOME ? resolve(env.HOME) : null
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG_FILE)
    searched.push(candidate)
    if (existsSync(candidate)) return { path: candidate, origin: 'directory', searched }
    if (dir === home || dirname(dir) === dir) break
  }
  const xdgBase = env.XDG_CONFIG_HOME ? resolve(env.XDG_CONFIG_HOME) : home ? join(home, '.config') : null
  if (xdgBase) {
    const candidate = join(xdgBase, 'listen', CONFIG_FILE)
    searched.push(candidate)
    if (existsSync(candidate)) return { path: candidate, origin: 'xdg', searched }
  }
  return { path: null, origin: null, searched }
}

export function findConfigPath(flags: ConfigFlags, env: NodeJS.ProcessEnv, cwd: string): string | null {
  return locateConfig(flags, env, cwd).path
}

export function formatIssues(file: string, issues: readonly z.core.$ZodIssue[]): string {
  const lines = issues.slice(0, 5).map((i) => `${file}: ${formatPath(i.path)}: ${i.message}`)
  if (issues.length > 5) lines.push(`${file}: … and ${issues.length - 5} more problems`)
  return lines.join('\n')
}

function formatPath(path: readonly PropertyKey[]): string {
  if (!path.length) return '(top level)'
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('')
}

/**
 * The validated config in `text` (named `file` in errors). zod is loaded only when the config
 * cache (cache.ts) does not know this text yet.
 */
export async function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = {}): Promise<ConfigFile> {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON (${(e as Error).message})`)
  }
  const cached = readCachedConfig(text, env)
  if (cached) return cached
  const { configSchema } = await import('./schema.js')
  const result = configSchema.safeParse(json)
  if (!result.success) throw new UsageError(formatIssues(file, result.error.issues))
  saveCachedConfig(text, result.data, env)
  return result.data
}

export async function loadConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<Config> {
  const path = findConfigPath(flags, env, cwd)
  let text = '{}'
  if (path) {
    try {
      text = readFileSync(path, 'utf8')
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      throw new UsageError(`cannot read config ${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`)
    }
  }
  // Without a file the defaults apply, validated (and cached) as the empty config.
  const file = await parseConfig(text, path ?? '(defaults)', env)
  const base = path ? dirname(path) : cwd
  // A URL (postgres://…) is never a file path: resolving it would make a folder named "postgres:".
  const place = (dir: string, value: string) => (parseDatabaseLocation(value).kind === 'url' ? value : resolve(dir, value))
  const database = flags.db ? place(cwd, flags.db) : place(base, file.database ?? 'listen.db')
  return { ...file, path, database, timezone: file.timezone ?? systemTimeZone() }
}

/** The starter written by `listen init`. */
export function starterConfig(): ConfigFile & { $schema?: string } {
  return {
    database: 'listen.db',
    timezone: systemTimeZone(),
    brands: [
      {
        name: 'Nordwind Mobile',
        query: '"Nordwind Mobile" OR nordwindmobile',
        languages: ['de', 'en'],
        handles: { x: 'NordwindHilfe', mastodon: 'nordwind@social.example', reddit: 'NordwindSupport' },
      },
    ],
    sources: {
      hackernews: { enabled: true },
      mastodon: { enabled: false, baseUrl: 'https://mastodon.social' },
      x: { enabled: false, tokenEnv: 'X_BEARER_TOKEN' },
    },
    staffing: { aht: '6m', target: '60m', serviceLevel: 0.8, shrinkage: 0.3, maxOccupancy: 0.85 },
  }
}
