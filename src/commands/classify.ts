// listen classify: tag stored mentions with the active model, or tag lines from a file or stdin
// without a database (streamed NDJSON), or explain one text.
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import { classifyForStore, roundScores } from '../classify/scores.js'
import type { Tagger } from '../classify/tagger.js'
import { createPiiDetector } from '../care/pii.js'
import { piiColumn, piiOptionsOf } from '../ingest/pii.js'
import { chooseTagger, loadActiveTagger, type ModelChoice, modelInfo } from '../ingest/tagging.js'
import { UsageError } from '../models/errors.js'
import { NEEDS_RESPONSE } from '../models/mention.js'
import type { ClassifyModel, ClassifyTextModel, LineCounts, LineFormat, TaggedLine, TagScope } from '../models/tagger.js'
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

/**
 * Tags a stream line by line: JSON Lines (`text`, optional `id`, `lang`) or plain text, one post a
 * line (auto: JSON when the first non-empty line starts with "{"). Bad lines are reported as
 * name:line on `log` and counted; the rest is tagged. Never holds more than one line.
 */
export async function* classifyLines(
  input: Readable,
  name: string,
  tagger: Tagger,
  o: { format: LineFormat; lang?: string | undefined; explain?: boolean | undefined; log: Logger },
  counts: LineCounts,
): AsyncGenerator<TaggedLine> {
  let format: LineFormat = o.format
  let line = 0
  const bad = (error: string) => {
    counts.bad++
    if (counts.bad <= MAX_WARNINGS) o.log.warn(`${name}:${line}: ${error}; line skipped`)
  }
  const lines = createInterface({ input, crlfDelay: Infinity })
  try {
    for await (const raw of lines) {
      line++
      const trimmed = (line === 1 ? raw.replace(/^\ufeff/, '') : raw).trim()
      if (!trimmed) continue
      counts.lines++
      if (format === 'auto') format = trimmed.startsWith('{') ? 'jsonl' : 'text'
      let text = trimmed
      let id: string | number = line
      let lang = o.lang ?? null
      if (format === 'jsonl') {
        let value: unknown
        try {
          value = JSON.parse(trimmed)
        } catch (e) {
          bad(`not valid JSON (${(e as Error).message})`)
          continue
        }
        if (!value || typeof value !== 'object' || Array.isArray(value)) {
          bad('expected a JSON object with "text"')
          continue
        }
        const r = value as Record<string, unknown>
        if (typeof r.text !== 'string' || !r.text.trim()) {
          bad(typeof r.text === 'string' ? '"text" is empty' : 'no "text" field')
          continue
        }
        text = r.text
        if (typeof r.id === 'string' || typeof r.id === 'number') id = r.id
        if (typeof r.lang === 'string' && r.lang.trim()) lang = r.lang
      }
      counts.tagged++
      if (o.explain) {
        const e = tagger.explain(text, lang)
        yield {
          id,
          label: e.label,
          scores: roundScores(e.scores),
          needsResponse: NEEDS_RESPONSE.has(e.label),
          lang: e.lang,
          lowConfidence: e.lowConfidence,
          rules: e.rulesFired,
          topTokens: e.topTokens,
          topNgrams: e.topNgrams,
        }
      } else {
        const c = tagger.classify(text, lang)
        yield { id, label: c.label, scores: roundScores(c.scores), needsResponse: c.needsResponse, lang: c.lang, lowConfidence: c.lowConfidence }
      }
    }
  } catch (e) {
    if (e instanceof UsageError) throw e
    throw new UsageError(`${name}: cannot read: ${(e as Error).message}`, { cause: e })
  } finally {
    lines.close()
  }
  if (counts.bad > MAX_WARNINGS) o.log.warn(`… ${counts.bad - MAX_WARNINGS} more bad lines not shown`)
}
