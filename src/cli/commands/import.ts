import { existsSync, statSync } from 'node:fs'
import type { Command } from 'commander'
import type { ImportOptions } from '../../commands/import.js'
import { parseFieldMap } from '../../ingest/map.js'
import { detectFormat } from '../../ingest/format.js'
import { ExitError, UsageError } from '../../models/errors.js'
import type { InputFormat } from '../../models/ingest.js'
import { numberFlag } from '../flags.js'
import type { Kit } from '../kit.js'

export interface ImportFlags {
  format?: string | undefined
  map?: string | undefined
  source?: string | undefined
  brand?: string | undefined
  handles?: string | undefined
  /** --no-tag makes it false. */
  tag?: boolean | undefined
  readers?: string | undefined
  /** --no-topics makes it false. */
  topics?: boolean | undefined
}

const INPUT_FORMATS: readonly InputFormat[] = ['jsonl', 'csv', 'tsv']

export function parseImportFlags(files: string[], f: ImportFlags): ImportOptions {
  if (!files.length) throw new UsageError('import: name at least one file (JSONL or CSV)')
  const map = parseFieldMap(f.map)
  if (f.format !== undefined && !(INPUT_FORMATS as readonly string[]).includes(f.format)) {
    throw new UsageError(`--format: "${f.format}" is not an input format (jsonl, csv, tsv)`)
  }
  const forced = f.format as InputFormat | undefined
  return {
    files: files.map((file) => {
      if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`import: no such file: ${file}`)
      const format = forced ?? detectFormat(file)
      if (!format) throw new UsageError(`import: cannot tell the format of ${file} from its extension; pass --format jsonl|csv`)
      return { file, format }
    }),
    map,
    source: f.source,
    brand: f.brand,
    handles: (f.handles ?? '')
      .split(',')
      .map((h) => h.trim().replace(/^@/, '').toLowerCase())
      .filter(Boolean),
    tag: f.tag !== false,
    ...(f.readers === undefined ? {} : { readers: numberFlag(f.readers, '--readers', 1, (n) => Number.isInteger(n) && n >= 1 && n <= 64, 'a whole number from 1 to 64') }),
    topics: f.topics !== false,
  }
}

export function register(program: Command, kit: Kit): void {
  program
    .command('import')
    .description('import mentions from JSON Lines or CSV files (streamed; re-importing changes nothing)')
    .argument('<files...>', 'files to import (.jsonl, .ndjson, .csv, .tsv)')
    .option('--format <format>', 'input format when the extension does not tell: jsonl, csv or tsv')
    .option('--map <pairs>', 'field=column pairs, e.g. id=tweet_id,author=author_id; "not:col" (or "!col", quoted) negates a boolean column')
    .option('--source <name>', 'source for every row (e.g. twitter)')
    .option('--brand <name>', 'brand for every row')
    .option('--handles <list>', "comma-separated brand handles: their posts are the brand's own replies")
    .option('--no-tag', 'do not tag mentions on the way in (listen classify can do it later)')
    .option('--readers <n>', 'threads that parse and tag a JSON Lines file (default: one per idle core when tagging, at most 4)')
    .option('--no-topics', 'tag labels but no topics on the way in (listen classify --topics can do it later)')
    .addHelpText(
      'after',
      `
Fields: id, source, brand, created_at, author, author_id, text, url, lang, in_reply_to, thread_id, by_brand, label.
Dates: ISO 8601 (without offset: read in --tz), epoch s or ms, RFC 2822, "Tue Oct 31 22:10:47 +0000 2017".
A bad row is reported with file and line and skipped; exit 1 if any row was bad.
The summary goes to stdout (a table on a terminal, JSON otherwise).

Example:
  $ listen import ../shared/datasets/twcs_head5000.csv --source twitter \\
      --map id=tweet_id,author=author_id,created_at=created_at,text=text,in_reply_to=in_response_to_tweet_id`,
    )
    .action(async function (this: Command, files: string[]) {
      const ctx = await kit.context(this)
      const { runImport } = await import('../../commands/import.js')
      const model = await runImport(parseImportFlags(files, this.opts<ImportFlags>()), ctx)
      const { render } = await import('../../render/render.js')
      const { viewOf } = await import('../../render/views.js')
      const { useColor } = await import('../io.js')
      kit.io.stdout.write(
        render(viewOf(model), kit.io.stdout.isTTY ? 'table' : 'json', { tz: ctx.timezone, color: useColor(kit.io.stdout, kit.io.env) }),
      )
      if (model.totals.bad) {
        throw new ExitError(`${model.totals.bad} bad rows skipped; the other ${model.totals.rows - model.totals.bad} rows were saved`, 1)
      }
    })
}
