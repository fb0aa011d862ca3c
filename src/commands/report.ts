// listen report: --by-hour volume per local hour (with a staffing plan when asked), or --summary.
import type { ByHourReport, StaffingParams } from '../models/byhour.js'
import type { LabelKey } from '../models/mention.js'
import type { AuditScope } from '../models/scope.js'
import type { SummaryModel } from '../models/summary.js'
import { resolveBrandMatcher } from '../report/audit.js'
import { summarizeByHour } from '../report/byHour.js'
import { coverageByHour } from '../report/coverage.js'
import { planStaffing } from '../report/staffing.js'
import { activeDays, changeOf, distinctiveTerms, isComparable, summarizeShares, termsOf } from '../report/summary.js'
import { withStore } from '../store/open.js'
import type { Window } from '../time/window.js'
import { completenessFor } from './completeness.js'
import { storeAuth, type CommandContext } from './context.js'
import { emptyWindowOf } from './empty.js'

export interface ReportOptions {
  window: Window
  sources?: string[] | undefined
  brands?: string[] | undefined
  heatmap: boolean
  /** The plan's parameters (config and flags); null = no staffing plan. */
  staffing: StaffingParams | null
  /** Summary and HTML: the labels that need an answer ('untagged' = not yet tagged). */
  labels: LabelKey[]
  /** Summary and HTML: brand handles on every source, or auto-nonnumeric. */
  handles?: string | undefined
}

export async function runReport(o: ReportOptions, ctx: CommandContext): Promise<ByHourReport> {
  const { window, sources, brands } = o
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: false, readonly: true }, async (store) => {
    const buckets = await store.mentions.countByQuarterHour({ ...window, sources, brands })
    const model: ByHourReport = {
      ...summarizeByHour(buckets, {
        timezone: ctx.timezone,
        ...window,
        heatmap: o.heatmap,
        sources: sources ?? [],
        brands: brands ?? [],
      }),
      completeness: await completenessFor(store, { ...window, timezone: ctx.timezone, sources }, ctx),
      coverageByHour: [],
    }
    model.coverageByHour = coverageByHour(model.completeness, { ...window, timezone: ctx.timezone })
    if (o.staffing) {
      const plan = planStaffing(buckets, { timezone: ctx.timezone, ...window, params: o.staffing })
      const basedOnHoles = model.completeness.complete === false
      model.staffing = { ...plan, basedOnHoles }
    }
    if (!model.total) model.emptyWindow = await emptyWindowOf(store, window)
    return model
  })
}

export async function runSummary(o: ReportOptions, ctx: CommandContext): Promise<SummaryModel> {
  const { window, sources, brands } = o
  const previous = { from: window.from - (window.until - window.from), until: window.from }
  const brandMatcher = resolveBrandMatcher(ctx.config.brands, o.handles, brands)
  const needLabels = o.labels
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: false, readonly: true }, async (store) => {
    const reports = store.reports
    const scope = { ...window, sources, brands, brand: brandMatcher }
    const cur = await reports.groupCounts(scope)
    const prev = await reports.groupCounts({ ...scope, ...previous })
    const total = cur.reduce((s, r) => s + r.n, 0)
    const previousTotal = prev.reduce((s, r) => s + r.n, 0)
    const days = {
      current: activeDays(await store.mentions.countByQuarterHour({ ...window, sources, brands })),
      previous: activeDays(await store.mentions.countByQuarterHour({ ...previous, sources, brands })),
    }
    const comparable = isComparable(days.previous, days.current)
    // Topics ride on the label column of summarizeShares.
    const asTopic = (rows: Array<{ source: string; brand: string; topic: string; n: number }>) => rows.map((r) => ({ source: r.source, brand: r.brand, label: r.topic, n: r.n }))
    const byTopic = summarizeShares(asTopic(await store.topics.topicCounts(scope)), asTopic(await store.topics.topicCounts({ ...scope, ...previous })), 'label', 'untagged', comparable)
    const byBrand = summarizeShares(cur, prev, 'brand', '(none)', comparable)
    const configured = new Set(ctx.config.brands.map((b) => b.name))
    const voice = byBrand.filter((b) => configured.has(b.key))
    const voiceTotal = voice.reduce((s, b) => s + b.count, 0)
    // Texts for the term contrast: the newest posts, capped so a year of data stays a few seconds.
    const TEXT_CAP = 200_000
    const texts = await reports.texts(scope, TEXT_CAP)
    const target = new Set(['complaint', 'outage'])
    const docsA: string[][] = []
    const docsB: string[][] = []
    for (const [label, text] of texts) (target.has(label) ? docsA : docsB).push(termsOf(text))
    const audit = store.audit
    await audit.computeAnswers(window.from, brandMatcher)
    const auditScope: AuditScope = {
      ...window,
      sources,
      brands,
      labels: needLabels.filter((l) => l !== 'untagged'),
      includeUntagged: needLabels.includes('untagged'),
      brand: brandMatcher,
    }
    const needs = await audit.answeredCount(auditScope)
    const authors = await reports.topAuthors(scope, 10)
    const model: SummaryModel = {
      kind: 'summary',
      timezone: ctx.timezone,
      from: new Date(window.from).toISOString(),
      until: new Date(window.until).toISOString(),
      previous: { from: new Date(previous.from).toISOString(), until: new Date(previous.until).toISOString(), total: previousTotal, comparable },
      activeDays: days,
      filters: { sources: sources ?? [], brands: brands ?? [] },
      total,
      change: changeOf(total, previousTotal, comparable),
      byLabel: summarizeShares(cur, prev, 'label', 'untagged', comparable),
      byTopic,
      bySource: summarizeShares(cur, prev, 'source', '(none)', comparable),
      byBrand,
      shareOfVoice: voice.length >= 2 ? voice.map((b) => ({ ...b, share: voiceTotal ? Math.round((b.count / voiceTotal) * 10_000) / 10_000 : 0 })) : null,
      terms: { labels: [...target], documents: docsA.length, background: docsB.length, sampled: texts.length === TEXT_CAP, items: distinctiveTerms(docsA, docsB) },
      authors: authors.map((a) => ({ author: a.author, source: a.source, posts: a.n, share: total ? Math.round((a.n / total) * 10_000) / 10_000 : 0, negative: a.negative })),
      needsResponse: { labels: needLabels, total: needs.total, unanswered: needs.total - needs.answered, untaggedIncluded: auditScope.includeUntagged },
      completeness: await completenessFor(store, { ...window, timezone: ctx.timezone, sources }, ctx),
    }
    if (!total) model.emptyWindow = await emptyWindowOf(store, window)
    return model
  })
}

