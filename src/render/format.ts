// The output format is chosen here and only here.
import { UsageError } from '../models/errors.js'

export const FORMATS = ['table', 'json', 'ndjson', 'csv'] as const
export type Format = (typeof FORMATS)[number]

/** --format wins; otherwise a table for people (TTY) and JSON for pipes. */
export function chooseFormat(flag: string | undefined, stdoutIsTTY: boolean): Format {
  if (flag === undefined) return stdoutIsTTY ? 'table' : 'json'
  if ((FORMATS as readonly string[]).includes(flag)) return flag as Format
  throw new UsageError(`--format: "${flag}" is not one of ${FORMATS.join(', ')}`)
}
