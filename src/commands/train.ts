// listen train FILE...: add labelled posts to the active tagger model and store the result as a new
// version; --reset goes back to the built-in model. Files are streamed; the model is what grows.
import { existsSync, statSync } from 'node:fs'
import { addExamples, trainModel } from '../classify/bayes.js'
import {
  DATASET_MAPPINGS,
  detectDatasetKind,
  isCustomerServiceDomain,
  type DatasetKind,
} from '../classify/labels.js'
import { UsageError } from '../models/errors.js'
import { detectFormat, readRecords } from '../ingest/records.js'
import { withStore } from '../store/open.js'
import { loadActiveModel } from '../ingest/tagging.js'
import { LABELS, type Label } from '../models/mention.js'
import type { CommandContext } from './context.js'
import type { InputFormat } from '../models/ingest.js'
import { type TrainingExample, type ModelVersion, MAPPINGS, type Mapping, type ModelsModel, type ModelVersionJson, type TrainFileResult, type TrainModel } from '../models/tagger.js'

export function parseMapping(value: string | undefined): Mapping {
  if (value === undefined) return 'auto'
  if ((MAPPINGS as readonly string[]).includes(value)) return value as Mapping
  throw new UsageError(`--mapping: "${value}" is not one of ${MAPPINGS.join(', ')}`)
}

export type LabelledRow =
  | { ok: true; line: number; text: string; label: Label; lang: string | null; kind: DatasetKind }
  | { ok: false; line: number; error: string }
  /** A row the dataset never labelled (complaints corpus, random_* domains): not an error. */
  | { ok: 'skip'; line: number }

const WHAT_IS_MISSING: Record<DatasetKind, string> = {
  listen: `"label" must be one of ${LABELS.join(', ')}`,
  airline: '"sentiment" must be negative, neutral or positive',
  complaints: '"complaint" must be true or false',
  germeval: '"sentiment" must be negative, neutral or positive (or "relevant" false)',
}

// CSV cells are strings; the dataset mappings expect JSON booleans.
const coerceCsv = (record: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(record)) out[k] = v === 'true' ? true : v === 'false' ? false : v
  return out
}

/** One labelled post per row: `text`, a label through the mapping, optional `lang`. */
export function toLabelledRow(record: Record<string, unknown>, line: number, mapping: Mapping, langHint: string | null): LabelledRow {
  const text = record.text
  if (typeof text !== 'string') return { ok: false, line, error: 'no "text" field' }
  if (!text.trim()) return { ok: false, line, error: '"text" is empty' }
  const kind = mapping === 'auto' ? detectDatasetKind(record) : mapping
  if (!kind) {
    const given = record.label !== undefined && record.label !== null && record.label !== ''
    const got = given ? `unknown label ${JSON.stringify(record.label)}` : 'no "label"'
    return { ok: false, line, error: `${got}; expected one of ${LABELS.join(', ')} (or pass --mapping for a dataset's own fields)` }
  }
  if (kind === 'complaints' && 'domain' in record && !isCustomerServiceDomain(record)) return { ok: 'skip', line }
  const label = DATASET_MAPPINGS[kind](record)
  if (!label) {
    const field = kind === 'listen' ? 'label' : kind === 'complaints' ? 'complaint' : 'sentiment'
    return { ok: false, line, error: `${WHAT_IS_MISSING[kind]} (got ${JSON.stringify(record[field] ?? null)}; --mapping ${kind})` }
  }
  const lang = typeof record.lang === 'string' && record.lang.trim() ? record.lang.trim() : langHint
  return { ok: true, line, text, label, lang, kind }
}

export function planFiles(files: string[], command: string, format?: string): Array<{ file: string; format: InputFormat }> {
  if (format !== undefined && format !== 'jsonl' && format !== 'csv' && format !== 'tsv') {
    throw new UsageError(`--input-format: "${format}" is not an input format (jsonl, csv, tsv)`)
  }
  return files.map((file) => {
    if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${command}: no such file: ${file}`)
    const f = (format as InputFormat | undefined) ?? detectFormat(file)
    if (!f) throw new UsageError(`${command}: cannot tell the format of ${file} from its extension; pass --input-format jsonl|csv`)
    return { file, format: f }
  })
}

/** Streams one labelled file row by row. */
export async function* readLabelled(
  file: string,
  format: InputFormat,
  mapping: Mapping,
  langHint: string | null,
): AsyncGenerator<LabelledRow> {
  try {
    for await (const item of readRecords(file, format)) {
      if (!item.ok) yield item
      else yield toLabelledRow(format === 'jsonl' ? item.record : coerceCsv(item.record), item.line, mapping, langHint)
    }
  } catch (e) {
    throw new UsageError(`${file}: cannot read: ${(e as Error).message}`, { cause: e })
  }
}

export interface TrainOptions {
  files: string[]
  mapping?: string | undefined
  reset?: boolean | undefined
  lang?: string | undefined
  inputFormat?: string | undefined
  batchSize?: number
}

const MAX_WARNINGS = 20

export const versionJson = (v: ModelVersion): ModelVersionJson => ({ ...v, createdAt: new Date(v.createdAt).toISOString() })

const zeroLabels = (): Record<Label, number> => ({ outage: 0, complaint: 0, question: 0, praise: 0, other: 0 })

export async function runTrain(o: TrainOptions, ctx: CommandContext): Promise<TrainModel> {
  if (!o.files.length && !o.reset) throw new UsageError('train: name at least one labelled file (JSONL or CSV), or pass --reset')
  const mapping = parseMapping(o.mapping)
  const plans = planFiles(o.files, 'train', o.inputFormat)
  return withStore(ctx.config.database, { create: true }, async (db) => {
    const store = db.models
    const active = o.reset ? null : await store.activeVersion()
    const base = o.reset ? null : await loadActiveModel(db)
    // A stored model is parsed fresh and may grow in place; the built-in one is shared: copy it.
    const model = !plans.length ? null : base && !base.shared ? base.model : trainModel([], base?.model)
    const results: TrainFileResult[] = []
    let warnings = 0
    for (const { file, format } of plans) {
      const r: TrainFileResult = { file, rows: 0, examples: 0, bad: 0, skipped: 0, byLabel: zeroLabels() }
      let batch: TrainingExample[] = []
      const flush = () => {
        if (batch.length) addExamples(model!, batch)
        batch = []
      }
      for await (const row of readLabelled(file, format, mapping, o.lang ?? null)) {
        r.rows++
        if (row.ok === 'skip') r.skipped++
        else if (!row.ok) {
          r.bad++
          if (++warnings <= MAX_WARNINGS) ctx.log.warn(`${file}:${row.line}: ${row.error}; row skipped`)
        } else {
          r.examples++
          r.byLabel[row.label]++
          batch.push({ text: row.text, label: row.label, lang: row.lang })
          if (batch.length >= (o.batchSize ?? 2000)) flush()
        }
      }
      flush()
      results.push(r)
      ctx.log.info(`${file}: ${r.examples} examples, ${r.bad} bad rows, ${r.skipped} not annotated`)
    }
    if (warnings > MAX_WARNINGS) ctx.log.warn(`… ${warnings - MAX_WARNINGS} more bad rows not shown`)
    const totals = { rows: 0, examples: 0, bad: 0, skipped: 0, byLabel: zeroLabels() }
    for (const r of results) {
      totals.rows += r.rows
      totals.examples += r.examples
      totals.bad += r.bad
      totals.skipped += r.skipped
      for (const l of LABELS) totals.byLabel[l] += r.byLabel[l]
    }
    if (plans.length && !totals.examples) {
      throw new UsageError(`train: no usable examples in ${o.files.join(', ')}; nothing stored`)
    }
    const version = await store.saveModelVersion({
      action: o.reset ? 'reset' : 'train',
      basedOn: active?.version ?? null,
      description: plans.length ? o.files.join(', ') : 'built-in model',
      examples: totals.examples,
      model: totals.examples ? model : null,
      createdAt: ctx.now,
    })
    return {
      kind: 'train',
      database: ctx.config.database,
      version: versionJson(version),
      files: results,
      totals,
      humanLabels: await store.countHumanLabels(),
    }
  })
}

export async function runListModels(ctx: CommandContext): Promise<ModelsModel> {
  return withStore(ctx.config.database, { create: false }, async (db) => {
    const store = db.models
    const versions = await store.listVersions()
    const active = versions.at(-1)?.version ?? null
    return {
      kind: 'models',
      database: ctx.config.database,
      active,
      versions: versions.map((v) => ({ ...versionJson(v), active: v.version === active })),
      humanLabels: await store.countHumanLabels(),
    }
  })
}
