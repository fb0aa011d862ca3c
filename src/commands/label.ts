// listen label <source>:<id> <label>: a human correction. It wins over the model (classify and
// re-imports never replace it) and becomes a training example for the tagger.
import type { Label } from '../models/mention.js'
import type { LabelModel } from '../models/tagger.js'
import { withStore } from '../store/open.js'
import { storeAuth, type CommandContext } from './context.js'

/** Typed and checked by the CLI (cli/commands/label.ts parseLabelArgs). */
export interface LabelOptions {
  source: string
  id: string
  label: Label
  /** Who corrected it; null = unknown. */
  by: string | null
}

export async function runLabel(o: LabelOptions, ctx: CommandContext): Promise<LabelModel> {
  const { source, id, label, by } = o
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: false }, async (store) => {
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
