// Validating the config costs a process about 0.17 s: importing zod (0.13 s) and its first parse,
// which compiles the schema. Every command with a database pays it, for the same file each time.
// A config that validated once is kept as its validated value under $XDG_CACHE_HOME/listen/config/
// (~/.cache when unset), keyed by the file's text, the schema's code and Node's version (the time
// zone check asks Node's ICU), and read back instead of validating again. Errors are never cached:
// a bad config is validated, and named, every time. LISTEN_CONFIG_CACHE=0 turns the cache off.
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { ConfigFile } from './schema.js'

/** Entries not written for this long are removed when a new one is written (each edit of a config makes one). */
const MAX_AGE_MS = 90 * 24 * 3600_000

/** The cache directory, or null when there is no home to keep it in or it is turned off. */
export function configCacheDir(env: NodeJS.ProcessEnv): string | null {
  if (env.LISTEN_CONFIG_CACHE === '0') return null
  const base = env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : env.HOME ? join(resolve(env.HOME), '.cache') : null
  return base === null ? null : join(base, 'listen', 'config')
}

let schemaDigest: string | null = null

/** sha256 of the code that decides what a valid config is: the schema and the modules its checks call. */
function schemaFingerprint(): string {
  if (schemaDigest === null) {
    const h = createHash('sha256').update(process.version)
    for (const name of ['./schema', '../time/parse', '../models/mention']) {
      // dist holds .js; the tests run the .ts sources.
      const file = ['.js', '.ts'].map((ext) => new URL(`${name}${ext}`, import.meta.url)).find((u) => statOrNull(u) !== null)
      h.update(file ? readFileSync(file) : name)
    }
    schemaDigest = h.digest('hex')
  }
  return schemaDigest
}

function statOrNull(file: URL | string): { mtimeMs: number } | null {
  try {
    return statSync(file)
  } catch {
    return null
  }
}

export function configCacheKey(text: string): string {
  return createHash('sha256').update(schemaFingerprint()).update('\0').update(text).digest('hex')
}

/** The validated value of a config with this text, when an earlier run validated it; else null. */
export function readCachedConfig(text: string, env: NodeJS.ProcessEnv): ConfigFile | null {
  const dir = configCacheDir(env)
  if (dir === null) return null
  const key = configCacheKey(text)
  try {
    const entry = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as { key?: unknown; config?: unknown }
    return entry.key === key && typeof entry.config === 'object' && entry.config !== null ? (entry.config as ConfigFile) : null
  } catch {
    // Missing, unreadable or damaged: validate as without a cache.
    return null
  }
}

/** Keeps `config`, the validated value of `text`. Best effort: a cache that cannot be written is skipped. */
export function saveCachedConfig(text: string, config: ConfigFile, env: NodeJS.ProcessEnv, now = Date.now()): void {
  const dir = configCacheDir(env)
  if (dir === null) return
  const key = configCacheKey(text)
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const tmp = join(dir, `${key}.${process.pid}.tmp`)
    writeFileSync(tmp, JSON.stringify({ key, config }), { mode: 0o600 })
    // Atomic: a process reading at the same time sees the whole entry or none.
    renameSync(tmp, join(dir, `${key}.json`))
    for (const name of readdirSync(dir)) {
      const stat = statOrNull(join(dir, name))
      if (stat && now - stat.mtimeMs > MAX_AGE_MS) unlinkSync(join(dir, name))
    }
  } catch {
    // A read-only home or a full disk costs the next run 0.17 s, nothing else.
  }
}
