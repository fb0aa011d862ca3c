// listen audit: first-response times of the brand to customer posts that need an answer.
import type { AuditModel } from '../models/audit.js'
import type { LabelKey } from '../models/mention.js'
import type { AuditScope } from '../models/scope.js'
import { createShiftBreakdown, summarizeAgents } from '../report/agents.js'
import { createAuditAccumulator, describeMatcher, resolveBrandMatcher, toLedgerItems, uncoveredRanges } from '../report/audit.js'
import { withStore } from '../store/open.js'
import type { AuditStep } from '../store/types.js'
import type { Window } from '../time/window.js'
import { completenessFor } from './completeness.js'
import { storeAuth, type CommandContext } from './context.js'
import { emptyWindowOf } from './empty.js'

/** Typed and checked by the CLI (cli/commands/audit.ts parseAuditFlags). */
export interface AuditOptions {
  /** null: every stored post (--all). */
  window: Window | null
  sources?: string[] | undefined
  brands?: string[] | undefined
  /** Labels that need an answer; 'untagged' = not yet tagged. */
  labels: LabelKey[]
  /** --handles: brand handles on every source, or auto-nonnumeric. */
  handles?: string | undefined
  view: AuditModel['view']
  /** Ledger rows (0 = all); without --ledger at most 10 are listed. */
  limit: number
  /** --agents: the per-agent breakdown from reply signatures. */
  agents?: boolean | undefined
}

export async function runAudit(o: AuditOptions, ctx: CommandContext): Promise<AuditModel> {
  const { sources, brands, labels } = o
  const brandMatcher = resolveBrandMatcher(ctx.config.brands, o.handles, brands)
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: false, readonly: true }, async (db) => {
    let window = o.window
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
    const answering = store.computeAnswers(window.from, brandMatcher)
    const acc = createAuditAccumulator(ctx.timezone)
    const shifts = ctx.config.shifts?.length ? createShiftBreakdown(ctx.config.shifts, ctx.timezone) : null
    const step: AuditStep = shifts
      ? (...row) => {
          acc.add(...row)
          shifts.add(...row)
        }
      : acc.add
    // Together: on a large SQLite file the walk runs on a second thread while this one scans.
    await Promise.all([answering, store.scanAudit(scope, step)])
    const s = acc.summarize()
    const ledgerRows = await store.ledger(scope, o.view === 'ledger' ? o.limit : Math.min(o.limit, 10))
    const knownHandles = await store.hasBrandPosts(window.from, brandMatcher, sources)
    const completeness = await completenessFor(db, { ...window, timezone: ctx.timezone, sources }, ctx)
    // The window's own "now": a post still waits at the window's end (the newest post with --all),
    // so an audit of 2017 says "waited 3 weeks", not "waited 9 years" counted to today.
    const now = Math.min(ctx.now, window.until)
    const model: AuditModel = {
      kind: 'audit',
      view: o.view,
      timezone: ctx.timezone,
      from: new Date(window.from).toISOString(),
      until: new Date(window.until).toISOString(),
      now: new Date(now).toISOString(),
      filters: { sources: sources ?? [], brands: brands ?? [] },
      labels,
      untagged: scope.includeUntagged ? 'included' : 'excluded',
      handles: { description: describeMatcher(brandMatcher), known: knownHandles },
      ...s,
      uncovered: uncoveredRanges(s.hourOfWeek),
      ledger: { total: s.overall.never, shown: ledgerRows.length, items: toLedgerItems(ledgerRows, now) },
      completeness,
    }
    if (shifts) model.byShift = shifts.rows()
    if (o.agents || o.view === 'agents') {
      const replies = await db.recheck.brandReplies({ ...window, sources, brand: brandMatcher })
      model.byAgent = summarizeAgents(replies, ctx.config.signatures ?? [], ctx.timezone)
    }
    if (!s.overall.mentions) model.emptyWindow = await emptyWindowOf(db, window)
    return model
  })
}


