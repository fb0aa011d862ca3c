// The output format is chosen here and only here.
import { extname } from 'node:path'
import { UsageError } from '../models/errors.js'

export const FORMATS = ['table', 'json', 'ndjson', 'csv', 'tsv'] as const
export type Format = (typeof FORMATS)[number]

const BY_EXTENSION: Record<string, Format> = { '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.csv': 'csv', '.tsv': 'tsv', '.txt': 'table' }

/** --format wins; then the --output file's extension (JSON for others); then a table for people (TTY) and JSON for pipes. */
export function chooseFormat(flag: string | undefined, stdoutIsTTY: boolean, outputFile?: string): Format {
  if (flag === undefined) {
    if (outputFile !== undefined) return BY_EXTENSION[extname(outputFile).toLowerCase()] ?? 'json'
    return stdoutIsTTY ? 'table' : 'json'
  }
  if ((FORMATS as readonly string[]).includes(flag)) return flag as Format
  throw new UsageError(`--format: "${flag}" is not one of ${FORMATS.join(', ')}`)
}
