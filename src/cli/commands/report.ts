import type { Command } from 'commander'
import type { ReportOptions } from '../../commands/report.js'
import { UsageError } from '../../models/errors.js'
import { DEFAULT_STAFFING_LABELS, parseLabelKeys, resolveStaffing, type StaffingConfig, type StaffingFlags } from '../../report/staffing.js'
import { resolveWindow, type WindowFlags } from '../../time/window.js'
import { splitList } from '../flags.js'
import { addOutputOptions, addWindowOptions, collect, type Kit } from '../kit.js'

export interface ReportFlags extends WindowFlags, StaffingFlags {
  heatmap?: boolean | undefined
  source?: string[] | undefined
  brand?: string[] | undefined
  handles?: string | undefined
}

/** `summary`: the summary report has no staffing plan, so its --labels only say what needs an answer. */
export function parseReportFlags(f: ReportFlags & { summary?: boolean | undefined }, ctx: { timezone: string; now: number; config: { staffing?: StaffingConfig | undefined } }): ReportOptions {
  const { aht, target, serviceLevel, shrinkage, maxOccupancy, labels, percentile } = f
  return {
    window: resolveWindow(f, ctx.timezone, ctx.now, '28d'),
    sources: splitList(f.source),
    brands: splitList(f.brand),
    heatmap: Boolean(f.heatmap),
    staffing: f.summary ? null : resolveStaffing(ctx.config.staffing, { aht, target, serviceLevel, shrinkage, maxOccupancy, labels, percentile }),
    labels: parseLabelKeys(labels) ?? [...DEFAULT_STAFFING_LABELS],
    handles: f.handles,
  }
}

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    addWindowOptions(
      program
        .command('report')
        .description('reports over a window: --by-hour volume and staffing per local hour, --summary reputation audit')
        .option('--by-hour', 'volume per hour of day in --tz (the default report)')
        .option('--summary', 'counts and shares per label, source and brand against the previous period; distinctive complaint terms')
        .option('--heatmap', 'add a weekday × hour table')
        .option('--html <file>', 'also write the whole report (volume, staffing, heatmap, audit, summary, completeness) as one self-contained HTML file; stdout stays empty unless --format is given')
        .option('--source <name>', 'only this source (repeatable or comma-separated)', collect)
        .option('--brand <name>', 'only this brand (repeatable or comma-separated)', collect)
        .option('--aht <duration>', 'staffing: average handling time per mention, e.g. 6m (default: config staffing)')
        .option('--target <duration>', 'staffing: answer within, e.g. 60m')
        .option('--service-level <share>', 'staffing: share answered within target, e.g. 0.8')
        .option('--shrinkage <share>', 'staffing: share of paid time not available (default config, else 0.3)')
        .option('--max-occupancy <share>', 'staffing: highest busy share per agent (default config, else 0.85)')
        .option('--percentile <p>', 'staffing: plan for the p-quantile week per weekday-hour (e.g. 0.9) instead of the mean')
        .option('--labels <list>', 'labels that count as work / need an answer; "untagged" = not yet tagged (default outage,complaint,question,untagged)', collect)
        .option('--handles <list>', 'summary: brand handles for "still needs an answer"; auto-nonnumeric as in listen audit'),
      '28d',
    ),
  )
    .addHelpText(
      'after',
      `
Hours are local hours of each mention's instant in --tz, exact across daylight-saving changes.
Brand replies are not counted: this is customer volume. With a config "staffing" section or the
staffing flags, each hour gets agents (Erlang C), scheduled (after shrinkage) and backlog agents
(workload ÷ occupancy), planned for the busiest weekday at that hour. Every report ends with its
completeness: hours without a successful fetch, or "imported, completeness unknown".

Example:
  $ listen report --by-hour --tz Europe/Berlin --since 28d --format csv --bom > hours.csv
  $ listen report --by-hour --aht 6m --target 60m --service-level 0.8 --percentile 0.9
  $ listen report --summary --since 7d
  $ listen report --html week.html --since 7d --aht 6m --target 60m --service-level 0.8`,
    )
    .action(async function (this: Command) {
      const o = this.opts<{ byHour?: boolean; summary?: boolean; html?: string; format?: string }>()
      if (o.byHour && o.summary) throw new UsageError('choose one report: --by-hour or --summary')
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const options = parseReportFlags(this.opts(), ctx)
      const { runReport, runSummary } = await import('../../commands/report.js')
      if (o.html !== undefined) {
        const [{ renderHtml }, { writeFileSync }, { resolve }] = await Promise.all([import('../../render/html.js'), import('node:fs'), import('node:path')])
        const file = resolve(kit.io.cwd, o.html)
        const { runHtmlReport } = await import('../../commands/html.js')
        const models = await runHtmlReport(options, ctx)
        try {
          writeFileSync(file, renderHtml(models))
        } catch (e) {
          throw new UsageError(`--html: cannot write ${file}: ${(e as Error).message}`, { cause: e })
        }
        kit.io.stderr.write(`${file}\n`)
        // An empty window makes an empty page: say where the data is, as the other formats do.
        const { noticesOf } = await import('../../render/notices.js')
        for (const n of noticesOf(models.byHour, 'json')) if (n.level === 'warning') ctx.log.warn(n.text)
        if (o.format === undefined) return
        // The same JSON as without --html: the heatmap only when asked for.
        const { heatmap, ...byHour } = models.byHour
        print(o.summary ? models.summary : this.opts<{ heatmap?: boolean }>().heatmap ? { ...byHour, heatmap } : byHour)
        return
      }
      print(o.summary ? await runSummary(options, ctx) : await runReport(options, ctx))
    })
}
