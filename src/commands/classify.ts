// listen classify: tag stored mentions with the active model, or tag lines from a file or stdin
// without a database (streamed NDJSON), or explain one text.
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import { Worker } from 'node:worker_threads'
import { classifyForStore, roundScores } from '../classify/scores.js'
import type { Tagger } from '../classify/tagger.js'
import { createPiiDetector } from '../care/pii.js'
import { piiColumn } from '../ingest/pii.js'
import { piiOptionsOf } from '../ingest/pii-options.js'
import { type LineBatch, type LineResult, readLine, tagLine } from '../ingest/line-tag.js'
import { chooseTagger, loadActiveTagger, type ModelChoice, modelInfo } from '../ingest/tagging.js'
import { ExitError, UsageError } from '../models/errors.js'
import { NEEDS_RESPONSE } from '../models/mention.js'
import type { ClassifyModel, ClassifyTextModel, LineCounts, LineFormat, TaggedLine, TagScope, TagSpec } from '../models/tagger.js'
import { openStore } from '../store/open.js'
import { storeAuth, type CommandContext, type Logger } from './context.js'
// ---------------------------------------------------------------------------------------------
// Stored mentions

export interface ClassifyOptions {
  /** untagged (default), model (--retag: also what the model tagged before), all (--all: all but human labels). */
  scope: TagScope
  batchSize?: number
}

export async function runClassify(o: ClassifyOptions, ctx: CommandContext): Promise<ClassifyModel> {
  const { scope } = o
  const batchSize = o.batchSize ?? 5000
  const db = await openStore(ctx.config.database, { ...storeAuth(ctx), create: false })
  try {
    const store = db.models
    const tagger = await loadActiveTagger(db)
    const detector = createPiiDetector(piiOptionsOf(ctx.config.pii))
    const model = modelInfo('active', await store.activeVersion(), await store.countHumanLabels())
    const r: ClassifyModel = {
      kind: 'classify',
      database: ctx.config.database,
      scope,
      model,
      examined: 0,
      tagged: 0,
      relabelled: 0,
      unchanged: 0,
      byLabel: { outage: 0, complaint: 0, question: 0, praise: 0, other: 0 },
      humanKept: model.humanLabels,
    }
    const total = await store.countToTag(scope)
    ctx.log.debug(`classify: ${total} mentions in scope ${scope}, ${model.description}`)
    const progress = () => ctx.progress?.update(`classify: ${r.examined.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} mentions`, r.examined, total)
    progress()
    for (let after = 0; ; ) {
      const page = await store.mentionsToTag(scope, after, batchSize)
      if (!page.length) break
      after = page[page.length - 1]!.rowid
      const labels = page.map((m) => {
        const t = classifyForStore(tagger, m.text, m.lang, { followUp: m.parentByBrand })
        r.examined++
        r.byLabel[t.label]++
        if (m.label === null) r.tagged++
        else if (m.label !== t.label) r.relabelled++
        else r.unchanged++
        return { rowid: m.rowid, label: t.label, scores: t.scores, pii: piiColumn(m.text, detector) }
      })
      await store.saveModelLabels(labels)
      progress()
    }
    ctx.log.info(`classify: ${r.examined} mentions: ${r.tagged} newly tagged, ${r.relabelled} relabelled, ${r.unchanged} unchanged; ${r.humanKept} human labels kept`)
    return r
  } finally {
    ctx.progress?.clear()
    await db.close()
  }
}

// ---------------------------------------------------------------------------------------------
// One text

export async function runClassifyText(
  o: { text: string; lang?: string | undefined; explain?: boolean | undefined; model?: ModelChoice | undefined },
  ctx: CommandContext,
): Promise<ClassifyTextModel> {
  if (!o.text.trim()) throw new UsageError('classify --text: the text is empty')
  const { tagger, info } = await chooseTagger(o.model, ctx.config.database, storeAuth(ctx))
  const e = tagger.explain(o.text, o.lang ?? null)
  return {
    kind: 'classify-text',
    text: o.text,
    label: e.label,
    needsResponse: NEEDS_RESPONSE.has(e.label),
    lang: e.lang,
    lowConfidence: e.lowConfidence,
    modelLang: e.modelLang,
    scores: roundScores(e.scores),
    model: info,
    ...(o.explain ? { rulesFired: e.rulesFired, topTokens: e.topTokens, topNgrams: e.topNgrams } : {}),
  }
}

// ---------------------------------------------------------------------------------------------
// Lines from a file or stdin
const MAX_WARNINGS = 20

/** Lines per batch handed to the tagging thread; the main thread tags the batch after it meanwhile. */
const BATCH_LINES = 1000
const WORKER = new URL('../ingest/classify-worker.js', import.meta.url)

/**
 * Tags a stream line by line: JSON Lines (`text`, optional `id`, `lang`) or plain text, one post a
 * line (auto: JSON when the first non-empty line starts with "{"). Bad lines are reported as
 * name:line on `log` and counted; the rest is tagged, in input order. With `threads` (and not
 * --explain), every other batch of lines is tagged by a worker thread built from `spec` while this
 * thread tags the next one: the output is the same, line for line. Holds at most two batches.
 */
export async function* classifyLines(
  input: Readable,
  name: string,
  tagger: Tagger,
  o: { format: LineFormat; lang?: string | undefined; explain?: boolean | undefined; log: Logger; threads?: number | undefined; spec?: (() => TagSpec) | undefined },
  counts: LineCounts,
): AsyncGenerator<TaggedLine> {
  let format: LineFormat = o.format
  const lang = o.lang ?? null
  const bad = (line: number, error: string) => {
    counts.bad++
    if (counts.bad <= MAX_WARNINGS) o.log.warn(`${name}:${line}: ${error}; line skipped`)
  }
  /** The line's tag to write, or null (counted and reported) when it was bad. */
  const accept = (line: number, r: LineResult): TaggedLine | null => {
    if (!r.ok) {
      bad(line, r.error)
      return null
    }
    counts.tagged++
    return r.tagged
  }
  const useWorker = !o.explain && (o.threads ?? 0) > 0 && o.spec !== undefined
  let worker: Worker | null = null
  let pending: Array<[number, string]> = []
  const lines = createInterface({ input, crlfDelay: Infinity })
  try {
    let line = 0
    for await (const raw of lines) {
      line++
      const trimmed = (line === 1 ? raw.replace(/^\ufeff/, '') : raw).trim()
      if (!trimmed) continue
      counts.lines++
      if (format === 'auto') format = trimmed.startsWith('{') ? 'jsonl' : 'text'
      if (o.explain) {
        const read = readLine(trimmed, line, format, lang)
        if (!read.ok) {
          bad(line, read.error)
          continue
        }
        counts.tagged++
        yield explainLine(tagger, read)
        continue
      }
      if (!useWorker) {
        const t = accept(line, tagLine(trimmed, line, format, tagger, lang))
        if (t) yield t
        continue
      }
      pending.push([line, trimmed])
      if (pending.length < 2 * BATCH_LINES) continue
      worker ??= startWorker(o.spec!())
      yield* tagPair(worker, pending, format, tagger, lang, accept)
      pending = []
    }
    if (pending.length && format !== 'auto') {
      if (worker && pending.length > BATCH_LINES) yield* tagPair(worker, pending, format, tagger, lang, accept)
      else {
        for (const [n, text] of pending) {
          const t = accept(n, tagLine(text, n, format, tagger, lang))
          if (t) yield t
        }
      }
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof ExitError) throw e
    throw new UsageError(`${name}: cannot read: ${(e as Error).message}`, { cause: e })
  } finally {
    lines.close()
    await worker?.terminate()
  }
  if (counts.bad > MAX_WARNINGS) o.log.warn(`… ${counts.bad - MAX_WARNINGS} more bad lines not shown`)
}

function startWorker(spec: TagSpec): Worker {
  const w = new Worker(WORKER, { workerData: { spec } })
  // Errors reach the caller through the batch it waits for (tagPair); this keeps an idle worker's error from crashing the process.
  w.on('error', () => {})
  return w
}

/** The first half of `lines` on the worker, the second here at the same time; results in line order. */
async function* tagPair(
  worker: Worker,
  lines: Array<[number, string]>,
  format: 'jsonl' | 'text',
  tagger: Tagger,
  lang: string | null,
  accept: (line: number, r: LineResult) => TaggedLine | null,
): AsyncGenerator<TaggedLine> {
  const half = lines.slice(0, BATCH_LINES)
  const batch: LineBatch = { format, lang, lines: half }
  const away = new Promise<LineResult[]>((resolve, reject) => {
    const settle = () => {
      worker.off('message', done)
      worker.off('error', fail)
      worker.off('exit', gone)
    }
    const done = (m: { ok: true; results: LineResult[] } | { ok: false; message: string }) => {
      settle()
      if (m.ok) resolve(m.results)
      else reject(new ExitError(`tagging thread: ${m.message}`, 1))
    }
    const fail = (e: Error) => {
      settle()
      reject(new ExitError(`tagging thread: ${e.message}`, 1, { cause: e }))
    }
    const gone = (code: number) => {
      settle()
      reject(new ExitError(`tagging thread ended (exit code ${code}) before it answered`, 1))
    }
    worker.on('message', done)
    worker.on('error', fail)
    worker.on('exit', gone)
  })
  worker.postMessage(batch)
  const here = lines.slice(half.length).map(([n, t]) => [n, tagLine(t, n, format, tagger, lang)] as const)
  const there = await away
  for (let i = 0; i < half.length; i++) {
    const t = accept(half[i]![0], there[i]!)
    if (t) yield t
  }
  for (const [n, r] of here) {
    const t = accept(n, r)
    if (t) yield t
  }
}

function explainLine(tagger: Tagger, read: { text: string; id: string | number; lang: string | null }): TaggedLine {
  const e = tagger.explain(read.text, read.lang)
  return {
    id: read.id,
    label: e.label,
    scores: roundScores(e.scores),
    needsResponse: NEEDS_RESPONSE.has(e.label),
    lang: e.lang,
    lowConfidence: e.lowConfidence,
    rules: e.rulesFired,
    topTokens: e.topTokens,
    topNgrams: e.topNgrams,
  }
}
