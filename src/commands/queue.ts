// listen queue: the unanswered customer posts that need an answer, most urgent first, with the
// time left to each label's SLA and a DM flag where the post shows personal data.
import { DEFAULT_SLA_MS, rankQueue } from '../care/queue.js'
import type { LabelKey } from '../models/mention.js'
import { QUEUE_LABELS, type QueueItem, type QueueLabel, type QueueModel } from '../models/queue.js'
import { resolveBrandMatcher } from '../report/audit.js'
import { withStore } from '../store/open.js'
import { parseDuration } from '../time/parse.js'
import { storeAuth, type CommandContext } from './context.js'
import { loadPiiMasker } from './pii-masks.js'

/** Typed and checked by the CLI (cli/commands/queue.ts parseQueueFlags). */
export interface QueueOptions {
  /** The instant the queue is worked out for (default now). */
  at: number
  from: number
  sources?: string[] | undefined
  brands?: string[] | undefined
  labels: QueueLabel[]
  handles?: string | undefined
  /** At most this many rows; 0 = all. */
  limit: number
}

/** Minutes per label from the config's `sla` (each 60 by default). */
export function slaOf(config: CommandContext['config']): Record<QueueLabel, number> {
  const out = {} as Record<QueueLabel, number>
  for (const l of QUEUE_LABELS) {
    const text = config.sla?.[l]
    out[l] = text ? parseDuration(text)! : DEFAULT_SLA_MS
  }
  return out
}

const minutes = (ms: number) => Math.floor(ms / 60_000)

export async function runQueue(o: QueueOptions, ctx: CommandContext): Promise<QueueModel> {
  const sla = slaOf(ctx.config)
  const brand = resolveBrandMatcher(ctx.config.brands, o.handles, o.brands)
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: false, readonly: true }, async (store) => {
    const scope = { from: o.from, until: o.at, sources: o.sources, brands: o.brands, labels: o.labels as LabelKey[], brand }
    const ranked = rankQueue(await store.queue.openPosts(scope), o.at, sla)
    const shown = o.limit ? ranked.slice(0, o.limit) : ranked
    const masker = shown.some((r) => r.post.pii) ? await loadPiiMasker(ctx.config.pii) : null
    const items = shown.map((r, i): QueueItem => {
      const p = r.post
      // Masks come from the text now: the store keeps only the kinds.
      const findings = p.pii && masker ? masker.findings(p.text) : []
      return {
        rank: i + 1,
        source: p.source,
        id: p.id,
        brand: p.brand,
        createdAt: new Date(p.createdAt).toISOString(),
        author: p.author,
        label: r.label,
        topic: p.topic,
        text: (masker ? masker.maskText(p.text, findings) : p.text).replace(/\s+/g, ' ').trim(),
        url: p.url,
        ageMinutes: minutes(r.ageMs),
        slaMinutes: minutes(r.slaMs),
        slaLeftMinutes: Math.ceil(r.slaLeftMs / 60_000),
        breached: r.breached,
        flags: p.pii ? ['DM'] : [],
        pii: p.pii ? p.pii.split(',') : [],
        piiMasked: masker ? findings.map((f) => masker.mask(p.text, f)) : [],
        authorWaiting: r.authorWaiting,
        replies: p.replies,
      }
    })
    return {
      kind: 'queue',
      timezone: ctx.timezone,
      at: new Date(o.at).toISOString(),
      window: { from: new Date(o.from).toISOString(), until: new Date(o.at).toISOString() },
      sla: Object.fromEntries(QUEUE_LABELS.map((l) => [l, minutes(sla[l])])) as Record<QueueLabel, number>,
      total: ranked.length,
      shown: items.length,
      breached: ranked.filter((r) => r.breached).length,
      brandPostsKnown: await store.queue.hasBrandPosts(o.from, scope),
      items,
    }
  })
}
