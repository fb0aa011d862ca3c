import type { Command } from 'commander'
import type { LabelOptions } from '../../commands/label.js'
import { UsageError } from '../../models/errors.js'
import { isLabel, LABELS } from '../../models/mention.js'
import { addOutputOptions, type Kit } from '../kit.js'

/** "<source>:<id>"; the id may itself contain colons (Bluesky at:// URIs). */
export function parseMentionRef(ref: string): { source: string; id: string } {
  const i = ref.indexOf(':')
  if (i <= 0 || i === ref.length - 1) {
    throw new UsageError(`label: "${ref}" is not <source>:<id> (e.g. x:1590000000000000000); see listen mentions --format csv for ids`)
  }
  return { source: ref.slice(0, i), id: ref.slice(i + 1) }
}

/** `by` defaults to the login name in the environment. */
export function parseLabelArgs(mention: string, label: string, f: { by?: string | undefined }, env: NodeJS.ProcessEnv): LabelOptions {
  const ref = parseMentionRef(mention)
  const l = label.trim().toLowerCase()
  if (!isLabel(l)) throw new UsageError(`label: unknown label "${label}" (${LABELS.join(', ')})`)
  return { ...ref, label: l, by: f.by?.trim() || env.USER || env.LOGNAME || env.USERNAME || null }
}

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    program
      .command('label')
      .description('record a human correction: it wins over the model and trains the tagger')
      .argument('<mention>', 'the mention as <source>:<id> (see listen mentions --format csv)')
      .argument('<label>', 'outage, complaint, question, praise or other (with --topic: a topic such as billing)')
      .option('--by <name>', 'who corrected it (default $USER)')
      .option('--topic', 'correct the topic instead: the second argument is a topic of the taxonomy (billing, delivery …)'),
  )
    .addHelpText(
      'after',
      `
listen classify and later imports or fetches never replace a human label. Every correction is
kept in the database's label history, and the labelled mention is added to the tagger's training
examples whenever the model is used.

Example:
  $ listen label x:1590000000000000000 outage --by sam
  $ listen label --topic x:1590000000000000000 delivery`,
    )
    .action(async function (this: Command, mention: string, label: string) {
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      if (this.opts<{ topic?: boolean }>().topic) {
        const { runLabelTopic } = await import('../../commands/topics.js')
        return print(await runLabelTopic({ ...parseMentionRef(mention), topic: label }, ctx))
      }
      const { runLabel } = await import('../../commands/label.js')
      print(await runLabel(parseLabelArgs(mention, label, this.opts<{ by?: string }>(), ctx.env), ctx))
    })
}
