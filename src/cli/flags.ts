// Flag values → typed values, each failure a UsageError that names the flag. Pure.
import { existsSync, statSync } from 'fs'
import { detectFormat } from '../ingest/format.js'
import { UsageError } from '../models/errors.js'
import type { InputFormat } from '../models/ingest.js'
import { isLabel, type Label, LABELS } from '../models/mention.js'
import { type Mapping, MAPPINGS } from '../models/tagger.js'

/** Repeatable, comma-separated list flags: ["a,b", "c"] → ["a", "b", "c"]; nothing given → undefined. */
export function splitList(values: string[] | undefined): string[] | undefined {
  const out = values?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)
  return out?.length ? out : undefined
}

/** A number flag with a default and a check; `expected` says what a valid value is. */
export function numberFlag(value: string | number | undefined, flag: string, fallback: number, check: (n: number) => boolean, expected: string): number {
  if (value === undefined) return fallback
  const n = typeof value === 'number' ? value : Number(value.trim())
  if (!Number.isFinite(n) || !check(n) || (typeof value === 'string' && !value.trim())) {
    throw new UsageError(`${flag}: expected ${expected}, got "${value}"`)
  }
  return n
}

/** --limit and the like: a whole number ≥ 0, where 0 means no limit. */
export function limitFlag(value: string | number | undefined, fallback: number, flag = '--limit'): number {
  return numberFlag(value, flag, fallback, (n) => Number.isInteger(n) && n >= 0, 'a whole number ≥ 0 (0 = all)')
}

export function parseLabels(values: string[] | undefined, flag = '--label'): Label[] | undefined {
  return splitList(values)?.map((t) => {
    if (!isLabel(t)) throw new UsageError(`${flag}: unknown label "${t}" (${LABELS.join(', ')})`)
    return t
  })
}

/** An http(s) URL for a webhook or a help centre. */
export function urlFlag(value: string | undefined, flag: string, example: string): string | undefined {
  if (value === undefined) return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`${flag}: expected an http(s) URL such as ${example}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`${flag}: expected an http(s) URL`)
  return value
}

export function parseMapping(value: string | undefined): Mapping {
  if (value === undefined) return 'auto'
  if ((MAPPINGS as readonly string[]).includes(value)) return value as Mapping
  throw new UsageError(`--mapping: "${value}" is not one of ${MAPPINGS.join(', ')}`)
}

// CSV cells are strings; the dataset mappings expect JSON booleans.

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

/** --model / --against: which tagger. */
export function modelChoiceFlag(value: string | undefined, flag = '--model'): 'builtin' | 'active' | undefined {
  if (value === undefined || value === 'builtin' || value === 'active') return value
  throw new UsageError(`${flag}: "${value}" is not one of builtin, active`)
}
