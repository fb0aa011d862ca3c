import type { Command } from 'commander'
import type { EvalOptions } from '../../commands/eval.js'
import { ExitError, UsageError } from '../../models/errors.js'
import { storeExists } from '../../store/open.js'
import { modelChoiceFlag, parseMapping, planFiles } from '../flags.js'
import { addOutputOptions, type Kit } from '../kit.js'

export interface EvalFlags {
  mapping?: string
  model?: string
  against?: string
  misses?: boolean
  collapse?: string
  lang?: string
  inputFormat?: string
}

/** Without --model: the active model when the database exists, else the built-in one. */
export function parseEvalFlags(files: string[], f: EvalFlags, database: string): EvalOptions {
  if (!files.length) throw new UsageError('eval: name at least one labelled file (JSONL or CSV)')
  const mapping = parseMapping(f.mapping)
  if (f.collapse !== undefined && f.collapse !== 'auto' && f.collapse !== 'none') {
    throw new UsageError(`--collapse: "${f.collapse}" is not one of auto, none`)
  }
  const model = modelChoiceFlag(f.model) ?? (storeExists(database) ? 'active' : 'builtin')
  const against = modelChoiceFlag(f.against, '--against')
  if (against === model) {
    throw new UsageError(`--against ${against}: that is the model being measured; compare builtin with active (e.g. --model active --against builtin)`)
  }
  return {
    mapping,
    model,
    against,
    misses: Boolean(f.misses),
    collapse: f.collapse ?? 'auto',
    lang: f.lang,
    files: planFiles(files, 'eval', f.inputFormat),
  }
}

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    program
      .command('eval')
      .description('measure the tagger on labelled posts: accuracy, precision/recall/F1 per class, macro-F1, confusion matrix')
      .argument('<files...>', 'labelled posts: .jsonl or .csv with text, label and optional lang')
      .option('--mapping <name>', "which label fields to read: auto, listen (label), or a dataset's own: airline, complaints, germeval (default auto)")
      .option('--model <which>', 'builtin or active (default: active when the database exists)')
      .option('--against <which>', 'also score builtin or active on the same posts: the difference with its 95% interval says whether training helped')
      .option('--misses', 'list the posts the model got wrong (file, line, gold, predicted, text) instead of the per-class table')
      .option('--collapse <how>', "auto: compare in the dataset's own classes (airline: outage → complaint, question → other); none: five classes (default auto)")
      .option('--lang <code>', 'language of rows without a lang field (detected otherwise)')
      .option('--input-format <format>', 'jsonl, csv or tsv when the extension does not tell'),
  )
    .addHelpText(
      'after',
      `
One row per gold label with precision, recall, F1, support and the confusion-matrix counts per
predicted label (→label), and a row "all" with accuracy, macro-F1 and predictions per label.
Every figure comes with a 95% interval (percentile bootstrap over the posts): on a few hundred
posts macro-F1 moves by several points from sample to sample. --against scores a second model
on the same posts and gives the difference with its interval ("better", "worse" or "no clear
difference").
A bad row is reported with file and line and skipped; exit 1 if any row was bad.

Example:
  $ listen eval my-labels.jsonl --model builtin
  $ listen eval held-out.jsonl --model active --against builtin
  $ listen eval my-labels.csv --misses --format csv > to-review.csv
  $ listen eval ../shared/datasets/dev/airline.jsonl --mapping airline --format csv > airline-eval.csv`,
    )
    .action(async function (this: Command, files: string[]) {
      const o = this.opts<EvalFlags>()
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const { runEval } = await import('../../commands/eval.js')
      const model = await runEval(parseEvalFlags(files, o, ctx.config.database), ctx)
      print(model)
      if (model.bad) throw new ExitError(`${model.bad} bad rows skipped; the other ${model.scored} were scored`, 1)
    })
}
