import type { Command } from 'commander'
import type { LabelInputOptions, LabelNextOptions, LabelOptions } from '../../commands/label.js'
import { UsageError } from '../../models/errors.js'
import type { Uncertainty } from '../../models/label.js'
import { isLabel, LABELS } from '../../models/mention.js'
import { detectFormat } from '../../ingest/format.js'
import { limitFlag, numberFlag, splitList } from '../flags.js'
import { addOutputOptions, collect, type Kit } from '../kit.js'

/** "<source>:<id>"; the id may itself contain colons (Bluesky at:// URIs). */
export function parseMentionRef(ref: string): { source: string; id: string } {
  const i = ref.indexOf(':')
  if (i <= 0 || i === ref.length - 1) {
    throw new UsageError(`label: "${ref}" is not <source>:<id> (e.g. x:1590000000000000000); see listen mentions --format csv for ids`)
  }
  return { source: ref.slice(0, i), id: ref.slice(i + 1) }
}

const whoFrom = (by: string | undefined, env: NodeJS.ProcessEnv) => by?.trim() || env.USER || env.LOGNAME || env.USERNAME || null

/** `by` defaults to the login name in the environment. */
export function parseLabelArgs(mention: string, label: string, f: { by?: string | undefined }, env: NodeJS.ProcessEnv): LabelOptions {
  const ref = parseMentionRef(mention)
  const l = label.trim().toLowerCase()
  if (!isLabel(l)) throw new UsageError(`label: unknown label "${label}" (${LABELS.join(', ')})`)
  return { ...ref, label: l, by: whoFrom(f.by, env) }
}

export interface LabelFlags {
  by?: string
  next?: string | boolean
  input?: string
  inputFormat?: string
  skipUnknown?: boolean
  strategy?: string
  pool?: string
  source?: string[]
  brand?: string[]
  retrainEvery?: string
}

export const DEFAULT_NEXT = 20
export const DEFAULT_RETRAIN_EVERY = 20
const ALL = Number.MAX_SAFE_INTEGER

export function parseLabelNextFlags(f: LabelFlags, defaultPool: number): LabelNextOptions {
  const n = f.next === undefined || f.next === true ? DEFAULT_NEXT : numberFlag(f.next as string, '--next', DEFAULT_NEXT, (x) => Number.isInteger(x) && x >= 1, 'a whole number ≥ 1')
  const strategy = (f.strategy ?? 'margin').trim().toLowerCase()
  if (strategy !== 'margin' && strategy !== 'entropy') throw new UsageError(`--strategy: expected margin or entropy, got "${f.strategy}"`)
  const pool = limitFlag(f.pool, defaultPool, '--pool')
  return { n, strategy: strategy as Uncertainty, pool: pool === 0 ? ALL : pool, sources: splitList(f.source), brands: splitList(f.brand) }
}

export function parseLabelInputFlags(f: LabelFlags, env: NodeJS.ProcessEnv): LabelInputOptions {
  const file = f.input!
  const given = f.inputFormat?.trim().toLowerCase()
  const format = given === 'csv' || given === 'jsonl' || given === 'tsv' ? given : given === undefined ? detectFormat(file) : undefined
  if (given !== undefined && format === undefined) throw new UsageError(`--input-format: expected csv, tsv or jsonl, got "${f.inputFormat}"`)
  if (!format) throw new UsageError(`--input ${file}: cannot tell the format from the name; name it .csv, .tsv or .jsonl, or add --input-format csv`)
  return { file, format, by: whoFrom(f.by, env), skipUnknown: Boolean(f.skipUnknown) }
}

export function parseRetrainEvery(value: string | undefined, configured: number | undefined): number {
  return limitFlag(value, configured ?? DEFAULT_RETRAIN_EVERY, '--retrain-every')
}

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    program
      .command('label')
      .description('record human labels: one correction, a file of them, or the posts the model is least sure of')
      .argument('[mention]', 'the mention as <source>:<id> (see listen mentions --format csv)')
      .argument('[label]', 'outage, complaint, question, praise or other (with --topic: a topic such as billing)')
      .option('--by <name>', 'who labelled (default $USER)')
      .option('--next [n]', `the posts the model is least sure of: on a terminal one card at a time, else a list of n (default ${DEFAULT_NEXT})`)
      .option('--strategy <how>', '--next: margin (best minus second-best score) or entropy (default margin)')
      .option('--pool <n>', '--next: score only the newest n posts without a human label (default 20000; 0 = all)')
      .option('--source <names>', '--next: only these sources (comma-separated, repeatable)', collect)
      .option('--brand <names>', '--next: only these brands (comma-separated, repeatable)', collect)
      .option('--retrain-every <n>', `--next on a terminal: rebuild the model in the background after n answers (default ${DEFAULT_RETRAIN_EVERY}, config labelling.retrainEvery; 0 = never)`)
      .option('--input <file>', 'a CSV, TSV or JSONL file of id,label (id as source:id, or a source column)')
      .option('--input-format <format>', '--input: csv, tsv or jsonl (default: from the file name)')
      .option('--skip-unknown', '--input: save the known ids and report the unknown ones (default: an unknown id saves nothing)')
      .option('--topic', 'correct the topic instead: the second argument is a topic of the taxonomy (billing, delivery …)'),
  )
    .addHelpText(
      'after',
      `
listen classify and later imports or fetches never replace a human label. Every correction is
kept in the database's label history, and the labelled mention is added to the tagger's training
examples whenever the model is used.

--next offers the customer posts the current model is least sure of (uncertainty sampling), spread
over guessed labels and sources, with the post they answer and the brand's reply. On a terminal it
shows one card at a time: keys 1-5 label (1 outage, 2 complaint, 3 question, 4 praise, 5 other),
s skips, u undoes the last answer, q quits. Each answer is saved at once; every --retrain-every
answers the model is rebuilt in the background and the next posts come from the new model.

--input takes a file of labels: bad rows stop the whole file (each named by line), nothing saved.
An id not in the database also saves nothing unless --skip-unknown. Exit 2 for a bad file, 1 for
unknown ids.

Example:
  $ listen label x:1590000000000000000 outage --by sam
  $ listen label --next                          # on a terminal: label card by card
  $ listen label --next 50 --format csv -o to-label.csv
  $ listen label --input labelled.csv --by sam   # columns id,label (id as source:id)
  $ listen label --topic x:1590000000000000000 delivery`,
    )
    .action(async function (this: Command, mention: string | undefined, label: string | undefined) {
      const f = this.opts<LabelFlags>()
      const modes = [mention !== undefined, f.next !== undefined, f.input !== undefined].filter(Boolean).length
      if (modes !== 1) throw new UsageError('label: give <mention> <label>, or --next [n], or --input FILE (one of them)')
      const ctx = await kit.context(this)
      if (f.input !== undefined) {
        const print = await kit.output(this, ctx.timezone)
        const { runLabelInput } = await import('../../commands/label.js')
        print(await runLabelInput(parseLabelInputFlags(f, ctx.env), ctx))
        return
      }
      if (f.next !== undefined) {
        const o = parseLabelNextFlags(f, (await import('../../commands/label.js')).DEFAULT_POOL)
        const out = this.opts<{ format?: string; json?: unknown; output?: string }>()
        const { labelTerminal } = await import('../label-tty.js')
        const term = labelTerminal(kit.io.env)
        if (term && out.format === undefined && out.json === undefined && out.output === undefined) {
          const { runLabelSession } = await import('../label-tty.js')
          const every = parseRetrainEvery(f.retrainEvery, ctx.config.labelling?.retrainEvery)
          await runLabelSession({ ...o, retrainEvery: every, by: whoFrom(f.by, ctx.env) }, ctx, term)
          return
        }
        const print = await kit.output(this, ctx.timezone)
        const { runLabelNext } = await import('../../commands/label.js')
        print(await runLabelNext(o, ctx))
        return
      }
      if (label === undefined) throw new UsageError('label: missing <label> after the mention (outage, complaint, question, praise or other)')
      const print = await kit.output(this, ctx.timezone)
      if (this.opts<{ topic?: boolean }>().topic) {
        if (mention === undefined) throw new UsageError('label --topic: missing <mention> <topic>')
        const { runLabelTopic } = await import('../../commands/topics.js')
        return print(await runLabelTopic({ ...parseMentionRef(mention), topic: label }, ctx))
      }
      const { runLabel } = await import('../../commands/label.js')
      print(await runLabel(parseLabelArgs(mention!, label, f, ctx.env), ctx))
    })
}
