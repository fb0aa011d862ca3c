import type { Command } from 'commander'
import type { QueueOptions } from '../../commands/queue.js'
import { ExitError, UsageError } from '../../models/errors.js'
import { QUEUE_LABELS, type QueueLabel, type QueueModel } from '../../models/queue.js'
import { parseBackFlag, parseDurationFlag, parseInstantFlag } from '../../time/window.js'
import { limitFlag, splitList } from '../flags.js'
import { addOutputOptions, collect, type Kit } from '../kit.js'

export interface QueueFlags {
  at?: string | undefined
  since?: string | undefined
  source?: string[] | undefined
  brand?: string[] | undefined
  label?: string[] | undefined
  handles?: string | undefined
  limit?: string | number | undefined
  watch?: boolean | undefined
  interval?: string | undefined
  failOnBreach?: boolean | undefined
}

export function parseQueueLabels(values: string[] | undefined): QueueLabel[] {
  const list = splitList(values)
  if (!list?.length) return [...QUEUE_LABELS]
  for (const l of list) {
    if (!(QUEUE_LABELS as readonly string[]).includes(l)) {
      throw new UsageError(`--label: ${JSON.stringify(l)} is not a queue label; expected one of ${QUEUE_LABELS.join(', ')} (praise and other need no answer)`)
    }
  }
  return QUEUE_LABELS.filter((l) => list.includes(l))
}

/** The posts of the last --since (default 24h) before --at (default now). */
export function parseQueueFlags(f: QueueFlags, ctx: { timezone: string; now: number }): QueueOptions {
  if (f.watch && f.at) throw new UsageError('--watch shows the queue now; it cannot be combined with --at')
  const at = f.at ? parseInstantFlag(f.at, '--at', ctx.timezone) : ctx.now
  return {
    at,
    from: parseBackFlag(f.since ?? '24h', '--since', ctx.timezone, at),
    sources: splitList(f.source),
    brands: splitList(f.brand),
    labels: parseQueueLabels(f.label),
    handles: f.handles,
    limit: limitFlag(f.limit, 50),
  }
}

function breachError(m: QueueModel): ExitError | null {
  if (!m.breached) return null
  return new ExitError(`${m.breached} post${m.breached === 1 ? '' : 's'} past the SLA without an answer`, 3)
}

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    program
      .command('queue')
      .description('unanswered customer posts that need an answer, most urgent first, with the time left to the SLA')
      .option('--at <when>', 'work the queue out as of this instant (default now)')
      .option('--since <when>', 'posts of this long before --at, or since a date (default 24h; older waiting posts: listen audit --ledger)')
      .option('--source <name>', 'only this source (repeatable or comma-separated)', collect)
      .option('--brand <name>', 'only this brand (repeatable or comma-separated)', collect)
      .option('--label <label>', 'only this label: outage, complaint, question, untagged (repeatable or comma-separated)', collect)
      .option('--handles <list>', 'brand handles on every source, comma-separated; auto-nonnumeric = authors whose id is not all digits')
      .option('--limit <n>', 'at most n posts, 0 = all (default 50)')
      .option('--watch', 'on a terminal: show the queue again every --interval (from the database, no network) until Ctrl-C')
      .option('--interval <duration>', 'with --watch: time between refreshes (default 30s)')
      .option('--fail-on-breach', 'exit 3 when a post in the queue is past its SLA (after printing it)'),
  )
    .addHelpText(
      'after',
      `
Order: outage, complaint, question, untagged; within a label a post whose author still waits on an
earlier post, or whose thread has grown, comes first; then the oldest. SLA per label from the
config ("sla": {"complaint": "30m"}; 60m each by default). Flag DM: the post shows personal data
(masked in the text), answer in a private channel.
Exit codes: 0 ok, 1 failure, 2 bad flags, 3 a post is past its SLA (with --fail-on-breach).

Examples:
  $ listen queue --label outage,complaint --limit 20
  $ listen queue --fail-on-breach --format json > queue.json   # cron / monitoring
  $ listen queue --watch --interval 1m`,
    )
    .action(async function (this: Command) {
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const { runQueue } = await import('../../commands/queue.js')
      const flags = this.opts<QueueFlags>()
      const options = parseQueueFlags(flags, ctx)
      if (!flags.watch) {
        const model = await runQueue(options, ctx)
        print(model)
        if (flags.failOnBreach) {
          const e = breachError(model)
          if (e) throw e
        }
        return
      }
      if (!kit.io.stdout.isTTY) throw new UsageError('--watch needs a terminal; from cron or a pipe run listen queue without it (e.g. with --fail-on-breach)')
      const every = parseDurationFlag(flags.interval ?? '30s', '--interval')
      const back = options.at - options.from
      let stopped = false
      let wake: (() => void) | null = null
      let timer: NodeJS.Timeout | undefined
      const stop = () => {
        stopped = true
        clearTimeout(timer)
        wake?.()
      }
      process.once('SIGINT', stop)
      try {
        while (!stopped) {
          const at = kit.now()
          const model = await runQueue({ ...options, at, from: flags.since && /\d{4}-/.test(flags.since) ? options.from : at - back }, ctx)
          kit.io.stdout.write('\x1b[2J\x1b[H')
          print(model)
          kit.io.stderr.write(`refreshing every ${flags.interval ?? '30s'}; Ctrl-C to stop\n`)
          await new Promise<void>((resolve) => {
            wake = resolve
            timer = setTimeout(resolve, every)
          })
        }
      } finally {
        process.off('SIGINT', stop)
      }
    })
}
