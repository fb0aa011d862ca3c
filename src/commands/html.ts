// listen report --html: everything the staffing meeting sees, from the same commands the other
// reports use.
import type { HtmlModels } from '../models/html.js'
import { runAudit } from './audit.js'
import type { CommandContext } from './context.js'
import { runReport, runSummary, type ReportOptions } from './report.js'

/** Oldest unanswered posts the HTML report lists. */
const HTML_LEDGER_ROWS = 15

/**
 * By-hour with the heatmap (and staffing when configured or asked for), the first-response audit
 * and the summary.
 */
export async function runHtmlReport(o: ReportOptions, ctx: CommandContext): Promise<HtmlModels> {
  const { since, from, until, source, brand, labels, handles } = o
  return {
    byHour: await runReport({ ...o, byHour: true, summary: false, heatmap: true }, ctx),
    audit: await runAudit({ since, from, until, source, brand, labels, handles, limit: HTML_LEDGER_ROWS, ledger: true }, ctx),
    summary: await runSummary(o, ctx),
    generatedAt: ctx.now,
    brands: ctx.config.brands.map((b) => b.name),
  }
}
