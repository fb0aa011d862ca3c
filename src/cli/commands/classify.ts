import { createReadStream, statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { basename } from 'node:path'
import { Writable } from 'node:stream'
import { Command } from 'commander'
import { ExitError, UsageError } from '../../models/errors.js'
import type { LineFormat } from '../../models/tagger.js'
import { modelChoiceFlag, numberFlag } from '../flags.js'
import { addOutputOptions, type Kit } from '../kit.js'

interface ClassifyFlags {
  all?: boolean
  retag?: boolean
  input?: string
  inputFormat?: string
  text?: string
  lang?: string
  explain?: boolean
  model?: string
  format?: string
  topics?: boolean
  readers?: string
}

/** Resolves when the stream wants more, or has failed (its 'error' listener records why). */
function drainedOrFailed(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done)
      out.off('error', done)
      resolve()
    }
    out.on('drain', done)
    out.on('error', done)
  })
}

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    program
      .command('classify')
      .description('tag stored mentions with the active model; or tag lines from a file or stdin without a database; or explain one text')
      .option('--all', 're-tag every stored mention not labelled by a human (imported labels too)')
      .option('--retag', 're-tag untagged mentions and those the model tagged before (imported and human labels stay)')
      .option('--input <file>', 'tag JSON Lines ("text", optional "id", "lang") or plain text lines from a file or - (stdin); writes NDJSON')
      .option('--input-format <format>', 'auto, jsonl or text (default auto: JSON when the first line starts with "{")')
      .option('--text <text>', 'tag one text and show its scores')
      .option('--lang <code>', 'language of texts that do not name one (e.g. de); detected otherwise')
      .option('--explain', 'with --input or --text: the rules that fired, the tokens and the n-grams that weighed most')
      .option('--model <which>', 'with --input or --text: builtin or active (default: active when the database exists)')
      .option('--readers <n>', 'with --input: threads that tag beside the main thread, 0 = the main thread alone (default: 1 on a machine with two or more cores)')
      .option('--topics', 'topics (billing, delivery, technical …) instead of labels: of the stored mentions, or of --text (with --explain: keywords and n-grams)'),
  )
    .addHelpText(
      'after',
      `
Without --input or --text: tags the stored mentions that have no label yet (--retag, --all: more).
Human labels (listen label) are never replaced. Prints counts per label.
--input writes one JSON object per line to stdout: id (the input's, else the line number), label,
scores, needsResponse, lang, lowConfidence (true for a language neither en nor de) (+ rules, topTokens,
topNgrams with --explain). Bad lines are reported on stderr
as file:line and skipped; exit 1 if there were any.

Example:
  $ listen classify --retag
  $ printf 'is your app down?\\nthanks, all fixed\\n' | listen classify --input -
  $ listen classify --input posts.jsonl --explain > tagged.ndjson
  $ listen classify --text "Zug fällt schon wieder aus" --explain
  $ listen classify --topics --retag
  $ listen classify --topics --text "Lieferverzögerung, schon wieder" --explain`,
    )
    .action(async function (this: Command) {
      const o = this.opts<ClassifyFlags>()
      const ctx = await kit.context(this)
      if (o.input !== undefined && o.text !== undefined) throw new UsageError('classify: pass --input or --text, not both')
      if (o.readers !== undefined && o.input === undefined) throw new UsageError('classify: --readers applies to --input only')
      const onlyStored = o.all ? '--all' : o.retag ? '--retag' : null
      if (onlyStored && (o.input !== undefined || o.text !== undefined)) {
        throw new UsageError(`classify: ${onlyStored} re-tags stored mentions; it does not combine with --input or --text`)
      }
      if (o.topics) {
        if (o.input !== undefined) throw new UsageError('classify --topics: tags stored mentions or --text; --input does not apply')
        if (o.model !== undefined) throw new UsageError('classify --topics: --model applies to labels; topics come from the config\'s taxonomy (or the built-in one)')
        const topics = await import('../../commands/topics.js')
        const print = await kit.output(this, ctx.timezone)
        if (o.text !== undefined) return print(topics.runClassifyTopicText({ text: o.text, lang: o.lang, explain: o.explain }, ctx))
        for (const [flag, v] of [['--explain', o.explain], ['--lang', o.lang]] as const) if (v !== undefined) throw new UsageError(`classify --topics: ${flag} applies to --text only`)
        if (o.all && o.retag) throw new UsageError('classify: --all already includes --retag; pass one of them')
        return print(await topics.runClassifyTopics({ scope: o.all ? 'all' : o.retag ? 'model' : 'untagged' }, ctx))
      }
      const [cmd, { chooseTagger }] = await Promise.all([import('../../commands/classify.js'), import('../../ingest/tagging.js')])
      if (o.input !== undefined) {
        if (o.format !== undefined && o.format !== 'ndjson') throw new UsageError(`classify --input writes NDJSON; --format ${o.format} does not apply`)
        const picked = this.opts<{ json?: unknown; output?: string }>()
        if (picked.json !== undefined || picked.output !== undefined) throw new UsageError('classify --input streams NDJSON to stdout; --json and --output do not apply (redirect: > tagged.ndjson)')
        const format = parseLineFormat(o.inputFormat)
        const name = o.input === '-' ? '(stdin)' : o.input
        const stat = o.input === '-' ? null : statSync(o.input, { throwIfNoEntry: false })
        if (stat !== null && !stat?.isFile()) throw new UsageError(`classify --input: no such file: ${o.input}`)
        const threads = o.readers === undefined ? (availableParallelism() > 1 ? 1 : 0) : numberFlag(o.readers, '--readers', 0, (n) => Number.isInteger(n) && n >= 0 && n <= 1, '0 or 1')
        const { tagger, info, spec } = await chooseTagger(modelChoiceFlag(o.model), ctx.config.database, { passwordEnv: ctx.config.databasePasswordEnv, env: ctx.env })
        ctx.log.debug(`classify: ${info.description}`)
        const file = o.input === '-' ? null : createReadStream(o.input)
        const input = file ?? process.stdin
        const counts = { lines: 0, tagged: 0, bad: 0 }
        const out = kit.io.stdout
        let closed = false
        let failed: Error | null = null
        // A reader that stops early (| head) closes the pipe: stop quietly instead of crashing on EPIPE.
        out.on('error', (e: NodeJS.ErrnoException) => {
          closed = true
          if (e.code !== 'EPIPE') failed = e
        })
        let buf = ''
        // Progress in bytes of a file (the line count is not known before the end); lines on stdin.
        const progress = () => ctx.progress?.update(`classify ${basename(name)}: ${counts.tagged.toLocaleString('en-US')} lines`, file?.bytesRead ?? 0, stat?.size)
        for await (const r of cmd.classifyLines(input, name, tagger, { format, lang: o.lang, explain: o.explain, log: ctx.log, threads, spec }, counts)) {
          buf += `${JSON.stringify(r)}\n`
          if (buf.length < 65_536) continue
          progress()
          if (!out.write(buf)) await drainedOrFailed(out)
          buf = ''
          if (closed) break
        }
        ctx.progress?.clear()
        if (buf && !closed) out.write(buf)
        if (failed) throw new ExitError(`cannot write to stdout: ${(failed as Error).message}`, 1, { cause: failed })
        ctx.log.info(`classify: ${counts.tagged} of ${counts.lines} lines tagged with the ${info.description}`)
        if (counts.bad) throw new ExitError(`${counts.bad} bad lines in ${name} skipped; the other ${counts.tagged} were tagged`, 1)
        return
      }
      const print = await kit.output(this, ctx.timezone)
      if (o.text !== undefined) {
        print(await cmd.runClassifyText({ text: o.text, lang: o.lang, explain: o.explain, model: modelChoiceFlag(o.model) }, ctx))
        return
      }
      for (const [flag, v] of [['--explain', o.explain], ['--lang', o.lang], ['--model', o.model], ['--input-format', o.inputFormat]] as const) {
        if (v !== undefined) throw new UsageError(`classify: ${flag} applies to --input or --text only`)
      }
      if (o.all && o.retag) throw new UsageError('classify: --all already includes --retag; pass one of them')
      print(await cmd.runClassify({ scope: o.all ? 'all' : o.retag ? 'model' : 'untagged' }, ctx))
    })
}

// ---------------------------------------------------------------------------------------------
// Lines from a file or stdin

export function parseLineFormat(value: string | undefined): LineFormat {
  if (value === undefined) return 'auto'
  if (value === 'auto' || value === 'jsonl' || value === 'text') return value
  throw new UsageError(`--input-format: "${value}" is not one of auto, jsonl, text`)
}
