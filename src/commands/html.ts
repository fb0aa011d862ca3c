// listen report --html: everything the staffing meeting sees, from the same commands the other
// reports use.
import type { HtmlModels } from '../models/html.js'
import { type AuditOptions, runAudit } from './audit.js'
import type { CommandContext } from './context.js'
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
  return {
    byHour: await runReport({ ...o, heatmap: true }, ctx),
    audit: await runAudit(auditOptionsFor(o), ctx),
    summary: await runSummary(o, ctx),
    generatedAt: ctx.now,
    brands: ctx.config.brands.map((b) => b.name),
    vanished: await runVanished(o, ctx),
  }
}
