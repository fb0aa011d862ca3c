// listen audit: first-response times of the brand to customer posts that need an answer.
import { UsageError } from '../models/errors.js'
import {
  createAuditAccumulator,
  describeMatcher,
  MIN_CELL_POSTS,
  resolveBrandMatcher,
  toLedgerItems,
  uncoveredRanges
} from '../report/audit.js'
import { DEFAULT_STAFFING_LABELS, parseLabelKeys } from '../report/staffing.js'
import { withStore } from '../store/open.js'
import { resolveWindow } from '../time/window.js'
import { formatLocal } from '../time/zone.js'
import type { CommandContext } from './context.js'
import { completenessFor } from './completeness.js'
import type { AuditScope } from '../models/scope.js'
import { type AuditModel } from '../models/audit.js'
import { formatMinutes, pct, completenessLine } from '../render/words.js'
import { splitList } from '../lib/list.js'

export interface AuditOptions {
  since?: string | undefined
  from?: string | undefined
  until?: string | undefined
  all?: boolean | undefined
  source?: string[] | undefined
  brand?: string[] | undefined
  labels?: string[] | undefined
  handles?: string | undefined
  ledger?: boolean | undefined
  hours?: boolean | undefined
  limit?: number | undefined
}

export async function runAudit(o: AuditOptions, ctx: CommandContext): Promise<AuditModel> {
  if (o.ledger && o.hours) throw new UsageError('--ledger and --hours choose different rows; pass one')
  const limit = o.limit ?? 50
  if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit: expected a whole number ≥ 0, got ${o.limit}`)
  if (o.all && (o.since || o.from || o.until)) throw new UsageError('--all cannot be combined with --since, --from or --until')
  const labels = parseLabelKeys(o.labels) ?? [...DEFAULT_STAFFING_LABELS]
  const sources = splitList(o.source)
  const brands = splitList(o.brand)
  const brandMatcher = resolveBrandMatcher(ctx.config.brands, o.handles, brands)
  return withStore(ctx.config.database, { create: false, readonly: true }, async (db) => {
    let window = o.all ? null : resolveWindow(o, ctx.timezone, ctx.now, '28d')
    if (!window) {
      const span = await db.mentions.span()
      window = span ? { from: span.first, until: span.last + 1 } : { from: ctx.now - 1, until: ctx.now }
    }
    const store = db.audit
    const scope: AuditScope = {
      ...window,
      sources,
      brands,
      labels: labels.filter((l) => l !== 'untagged'),
      includeUntagged: labels.includes('untagged'),
      brand: brandMatcher,
    }
    await store.computeAnswers(window.from, brandMatcher)
    const acc = createAuditAccumulator(ctx.timezone)
    await store.scanAudit(scope, acc.add)
    const s = acc.summarize()
    const ledgerRows = await store.ledger(scope, o.ledger ? limit : Math.min(limit, 10))
    const knownHandles = await store.hasBrandPosts(window.from, brandMatcher, sources)
    const completeness = await completenessFor(db, { ...window, timezone: ctx.timezone, sources }, ctx)
    const model: AuditModel = {
      kind: 'audit',
      view: o.ledger ? 'ledger' : o.hours ? 'hours' : 'breakdown',
      timezone: ctx.timezone,
      from: new Date(window.from).toISOString(),
      until: new Date(window.until).toISOString(),
      now: new Date(ctx.now).toISOString(),
      filters: { sources: sources ?? [], brands: brands ?? [] },
      labels,
      untagged: scope.includeUntagged ? 'included' : 'excluded',
      handles: { description: describeMatcher(brandMatcher), known: knownHandles },
      ...s,
      uncovered: uncoveredRanges(s.hourOfWeek),
      ledger: { total: s.overall.never, shown: ledgerRows.length, items: toLedgerItems(ledgerRows, ctx.now) },
      completeness,
      notes: [],
    }
    model.notes = auditNotes(model)
    if (!knownHandles) ctx.log.warn(model.notes.find((n) => n.startsWith('No brand'))!)
    return model
  })
}

function auditNotes(m: AuditModel): string[] {
  const o = m.overall
  const notes = [
    `${o.mentions.toLocaleString('en-US')} customer posts needing an answer (${m.labels.join(', ')}) from ${local(m.from, m.timezone)} to ${local(m.until, m.timezone)} in ${m.timezone}.`,
    `First response: median ${formatMinutes(o.medianMinutes)}, p90 ${formatMinutes(o.p90Minutes)} (over answered posts); within 1 h ${pct(o.shareWithin1h)}, within 24 h ${pct(o.shareWithin24h)}, later ${pct(o.mentions ? o.later / o.mentions : 0)}, never ${pct(o.shareNever)}.`,
    `Brand = ${m.handles.description}.`,
  ]
  if (!m.handles.known) {
    notes.push(
      'No brand posts found in this window: every post counts as unanswered. Name the brand handles in the config (brands[].handles), or pass --handles AcmeHelp,… or --handles auto-nonnumeric (companies have non-numeric author ids, as in the TWCS dataset).',
    )
  }
  const untagged = m.byLabel.find((l) => l.label === 'untagged')
  if (untagged && m.untagged === 'included') {
    notes.push(`${untagged.mentions.toLocaleString('en-US')} untagged posts counted as needing an answer (the tagger has not labelled them); --labels outage,complaint,question leaves them out.`)
  }
  if (m.uncovered.length) {
    const shown = m.uncovered.slice(0, 8).map((u) => `${u.weekday} ${pad(u.fromHour)}–${pad(u.untilHour)} (${pct(u.shareWithin1h)} within 1 h)`)
    notes.push(`Uncovered hours (≥${MIN_CELL_POSTS} posts, under half answered within 1 h): ${shown.join(', ')}${m.uncovered.length > 8 ? `, … ${m.uncovered.length} ranges in JSON (--hours lists every cell)` : ''}.`)
  }
  if (m.view !== 'ledger' && m.ledger.total) {
    notes.push(`Unanswered ledger: ${m.ledger.total.toLocaleString('en-US')} posts still waiting; oldest: ${m.ledger.items.slice(0, 3).map((i) => `${i.source}/${i.id} (${i.ageHours} h)`).join(', ')}. --ledger lists them.`)
  }
  if (m.view === 'ledger' && m.ledger.shown < m.ledger.total) notes.push(`showing ${m.ledger.shown} of ${m.ledger.total}; use --limit 0 for all`)
  if (!o.mentions && m.from) notes.push('No posts in this window; --all audits everything stored.')
  if (m.completeness.sources.length) notes.push(completenessLine(m.completeness))
  return notes
}

const pad = (h: number) => `${String(h).padStart(2, '0')}:00`
const local = (iso: string, tz: string) => formatLocal(Date.parse(iso), tz).slice(0, 16).replace('T', ' ')
