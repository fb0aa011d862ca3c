// The PostgreSQL backend behind the Store interface: a pool (connect.ts), the schema migrated on
// open (migrations.ts), and one repository class per part of the interface. Feature branches add
// their own classes in src/store/pg/<feature>.ts; they take the same PgHandle.
import pg from 'pg'
import { StoreError, type StoreFault } from '../../models/errors.js'
import type { AlertRepo, ArticleRepo, AuditRepo, FetchRepo, LabelRepo, MentionRepo, ModelRepo, OpenOptions, QueryResult, QueueRepo, RecheckRepo, ReportRepo, Store, TopicRepo } from '../types.js'
import { PgAlerts } from './alerts.js'
import { PgArticleStore } from './articles.js'
import { PgAudit } from './audit.js'
import { clientConfig, describePgError, openPool, type PgConfig, type PgHandle } from './connect.js'
import { PgLabels } from './label.js'
import { PgMentionWriter } from './ingest.js'
import { PgMentions } from './mentions.js'
import { migratePg } from './migrations.js'
import { PgModels } from './models.js'
import { queryReadOnly } from './query.js'
import { PgQueue } from './queue.js'
import { PgRecheckStore } from './recheck.js'
import { PgMentionReports } from './reports.js'
import { PgFetchRuns } from './runs.js'
import { refreshPlannerStats } from './stats.js'
import { PgReports } from './summary.js'
import { PgTopicStore } from './topics.js'

/** Server errors that are a fault of the store, not of the input: SQLite's StoreError kinds. */
const FAULTS: Record<string, [StoreFault, string]> = {
  '53100': ['disk-full', 'the server is out of disk space'],
  '53200': ['disk-full', 'the server is out of memory'],
  '25006': ['read-only', 'the server is read-only (a standby, or default_transaction_read_only)'],
  '42501': ['read-only', 'the user may not write here (permission denied)'],
  '55P03': ['locked', 'a lock could not be taken in time'],
}

/** A PG error as StoreError when it is a storage fault (disk full, read-only…); others as they are. */
export function pgStoreError(e: unknown, url: string): unknown {
  const cause = (e as { cause?: unknown }).cause ?? e
  const code = (cause as { code?: unknown }).code
  if (typeof code !== 'string' || !(code in FAULTS)) return e
  const [fault, words] = FAULTS[code]!
  return new StoreError(`database ${url}: ${words} (${(cause as Error).message}, ${code})`, url, fault, { cause })
}

/** Every method's rejection mapped through pgStoreError. */
function mapped<T extends object>(impl: T, url: string): T {
  return new Proxy(impl, {
    get(target, name, receiver) {
      const v = Reflect.get(target, name, receiver) as unknown
      if (typeof v !== 'function') return v
      return (...args: unknown[]) => {
        try {
          const r = (v as (...a: unknown[]) => unknown).apply(target, args)
          return r instanceof Promise ? r.catch((e: unknown) => Promise.reject(pgStoreError(e, url))) : r
        } catch (e) {
          throw pgStoreError(e, url)
        }
      }
    },
  })
}

export class PgStore implements Store {
  readonly backend = 'postgres' as const
  readonly location: string
  readonly writer: PgMentionWriter
  readonly mentions: MentionRepo
  readonly reports: ReportRepo
  readonly audit: AuditRepo
  readonly runs: FetchRepo
  readonly models: ModelRepo
  readonly alerts: AlertRepo
  readonly labels: LabelRepo
  readonly articles: ArticleRepo
  readonly recheck: RecheckRepo
  readonly queue: QueueRepo
  readonly topics: TopicRepo
  readonly hourly: PgMentionReports
  private readonly fetchRuns: PgFetchRuns

  constructor(
    readonly handle: PgHandle,
    config: PgConfig,
  ) {
    this.location = handle.url
    this.writer = new PgMentionWriter(handle)
    this.hourly = new PgMentionReports(handle)
    const wrap = <T extends object>(r: T) => mapped(r, handle.url)
    this.mentions = wrap(new PgMentions(handle, this.writer, this.hourly))
    this.reports = wrap(new PgReports(handle))
    this.audit = wrap(new PgAudit(handle))
    this.fetchRuns = new PgFetchRuns(handle, this.writer, async () => {
      const client = new pg.Client({
        ...clientConfig(config),
        application_name: `${config.applicationName ?? 'listen'} lock`,
      })
      await client.connect()
      return client
    })
    this.runs = wrap(this.fetchRuns)
    this.models = wrap(new PgModels(handle))
    this.alerts = wrap(new PgAlerts(handle))
    this.labels = wrap(new PgLabels(handle))
    this.articles = wrap(new PgArticleStore(handle))
    this.recheck = wrap(new PgRecheckStore(handle))
    this.queue = wrap(new PgQueue(handle))
    this.topics = wrap(new PgTopicStore(handle))
  }

  query(sql: string): Promise<QueryResult> {
    return queryReadOnly(this.handle, sql)
  }

  async close(): Promise<void> {
    await this.fetchRuns.releaseAll()
    if (this.writer.inserted > 0) {
      await refreshPlannerStats(this.handle, this.writer.inserted).catch((e: unknown) =>
        this.handle.warn?.(`could not refresh PostgreSQL's planner statistics for mentions (the audit may run slowly until ANALYZE mentions): ${describePgError(e, this.handle.url)}`),
      )
    }
    await this.handle.close()
  }
}

export interface PgOpenOptions extends OpenOptions {
  passwordEnv?: string | undefined
  /** Per statement (default 120 s); 0 = none. */
  statementTimeoutMs?: number | undefined
  applicationName?: string | undefined
}

/**
 * Opens the pool and brings the schema up to date. A read-only command on a database that was
 * never migrated says so instead of creating tables.
 */
export async function openPgStore(url: string, options: PgOpenOptions): Promise<PgStore> {
  const config: PgConfig = {
    url,
    passwordEnv: options.passwordEnv,
    env: options.env ?? {},
    log: options.log,
    statementTimeoutMs: options.statementTimeoutMs,
    reconnectMs: options.reconnectMs,
    applicationName: options.applicationName,
  }
  const handle = await openPool(config)
  try {
    await migratePg(handle)
  } catch (e) {
    await handle.close().catch(() => {})
    throw pgStoreError(e, handle.url)
  }
  return new PgStore(handle, config)
}

export { describePgError }
