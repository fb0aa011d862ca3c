// listen alerts: per brand, outage and complaint posts in the last window against the same hours
// of the week in the previous weeks, and each topic's complaints against their own (a storm about
// delivery while total volume looks normal); fires on a small tail probability, records the alert
// for the cooldown and posts it to a webhook. An alert whose post fails stays "failed" and is retried.
import type { Dispatcher } from 'undici'
import { MaybeDelivered } from '../http/errors.js'
import { round } from '../lib/number.js'
import { ALERT_KINDS, type AlertEvaluation, type AlertKind, type AlertMessage, type AlertsModel, type AlertStatus, type BaselineWeek, type Span } from '../models/alerts.js'
import type { GroupCount } from '../models/summary.js'
import { FALLBACK_TOPIC, type TopicCount } from '../models/topics.js'
import { renderSlackMessage } from '../render/slack.js'
import { alertWarnings } from '../render/views-alerts.js'
import { alertKey, type BaselineFit, baselineSpans, decide, fitBaseline, messageKey, pickExamples, platformAgreement } from '../report/alerts.js'
import { resolveBrandMatcher } from '../report/audit.js'
import { distinctiveTerms, termsOf } from '../report/summary.js'
import { withStore } from '../store/open.js'
import type { AlertRepo, Store } from '../store/types.js'
import { formatLocal } from '../time/zone.js'
import { completenessFor } from './completeness.js'
import { storeAuth, type CommandContext } from './context.js'

/** Typed and checked by the CLI (cli/commands/alerts.ts parseAlertsFlags). */
export interface AlertsOptions {
  window: { ms: number; text: string }
  /** The evaluated instant (now, or --at). */
  at: number
  weeks: number
  p: number
  min: number
  cooldown: { ms: number; text: string }
  brands?: string[] | undefined
  webhook?: string | undefined
  /** Evaluate only: record nothing, post nothing. */
  dryRun: boolean
  version: string
  /** Test seam: the webhook's transport (MockAgent). */
  dispatcher?: Dispatcher | undefined
  /** Test seam: how long the webhook receiver may take to answer (default 30 s). */
  webhookTimeoutMs?: number | undefined
}

/** Undelivered alerts younger than this are re-posted with the next webhook call. */
const RETRY_AGE = 24 * 3_600_000
/** Rows read per alert for examples, authors and terms (a storm of more still counts exactly). */
const POST_CAP = 5000
const BACKGROUND_CAP = 5000

const iso = (t: number) => new Date(t).toISOString()

type Tally = Map<string, { count: number; bySource: Record<string, number> }>
const keyOf = (brand: string, kind: string) => `${kind}\u0000${brand}`

/** Complaints per (brand, topic), keyed by keyOf(brand, 'topic:' + topic); untagged topics and the fallback left out. */
function topicTally(rows: readonly TopicCount[]): Tally {
  const out: Tally = new Map()
  for (const r of rows) {
    if (r.label !== 'complaint' || !r.topic || r.topic === FALLBACK_TOPIC) continue
    const k = keyOf(r.brand, `topic:${r.topic}`)
    const t = out.get(k) ?? { count: 0, bySource: {} }
    t.count += r.n
    t.bySource[r.source] = (t.bySource[r.source] ?? 0) + r.n
    out.set(k, t)
  }
  return out
}

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

interface Baseline {
  weeks: BaselineWeek[]
  /** The weeks used, with their counts. */
  used: Array<{ span: Span; tally: Tally; topics: Tally }>
  holes: number
  onHoles: boolean
}

/**
 * Baseline weeks: left out before the data starts, and (while others remain) when a fetch hole
 * would make the week look quieter than it was.
 */
async function loadBaseline(store: Store, window: Span, o: AlertsOptions, scope: (s: Span) => Parameters<Store['reports']['groupCounts']>[0], ctx: CommandContext): Promise<Baseline> {
  const first = await store.alerts.firstMentionAt()
  const spans = baselineSpans(window, o.weeks, ctx.timezone)
  const weeks: BaselineWeek[] = []
  for (const s of spans) {
    const complete = (await completenessFor(store, { ...s, timezone: ctx.timezone, sources: undefined }, ctx)).complete
    weeks.push({ from: iso(s.from), until: iso(s.until), completeness: complete, excluded: first === null || first > s.from ? 'before-data' : complete === false ? 'fetch-holes' : null })
  }
  const holey = weeks.filter((w) => w.excluded === 'fetch-holes')
  const onHoles = weeks.every((w) => w.excluded !== null) && holey.length > 0
  if (onHoles) for (const w of holey) w.excluded = null
  const used: Baseline['used'] = []
  for (const [i, span] of spans.entries()) {
    if (weeks[i]!.excluded === null) used.push({ span, tally: tally(await store.reports.groupCounts(scope(span))), topics: topicTally(await store.topics.topicCounts(scope(span))) })
  }
  return { weeks, used, holes: holey.length, onHoles }
}

export async function runAlerts(o: AlertsOptions, ctx: CommandContext): Promise<AlertsModel> {
  const window: Span = { from: o.at - o.window.ms, until: o.at }
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: false }, async (store) => {
    const matcher = resolveBrandMatcher(ctx.config.brands, undefined, o.brands)
    const scope = (s: Span, brands = o.brands) => ({ ...s, brands, brand: matcher })
    const baseline = await loadBaseline(store, window, o, scope, ctx)
    const current = tally(await store.reports.groupCounts(scope(window)))
    const currentTopics = topicTally(await store.topics.topicCounts(scope(window)))
    const windowCompleteness = await completenessFor(store, { ...window, timezone: ctx.timezone, sources: undefined }, ctx)

    const names = new Set<string>(ctx.config.brands.map((b) => b.name).filter((n) => !o.brands || o.brands.includes(n)))
    for (const t of [current, ...baseline.used.map((u) => u.tally)]) for (const k of t.keys()) names.add(k.split('\u0000')[1]!)
    const background = new Map<string, string[][]>()
    const evaluations: AlertEvaluation[] = []
    for (const brand of [...names].sort((a, b) => a.localeCompare(b))) {
      // A topic is watched once it has complaints in the window: the others cannot storm now.
      const topics = [...currentTopics.keys()].filter((k) => k.split('\u0000')[1] === brand).map((k) => k.split('\u0000')[0]!.slice('topic:'.length)).sort()
      const checks = [...ALERT_KINDS.map((kind) => ({ kind: kind as AlertKind, topic: undefined as string | undefined })), ...topics.map((topic) => ({ kind: 'topic-storm' as const, topic }))]
      for (const { kind, topic } of checks) {
        const e =
          topic === undefined
            ? await evaluate(brand, kind, current, baseline.used.map((u) => u.tally), baseline, o, () => store.alerts.lastFiredAt(brand, kind, o.at - o.cooldown.ms, o.at))
            : await evaluate(brand, kind, currentTopics, baseline.used.map((u) => u.topics), baseline, o, () => store.topics.lastStormAt(brand, topic, o.at - o.cooldown.ms, o.at), topic)
        if (e.status === 'fired' || e.status === 'cooldown') {
          const posts = topic === undefined ? await store.alerts.windowPosts({ ...window, brand, kind, matcher, limit: POST_CAP }) : await store.topics.stormPosts({ ...window, brand, topic, matcher, limit: POST_CAP })
          e.authors = new Set(posts.map((m) => (m.author ?? '').toLowerCase())).size
          e.examples = pickExamples(posts).map((m) => ({ ...m, createdAt: iso(m.createdAt) }))
          let rest = background.get(brand)
          if (!rest) {
            rest = []
            for (const { span } of baseline.used) for (const [, text] of await store.reports.texts(scope(span, [brand]), BACKGROUND_CAP)) rest.push(termsOf(text))
            background.set(brand, rest)
          }
          e.terms = distinctiveTerms(posts.map((m) => termsOf(m.text)), rest, { limit: 6, minCount: 2 }).map((t) => t.term)
          e.warnings = alertWarnings(e, windowCompleteness, baseline.weeks, baseline.onHoles)
        }
        evaluations.push(e)
      }
    }

    const fired = evaluations.filter((e) => e.status === 'fired')
    const model: AlertsModel = {
      kind: 'alerts',
      timezone: ctx.timezone,
      at: iso(o.at),
      from: iso(window.from),
      until: iso(window.until),
      params: { window: o.window.text, windowMs: o.window.ms, weeks: o.weeks, p: o.p, min: o.min, cooldown: o.cooldown.text, cooldownMs: o.cooldown.ms },
      weeks: baseline.weeks,
      evaluations,
      fired: fired.length,
      suppressed: evaluations.filter((e) => e.status === 'cooldown').length,
      dryRun: o.dryRun,
      delivery: { webhook: Boolean(o.webhook), status: o.dryRun ? 'dry-run' : o.webhook ? 'nothing-to-send' : 'not-requested', alerts: 0, delayed: 0, error: null },
      undelivered: { total: 0, alerts: [] },
      completeness: { window: windowCompleteness, baselineHoles: baseline.holes },
    }
    if (!o.dryRun) {
      const fresh = await saveFired(fired, window, o, store)
      if (o.webhook) await deliver(o.webhook, fresh, model, store.alerts, o, ctx)
    }
    const pending = await store.alerts.undelivered(20)
    model.undelivered = {
      total: pending.total,
      alerts: pending.alerts.map((a) => ({ id: a.id, brand: a.brand, kind: a.kind, firedAt: iso(a.firedAt), attempts: a.attempts, error: a.error })),
    }
    return model
  })
}

/** One brand and kind (and topic, for a topic storm): the count in the window against its baseline, and the cooldown. */
async function evaluate(
  brand: string,
  kind: AlertKind,
  current: Tally,
  weekTallies: readonly Tally[],
  baseline: Baseline,
  o: AlertsOptions,
  lastFired: () => Promise<number | null>,
  topic?: string,
): Promise<AlertEvaluation> {
  const key = keyOf(brand, topic === undefined ? kind : `topic:${topic}`)
  const now = current.get(key) ?? { count: 0, bySource: {} }
  const samples = baseline.used.map(({ span }, i) => ({ count: weekTallies[i]!.get(key)?.count ?? 0, spanMs: span.until - span.from }))
  const fit = fitBaseline(samples, o.window.ms)
  const decision = decide(now.count, fit, { p: o.p, min: o.min })
  let status: AlertStatus = decision.status
  let cooldownUntil: string | null = null
  if (status === 'fired' && o.cooldown.ms > 0) {
    const last = await lastFired()
    if (last !== null) {
      status = 'cooldown'
      cooldownUntil = iso(last + o.cooldown.ms)
    }
  }
  const agreement = platformAgreement(now.bySource)
  let j = 0
  return {
    brand,
    kind,
    ...(topic === undefined ? {} : { topic }),
    status,
    count: now.count,
    expected: fit ? round(fit.expected, 3) : null,
    p: decision.p,
    method: fit?.method ?? null,
    baseline: baseline.weeks.map((w) => (w.excluded === null ? samples[j++]!.count : null)),
    dispersion: fit ? dispersionOf(fit) : null,
    bySource: now.bySource,
    platforms: agreement.platforms,
    // A "burst" of one or two posts on one platform says nothing about a raid.
    singlePlatform: now.count >= o.min && agreement.singlePlatform,
    authors: null,
    terms: [],
    examples: [],
    warnings: [],
    cooldownUntil,
    alertId: null,
  }
}

function dispersionOf(fit: BaselineFit) {
  return { mean: round(fit.mean, 3), variance: fit.variance === null ? null : round(fit.variance, 3), size: fit.size === null ? null : round(fit.size, 3) }
}

/** Records each fired alert, as "failed" before a webhook post: a crash in between leaves it to be retried, not lost. */
async function saveFired(fired: AlertEvaluation[], window: Span, o: AlertsOptions, store: Store): Promise<Array<{ id: number; key: string; message: AlertMessage }>> {
  const out: Array<{ id: number; key: string; message: AlertMessage }> = []
  for (const e of fired) {
    const message = messageOf(e, window, o.window.ms)
    const { brand, kind, count, expected, p, method } = message
    const record = {
      brand,
      kind,
      count,
      expected,
      p,
      method,
      firedAt: o.at,
      windowFrom: window.from,
      message: JSON.stringify(message),
      delivery: o.webhook ? ('failed' as const) : ('none' as const),
      error: o.webhook ? 'not posted yet' : null,
    }
    e.alertId = e.topic === undefined ? await store.alerts.saveAlert(record) : await store.topics.saveStormAlert({ ...record, topic: e.topic })
    out.push({ id: e.alertId, key: alertKey(brand, kind, o.at, e.topic), message })
  }
  return out
}

function messageOf(e: AlertEvaluation, window: Span, windowMs: number): AlertMessage {
  return {
    brand: e.brand,
    kind: e.kind,
    ...(e.topic === undefined ? {} : { topic: e.topic }),
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

/** Posts the fresh alerts and the undelivered ones of the last day in one message; records the outcome. */
/**
 * Posts the fresh alerts and the undelivered ones of the last day in one message; records the
 * outcome. Delivery is at least once: each alert carries a stable key, and a post that may have
 * arrived (no answer in time) is not repeated in this run but kept for the next one.
 */
async function deliver(url: string, fresh: Array<{ id: number; key: string; message: AlertMessage }>, model: AlertsModel, alerts: AlertRepo, o: AlertsOptions, ctx: CommandContext): Promise<void> {
  const ids = new Set(fresh.map((x) => x.id))
  const retry = (await alerts.undelivered(50)).alerts.filter((a) => !ids.has(a.id) && a.firedAt > o.at - RETRY_AGE && a.firedAt <= o.at)
  const items = [
    ...fresh,
    ...retry.reverse().map((a) => {
      const message = JSON.parse(a.message) as AlertMessage
      return { id: a.id, key: alertKey(a.brand, a.kind, a.firedAt, message.topic), message: { ...message, delayed: true } }
    }),
  ]
  if (!items.length) return
  model.delivery.alerts = items.length
  model.delivery.delayed = retry.length
  const keys = { message: messageKey(items.map((x) => x.key)), alerts: items.map((x) => x.key) }
  try {
    // Loaded here: the HTTP client (undici) costs about 0.15 s of start-up, and most cron runs post nothing.
    const { postWebhook } = await import('../http/webhook.js')
    await postWebhook({
      url,
      body: renderSlackMessage(items.map((x) => x.message), model.timezone, formatLocal, keys),
      idempotencyKey: keys.message,
      timeoutMs: o.webhookTimeoutMs,
      version: o.version,
      dispatcher: o.dispatcher,
      onEvent: (e) => ctx.log.debug(`http ${JSON.stringify(e)}`),
    })
    await alerts.markDelivery(items.map((x) => x.id), true, ctx.now, null)
    model.delivery.status = 'delivered'
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    await alerts.markDelivery(items.map((x) => x.id), false, ctx.now, message)
    model.delivery.status = error instanceof MaybeDelivered ? 'unknown' : 'failed'
    model.delivery.error = message
  }
}
