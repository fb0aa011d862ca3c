// The SQLite backend behind the Store interface: one file, one connection, synchronous underneath.
import type { AlertRepo, ArticleRepo, AuditRepo, FetchRepo, LabelRepo, MentionRepo, ModelRepo, OpenOptions, QueryResult, QueueRepo, RecheckRepo, ReportRepo, Store, TopicRepo } from '../types.js'
import { AlertStore } from './alerts.js'
import { ArticleStore } from './articles.js'
import { AuditStore } from './audit.js'
import { type Db, openDb } from './db.js'
import { storeErrorOf } from './errors.js'
import { LabelStore } from './label.js'
import { MentionStore } from './mentions.js'
import { ModelStore } from './model.js'
import { runReadOnlyQuery } from './query.js'
import { RecheckStore } from './recheck.js'
import { ReportStore } from './reports.js'
import { QueueStore } from './queue.js'
import { FetchStore } from './runs.js'
import { TopicStore } from './topics.js'

type Async<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K] }

/**
 * The synchronous repository as the async interface: each call's result (or throw) as a settled
 * promise; a storage failure (disk full, read-only…) as a StoreError naming the database.
 */
function promised<T extends object>(impl: T, location: string): Async<T> {
  const out: Record<string, unknown> = {}
  for (let proto = Object.getPrototypeOf(impl) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const fn = (impl as Record<string, unknown>)[name]
      if (name === 'constructor' || name in out || typeof fn !== 'function') continue
      out[name] = (...args: unknown[]) => {
        try {
          return Promise.resolve((fn as (...a: unknown[]) => unknown).apply(impl, args))
        } catch (e) {
          return Promise.reject(storeErrorOf(e, location))
        }
      }
    }
  }
  return out as Async<T>
}

export class SqliteStore implements Store {
  readonly backend = 'sqlite' as const
  private cache = new Map<string, unknown>()

  constructor(
    readonly db: Db,
    readonly location: string,
  ) {}

  // Built on first use: a read command never prepares the write statements it does not need.
  private repo<T extends object>(name: string, make: () => T): Async<T> {
    let r = this.cache.get(name) as Async<T> | undefined
    if (!r) this.cache.set(name, (r = promised(make(), this.location)))
    return r
  }

  get mentions(): MentionRepo {
    return this.repo('mentions', () => new MentionStore(this.db))
  }
  get reports(): ReportRepo {
    return this.repo('reports', () => new ReportStore(this.db))
  }
  get audit(): AuditRepo {
    return this.repo('audit', () => new AuditStore(this.db))
  }
  get runs(): FetchRepo {
    return this.repo('runs', () => new FetchStore(this.db))
  }
  get models(): ModelRepo {
    return this.repo('models', () => new ModelStore(this.db))
  }
  get alerts(): AlertRepo {
    return this.repo('alerts', () => new AlertStore(this.db))
  }
  get articles(): ArticleRepo {
    return this.repo('articles', () => new ArticleStore(this.db))
  }
  get recheck(): RecheckRepo {
    return this.repo('recheck', () => new RecheckStore(this.db))
  }

  get labels(): LabelRepo {
    return this.repo('labels', () => new LabelStore(this.db))
  }

  get queue(): QueueRepo {
    return this.repo('queue', () => new QueueStore(this.db))
  }

  get topics(): TopicRepo {
    return this.repo('topics', () => new TopicStore(this.db))
  }

  async query(sql: string): Promise<QueryResult> {
    return runReadOnlyQuery(this.db, sql)
  }

  async close(): Promise<void> {
    this.db.close()
  }
}

export function openSqliteStore(path: string, options: OpenOptions): SqliteStore {
  return new SqliteStore(openDb(path, options), path)
}
