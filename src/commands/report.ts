// listen report: --by-hour volume per local hour (with a staffing plan when asked), or --summary.
import type { ByHourReport } from '../models/byhour.js'
import { UsageError } from '../models/errors.js'
import type { AuditScope } from '../models/scope.js'
import type { SummaryModel } from '../models/summary.js'
import { splitList } from '../lib/list.js'
import { completenessLine } from '../render/words.js'
import { resolveBrandMatcher } from '../report/audit.js'
import { summarizeByHour } from '../report/byHour.js'
import { planStaffing, resolveStaffing, DEFAULT_STAFFING_LABELS, parseLabelKeys, type StaffingFlags } from '../report/staffing.js'
import { changeOf, distinctiveTerms, summarizeShares, termsOf } from '../report/summary.js'
import { withStore } from '../store/open.js'
import { resolveWindow } from '../time/window.js'
import { formatLocal } from '../time/zone.js'
import { completenessFor } from './completeness.js'
import type { CommandContext } from './context.js'

export interface ReportOptions extends StaffingFlags {
  byHour?: boolean
  summary?: boolean
  heatmap?: boolean
  since?: string | undefined
  from?: string | undefined
  until?: string | undefined
  source?: string[] | undefined
  brand?: string[] | undefined
  // summary
  handles?: string | undefined
}

export async function runReport(o: ReportOptions, ctx: CommandContext): Promise<ByHourReport> {
  if (o.summary) throw new UsageError('--summary is its own report: call runSummary')
  const { aht, target, serviceLevel, shrinkage, maxOccupancy, labels, percentile } = o
  const staffingParams = resolveStaffing(ctx.config.staffing, { aht, target, serviceLevel, shrinkage, maxOccupancy, labels, percentile })
  const window = resolveWindow(o, ctx.timezone, ctx.now, '28d')
  return withStore(ctx.config.database, { create: false, readonly: true }, async (store) => {
    const sources = splitList(o.source)
    const brands = splitList(o.brand)
    const buckets = await store.mentions.countByQuarterHour({ ...window, sources, brands })
    const model: ByHourReport = {
      ...summarizeByHour(buckets, {
        timezone: ctx.timezone,
        ...window,
        heatmap: o.heatmap ?? false,
        sources: sources ?? [],
        brands: brands ?? [],
      }),
      completeness: await completenessFor(store, { ...window, timezone: ctx.timezone, sources }, ctx),
    }
    if (staffingParams) {
      const plan = planStaffing(buckets, { timezone: ctx.timezone, ...window, params: staffingParams })
      const basedOnHoles = model.completeness.complete === false
      const notes = [
        `Staffing for ${plan.params.labels.join(', ')}: AHT ${plan.params.aht}, ${Math.round(plan.params.serviceLevel * 100)} % within ${plan.params.target}, shrinkage ${Math.round(plan.params.shrinkage * 100)} %, occupancy ≤ ${Math.round(plan.params.maxOccupancy * 100)} %; ${plan.params.percentile === null ? 'mean' : `p${Math.round(plan.params.percentile * 100)}`} arrivals per weekday-hour, each hour planned for its busiest weekday.`,
        `agents = ${plan.models.agents}; scheduled = ${plan.models.scheduled}; backlog = ${plan.models.backlogAgents}. Erlang C fits live channels (chat, DMs); public comments answered in turn fit the backlog figure.`,
      ]
      if (plan.untaggedCounted) notes.push(`${plan.untaggedCounted.toLocaleString('en-US')} untagged mentions counted as work (the tagger has not labelled them); --labels outage,complaint,question leaves them out.`)
      if (plan.untaggedLeftOut) notes.push(`${plan.untaggedLeftOut.toLocaleString('en-US')} untagged mentions NOT counted: add "untagged" to --labels or run the tagger.`)
      if (basedOnHoles) notes.push('WARNING: this staffing plan is built on incomplete data (hours without a successful fetch); volumes and agents are too low there. See completeness.')
      model.staffing = { ...plan, basedOnHoles, notes }
    }
    return model
  })
}

export async function runSummary(o: ReportOptions, ctx: CommandContext): Promise<SummaryModel> {
  const window = resolveWindow(o, ctx.timezone, ctx.now, '28d')
  const previous = { from: window.from - (window.until - window.from), until: window.from }
  const sources = splitList(o.source)
  const brands = splitList(o.brand)
  const brandMatcher = resolveBrandMatcher(ctx.config.brands, o.handles, brands)
  const needLabels = parseLabelKeys(o.labels) ?? [...DEFAULT_STAFFING_LABELS]
  return withStore(ctx.config.database, { create: false, readonly: true }, async (store) => {
    const reports = store.reports
    const scope = { ...window, sources, brands, brand: brandMatcher }
    const cur = await reports.groupCounts(scope)
    const prev = await reports.groupCounts({ ...scope, ...previous })
    const total = cur.reduce((s, r) => s + r.n, 0)
    const previousTotal = prev.reduce((s, r) => s + r.n, 0)
    const byBrand = summarizeShares(cur, prev, 'brand', '(none)')
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
      previous: { from: new Date(previous.from).toISOString(), until: new Date(previous.until).toISOString(), total: previousTotal },
      filters: { sources: sources ?? [], brands: brands ?? [] },
      total,
      change: changeOf(total, previousTotal),
      byLabel: summarizeShares(cur, prev, 'label', 'untagged'),
      bySource: summarizeShares(cur, prev, 'source', '(none)'),
      byBrand,
      shareOfVoice: voice.length >= 2 ? voice.map((b) => ({ ...b, share: voiceTotal ? Math.round((b.count / voiceTotal) * 10_000) / 10_000 : 0 })) : null,
      terms: { labels: [...target], documents: docsA.length, background: docsB.length, sampled: texts.length === TEXT_CAP, items: distinctiveTerms(docsA, docsB) },
      authors: authors.map((a) => ({ author: a.author, source: a.source, posts: a.n, share: total ? Math.round((a.n / total) * 10_000) / 10_000 : 0, negative: a.negative })),
      needsResponse: { labels: needLabels, total: needs.total, unanswered: needs.total - needs.answered, untaggedIncluded: auditScope.includeUntagged },
      completeness: await completenessFor(store, { ...window, timezone: ctx.timezone, sources }, ctx),
      notes: [],
    }
    model.notes = summaryNotes(model)
    return model
  })
}

function summaryNotes(m: SummaryModel): string[] {
  const local = (iso: string) => formatLocal(Date.parse(iso), m.timezone).slice(0, 16).replace('T', ' ')
  const change = m.change === null ? 'no posts in the previous period' : `${m.change >= 0 ? '+' : ''}${Math.round(m.change * 1000) / 10} % against the previous ${local(m.previous.from)} – ${local(m.previous.until)} (${m.previous.total.toLocaleString('en-US')})`
  const notes = [
    `${m.total.toLocaleString('en-US')} customer posts from ${local(m.from)} to ${local(m.until)} (${m.timezone}); ${change}.`,
    `Still waiting for an answer: ${m.needsResponse.unanswered.toLocaleString('en-US')} of ${m.needsResponse.total.toLocaleString('en-US')} posts labelled ${m.needsResponse.labels.join(', ')} (brand replies found through reply chains; see listen audit).`,
  ]
  if (m.shareOfVoice) notes.push(`Share of voice: ${m.shareOfVoice.map((b) => `${b.key} ${Math.round(b.share * 1000) / 10} %`).join(', ')}.`)
  if (m.terms.items.length) {
    notes.push(`Distinctive in complaints and outages (log-odds z vs. all other posts): ${m.terms.items.map((t) => t.term).join(', ')}.`)
  } else {
    notes.push(m.terms.documents ? 'Too few complaints and outages for distinctive terms.' : 'No complaints or outages in this window (untagged data: run the tagger first) — no distinctive terms.')
  }
  if (m.terms.sampled) notes.push('Terms use the newest 200,000 posts of the window.')
  notes.push(completenessLine(m.completeness))
  return notes
}
