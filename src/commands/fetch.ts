// listen fetch: walk every enabled source for every brand query and save what is new.
// Safe for cron: each page commits on its own; a walk's cursor commits with its last page and the
// run record, so a crash re-walks from the old cursor and the upsert makes duplicates impossible.
import { randomUUID } from 'node:crypto'
import pLimit from 'p-limit'
import { createHttp, type HttpClient, walkController } from '../http/client.js'
import { RateLimitDeferred } from '../http/errors.js'
import { redactText } from '../http/redact.js'
import { piiWith } from '../ingest/pii.js'
import { piiOptionsOf } from '../ingest/pii-options.js'
import { topicClassifierFor } from '../care/topics.js'
import { loadActiveTagger, tagWith } from '../ingest/tagging.js'
import { ExitError, HttpError, UsageError } from '../models/errors.js'
import type { FetchModel, SourceResult, SourceStatus } from '../models/fetch.js'
import type { Brand, MentionInput } from '../models/mention.js'
import { queryKey, type RunProgress } from '../models/runs.js'
import { type BrandFilter, brandFilterOf, type DropReason, languageDropReason, queryDropReason } from '../sources/brand-filter.js'
import { describeBrandQuery, parseBrandQueries } from '../sources/brand-query.js'
import { sources as registry } from '../sources/registry.js'
import { credentialEnv, type SourceAdapter, type SourceConfig } from '../sources/types.js'
import { openStore, storeExists } from '../store/open.js'
import type { FetchRepo } from '../store/types.js'
import { storeAuth, type CommandContext } from './context.js'

/** Typed and checked by the CLI (cli/commands/fetch.ts parseFetchFlags). */
export interface FetchOptions {
  /** --source: these sources (known adapters), else every source enabled in the config. */
  sources?: string[] | undefined
  brands?: string[] | undefined
  /** How far back a first run (or --full) walks. */
  sinceMs: number
  full: boolean
  /** Ask sources an earlier rate limit deferred, before the time it named. */
  force?: boolean | undefined
  dryRun: boolean
  /** The longest rate-limit wait inside a run; a longer one defers the source. */
  maxWaitMs: number
  /** How long to wait for another run's lock (0 = fail at once). */
  waitMs: number
  /** --timeout: the longest wait for response headers and between body chunks (default 30 s; connecting: at most 10 s). */
  timeoutMs?: number | undefined
  maxPages: number
  /** Sources at once; undefined = all. */
  concurrency?: number | undefined
  replay?: string | undefined
  version: string
  /** Tag mentions on ingest with the database's active model. */
  tag: boolean
  /** Test seam: the transport (MockAgent); --replay builds one from recorded responses. */
  dispatcher?: import('undici').Dispatcher | undefined
  isAlive?: (pid: number) => boolean
  pid?: number
}

interface Plan {
  name: string
  adapter: SourceAdapter
  config: SourceConfig & { baseUrl: string }
  secrets: Record<string, string | undefined>
  secretValues: string[]
  missing: string[]
  credentialNames: string[]
}

const LOCK = 'fetch'

function isAliveDefault(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Which sources run: --source names any known adapter; otherwise every source enabled in the config. */
export function planSources(o: Pick<FetchOptions, 'sources'>, ctx: CommandContext): Plan[] {
  const known = Object.keys(registry)
  const wanted = o.sources
  for (const name of wanted ?? []) {
    if (!known.includes(name)) throw new UsageError(`--source: unknown source "${name}" (known: ${known.join(', ')})`)
  }
  for (const name of Object.keys(ctx.config.sources)) {
    if (!known.includes(name)) throw new UsageError(`${ctx.config.path ?? 'config'}: sources.${name}: unknown source (known: ${known.join(', ')})`)
  }
  const names = wanted ?? Object.entries(ctx.config.sources).filter(([, c]) => c.enabled !== false).map(([n]) => n)
  if (!names.length) throw new UsageError('no sources enabled: add one under "sources" in the config or pass --source NAME')
  return names.map((name) => {
    const adapter = (registry as Record<string, SourceAdapter>)[name]!
    const block = (ctx.config.sources[name] ?? {}) as SourceConfig
    const secrets: Record<string, string | undefined> = {}
    const missing: string[] = []
    const credentialNames: string[] = []
    for (const cred of adapter.credentials) {
      const envName = credentialEnv(block, cred)
      const value = ctx.env[envName]
      secrets[cred.key] = value === '' ? undefined : value
      credentialNames.push(`${envName}${value ? '' : ' (not set)'}`)
      if (cred.required && !value) missing.push(envName)
    }
    return {
      name,
      adapter,
      config: { ...block, baseUrl: block.baseUrl ?? adapter.defaultBaseUrl },
      secrets,
      secretValues: Object.values(secrets).filter((v): v is string => Boolean(v)),
      missing,
      credentialNames,
    }
  })
}

export async function runFetch(o: FetchOptions, ctx: CommandContext): Promise<FetchModel> {
  const plans = planSources(o, ctx)
  const brands: Brand[] = ctx.config.brands.filter((b) => !o.brands || o.brands.includes(b.name))
  if (!ctx.config.brands.length) throw new UsageError(`no brands configured: add brands[] to ${ctx.config.path ?? 'listen.config.json'} (see listen init)`)
  if (!brands.length) throw new UsageError(`--brand: no configured brand is named ${o.brands!.map((b) => `"${b}"`).join(' or ')}`)
  const queries = parseBrandQueries(ctx.config.brands, ctx.config.path)
  const filters = new Map(ctx.config.brands.map((b, i) => [b.name, brandFilterOf(b, queries[i])]))
  const runId = randomUUID()
  const startedAt = ctx.now
  const since = startedAt - o.sinceMs
  // A dry run on a machine that never fetched has no database yet: every cursor is then empty.
  const db = o.dryRun && !storeExists(ctx.config.database) ? null : await openStore(ctx.config.database, { ...storeAuth(ctx), create: !o.dryRun, readonly: o.dryRun })
  const store = db ? db.runs : null
  const result = (p: Plan, status: SourceStatus, extra: Partial<SourceResult> = {}): SourceResult => ({
    source: p.name,
    status,
    brands: brands.map((b) => b.name),
    new: 0,
    updated: 0,
    pages: 0,
    requests: 0,
    rateLimitWaits: 0,
    rateLimitWaitMs: 0,
    durationMs: 0,
    nextAllowedAt: null,
    error: null,
    dropped: { query: 0, excluded: 0, language: 0 },
    ...extra,
  })
  try {
    if (o.dryRun) {
      const planned: SourceResult[] = []
      for (const p of plans) {
        const plan: NonNullable<SourceResult['plan']> = []
        for (const b of brands) {
          const cursor = o.full || !store ? null : await store.cursor(p.name, queryKey(b))
          plan.push({
              brand: b.name,
              query: b.query,
              checked: describeBrandQuery(filters.get(b.name)!.query),
              cursor,
              from: cursor === null ? new Date(since).toISOString() : 'after the cursor',
              baseUrl: p.config.baseUrl,
              credentials: p.credentialNames,
          })
        }
        planned.push(result(p, 'planned', { error: p.missing.length ? `${p.name}: set ${p.missing.join(' and ')}` : null, plan }))
      }
      return model(runId, true, startedAt, planned)
    }
    if (!store || !db) throw new Error('unreachable: a real run always opens the database')
    // PostgreSQL: many workers share the store, each brand query under its own advisory lock
    // (fetchSource); SQLite: one fetch at a time.
    const perQuery = db.backend === 'postgres'
    if (!perQuery) await acquireLock(store, o, ctx)
    const interrupted = await store.markInterrupted(runId, startedAt)
    if (interrupted) ctx.log.warn(`${interrupted} earlier run(s) had been interrupted mid-walk; their pages were kept and are walked again now`)
    const http = createHttp({
      version: o.version,
      dispatcher: o.dispatcher ?? (o.replay ? (await import('../http/replay.js')).createReplayDispatcher(o.replay) : undefined),
      maxWaitMs: o.maxWaitMs,
      ...(o.timeoutMs ? { headersTimeoutMs: o.timeoutMs, bodyTimeoutMs: o.timeoutMs, connectTimeoutMs: Math.min(10_000, o.timeoutMs) } : {}),
      onEvent: (e) => ctx.log.debug(`http ${JSON.stringify(e)}`),
    })
    try {
      // Every source at once by default: they are different hosts, and each host has its own limit.
      const limit = pLimit(o.concurrency ?? Object.keys(registry).length)
      const tag = o.tag ? tagWith(await loadActiveTagger(db), topicClassifierFor(ctx.config.topics)) : undefined
      const pii = piiWith(piiOptionsOf(ctx.config.pii))
      // One line for all sources at once: pages walked per source; the bar counts finished walks.
      const pages = new Map(plans.map((p) => [p.name, 0]))
      let walks = 0
      const draw = () => ctx.progress?.update(`fetch: ${[...pages].map(([s, n]) => `${s} ${n}`).join(' · ')} pages`, walks, plans.length * brands.length)
      const progress = {
        page: (source: string) => {
          pages.set(source, (pages.get(source) ?? 0) + 1)
          draw()
        },
        walk: () => {
          walks++
          draw()
        },
      }
      draw()
      // A source an earlier run deferred (429 beyond --max-wait) is not asked before the time the API named.
      const latest = new Map((await store.latestRuns()).map((run) => [run.source, run]))
      const heldUntil = (source: string): number | null => {
        const run = latest.get(source)
        return !o.force && run?.status === 'deferred' && run.nextAllowedAt !== null && run.nextAllowedAt > startedAt ? run.nextAllowedAt : null
      }
      const results = await Promise.all(
        plans.map((p) =>
          limit(() =>
            fetchSource(p, {
              store, http, brands, filters, since, full: o.full, maxPages: o.maxPages, runId, startedAt, ctx, tag, pii, progress, heldUntil: heldUntil(p.name),
              ...(perQuery ? { queryLock: { pid: o.pid ?? process.pid, isAlive: o.isAlive ?? isAliveDefault } } : {}),
            }),
          ),
        ),
      )
      return model(runId, false, startedAt, results)
    } finally {
      ctx.progress?.clear()
      await http.close()
      if (!perQuery) await store.unlock(LOCK, o.pid ?? process.pid)
    }
  } finally {
    await db?.close()
  }
}

async function acquireLock(store: FetchRepo, o: FetchOptions, ctx: CommandContext): Promise<void> {
  const pid = o.pid ?? process.pid
  const deadline = Date.now() + o.waitMs
  for (;;) {
    const got = await store.tryLock(LOCK, pid, ctx.now, o.isAlive ?? isAliveDefault)
    if (got.ok) return
    if (Date.now() >= deadline) {
      throw new ExitError(
        `another listen fetch is running (pid ${got.pid} on ${got.host} since ${new Date(got.since).toISOString()}); ` +
          `nothing was fetched. Use --wait 5m to wait for it`,
        1,
      )
    }
    await new Promise((r) => setTimeout(r, 250))
  }
}

interface SourceRun {
  store: FetchRepo
  http: HttpClient
  brands: Brand[]
  /** Per brand name: its parsed query and languages. */
  filters: ReadonlyMap<string, BrandFilter>
  since: number
  full: boolean
  maxPages: number
  runId: string
  startedAt: number
  ctx: CommandContext
  tag: ((m: MentionInput) => void) | undefined
  pii: (m: MentionInput) => void
  progress?: { page(source: string): void; walk(): void }
  /** An earlier run's deferral still in force: the source is not asked before this instant. */
  heldUntil: number | null
  /** Lock each brand query (PostgreSQL): a query another worker holds is left to it. */
  queryLock?: { pid: number; isAlive: (pid: number) => boolean }
}

async function fetchSource(p: Plan, r: SourceRun): Promise<SourceResult> {
  const t0 = Date.now()
  const runRow = await r.store.startRun(r.runId, p.name, r.startedAt)
  const previous = await r.store.lastCoveredUntil(p.name)
  const progress: RunProgress = {
    status: 'running',
    newCount: 0,
    updatedCount: 0,
    pages: 0,
    requests: 0,
    rateLimitWaits: 0,
    rateLimitWaitMs: 0,
    coveredFrom: r.full || previous === null ? r.since : Math.min(previous, r.startedAt),
    coveredUntil: r.startedAt,
  }
  const errors: string[] = []
  const dropped: Record<DropReason, number> = { query: 0, excluded: 0, language: 0 }
  let deferredUntil: number | null = null
  let walked = 0
  if (r.heldUntil !== null) {
    // Recorded as a deferred run over the span this run would have covered: completeness counts it.
    deferredUntil = r.heldUntil
    errors.push(`deferred until ${new Date(r.heldUntil).toISOString()} by a rate limit in an earlier run; not asked (--force asks anyway)`)
  } else if (p.missing.length) {
    errors.push(`${p.name}: set ${p.missing.join(' and ')} (credentials are read from the environment)`)
  } else {
    for (const brand of r.brands) {
      if (deferredUntil !== null) break
      const key = queryKey(brand)
      const lockName = `${LOCK}:${p.name}:${key}`
      if (r.queryLock && !(await r.store.tryLock(lockName, r.queryLock.pid, r.ctx.now, r.queryLock.isAlive)).ok) {
        r.ctx.log.info(`${p.name}: "${brand.name}" is being fetched by another worker; left to it`)
        walked++
        r.progress?.walk()
        continue
      }
      let outcome
      try {
        // Another worker walked it while this one was busy with an earlier query: its cursor is newer
        // than this run. Walking again would only ask for the page it just saw.
        if (r.queryLock && !r.full && (await walkedSince(r.store, p.name, key, t0))) {
          r.ctx.log.info(`${p.name}: "${brand.name}" was fetched by another worker during this run; left to it`)
        } else {
          outcome = await walkQuery(p, brand, runRow, progress, r, dropped)
        }
      } finally {
        if (r.queryLock) await r.store.unlock(lockName, r.queryLock.pid)
      }
      if (outcome?.deferredUntil !== undefined) deferredUntil = outcome.deferredUntil
      if (outcome) errors.push(outcome.error)
      walked++
      r.progress?.walk()
    }
  }
  // Walks never started (missing credentials, deferred) are done as well.
  for (; walked < r.brands.length; walked++) r.progress?.walk()
  Object.assign(progress, requestStats(r.http, p.name))
  const status: SourceStatus = deferredUntil !== null ? 'deferred' : errors.length ? 'failed' : 'ok'
  const error = errors.length ? errors.join('; ') : null
  await r.store.saveRun(runRow, { ...progress, status, finishedAt: Date.now(), nextAllowedAt: deferredUntil, error })
  return {
    source: p.name,
    status,
    brands: r.brands.map((b) => b.name),
    new: progress.newCount,
    updated: progress.updatedCount,
    pages: progress.pages,
    requests: progress.requests,
    rateLimitWaits: progress.rateLimitWaits,
    rateLimitWaitMs: progress.rateLimitWaitMs,
    durationMs: Date.now() - t0,
    nextAllowedAt: deferredUntil === null ? null : new Date(deferredUntil).toISOString(),
    error,
    dropped,
  }
}

/** Did a walk of this query end after `since` (a wall-clock instant: cursors are stamped with Date.now)? */
async function walkedSince(store: FetchRepo, source: string, key: string, since: number): Promise<boolean> {
  const c = (await store.cursors(source)).find((x) => x.queryKey === key)
  return c !== undefined && c.updatedAt > since
}

const requestStats = (http: HttpClient, source: string) => {
  const s = http.stats(source)
  return { requests: s.requests, rateLimitWaits: s.rateLimitWaits, rateLimitWaitMs: s.rateLimitWaitMs }
}

/**
 * One brand query of one source: every page saved as it comes, the last one with the new cursor.
 * Returns null when the walk completed, else why not (and, after a long rate limit, until when).
 */
async function walkQuery(
  p: Plan,
  brand: Brand,
  runRow: number,
  progress: RunProgress,
  r: SourceRun,
  dropped: Record<DropReason, number>,
): Promise<{ error: string; deferredUntil?: number } | null> {
  const key = queryKey(brand)
  const filter = r.filters.get(brand.name) ?? brandFilterOf(brand)
  const cursor = r.full ? null : await r.store.cursor(p.name, key)
  const controller = walkController()
  let pending: { mentions: MentionInput[]; highWater: string | null } | null = null
  let oldest = Infinity
  let pagesThisWalk = 0
  const add = (c: { inserted: number; updated: number }) => {
    progress.newCount += c.inserted
    progress.updatedCount += c.updated
  }
  let storeFailed = false
  const saving = async <T>(write: () => Promise<T>): Promise<T> => {
    try {
      return await write()
    } catch (e) {
      storeFailed = true
      throw e
    }
  }
  try {
    const walk = p.adapter.walk({ brand, config: p.config, cursor, since: r.since, maxPages: r.maxPages, secrets: p.secrets, http: r.http, signal: controller.signal })
    for await (const step of walk) {
      // The previous page is saved alone; the last one waits to commit with the cursor.
      if (pending) add(await saving(() => r.store.savePage(pending!.mentions, Date.now())))
      // Coverage counts everything the platform returned, kept or not.
      for (const m of step.page.mentions) oldest = Math.min(oldest, m.createdAt)
      const mentions: MentionInput[] = []
      for (const m of step.page.mentions) {
        const why = queryDropReason(filter, m, step.page.brandFilter) ?? languageDropReason(filter, m)
        if (why) dropped[why]++
        else mentions.push(m)
      }
      for (const m of mentions) r.pii(m)
      // One post that breaks the tagger is saved without a label; it must not fail the source.
      if (r.tag) {
        for (const m of mentions) {
          try {
            r.tag(m)
          } catch (e) {
            r.ctx.log.warn(`${p.name}: ${m.id}: not tagged (${(e as Error).message}); saved without a label`)
          }
        }
      }
      pending = { mentions, highWater: step.highWater }
      progress.pages++
      pagesThisWalk++
      r.progress?.page(p.name)
    }
    Object.assign(progress, requestStats(r.http, p.name))
    // A backfill cut short by --max-pages covers only back to the oldest mention it saw.
    if (cursor === null && pagesThisWalk >= r.maxPages && Number.isFinite(oldest)) {
      progress.coveredFrom = Math.max(progress.coveredFrom ?? oldest, oldest)
    }
    const last = pending ?? { mentions: [], highWater: cursor }
    add(
      await saving(() => r.store.saveWalkEnd(last.mentions, Date.now(), { source: p.name, key, value: last.highWater }, {
        id: runRow,
        progress: (c) => ({ ...progress, newCount: progress.newCount + c.inserted, updatedCount: progress.updatedCount + c.updated }),
      })),
    )
    return null
  } catch (e) {
    controller.abort()
    // Pages already saved stay saved; the cursor does not move, so the next run re-walks them.
    // A store that failed (its server gone past the reconnect window, a full disk) fails the whole
    // run with its own one message: nothing else can be saved either, and the cursor stays put.
    if (storeFailed) throw e
    if (pending) add(await r.store.savePage(pending.mentions, Date.now()))
    if (e instanceof RateLimitDeferred) return { error: e.message, deferredUntil: e.resetAt }
    if (e instanceof HttpError || e instanceof UsageError) return { error: redactText(`${brand.name}: ${e.message}`, p.secretValues) }
    r.ctx.log.debug((e as Error).stack ?? '')
    return { error: redactText(`${p.name}: ${brand.name}: ${(e as Error).message}`, p.secretValues) }
  }
}

function model(runId: string, dryRun: boolean, startedAt: number, sources: SourceResult[]): FetchModel {
  return {
    kind: 'fetch',
    runId,
    dryRun,
    startedAt: new Date(startedAt).toISOString(),
    sources,
    totals: {
      new: sources.reduce((s, r) => s + r.new, 0),
      updated: sources.reduce((s, r) => s + r.updated, 0),
      failed: sources.filter((r) => r.status === 'failed').length,
      deferred: sources.filter((r) => r.status === 'deferred').length,
      dropped: sources.reduce((s, r) => s + r.dropped.query + r.dropped.excluded + r.dropped.language, 0),
    },
  }
}
