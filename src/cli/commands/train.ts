import type { Command } from 'commander'
import type { TrainOptions, TrainRepliesOptions } from '../../commands/train.js'
import { ExitError, UsageError } from '../../models/errors.js'
import { parseMapping, planFiles } from '../flags.js'
import { addOutputOptions, type Kit } from '../kit.js'

export interface TrainFlags {
  mapping?: string
  reset?: boolean
  lang?: string
  inputFormat?: string
  list?: boolean
  fromReplies?: boolean
  dryRun?: boolean
}

export function parseTrainRepliesFlags(files: string[], f: TrainFlags): TrainRepliesOptions {
  if (files.length || f.reset || f.list || f.mapping || f.lang || f.inputFormat) {
    throw new UsageError('train --from-replies reads the database: it takes no files and no --reset, --list, --mapping, --lang or --input-format')
  }
  return { dryRun: Boolean(f.dryRun) }
}

export function parseTrainFlags(files: string[], f: TrainFlags): TrainOptions {
  if (!files.length && !f.reset) throw new UsageError('train: name at least one labelled file (JSONL or CSV), or pass --reset')
  const mapping = parseMapping(f.mapping)
  return { mapping, reset: Boolean(f.reset), lang: f.lang, files: planFiles(files, 'train', f.inputFormat) }
}

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    program
      .command('train')
      .description('add labelled posts to the tagger model in the database (a new version); --reset: back to the built-in model')
      .argument('[files...]', 'labelled posts: .jsonl or .csv with text, label and optional lang')
      .option('--mapping <name>', "which label fields to read: auto, listen (label), or a dataset's own: airline, complaints, germeval (default auto)")
      .option('--reset', 'start again from the built-in model (with files: train on top of it)')
      .option('--lang <code>', 'language of rows without a lang field (detected otherwise)')
      .option('--input-format <format>', 'jsonl, csv or tsv when the extension does not tell')
      .option('--list', 'list the stored model versions instead')
      .option('--from-replies', "learn from the brand's own replies in the database: a post whose first brand reply clearly answers one class gets that label")
      .option('--dry-run', 'with --from-replies: print how many posts per class it would use and ten examples of each; store nothing'),
  )
    .addHelpText(
      'after',
      `
Labels: outage, complaint, question, praise, other. With --mapping airline: negative → complaint,
positive → praise, neutral → other; complaints: true → complaint, false → other (random_* domains
were never annotated and are skipped); germeval: negative → complaint, positive → praise, else other.
Every run stores a new version on top of the active one; the newest version is active. Human labels
(listen label) are added to the active model whenever it is used. A bad row is reported with file and
line and skipped; exit 1 if any row was bad (the other rows are trained and stored).
--from-replies: "sorry for the trouble" answers a complaint, "we're aware of an issue" an outage,
"here's how / you can" a question, "glad you enjoyed it" praise (en and de phrases built in, more
under replyPatterns in the config). A post gets a label only when its first brand reply matches one
class (outage with an apology is outage); it weighs 0.3 of a human label, human-labelled posts are
left out and keep their labels. Check with --dry-run first.

Example:
  $ listen train ../shared/datasets/dev/airline.jsonl --mapping airline
  $ listen train my-labels.csv
  $ listen train --from-replies --dry-run
  $ listen train --list
  $ listen train --reset`,
    )
    .action(async function (this: Command, files: string[]) {
      const o = this.opts<TrainFlags>()
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const { runTrain, runListModels, runTrainFromReplies } = await import('../../commands/train.js')
      if (o.fromReplies) {
        print(await runTrainFromReplies(parseTrainRepliesFlags(files, o), ctx))
        return
      }
      if (o.dryRun) throw new UsageError('train --dry-run goes with --from-replies')
      if (o.list) {
        if (files.length || o.reset) throw new UsageError('train --list takes no files and no --reset')
        print(await runListModels(ctx))
        return
      }
      const model = await runTrain(parseTrainFlags(files, o), ctx)
      print(model)
      if (model.totals.bad) {
        throw new ExitError(`${model.totals.bad} bad rows skipped; version ${model.version.version} was trained on the other ${model.totals.examples}`, 1)
      }
    })
}
