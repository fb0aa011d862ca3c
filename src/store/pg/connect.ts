// Open the PostgreSQL store: a pg Pool from a postgres:// URL. The only place that creates pools.
// The password never appears in a message: every error names the URL with the password redacted.
import pg from 'pg'
import { parseIntoClientConfig } from 'pg-connection-string'
import { ExitError } from '../../models/errors.js'

export interface PgConfig {
  /** postgres://user[:password]@host[:port]/database[?options] */
  url: string
  /** Name of an environment variable holding the password (it wins over one in the URL). */
  passwordEnv?: string | undefined
  env: Readonly<Record<string, string | undefined>>
  applicationName?: string | undefined
  /** Per statement; 0 = none. */
  statementTimeoutMs?: number | undefined
  /** Pool size. */
  max?: number | undefined
  /** How long an idempotent statement keeps trying when the connection is lost or refused mid-command (a server restart); 0 = not at all. */
  reconnectMs?: number | undefined
  log?: { warn(message: string): void } | undefined
}

export interface PgHandle {
  pool: pg.Pool
  /** The URL with the password replaced by ***: the only form of it that may be shown. */
  url: string
  close(): Promise<void>
  /** See PgConfig.reconnectMs; absent = 0. */
  reconnectMs?: number
  warn?: (message: string) => void
  /** Set while the server is unreachable, so concurrent statements say so once. */
  outage?: { since: number } | undefined
}

const INT8 = 20
// Epoch ms and counts fit a double exactly (below 2^53); pg's default would hand out strings.
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
}

/** postgres://user:***@host/db — also the password= query parameter; an unparseable URL is masked the same way by pattern. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    if (u.searchParams.has('password')) u.searchParams.set('password', '***')
    return u.toString().replace('password=%2A%2A%2A', 'password=***')
  } catch {
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@').replace(/([?&]password=)[^&]*/gi, '$1***')
  }
}

/** The message of a pg or socket error, as a sentence that names the redacted URL and the cause. */
export function describePgError(e: unknown, url: string, secret?: string): string {
  const err = e as { code?: string; message?: string; address?: string; port?: number }
  const target = hostPort(url)
  const where = `PostgreSQL at ${url}`
  let msg: string
  switch (err.code) {
    case 'ECONNREFUSED':
      msg = `cannot connect to ${where}: connection refused (is the server running and listening on ${target}?)`
      break
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      msg = `cannot connect to ${where}: unknown host ${target.replace(/:\d+$/, '')}`
      break
    case 'ETIMEDOUT':
      msg = `cannot connect to ${where}: timed out`
      break
    case '28P01':
    case '28000':
      msg = `authentication failed for ${where}: ${err.message} (check the user, and the password in the URL or in the variable named by passwordEnv)`
      break
    case '3D000':
      msg = `cannot open ${where}: ${err.message} (create it, or fix the database name in the URL)`
      break
    case '57014':
      msg = `${where}: a statement ran past statement_timeout and was cancelled (${err.message})`
      break
    default:
      if (/timeout expired|Connection terminated due to connection timeout/i.test(err.message ?? '')) {
        msg = `cannot connect to ${where}: timed out`
      } else if (/Connection terminated|ECONNRESET|EPIPE|connection.*(closed|ended)/i.test(`${err.message} ${err.code}`)) {
        msg = `lost the connection to ${where}: ${err.message}`
      } else {
        msg = `${where}: ${err.message ?? String(e)}${err.code ? ` (${err.code})` : ''}`
      }
  }
  return secret && secret.length >= 3 ? msg.replaceAll(secret, '***') : msg
}

/**
 * Did the connection die (server restart, a killed backend, a dropped socket), as opposed to the
 * statement failing? A query sent on a client whose socket had already died between two statements
 * fails with pg's own "Client has encountered a connection error" (pg/lib/client.js,
 * _handleErrorEvent), not with the server's code.
 */
export function isConnectionLoss(e: unknown): boolean {
  const err = e as { code?: string; message?: string }
  return (
    err?.code === '57P01' ||
    err?.code === '57P02' ||
    err?.code === '57P03' ||
    /Connection terminated unexpectedly|Client has encountered a connection error|ECONNRESET|EPIPE/i.test(`${err?.message} ${err?.code}`)
  )
}

/**
 * Could the same statement succeed in a moment on a fresh connection: the connection was lost, or
 * the server refuses connections or is starting up or shutting down (a restart, a failover).
 * Looks through an ExitError to its cause.
 */
export function isTransient(e: unknown): boolean {
  const err = ((e as { cause?: unknown })?.cause ?? e) as { code?: string; message?: string }
  return isConnectionLoss(err) || err?.code === 'ECONNREFUSED' || /the database system is (starting up|shutting down|in recovery mode)/i.test(err?.message ?? '')
}

/**
 * Runs `fn` until it succeeds, fails for another reason, or the handle's reconnect window
 * (reconnectMs) is used up: for statements that may safely run twice (reads, the batch upserts,
 * setting a run's status), because a lost COMMIT may or may not have been applied. Says once on
 * stderr that the server went away and once that it is back.
 */
export async function reconnecting<T>(h: PgHandle, fn: () => Promise<T>): Promise<T> {
  const budget = h.reconnectMs ?? 0
  const t0 = Date.now()
  let wait = 100
  for (;;) {
    try {
      const result = await fn()
      if (h.outage) {
        h.warn?.(`reconnected to PostgreSQL at ${h.url} after ${((Date.now() - h.outage.since) / 1000).toFixed(1)} s; the interrupted statements were run again`)
        h.outage = undefined
      }
      return result
    } catch (e) {
      if (!isTransient(e) || Date.now() - t0 + wait > budget) throw e
      if (!h.outage) {
        h.outage = { since: Date.now() }
        h.warn?.(`${describePgError((e as { cause?: unknown }).cause ?? e, h.url)}; trying again for up to ${Math.round(budget / 1000)} s`)
      }
      await new Promise((r) => setTimeout(r, wait))
      wait = Math.min(wait * 2, 2000)
    }
  }
}

/** An ExitError naming the redacted URL; the pg error stays as the cause. */
export function pgError(e: unknown, url: string, secret?: string): ExitError {
  if (e instanceof ExitError) return e
  return new ExitError(describePgError(e, url, secret), 1, { cause: e })
}

/**
 * Runs `fn` on one pooled client. A client whose connection failed (an error event, or a ROLLBACK
 * that could not be sent: report those through `broken`) is destroyed instead of going back to the
 * pool; pg-pool leaves checked-out clients without an error listener, which would crash the process.
 */
export async function withClient<T>(h: PgHandle, fn: (client: pg.PoolClient, broken: (e: Error) => void) => Promise<T>): Promise<T> {
  let client: pg.PoolClient
  try {
    client = await h.pool.connect()
  } catch (e) {
    throw pgError(e, h.url)
  }
  let lost: Error | undefined
  const broken = (e: Error) => {
    lost ??= e
  }
  client.on('error', broken)
  try {
    return await fn(client, broken)
  } finally {
    client.off('error', broken)
    client.release(lost)
  }
}

/** BEGIN, `fn`, COMMIT on one client; ROLLBACK when `fn` throws. */
export function withTransaction<T>(h: PgHandle, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(h, async (client, broken) => {
    await client.query('BEGIN')
    try {
      const result = await fn(client)
      await client.query('COMMIT')
      return result
    } catch (e) {
      await client.query('ROLLBACK').catch(broken)
      throw e
    }
  })
}

/**
 * What pg connects with: the URL's fields, and the password from the variable the config names if
 * there is one. Parsed here rather than given as connectionString beside `password`: pg lets what it
 * parses from connectionString override the other fields, and a URL without a password parses as
 * password '' (pg/lib/connection-parameters.js), so that password never reached the server.
 */
export function clientConfig(config: Pick<PgConfig, 'url' | 'passwordEnv' | 'env'>): pg.ClientConfig {
  const parsed = parseIntoClientConfig(config.url)
  const password = config.passwordEnv ? config.env[config.passwordEnv] : undefined
  return password ? { ...parsed, password } : parsed
}

/**
 * Opens a pool and checks it with one round trip, so a wrong URL, password or database fails here
 * with a clear message instead of at the first query.
 */
export async function openPool(config: PgConfig): Promise<PgHandle> {
  const url = redactUrl(config.url)
  if (!/^postgres(ql)?:\/\//.test(config.url)) {
    throw new ExitError(`not a PostgreSQL URL: ${url} (expected postgres://user@host:port/database)`)
  }
  let password: string | undefined
  if (config.passwordEnv) {
    password = config.env[config.passwordEnv]
    if (password === undefined || password === '') {
      throw new ExitError(`the environment variable ${config.passwordEnv} (named for the password of ${url}) is not set`)
    }
  }
  const secret = password ?? safePassword(config.url)
  const pool = new pg.Pool({
    ...clientConfig(config),
    application_name: config.applicationName ?? 'listen',
    statement_timeout: config.statementTimeoutMs ?? 120_000,
    connectionTimeoutMillis: 10_000,
    max: config.max ?? 4,
    types: TYPES,
  })
  const handle: PgHandle = {
    pool,
    url,
    close: () => pool.end(),
    reconnectMs: config.reconnectMs ?? 0,
    ...(config.log ? { warn: (m: string) => config.log!.warn(m) } : {}),
  }
  // Without a listener an idle client's error (server restart) would crash the process. Said only
  // when no statement is already waiting for the server (reconnecting() says it then).
  pool.on('error', (e) => {
    if (!handle.outage) config.log?.warn(`${describePgError(e, url, secret)} (an idle connection; the next statement opens a new one)`)
  })
  try {
    await pool.query('SELECT 1')
  } catch (e) {
    await pool.end().catch(() => {})
    throw pgError(e, url, secret)
  }
  return handle
}

function hostPort(url: string): string {
  try {
    const u = new URL(url)
    return `${u.hostname || 'localhost'}:${u.port || 5432}`
  } catch {
    return 'the given host'
  }
}

function safePassword(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined
  } catch {
    return undefined
  }
}
