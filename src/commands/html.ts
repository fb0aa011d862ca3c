// listen report --html: everything the staffing meeting sees, from the same commands the other
// reports use.
import type { HtmlModels } from '../models/html.js'
import { withStore } from '../store/open.js'
import { type AuditOptions, runAudit } from './audit.js'
import { storeAuth, type CommandContext } from './context.js'
import { loadPiiMasker } from './pii-masks.js'
import { runVanished } from './recheck.js'
import { type ReportOptions, runReport, runSummary } from './report.js'

/** Oldest unanswered posts the HTML report lists. */
const HTML_LEDGER_ROWS = 15

/** The audit part: the window's oldest unanswered posts. */
function auditOptionsFor(o: ReportOptions): AuditOptions {
  return { window: o.window, sources: o.sources, brands: o.brands, labels: o.labels, handles: o.handles, view: 'ledger', limit: HTML_LEDGER_ROWS }
}

/**
 * By-hour with the heatmap (and staffing when configured or asked for), the first-response audit
 * and the summary.
 */
export async function runHtmlReport(o: ReportOptions, ctx: CommandContext): Promise<HtmlModels> {
  const byHour = await runReport({ ...o, heatmap: true }, ctx)
  const audit = await runAudit(auditOptionsFor(o), ctx)
  // A report is passed around: personal data in the listed posts is masked, worked out from the text.
  const masker = audit.ledger.items.length ? await loadPiiMasker(ctx.config.pii) : null
  if (masker) for (const i of audit.ledger.items) i.text = masker.maskText(i.text, masker.findings(i.text))
  const from = Date.parse(audit.from)
  const until = Date.parse(audit.until)
  const flagged = await withStore(ctx.config.database, { ...storeAuth(ctx), create: false, readonly: true }, (s) =>
    s.mentions.count({ from, until, sources: o.sources, brands: o.brands, byBrand: false, pii: true }),
  )
  return {
    byHour,
    audit,
    summary: await runSummary(o, ctx),
    generatedAt: ctx.now,
    brands: ctx.config.brands.map((b) => b.name),
    vanished: await runVanished(o, ctx),
    pii: { flagged },
  }
}
