import type { Command } from 'commander'
import type { RecheckOptions } from '../../commands/recheck.js'
import { ExitError } from '../../models/errors.js'
import { parseDurationFlag, parseInstantFlag } from '../../time/window.js'
import { limitFlag, splitList } from '../flags.js'
import { addOutputOptions, collect, type Kit, VERSION } from '../kit.js'

export interface RecheckFlags {
  source?: string[] | undefined
  since?: string | undefined
  limit?: string | undefined
  maxWait?: string | undefined
  wait?: string | undefined
  replay?: string | undefined
  at?: string | undefined
}

export function parseRecheckFlags(f: RecheckFlags, ctx: { timezone: string }): Omit<RecheckOptions, 'version'> {
  return {
    sources: splitList(f.source),
    sinceMs: parseDurationFlag(f.since ?? '7d', '--since'),
    limit: limitFlag(f.limit, 1000),
    maxWaitMs: parseDurationFlag(f.maxWait ?? '60s', '--max-wait'),
    waitMs: f.wait ? parseDurationFlag(f.wait, '--wait') : 0,
    replay: f.replay,
    at: f.at ? parseInstantFlag(f.at, '--at', ctx.timezone) : undefined,
  }
}

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    program
      .command('recheck')
      .description('look recent posts up again by id: record the ones deleted, hidden or edited (never deletes anything)')
      .option('--source <name>', 'only this source (repeatable or comma-separated; default: the sources enabled in the config)', collect)
      .option('--since <duration>', 'posts created this long ago at most (default 7d, at most 30d)')
      .option('--limit <n>', 'posts looked up at most in this run; the rest go first next run (default 1000, 0 = all)')
      .option('--max-wait <duration>', 'longest rate-limit wait; a longer one ends the source for this run (default 60s)')
      .option('--wait <duration>', 'if another recheck is running, wait this long for it (default: exit at once)')
      .option('--replay <dir>', 'answer requests from recorded responses in this directory (demo, tests)')
      .option('--at <date>', 'check as of this past instant instead of now (replays; ISO 8601)'),
  )
    .addHelpText(
      'after',
      `
Each post is looked up when first due, then 1h, 3h, 12h, 1d, 3d and 7d after the check before,
until it is 30 days old: a cron every 15 minutes costs few requests. A post that is gone keeps its
row and last text; listen audit --vanished lists the critical ones. RSS cannot say (reported as such).

Example:
  $ listen recheck --since 3d                       # cron: */15 * * * * listen recheck
  $ listen audit --vanished --since 7d`,
    )
    .action(async function (this: Command) {
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const { runRecheck } = await import('../../commands/recheck.js')
      const model = await runRecheck({ ...parseRecheckFlags(this.opts<RecheckFlags>(), ctx), version: VERSION }, ctx)
      print(model)
      const failed = model.sources.filter((s) => s.status === 'failed')
      if (failed.length) throw new ExitError(`${failed.length} of ${model.sources.length} sources failed (${failed.map((s) => s.source).join(', ')}); the others were saved`, 1)
    })
}
