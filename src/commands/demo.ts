// listen demo: the main job, offline. Fetches the built-in recorded responses (written by us:
// fixtures/demo/replay, see scripts/make-demo-fixtures.mjs) through the real adapters and HTTP
// client into a temporary database, then returns the by-hour report, exactly as `listen fetch
// --replay` + `listen report --by-hour` would.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../config/load.js'
import type { ByHourModel, DemoInfo } from '../models/byhour.js'
import { ExitError } from '../models/errors.js'
import type { HelpArticlesModel, RecheckModel } from '../models/care.js'
import type { FetchModel } from '../models/fetch.js'
import { DEFAULT_STAFFING_LABELS, resolveStaffing } from '../report/staffing.js'
import { resolveWindow } from '../time/window.js'
import type { CommandContext, Logger } from './context.js'
import { runFetch } from './fetch.js'
import { runHelpImport } from './help-articles.js'
import { runRecheck } from './recheck.js'
import { type ReportOptions, runReport } from './report.js'

export interface DemoOptions {
  heatmap: boolean
  timezone: string
  root: string
  log: Logger
  /** For the User-Agent the replayed requests carry. */
  version?: string | undefined
}

/** The fixtures cover four whole weeks in Berlin time, across the end of daylight saving time. */
export const DEMO_WINDOW = { from: '2026-10-12T00:00:00+02:00', until: '2026-11-09T00:00:00+01:00' }

export const DEMO_DIR = 'fixtures/demo'

/**
 * The dummy credentials the demo config names (fixtures/demo/listen.config.json): the replay answers
 * every request, so they only have to be present. The demo runs on these alone: the user's real
 * environment (and its tokens) never reaches it.
 */
export const DEMO_ENV: Readonly<Record<string, string>> = {
  LISTEN_DEMO_REDDIT_CLIENT_ID: 'demo-client',
  LISTEN_DEMO_REDDIT_CLIENT_SECRET: 'demo-secret',
  LISTEN_DEMO_BLUESKY_IDENTIFIER: 'listen-demo.bsky.social',
  LISTEN_DEMO_BLUESKY_APP_PASSWORD: 'demo-app-password',
  LISTEN_DEMO_FACEBOOK_PAGE_TOKEN: 'demo-page-token',
}

export interface DemoRun {
  report: ByHourModel
  fetch: FetchModel
}

/** Fetches the recorded fixtures through the adapters into `database` and reports on them. */
export async function runDemoFetch(o: DemoOptions, database: string, kept = false): Promise<DemoRun> {
  const dir = join(o.root, DEMO_DIR)
  const ctx = await demoContext(o, database)
  const fetched = await runFetch(
    // full: a database kept from an earlier demo has cursors; the recordings answer only the walk from the start.
    { replay: join(dir, 'replay'), sinceMs: 29 * 86_400_000, maxPages: 50, full: true, dryRun: false, maxWaitMs: 60_000, waitMs: 0, tag: true, version: o.version ?? 'demo' },
    ctx,
  )
  const failed = fetched.sources.filter((s) => s.status !== 'ok')
  // The fixtures are ours: a failure here is a bug in them or in an adapter, never the user's doing.
  if (failed.length) throw new ExitError(`demo fixtures did not replay cleanly: ${failed.map((s) => `${s.source} ${s.status}: ${s.error}`).join('; ')}`)
  const saved = fetched.totals.new + fetched.totals.updated
  o.log.info(`demo: ${saved} mentions fetched from recorded ${fetched.sources.map((s) => s.source).join(', ')} responses into ${kept ? database : 'a temporary database'}; report in ${o.timezone}`)
  return { fetch: fetched, report: await runReport(demoReportOptions(ctx, Boolean(o.heatmap)), ctx) }
}

export interface DemoCare {
  articles: HelpArticlesModel
  recheck: RecheckModel
}

/**
 * The care desk's part of a kept demo database: the demo help centre (so questions in queue and
 * mentions carry an article) and a recheck of the Mastodon posts as of the window's end (so
 * audit --vanished has the deleted complaint), as `listen help-articles import` and
 * `listen recheck --replay … --at …` would. Run again, both leave the database as it is.
 */
export async function runDemoCare(o: DemoOptions, database: string): Promise<DemoCare> {
  const dir = join(o.root, DEMO_DIR)
  const ctx = await demoContext(o, database)
  const version = o.version ?? 'demo'
  const articles = await runHelpImport({ source: join(dir, 'care', 'help-articles.jsonl'), version, maxPages: 500 }, ctx)
  // Mastodon is the platform the recordings answer lookups for (scripts/make-demo-recheck.mjs).
  const recheck = await runRecheck(
    { sources: ['mastodon'], sinceMs: 7 * 86_400_000, limit: 0, maxWaitMs: 60_000, waitMs: 0, version, replay: join(dir, 'replay'), at: ctx.now },
    ctx,
  )
  const failed = recheck.sources.filter((s) => s.status !== 'checked')
  if (failed.length) throw new ExitError(`demo recheck recordings did not replay cleanly: ${failed.map((s) => `${s.source} ${s.status}: ${s.error}`).join('; ')}`)
  const sum = (k: 'checked' | 'vanished' | 'edited') => recheck.sources.reduce((n, s) => n + s[k], 0)
  o.log.info(
    `demo: ${articles.articles.length} help articles imported; ${sum('checked')} Mastodon posts rechecked (${sum('vanished')} vanished, ${sum('edited')} edited) as of ${DEMO_WINDOW.until}`,
  )
  return { articles, recheck }
}

async function demoContext(o: DemoOptions, database: string): Promise<CommandContext> {
  const dir = join(o.root, DEMO_DIR)
  const config = await loadConfig({ config: join(dir, 'listen.config.json'), db: database }, {}, o.root)
  return {
    config: { ...config, timezone: o.timezone },
    timezone: o.timezone,
    // The fixtures end with the window: "now" is its end, so a 29-day --since reaches its start.
    now: Date.parse(DEMO_WINDOW.until),
    env: { ...DEMO_ENV },
    log: o.log,
    root: o.root,
  }
}

/** The by-hour report over the fixtures' four weeks, with the demo config's staffing section. */
function demoReportOptions(ctx: CommandContext, heatmap: boolean): ReportOptions {
  return {
    window: resolveWindow(DEMO_WINDOW, ctx.timezone, ctx.now, '28d'),
    heatmap,
    staffing: resolveStaffing(ctx.config.staffing, {}),
    labels: [...DEFAULT_STAFFING_LABELS],
  }
}

/** `database`: --db, kept afterwards; without it a temporary database, deleted again. */
export async function runDemo(o: DemoOptions & { database?: string | undefined }): Promise<ByHourModel & { demo: DemoInfo }> {
  if (o.database) {
    const { report } = await runDemoFetch(o, o.database, true)
    // Only a kept database is tried further: the care desk's steps don't change the report.
    await runDemoCare(o, o.database)
    return { ...report, demo: { database: o.database, kept: true, window: DEMO_WINDOW } }
  }
  const dir = mkdtempSync(join(tmpdir(), 'listen-demo-'))
  try {
    const { report } = await runDemoFetch(o, join(dir, 'demo.db'))
    return { ...report, demo: { database: null, kept: false, window: DEMO_WINDOW } }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

