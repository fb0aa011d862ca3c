// listen recheck: looks recent posts up again by id, records the ones deleted, hidden or edited.
// Incremental (each post at growing intervals, care/recheck.ts), under the same kind of lock as
// fetch, rate-limited by the shared HTTP client. Never deletes or rewrites a mention.
import type { Dispatcher } from 'undici'
import { nextRecheckAt, RECHECK_MAX_AGE_MS, recheckOutcome } from '../care/recheck.js'
import { RateLimitDeferred } from '../http/errors.js'
import { createHttp, walkController } from '../http/client.js'
import { createSignatureParser, parseSignature } from '../care/signatures.js'
import type { CheckRecord, RecheckModel, RecheckSourceResult, VanishedModel } from '../models/care.js'
import { ExitError } from '../models/errors.js'
import { resolveBrandMatcher } from '../report/audit.js'
import { withStore } from '../store/open.js'
import type { AuditOptions } from './audit.js'
import { storeAuth, type CommandContext } from './context.js'
import { planSources } from './fetch.js'

export interface RecheckOptions {
  /** --source: these sources, else every source enabled in the config. */
  sources?: string[] | undefined
  /** Posts created this long ago at most. */
  sinceMs: number
  /** Posts looked up at most in this run (the rest wait for the next). */
  limit: number
  maxWaitMs: number
  /** How long to wait for another recheck's lock (0 = fail at once). */
  waitMs: number
  version: string
  replay?: string | undefined
  /** --at: check as of this past instant instead of now (replays, the demo). */
  at?: number | undefined
  dispatcher?: Dispatcher | undefined
  isAlive?: ((pid: number) => boolean) | undefined
  pid?: number | undefined
}

const LOCK = 'recheck'
/** Ids per lookup call handed to an adapter; it batches further as its API allows. */
const CALL = 100

function isAliveDefault(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export async function runRecheck(o: RecheckOptions, ctx: CommandContext): Promise<RecheckModel> {
  const plans = planSources({ sources: o.sources }, ctx)
  const now = o.at ?? ctx.now
  const since = now - Math.min(o.sinceMs, RECHECK_MAX_AGE_MS)
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: false }, async (store) => {
    const pid = o.pid ?? process.pid
    const deadline = Date.now() + o.waitMs
    for (;;) {
      const got = await store.runs.tryLock(LOCK, pid, ctx.now, o.isAlive ?? isAliveDefault)
      if (got.ok) break
      if (Date.now() >= deadline) {
        throw new ExitError(`another listen recheck is running (pid ${got.pid} on ${got.host} since ${new Date(got.since).toISOString()}); nothing was checked. Use --wait 5m to wait for it`, 1)
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    const http = createHttp({
      version: o.version,
      dispatcher: o.dispatcher ?? (o.replay ? (await import('../http/replay.js')).createReplayDispatcher(o.replay) : undefined),
      maxWaitMs: o.maxWaitMs,
      onEvent: (e) => ctx.log.debug(`http ${JSON.stringify(e)}`),
    })
    try {
      const checkable = plans.filter((p) => p.adapter.lookup && !p.missing.length).map((p) => p.name)
      const window = { from: since, now, sources: checkable }
      const due = await store.recheck.countDue(window)
      const candidates = await store.recheck.dueForRecheck({ ...window, limit: o.limit || Number.MAX_SAFE_INTEGER })
      if (o.limit && due > candidates.length) ctx.log.warn(`recheck: ${due} posts are due, ${candidates.length} checked now (--limit ${o.limit}); the rest go first next run`)
      const results: RecheckSourceResult[] = []
      let done = 0
      for (const p of plans) {
        const r: RecheckSourceResult = { source: p.name, status: 'checked', checked: 0, live: 0, edited: 0, vanished: 0, unknown: 0, requests: 0, error: null }
        results.push(r)
        if (!p.adapter.lookup) {
          r.status = 'unsupported'
          r.error = `cannot say whether posts vanished: ${p.adapter.noLookup ?? 'the platform has no lookup by id'}`
          continue
        }
        if (p.missing.length) {
          r.status = 'skipped'
          r.error = `set ${p.missing.join(' and ')} to look posts up again`
          ctx.log.warn(`recheck: ${p.name}: ${r.error}`)
          continue
        }
        const mine = candidates.filter((c) => c.source === p.name)
        const controller = walkController()
        try {
          for (let i = 0; i < mine.length; i += CALL) {
            const batch = mine.slice(i, i + CALL)
            const found = await p.adapter.lookup(batch.map((c) => ({ id: c.id, url: c.url })), { config: p.config, secrets: p.secrets, http, signal: controller.signal })
            const at = now
            const records: CheckRecord[] = batch.map((c) => {
              const out = recheckOutcome(c, found.get(c.id))
              r[out.status]++
              r.checked++
              return {
                source: c.source,
                id: c.id,
                checkedAt: at,
                nextCheckAt: out.status === 'vanished' ? null : nextRecheckAt(c.createdAt, c.checks + 1, at),
                status: out.status,
                vanishedReason: out.reason,
                newText: out.newText,
              }
            })
            // Saved per call: an interrupted run keeps what it learnt.
            await store.recheck.saveChecks(records)
            done += batch.length
            ctx.progress?.update(`recheck: ${p.name}`, done, candidates.length)
          }
        } catch (e) {
          r.status = 'failed'
          r.error = e instanceof RateLimitDeferred ? `${e.message}; the rest wait for the next run` : (e as Error).message
          ctx.log.warn(`recheck: ${r.error}`)
        }
        r.requests = http.stats(p.name).requests
      }
      return {
        kind: 'recheck',
        at: new Date(now).toISOString(),
        since: new Date(since).toISOString(),
        due,
        deferred: Math.max(0, due - done),
        sources: results,
      }
    } finally {
      ctx.progress?.clear()
      await http.close()
      await store.runs.unlock(LOCK, pid)
    }
  })
}

/** listen audit --vanished: critical posts that vanished, the last text we saw, and who had answered. */
export async function runVanished(o: Pick<AuditOptions, 'window' | 'sources' | 'brands' | 'handles'>, ctx: CommandContext): Promise<VanishedModel> {
  const brand = resolveBrandMatcher(ctx.config.brands, o.handles, o.brands)
  const parser = createSignatureParser(ctx.config.signatures ?? [])
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: false, readonly: true }, async (store) => {
    let window = o.window
    if (!window) {
      const span = await store.mentions.span()
      window = span ? { from: span.first, until: span.last + 1 } : { from: ctx.now - 1, until: ctx.now }
    }
    const rows = await store.recheck.vanished({ ...window, labels: ['complaint', 'outage'], sources: o.sources, brands: o.brands, brand })
    const replies = await store.recheck.repliesTo(rows, brand)
    const first = new Map<string, (typeof replies)[number]>()
    for (const r of replies) {
      const key = `${r.parentSource}\u0000${r.parentId}`
      if (!first.has(key)) first.set(key, r)
    }
    const iso = (t: number) => new Date(t).toISOString()
    return {
      kind: 'vanished',
      timezone: ctx.timezone,
      from: iso(window.from),
      until: iso(window.until),
      total: rows.length,
      items: rows.map((v) => {
        const answer = first.get(`${v.source}\u0000${v.id}`)
        const agent = answer ? parseSignature(parser, answer.text) : null
        return {
          source: v.source,
          id: v.id,
          brand: v.brand,
          createdAt: iso(v.createdAt),
          vanishedAt: iso(v.vanishedAt),
          reason: v.vanishedReason,
          label: v.label,
          author: v.author,
          lastText: v.lastText ?? v.text,
          url: v.url,
          answeredBy: answer ? `${answer.author ?? '(brand)'}${agent ? ` (${agent})` : ''}` : null,
          answeredAt: answer ? iso(answer.createdAt) : null,
        }
      }),
    }
  })
}
