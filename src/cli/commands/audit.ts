import type { Command } from 'commander'
import type { AuditOptions } from '../../commands/audit.js'
import { UsageError } from '../../models/errors.js'
import { DEFAULT_STAFFING_LABELS, parseLabelKeys } from '../../report/staffing.js'
import { resolveWindow, type WindowFlags } from '../../time/window.js'
import { limitFlag, splitList } from '../flags.js'
import { addOutputOptions, addWindowOptions, collect, type Kit } from '../kit.js'

export interface AuditFlags extends WindowFlags {
  all?: boolean | undefined
  source?: string[] | undefined
  brand?: string[] | undefined
  labels?: string[] | undefined
  handles?: string | undefined
  ledger?: boolean | undefined
  hours?: boolean | undefined
  limit?: string | number | undefined
  vanished?: boolean | undefined
  agents?: boolean | undefined
}

export function parseAuditFlags(f: AuditFlags, ctx: { timezone: string; now: number }): AuditOptions {
  if (f.ledger && f.hours) throw new UsageError('--ledger and --hours choose different rows; pass one')
  if ([f.ledger, f.hours, f.agents, f.vanished].filter(Boolean).length > 1) throw new UsageError('--ledger, --hours, --agents and --vanished choose different rows; pass one')
  if (f.all && (f.since || f.from || f.until)) throw new UsageError('--all cannot be combined with --since, --from or --until')
  return {
    window: f.all ? null : resolveWindow(f, ctx.timezone, ctx.now, '28d'),
    sources: splitList(f.source),
    brands: splitList(f.brand),
    labels: parseLabelKeys(f.labels) ?? [...DEFAULT_STAFFING_LABELS],
    handles: f.handles,
    view: f.ledger ? 'ledger' : f.hours ? 'hours' : f.agents ? 'agents' : 'breakdown',
    limit: limitFlag(f.limit, 50),
  }
}

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    addWindowOptions(
      program
        .command('audit')
        .description('first-response audit: how fast, and whether, the brand answered posts that need an answer')
        .option('--all', 'audit every stored post (instead of --since 28d)')
        .option('--source <name>', 'only this source (repeatable or comma-separated)', collect)
        .option('--brand <name>', 'only this brand (repeatable or comma-separated)', collect)
        .option('--labels <list>', 'labels that need an answer; "untagged" = not yet tagged (default outage,complaint,question,untagged)', collect)
        .option('--handles <list>', 'brand handles on every source, comma-separated; auto-nonnumeric = authors whose id is not all digits')
        .option('--ledger', 'rows: the unanswered posts, oldest first (with age and link)')
        .option('--hours', 'rows: the 168 hours of the week, uncovered ones marked')
        .option('--limit <n>', 'ledger rows with --ledger, 0 = all (default 50)')
        .option('--agents', 'rows: brand replies per account and signed agent ("^JK", "-Anna"; config signatures add patterns)')
        .option('--vanished', 'rows: complaints and outages that were deleted or hidden after we stored them (listen recheck finds them)'),
      '28d',
    ),
  )
    .addHelpText(
      'after',
      `
A post is answered by the first brand post that replies to it, or to a customer reply below it, on
the same source (or, on threaded platforms, by a brand post in the thread it opened). Brand posts:
by_brand rows, config brands[].handles, and --handles. Median and p90 are over answered posts.

Example:
  $ listen audit --since 7d --ledger --format csv --bom > waiting.csv
  $ listen audit --all --handles auto-nonnumeric        # the TWCS dataset: companies have names, customers numbers
  $ listen audit --since 7d --agents                    # who answered, how fast; shifts from the config
  $ listen audit --since 7d --vanished                  # critical posts that disappeared, last text kept`,
    )
    .action(async function (this: Command) {
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const flags = this.opts<AuditFlags>()
      const options = parseAuditFlags(flags, ctx)
      if (flags.vanished) {
        const { runVanished } = await import('../../commands/recheck.js')
        print(await runVanished(options, ctx))
        return
      }
      const { runAudit } = await import('../../commands/audit.js')
      print(await runAudit(options, ctx))
    })
}
