import type { Command } from 'commander'
import { addOutputOptions, addWindowOptions, collect, type Kit } from '../kit.js'

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    addWindowOptions(
      program
        .command('report')
        .description('reports over a window: --by-hour volume per local hour (the staffing input)')
        .option('--by-hour', 'volume per hour of day in --tz (the default report)')
        .option('--heatmap', 'add a weekday × hour table')
        .option('--source <name>', 'only this source (repeatable or comma-separated)', collect)
        .option('--brand <name>', 'only this brand (repeatable or comma-separated)', collect),
      '28d',
    ),
  )
    .addHelpText(
      'after',
      `
Hours are local hours of each mention's instant in --tz, exact across daylight-saving changes.
Brand replies are not counted: this is customer volume.

Example:
  $ listen report --by-hour --tz Europe/Berlin --since 28d --format csv --bom > hours.csv`,
    )
    .action(async function (this: Command) {
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const { runReport } = await import('../../commands/report.js')
      print(runReport(this.opts(), ctx))
    })
}
