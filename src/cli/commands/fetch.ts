import type { Command } from 'commander'
import type { FetchOptions } from '../../commands/fetch.js'
import { ExitError, UsageError } from '../../models/errors.js'
import { parseBackFlag, parseDurationFlag } from '../../time/window.js'
import { numberFlag, splitList } from '../flags.js'
import { addOutputOptions, collect, type Kit, VERSION } from '../kit.js'

export interface FetchFlags {
  source?: string[] | undefined
  brand?: string[] | undefined
  since?: string | undefined
  full?: boolean | undefined
  force?: boolean | undefined
  dryRun?: boolean | undefined
  maxWait?: string | undefined
  wait?: string | undefined
  timeout?: string | undefined
  maxPages?: string | number | undefined
  concurrency?: string | number | undefined
  replay?: string | undefined
  /** --no-tag makes it false. */
  tag?: boolean | undefined
}

const wholeAtLeastOne = (n: number) => Number.isInteger(n) && n >= 1

/** `ctx` places a --since date (2026-11-01) relative to now. */
export function parseFetchFlags(f: FetchFlags, ctx: { timezone: string; now: number } = { timezone: 'UTC', now: Date.now() }): Omit<FetchOptions, 'version'> {
  const sinceMs = ctx.now - parseBackFlag(f.since ?? '7d', '--since', ctx.timezone, ctx.now)
  if (sinceMs <= 0) throw new UsageError(`--since: ${f.since} is not in the past`)
  return {
    sources: splitList(f.source),
    brands: splitList(f.brand),
    sinceMs,
    full: Boolean(f.full),
    force: Boolean(f.force),
    dryRun: Boolean(f.dryRun),
    maxWaitMs: parseDurationFlag(f.maxWait ?? '60s', '--max-wait'),
    waitMs: f.wait ? parseDurationFlag(f.wait, '--wait') : 0,
    timeoutMs: f.timeout ? parseDurationFlag(f.timeout, '--timeout') : undefined,
    maxPages: numberFlag(f.maxPages, '--max-pages', 10, wholeAtLeastOne, 'a whole number ≥ 1'),
    concurrency: f.concurrency === undefined ? undefined : numberFlag(f.concurrency, '--concurrency', 1, wholeAtLeastOne, 'a whole number ≥ 1'),
    replay: f.replay,
    tag: f.tag !== false,
  }
}

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    program
      .command('fetch')
      .description('pull new mentions from every enabled source into the database (made for cron)')
      .option('--source <name>', 'only this source (repeatable or comma-separated)', collect)
      .option('--brand <name>', 'only this brand (repeatable or comma-separated)', collect)
      .option('--since <when>', 'how far back a first run (or --full) reaches: a duration or a date, e.g. 2d or 2026-11-01 (default 7d)')
      .option('--full', 're-walk from --since, ignoring the saved cursors')
      .option('--force', 'ask sources an earlier rate limit deferred, before the time the API named')
      .option('--dry-run', 'print the plan: sources, queries, cursors, credentials (names only); fetch nothing')
      .option('--max-wait <duration>', 'longest rate-limit wait; a longer one defers the source to the next run (default 60s)')
      .option('--wait <duration>', 'if another fetch is running, wait this long for it (default: exit at once)')
      .option('--timeout <duration>', 'longest wait for a response and between parts of its body (default 30s)')
      .option('--max-pages <n>', 'page cap per brand query and source (default 10)')
      .option('--concurrency <n>', 'sources fetched at once (default: all; each host still gets at most 2 requests at once)')
      .option('--replay <dir>', 'answer requests from recorded responses in DIR (offline demos, bug reports)')
      .option('--no-tag', 'do not tag mentions on the way in (listen classify can do it later)'),
  )
    .addHelpText(
      'after',
      `
Each page is saved in its own transaction; a query's cursor moves only when its walk completes.
One failing source never stops the others. Exit 1 if any source failed (summary on stderr).
A source deferred by a rate limit is not asked again before its reset (--force asks anyway).
Where a platform cannot search with the brand query, it is checked on what comes back; posts in
languages other than brands[].languages are not saved (the summary counts them).
Credentials come from environment variables named in the config (listen sources shows which).

Examples:
  $ listen fetch                                   # cron: */15 * * * * cd ~/care && listen fetch
  $ listen fetch --source mastodon --since 2d --dry-run
  $ listen fetch --replay fixtures --source hackernews`,
    )
    .action(async function (this: Command) {
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const o = this.opts<FetchFlags>()
      const { runFetch } = await import('../../commands/fetch.js')
      const model = await runFetch({ ...parseFetchFlags(o, ctx), version: VERSION }, ctx)
      print(model)
      const { droppedText } = await import('../../render/views-fetch.js')
      for (const s of model.sources) {
        const notSaved = droppedText(s.dropped)
        if (s.status === 'ok') ctx.log.info(`${s.source}: ok, ${s.new} new, ${s.updated} updated, ${s.pages} pages, ${(s.durationMs / 1000).toFixed(1)} s${notSaved ? `; not saved: ${notSaved}` : ''}`)
        else if (s.status === 'deferred') ctx.log.warn(`${s.source}: deferred to the next run: ${s.error}`)
        else if (s.status === 'failed') ctx.log.warn(`${s.source}: FAILED: ${s.error}`)
      }
      if (!model.dryRun) {
        const pages = model.sources.reduce((n, s) => n + s.pages, 0)
        ctx.log.info(`fetch: ${model.totals.new} new, ${model.totals.updated} updated, ${pages} pages from ${model.sources.length} sources (${model.totals.failed} failed, ${model.totals.deferred} deferred)`)
      }
      if (model.totals.failed) {
        throw new ExitError(`${model.totals.failed} of ${model.sources.length} sources failed; the others were saved`, 1)
      }
    })
}
