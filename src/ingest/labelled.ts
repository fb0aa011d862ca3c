// Reading labelled files for listen train and listen eval: one labelled post per row, through a dataset mapping.
import { DATASET_MAPPINGS, type DatasetKind, detectDatasetKind, isCustomerServiceDomain } from '../classify/labels.js'
import { UsageError } from '../models/errors.js'
import type { InputFormat } from '../models/ingest.js'
import { type Label, LABELS } from '../models/mention.js'
import type { Mapping } from '../models/tagger.js'
import { readRecords } from './records.js'

/** A labelled file to read, with its input format. */
export interface LabelledFile {
  file: string
  format: InputFormat
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

// CSV cells are strings; the dataset mappings expect JSON booleans.

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
