// A file's format from its name: apart from the readers so that flag parsing (and --help) does not load the CSV parser.
import type { InputFormat } from '../models/ingest.js'

export function detectFormat(file: string): InputFormat | null {
  const lower = file.toLowerCase().replace(/\.gz$/, '')
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson') || lower.endsWith('.json')) return 'jsonl'
  if (lower.endsWith('.csv')) return 'csv'
  if (lower.endsWith('.tsv') || lower.endsWith('.tab')) return 'tsv'
  return null
}
