// listen label <source>:<id> <label>: a human correction. It wins over the model (classify and
// re-imports never replace it) and becomes a training example for the tagger.
import { UsageError } from '../models/errors.js'
import { withStore } from '../store/open.js'
import { LABELS, isLabel } from '../models/mention.js'
import type { CommandContext } from './context.js'
import type { LabelModel } from '../models/tagger.js'

export interface LabelOptions {
  /** "<source>:<id>"; the id may itself contain colons (Bluesky at:// URIs). */
  mention: string
  label: string
  by?: string | undefined
}

export function parseMentionRef(ref: string): { source: string; id: string } {
  const i = ref.indexOf(':')
  if (i <= 0 || i === ref.length - 1) {
    throw new UsageError(`label: "${ref}" is not <source>:<id> (e.g. x:1590000000000000000); see listen mentions --format csv for ids`)
  }
  return { source: ref.slice(0, i), id: ref.slice(i + 1) }
}

export async function runLabel(o: LabelOptions, ctx: CommandContext): Promise<LabelModel> {
  const { source, id } = parseMentionRef(o.mention)
  const label = o.label.trim().toLowerCase()
  if (!isLabel(label)) throw new UsageError(`label: unknown label "${o.label}" (${LABELS.join(', ')})`)
  const by = o.by?.trim() || ctx.env.USER || ctx.env.LOGNAME || ctx.env.USERNAME || null
  return withStore(ctx.config.database, { create: false }, async (store) => {
    const r = await store.models.saveHumanLabel(source, id, label, by, ctx.now)
    return {
      kind: 'label',
      database: ctx.config.database,
      source,
      id,
      label,
      previousLabel: r.previous.label,
      previousSource: r.previous.labelSource,
      by,
      at: new Date(ctx.now).toISOString(),
      text: r.text,
    }
  })
}
