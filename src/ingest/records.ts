// Streaming readers for imported files: one record at a time with its line number, never the whole file.
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { parse } from 'csv-parse'
import type { InputFormat } from '../models/ingest.js'
/** `index`: the record's place among the file's records (blank lines are not records), from 0. */
export type SourceRecord =
  | { ok: true; line: number; index: number; record: Record<string, unknown>; raw: string | null }
  | { ok: false; line: number; index: number; error: string }

/** Read only some records: those whose index falls in a chunk of `size` records numbered `part` modulo `parts`. */
export interface Stripe {
  size: number
  part: number
  parts: number
}

export { detectFormat } from './format.js'

/** `position.bytes`: how far into the file reading has got (read-ahead included), for progress. */
/** A stripe (JSON lines only) skips the other records unparsed: several readers share one file. */
export async function* readRecords(file: string, format: InputFormat, position?: { bytes: number }, stripe?: Stripe): AsyncGenerator<SourceRecord> {
  if (format === 'jsonl') yield* readJsonLines(file, position, stripe)
  else if (stripe && stripe.parts > 1) throw new Error(`only JSON lines can be read in stripes, not ${format}`)
  else yield* readDelimited(file, format === 'tsv' ? '\t' : ',', position)
}

async function* readJsonLines(file: string, position?: { bytes: number }, stripe?: Stripe): AsyncGenerator<SourceRecord> {
  const input = createReadStream(file, { encoding: 'utf8' })
  const lines = createInterface({ input, crlfDelay: Infinity })
  let line = 0
  let index = -1
  for await (const text of lines) {
    line++
    if (position) position.bytes = input.bytesRead
    const trimmed = line === 1 ? text.replace(/^\ufeff/, '').trim() : text.trim()
    if (!trimmed) continue
    index++
    if (stripe && Math.floor(index / stripe.size) % stripe.parts !== stripe.part) continue
    let value: unknown
    try {
      value = JSON.parse(trimmed)
    } catch (e) {
      yield { ok: false, line, index, error: `not valid JSON (${(e as Error).message})` }
      continue
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      yield { ok: false, line, index, error: 'expected a JSON object on each line' }
      continue
    }
    yield { ok: true, line, index, record: value as Record<string, unknown>, raw: trimmed }
  }
}

async function* readDelimited(file: string, delimiter: string, position?: { bytes: number }): AsyncGenerator<SourceRecord> {
  const skipped: SourceRecord[] = []
  let index = 0
  const input = createReadStream(file)
  const parser = input.pipe(
    parse({
      columns: (header: string[]) => header.map((h) => h.trim()),
      delimiter,
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      // A broken record is reported with its line and skipped; the rest of the file still loads.
      skip_records_with_error: true,
    }),
  )
  parser.on('skip', (err: Error & { lines?: number }) => {
    skipped.push({ ok: false, line: err.lines ?? 0, index: index++, error: err.message })
  })
  for await (const item of parser as AsyncIterable<{ record: Record<string, unknown>; info: { lines: number; columns?: unknown } }>) {
    while (skipped.length) yield skipped.shift()!
    if (position) position.bytes = input.bytesRead
    yield { ok: true, line: item.info.lines, index: index++, record: item.record, raw: null }
  }
  while (skipped.length) yield skipped.shift()!
}
