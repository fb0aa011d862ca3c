// listen alerts: per brand, outage and complaint posts in the last --window against the same hours
// of the week in the previous --weeks; fires on a small tail probability, records the alert for the
// cooldown and posts it to a webhook. An alert whose post fails stays "failed" and is retried.
import type { Dispatcher } from 'undici'
import { UsageError } from '../models/errors.js'
import { createHttp } from '../http/client.js'
import {
  baselineSpans,
  decide,
  fitBaseline,
  pickExamples,
  platformAgreement,
  type BaselineFit
} from '../report/alerts.js'
import { resolveBrandMatcher } from '../report/audit.js'
import { distinctiveTerms, termsOf } from '../report/summary.js'
import type { AlertRepo } from '../store/types.js'
import { withStore } from '../store/open.js'
import { parseDurationFlag, parseInstantFlag } from '../time/window.js'
import { formatLocal } from '../time/zone.js'
import type { CommandContext } from './context.js'
import { completenessFor } from './completeness.js'
import type { Completeness } from '../models/completeness.js'
import type { GroupCount } from '../models/summary.js'
import { ALERT_KINDS, type AlertEvaluation, type AlertKind, type AlertMessage, type AlertsModel, type AlertStatus, type BaselineWeek, type Span } from '../models/alerts.js'
import { formatWindow, completenessLine } from '../render/words.js'
import { alertHeadline, renderSlackMessage, sourceLine } from '../render/slack.js'
import { splitList } from '../lib/list.js'

export interface AlertsOptions {
  window?: string | undefined
  at?: string | undefined
  weeks?: string | number | undefined
  p?: string | number | undefined
  min?: string | number | undefined
  cooldown?: string | undefined
  brand?: string[] | undefined
  webhook?: string | undefined
  /** Evaluate only: record nothing, post nothing. */
  dryRun?: boolean | undefined
  version: string
  /** Test seam: the webhook's transport (MockAgent). */
  dispatcher?: Dispatcher | undefined
}

/** Undelivered alerts younger than this are re-posted with the next webhook call. */
const RETRY_AGE = 24 * 3_600_000
/** Rows read per alert for examples, authors and terms (a storm of more still counts exactly). */
const POST_CAP = 5000
const BACKGROUND_CAP = 5000

function numberFlag(value: string | number | undefined, flag: string, fallback: number, check: (n: number) => boolean, expected: string): number {
  if (value === undefined) return fallback
  const n = typeof value === 'number' ? value : Number(value.trim())
  if (!Number.isFinite(n) || !check(n) || (typeof value === 'string' && !value.trim())) {
    throw new UsageError(`${flag}: expected ${expected}, got "${value}"`)
  }
  return n
}

function cooldownFlag(value: string | undefined): number {
  if (value === undefined) return 3_600_000
  if (/^\s*0+\s*[a-z]*\s*$/i.test(value)) return 0
  return parseDurationFlag(value, '--cooldown')
}

function webhookFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError('--webhook: expected an http(s) URL such as https://hooks.slack.com/services/…')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError('--webhook: expected an http(s) URL')
  return value
}

/** A webhook URL is a credential (Slack's path is the secret): errors show only its origin. */
function webhookSecrets(url: string): string[] {
  const u = new URL(url)
  const rest = `${u.pathname}${u.search}`.replace(/^\//, '')
  return [rest, ...rest.split(/[/?&=]/)].filter((s) => s.length >= 4)
}

const local = (t: number, tz: string) => formatLocal(t, tz).slice(0, 16).replace('T', ' ')
const iso = (t: number) => new Date(t).toISOString()
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits

type Tally = Map<string, { count: number; bySource: Record<string, number> }>
const keyOf = (brand: string, kind: AlertKind) => `${kind}\u0000${brand}`

function tally(rows: readonly GroupCount[]): Tally {
  const out: Tally = new Map()
  for (const r of rows) {
    if (!(ALERT_KINDS as readonly string[]).includes(r.label)) continue
    const k = keyOf(r.brand, r.label as AlertKind)
    const t = out.get(k) ?? { count: 0, bySource: {} }
    t.count += r.n
    t.bySource[r.source] = (t.bySource[r.source] ?? 0) + r.n
    out.set(k, t)
  }
  return out
}

export async function runAlerts(o: AlertsOptions, ctx: CommandContext): Promise<AlertsModel> {
  const tz = ctx.timezone
  const windowText = o.window ?? '15m'
  const windowMs = parseDurationFlag(windowText, '--window')
  if (windowMs > 24 * 3_600_000) throw new UsageError(`--window: at most 24h (got ${windowText}); the baseline compares hours of the week`)
  const at = o.at ? parseInstantFlag(o.at, '--at', tz) : ctx.now
  const weeks = numberFlag(o.weeks, '--weeks', 4, (n) => Number.isInteger(n) && n >= 1 && n <= 52, 'a whole number of weeks from 1 to 52')
  const pThreshold = numberFlag(o.p, '--p', 0.001, (n) => n > 0 && n < 1, 'a probability between 0 and 1, e.g. 0.001')
  const min = numberFlag(o.min, '--min', 5, (n) => Number.isInteger(n) && n >= 1, 'a whole number of posts ≥ 1')
  const cooldownMs = cooldownFlag(o.cooldown)
  const webhook = webhookFlag(o.webhook)
  const onlyBrands = splitList(o.brand)
  const window: Span = { from: at - windowMs, until: at }

  return withStore(ctx.config.database, { create: false }, async (db) => {
    const reports = db.reports
    const store = db.alerts
    const matcher = resolveBrandMatcher(ctx.config.brands, undefined, onlyBrands)
    const scope = (s: Span, brands = onlyBrands) => ({ ...s, brands, brand: matcher })

    // Baseline weeks: left out before the data starts, and (while others remain) when a fetch hole
    // would make the week look quieter than it was.
    const first = await store.firstMentionAt()
    const spans = baselineSpans(window, weeks, tz)
    const weekInfo: BaselineWeek[] = []
    for (const s of spans) {
      const complete = (await completenessFor(db, { ...s, timezone: tz, sources: undefined }, ctx)).complete
      weekInfo.push( { from: iso(s.from), until: iso(s.until), completeness: complete, excluded: first === null || first > s.from ? 'before-data' : complete === false ? 'fetch-holes' : null })
    }
    const holey = weekInfo.filter((w) => w.excluded === 'fetch-holes')
    const baselineOnHoles = weekInfo.every((w) => w.excluded !== null) && holey.length > 0
    if (baselineOnHoles) for (const w of holey) w.excluded = null
    const used = spans.map((s, i) => ({ span: s, i })).filter(({ i }) => weekInfo[i]!.excluded === null)

    const current = tally(await reports.groupCounts(scope(window)))
    const past: Tally[] = []
    for (const { span } of used) past.push(tally(await reports.groupCounts(scope(span))))
    const windowCompleteness = await completenessFor(db, { ...window, timezone: tz, sources: undefined }, ctx)

    const names = new Set<string>(ctx.config.brands.map((b) => b.name).filter((n) => !onlyBrands || onlyBrands.includes(n)))
    for (const t of [current, ...past]) for (const k of t.keys()) names.add(k.split('\u0000')[1]!)
    const evaluations: AlertEvaluation[] = []
    const background = new Map<string, string[][]>()
    for (const brand of [...names].sort((a, b) => a.localeCompare(b))) {
      for (const kind of ALERT_KINDS) {
        const now = current.get(keyOf(brand, kind)) ?? { count: 0, bySource: {} }
        const samples = used.map(({ span }, j) => ({ count: past[j]!.get(keyOf(brand, kind))?.count ?? 0, spanMs: span.until - span.from }))
        const fit = fitBaseline(samples, windowMs)
        const decision = decide(now.count, fit, { p: pThreshold, min })
        let status: AlertStatus = decision.status
        let cooldownUntil: string | null = null
        if (status === 'fired' && cooldownMs > 0) {
          const last = await store.lastFiredAt(brand, kind, at - cooldownMs, at)
          if (last !== null) {
            status = 'cooldown'
            cooldownUntil = iso(last + cooldownMs)
          }
        }
        const agreement = platformAgreement(now.bySource)
        let j = 0
        const e: AlertEvaluation = {
          brand,
          kind,
          status,
          count: now.count,
          expected: fit ? round(fit.expected, 3) : null,
          p: decision.p,
          method: fit?.method ?? null,
          baseline: weekInfo.map((w) => (w.excluded === null ? samples[j++]!.count : null)),
          dispersion: fit ? dispersionOf(fit) : null,
          bySource: now.bySource,
          platforms: agreement.platforms,
          // A "burst" of one or two posts on one platform says nothing about a raid.
          singlePlatform: now.count >= min && agreement.singlePlatform,
          authors: null,
          terms: [],
          examples: [],
          warnings: [],
          cooldownUntil,
          alertId: null,
        }
        if (status === 'fired' || status === 'cooldown') {
          const posts = await store.windowPosts({ ...window, brand, kind, matcher, limit: POST_CAP })
          e.authors = new Set(posts.map((m) => (m.author ?? '').toLowerCase())).size
          e.examples = pickExamples(posts).map((m) => ({ ...m, createdAt: iso(m.createdAt) }))
          let rest = background.get(brand)
          if (!rest) {
            rest = []
            for (const { span } of used) for (const [, text] of await reports.texts(scope(span, [brand]), BACKGROUND_CAP)) rest.push(termsOf(text))
            background.set(brand, rest)
          }
          e.terms = distinctiveTerms(posts.map((m) => termsOf(m.text)), rest, { limit: 6, minCount: 2 }).map((t) => t.term)
          e.warnings = alertWarnings(e, windowCompleteness, weekInfo, baselineOnHoles)
        }
        evaluations.push(e)
      }
    }

    const fired = evaluations.filter((e) => e.status === 'fired')
    const messages = new Map(fired.map((e) => [e, messageOf(e, window, windowMs)]))
    const model: AlertsModel = {
      kind: 'alerts',
      timezone: tz,
      at: iso(at),
      from: iso(window.from),
      until: iso(window.until),
      params: { window: windowText, windowMs, weeks, p: pThreshold, min, cooldown: o.cooldown ?? '60m', cooldownMs },
      weeks: weekInfo,
      evaluations,
      fired: fired.length,
      suppressed: evaluations.filter((e) => e.status === 'cooldown').length,
      dryRun: Boolean(o.dryRun),
      delivery: { webhook: Boolean(webhook), status: o.dryRun ? 'dry-run' : webhook ? 'nothing-to-send' : 'not-requested', alerts: 0, delayed: 0, error: null },
      undelivered: { total: 0, alerts: [] },
      completeness: { window: windowCompleteness, baselineHoles: holey.length },
      notes: [],
    }
    if (!o.dryRun) {
      // Recorded as "failed" before the post: a crash in between leaves it to be retried, not lost.
      const fresh: Array<{ id: number; message: AlertMessage }> = []
      for (const [e, m] of messages) {
        e.alertId = await store.saveAlert({
          brand: e.brand,
          kind: e.kind,
          firedAt: at,
          windowFrom: window.from,
          count: e.count,
          expected: e.expected ?? 0,
          p: e.p,
          method: e.method ?? 'poisson',
          message: JSON.stringify(m),
          delivery: webhook ? 'failed' : 'none',
          error: webhook ? 'not posted yet' : null,
        })
        fresh.push({ id: e.alertId, message: m })
      }
      if (webhook) await deliver(webhook, fresh, model, store, at, o, ctx)
    }
    const pending = await store.undelivered(20)
    model.undelivered = {
      total: pending.total,
      alerts: pending.alerts.map((a) => ({ id: a.id, brand: a.brand, kind: a.kind, firedAt: iso(a.firedAt), attempts: a.attempts, error: a.error })),
    }
    model.notes = alertNotes(model)
    return model
  })
}

function dispersionOf(fit: BaselineFit) {
  return { mean: round(fit.mean, 3), variance: fit.variance === null ? null : round(fit.variance, 3), size: fit.size === null ? null : round(fit.size, 3) }
}

function alertWarnings(e: AlertEvaluation, window: Completeness, weeks: readonly BaselineWeek[], baselineOnHoles: boolean): string[] {
  const out: string[] = []
  const [only] = Object.keys(e.bySource)
  if (e.singlePlatform && only) out.push(`Only on ${only}: a burst on one platform alone may be a raid; check the authors (${e.authors} for ${e.count} posts).`)
  if (window.complete === false) out.push('The window has fetch holes: the real count may be higher.')
  const before = weeks.filter((w) => w.excluded === 'before-data').length
  const holes = weeks.filter((w) => w.excluded === 'fetch-holes').length
  if (before) out.push(`Baseline: ${weeks.length - before} of ${weeks.length} weeks (the data starts later).`)
  if (holes) out.push(`Baseline: ${holes} week(s) with fetch holes left out.`)
  if (baselineOnHoles) out.push('Baseline built on weeks with fetch holes: the expected count may be too low.')
  return out
}

function messageOf(e: AlertEvaluation, window: Span, windowMs: number): AlertMessage {
  return {
    brand: e.brand,
    kind: e.kind,
    count: e.count,
    expected: e.expected ?? 0,
    p: e.p,
    method: e.method ?? 'poisson',
    windowMs,
    from: iso(window.from),
    until: iso(window.until),
    bySource: e.bySource,
    singlePlatform: e.singlePlatform,
    authors: e.authors ?? 0,
    terms: e.terms,
    examples: e.examples.map((x) => ({ ...x, createdAt: Date.parse(x.createdAt) })),
    warnings: e.warnings,
  }
}

async function deliver(url: string, fresh: Array<{ id: number; message: AlertMessage }>, model: AlertsModel, store: AlertRepo, at: number, o: AlertsOptions, ctx: CommandContext): Promise<void> {
  const ids = new Set(fresh.map((x) => x.id))
  const retry = (await store.undelivered(50)).alerts.filter((a) => !ids.has(a.id) && a.firedAt > at - RETRY_AGE && a.firedAt <= at)
  const items = [...fresh, ...retry.reverse().map((a) => ({ id: a.id, message: { ...(JSON.parse(a.message) as AlertMessage), delayed: true } }))]
  if (!items.length) return
  const http = createHttp({ version: o.version, dispatcher: o.dispatcher, maxRetries: 2, onEvent: (e) => ctx.log.debug(`http ${JSON.stringify(e)}`) })
  model.delivery.alerts = items.length
  model.delivery.delayed = retry.length
  try {
    await http.request({
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: renderSlackMessage(items.map((x) => x.message), model.timezone, formatLocal),
      secrets: webhookSecrets(url),
      source: 'webhook',
    })
    await store.markDelivery(items.map((x) => x.id), true, ctx.now, null)
    model.delivery.status = 'delivered'
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    await store.markDelivery(items.map((x) => x.id), false, ctx.now, message)
    model.delivery.status = 'failed'
    model.delivery.error = message
  } finally {
    await http.close()
  }
}

function alertNotes(m: AlertsModel): string[] {
  const notes: string[] = []
  for (const e of m.evaluations) {
    if (e.status !== 'fired' && e.status !== 'cooldown') continue
    const head = alertHeadline({ ...e, expected: e.expected ?? 0, method: e.method ?? 'poisson', windowMs: m.params.windowMs })
    notes.push(e.status === 'fired' ? `ALERT ${head}` : `(cooldown until ${local(Date.parse(e.cooldownUntil!), m.timezone)}) ${head}`)
    notes.push(`  platforms: ${sourceLine(e.bySource)}; ${e.authors} authors${e.terms.length ? `; top terms: ${e.terms.join(', ')}` : ''}`)
    for (const x of e.examples) notes.push(`  · ${x.text.replace(/\s+/g, ' ').slice(0, 140)} — ${x.author ?? 'unknown'} on ${x.source}${x.url ? ` ${x.url}` : ''}`)
    for (const w of e.warnings) notes.push(`  ! ${w}`)
  }
  if (!m.fired && !m.suppressed) notes.push('No alert.')
  const used = m.weeks.filter((w) => w.excluded === null).length
  notes.push(
    `Window ${local(Date.parse(m.from), m.timezone)}–${local(Date.parse(m.until), m.timezone).replace(local(Date.parse(m.from), m.timezone).slice(0, 11), '')} (${formatWindow(m.params.windowMs)}, ${m.timezone}) against the same hours of the week in ${used} of ${m.params.weeks} previous weeks; fires when P(X ≥ count) < ${m.params.p} and count ≥ ${m.params.min}; cooldown ${m.params.cooldown}.`,
  )
  const holes = m.weeks.filter((w) => w.excluded === 'fetch-holes').length
  if (holes) notes.push(`${holes} baseline week(s) left out for fetch holes.`)
  if (used === 0) notes.push('No baseline yet: the data starts less than a week before the window, so nothing can fire.')
  notes.push(`Window ${completenessLine(m.completeness.window).replace(/^Completeness/, 'completeness')}`)
  if (m.dryRun) notes.push('Dry run: nothing recorded, nothing posted.')
  if (m.delivery.status === 'delivered') notes.push(`Webhook: ${m.delivery.alerts} alert(s) posted${m.delivery.delayed ? `, ${m.delivery.delayed} of them delayed from earlier runs` : ''}.`)
  if (m.delivery.status === 'failed') notes.push(`Webhook FAILED: ${m.delivery.error}. ${m.delivery.alerts} alert(s) recorded as undelivered; the next run with --webhook retries them.`)
  if (m.undelivered.total && m.delivery.status !== 'failed') {
    notes.push(`${m.undelivered.total} alert(s) not delivered (newest ${local(Date.parse(m.undelivered.alerts[0]!.firedAt), m.timezone)}); run with --webhook to retry those from the last 24 h.`)
  }
  return notes
}
