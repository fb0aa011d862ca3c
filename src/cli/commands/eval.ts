import type { Command } from 'commander'
import { ExitError } from '../../models/errors.js'
import { addOutputOptions, type Kit } from '../kit.js'

interface EvalFlags {
  mapping?: string
  model?: string
  against?: string
  misses?: boolean
  collapse?: string
  lang?: string
  inputFormat?: string
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
      const model = await runEval({ files, ...o }, ctx)
      print(model)
      if (model.bad) throw new ExitError(`${model.bad} bad rows skipped; the other ${model.scored} were scored`, 1)
    })
}
