// listen demo: the main job, offline. Imports the built-in fixtures (written by us) into a temporary
// database and returns the by-hour report, exactly as `listen import` + `listen report` would.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ByHourModel } from '../report/byHour.js'
import type { CommandContext, Logger } from './context.js'
import { runImport } from './import.js'
import { runReport } from './report.js'
import { configSchema } from '../config/schema.js'

export interface DemoOptions {
  heatmap: boolean
  timezone: string
  root: string
  log: Logger
  env: NodeJS.ProcessEnv
}

/** The fixtures cover four whole weeks in Berlin time, across the end of daylight saving time. */
export const DEMO_WINDOW = { from: '2026-10-12T00:00:00+02:00', until: '2026-11-09T00:00:00+01:00' }

export async function runDemo(o: DemoOptions): Promise<ByHourModel> {
  const dir = mkdtempSync(join(tmpdir(), 'listen-demo-'))
  try {
    const ctx: CommandContext = {
      config: { ...configSchema.parse({}), path: null, database: join(dir, 'demo.db'), timezone: o.timezone, brands: [] },
      timezone: o.timezone,
      now: Date.now(),
      env: o.env,
      log: o.log,
      root: o.root,
    }
    const imported = await runImport({ files: [join(o.root, 'fixtures/demo/mentions.jsonl')] }, { ...ctx, log: { ...o.log, info() {} } })
    o.log.info(`demo: ${imported.totals.inserted} fixture mentions in a temporary database; report in ${o.timezone}`)
    return runReport({ byHour: true, heatmap: o.heatmap, ...DEMO_WINDOW }, ctx)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
