// listen mentions: list stored mentions with filters.
import { UsageError } from '../models/errors.js'
import { withStore } from '../store/open.js'
import { parseDurationFlag, parseInstantFlag } from '../time/window.js'
import { isLabel, type Label } from '../models/mention.js'
import type { CommandContext } from './context.js'
import type { MentionsModel } from '../models/ingest.js'
import { splitList } from '../lib/list.js'

export interface MentionsOptions {
  from?: string | undefined
  until?: string | undefined
  since?: string | undefined
  source?: string[] | undefined
  brand?: string[] | undefined
  label?: string[] | undefined
  search?: string | undefined
  limit?: number | undefined
}

export function parseLabels(values: string[] | undefined, flag = '--label'): Label[] | undefined {
  if (!values?.length) return undefined
  return values.flatMap((v) => v.split(',')).map((v) => {
    const t = v.trim()
    if (!isLabel(t)) throw new UsageError(`${flag}: unknown label "${t}" (outage, complaint, question, praise, other)`)
    return t
  })
}

export async function runMentions(o: MentionsOptions, ctx: CommandContext): Promise<MentionsModel> {
  if (o.since && o.from) throw new UsageError('--since cannot be combined with --from')
  const from = o.from
    ? parseInstantFlag(o.from, '--from', ctx.timezone)
    : o.since
      ? ctx.now - parseDurationFlag(o.since, '--since')
      : undefined
  const until = o.until ? parseInstantFlag(o.until, '--until', ctx.timezone) : undefined
  const limit = o.limit ?? 100
  if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit: expected a whole number ≥ 0, got ${o.limit}`)
  return withStore(ctx.config.database, { create: false, readonly: true }, async (store) => {
    const filter = {
      from,
      until,
      sources: splitList(o.source),
      brands: splitList(o.brand),
      labels: parseLabels(o.label),
      search: o.search,
    }
    const rows = await store.mentions.listMentions({ ...filter, limit: limit || undefined })
    const total = limit && rows.length === limit ? await store.mentions.count(filter) : rows.length
    return {
      kind: 'mentions',
      timezone: ctx.timezone,
      total,
      shown: rows.length,
      mentions: rows.map((m) => ({
        ...m,
        createdAt: new Date(m.createdAt).toISOString(),
        fetchedAt: new Date(m.fetchedAt).toISOString(),
      })),
    }
  })
}
