// listen report --by-hour: hourly volume in the report zone over a window.
import { summarizeByHour, type ByHourModel } from '../report/byHour.js'
import { openDb } from '../store/db.js'
import { MentionStore } from '../store/mentions.js'
import { resolveWindow } from '../time/window.js'
import type { CommandContext } from './context.js'
import { splitList } from './mentions.js'

export interface ReportOptions {
  byHour?: boolean
  heatmap?: boolean
  since?: string | undefined
  from?: string | undefined
  until?: string | undefined
  source?: string[] | undefined
  brand?: string[] | undefined
}

export function runReport(o: ReportOptions, ctx: CommandContext): ByHourModel {
  const window = resolveWindow(o, ctx.timezone, ctx.now, '28d')
  const db = openDb(ctx.config.database, { create: false, readonly: true })
  try {
    const store = new MentionStore(db)
    const sources = splitList(o.source)
    const brands = splitList(o.brand)
    const buckets = store.countByQuarterHour({ ...window, sources, brands })
    return summarizeByHour(buckets, {
      timezone: ctx.timezone,
      ...window,
      heatmap: o.heatmap ?? false,
      sources: sources ?? [],
      brands: brands ?? [],
    })
  } finally {
    db.close()
  }
}
