import type { Command } from 'commander'
import type { AlertsOptions } from '../../commands/alerts.js'
import { ExitError, UsageError } from '../../models/errors.js'
import { parseDurationFlag, parseInstantFlag } from '../../time/window.js'
import { numberFlag, splitList, urlFlag } from '../flags.js'
import { addOutputOptions, collect, type Kit, VERSION } from '../kit.js'

export interface AlertsFlags {
  window?: string | undefined
  at?: string | undefined
  weeks?: string | number | undefined
  p?: string | number | undefined
  min?: string | number | undefined
  cooldown?: string | undefined
  brand?: string[] | undefined
  webhook?: string | undefined
  dryRun?: boolean | undefined
}

export function parseAlertsFlags(f: AlertsFlags, ctx: { timezone: string; now: number }): Omit<AlertsOptions, 'version' | 'dispatcher' | 'webhookTimeoutMs'> {
  const windowText = f.window ?? '15m'
  const windowMs = parseDurationFlag(windowText, '--window')
  if (windowMs > 24 * 3_600_000) throw new UsageError(`--window: at most 24h (got ${windowText}); the baseline compares hours of the week`)
  const cooldownText = f.cooldown ?? '60m'
  return {
    window: { ms: windowMs, text: windowText },
    at: f.at ? parseInstantFlag(f.at, '--at', ctx.timezone) : ctx.now,
    weeks: numberFlag(f.weeks, '--weeks', 4, (n) => Number.isInteger(n) && n >= 1 && n <= 52, 'a whole number of weeks from 1 to 52'),
    p: numberFlag(f.p, '--p', 0.001, (n) => n > 0 && n < 1, 'a probability between 0 and 1, e.g. 0.001'),
    min: numberFlag(f.min, '--min', 5, (n) => Number.isInteger(n) && n >= 1, 'a whole number of posts ≥ 1'),
    cooldown: { ms: /^\s*0+\s*[a-z]*\s*$/i.test(cooldownText) ? 0 : parseDurationFlag(cooldownText, '--cooldown'), text: cooldownText },
    brands: splitList(f.brand),
    webhook: urlFlag(f.webhook, '--webhook', 'https://hooks.slack.com/services/…'),
    dryRun: Boolean(f.dryRun),
  }
}

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    program
      .command('alerts')
      .description('outage and complaint storms: posts per brand in the last minutes against the same hour of previous weeks (made for cron)')
      .option('--window <duration>', 'how far back from now to count (default 15m)')
      .option('--at <date>', 'evaluate this past instant instead of now (replays; ISO 8601)')
      .option('--weeks <n>', 'baseline: the same hours of the week in this many previous weeks (default 4)')
      .option('--p <probability>', 'fire when P(count or more | baseline) is below this (default 0.001)')
      .option('--min <n>', 'and only with at least this many posts (default 5)')
      .option('--cooldown <duration>', 'no repeat for the same brand and kind within this time; 0 = off (default 60m)')
      .option('--brand <name>', 'only this brand (repeatable or comma-separated)', collect)
      .option('--webhook <url>', 'post alerts as a Slack-compatible JSON message (text + blocks)')
      .option('--fail-on-alert', 'exit 3 when an alert fired (after printing it)')
      .option('--dry-run', 'evaluate only: record no alert (no cooldown), post nothing'),
  )
    .addHelpText(
      'after',
      `
Counts customer posts labelled outage and complaint (brand replies and brand handles left out).
The expected count is the mean rate in the same local hours of the week over --weeks × the window;
the tail is Poisson, or negative binomial when the weekly counts vary more than Poisson allows
(said in the "model" column). Weeks before the data starts, or with fetch holes, are left out.
Each alert names its top terms, three example posts and its platforms; one platform alone is
flagged as a possible raid. Alerts are recorded in the database for the cooldown. A failed webhook
post is reported on stderr (exit 1), kept as undelivered and re-posted by the next run. Each post
carries an Idempotency-Key (and alert_ids in the body): receivers should drop repeats.
Exit codes: 0 ok, 1 webhook failed, 2 bad flags, 3 an alert fired (with --fail-on-alert).

Example:
  $ listen alerts                                   # cron: */5 * * * * cd ~/care && listen fetch && listen alerts --fail-on-alert
  $ listen alerts --webhook "$SLACK_WEBHOOK_URL" --format json
  $ listen alerts --at 2026-11-03T19:45+01:00 --dry-run   # what would have fired then`,
    )
    .action(async function (this: Command) {
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const o = this.opts<AlertsFlags & { failOnAlert?: boolean }>()
      const { runAlerts } = await import('../../commands/alerts.js')
      const model = await runAlerts({ ...parseAlertsFlags(o, ctx), version: VERSION }, ctx)
      print(model)
      if (model.delivery.status === 'failed') {
        throw new ExitError(`webhook failed: ${model.delivery.error}; ${model.delivery.alerts} alert(s) kept as undelivered, retried on the next run`, 1)
      }
      if (model.delivery.status === 'unknown') {
        throw new ExitError(`webhook gave no answer in time: ${model.delivery.error}; ${model.delivery.alerts} alert(s) kept as undelivered, sent again on the next run with the same Idempotency-Key`, 1)
      }
      if (o.failOnAlert && model.fired) {
        const which = model.evaluations.filter((e) => e.status === 'fired').map((e) => `${e.kind}${e.topic ? ` (${e.topic})` : ""} ${e.brand} (${e.count} posts)`)
        throw new ExitError(`${model.fired} alert(s) fired: ${which.join(', ')}`, 3)
      }
    })
}
