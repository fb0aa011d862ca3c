// The output flags every read command shares (--format, --json FIELDS, --output FILE, --bom,
// --no-header, --no-formula-guard), checked before any work, and the writer: data to stdout or the
// file, the model's notices to stderr.
import { renameSync, rmSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { ExitError, UsageError } from '../models/errors.js'
import type { Format } from '../render/format.js'
import { splitList } from './flags.js'

export interface OutputFlags {
  format?: string | undefined
  bom?: boolean | undefined
  /** --json FIELDS; true for a bare --json (then the fields are listed). */
  json?: string | true | undefined
  output?: string | undefined
  /** --no-header makes it false. */
  header?: boolean | undefined
  /** --no-formula-guard makes it false. */
  formulaGuard?: boolean | undefined
}

export interface OutputSpec {
  format: Format
  /** --json FIELDS: the fields, in order ([] for a bare --json, which lists them). */
  fields?: string[] | undefined
  /** Absolute path of --output, or undefined for stdout. */
  file?: string | undefined
  bom: boolean
  header: boolean
  formulaGuard: boolean
}

const CSV_LIKE = (f: Format) => f === 'csv' || f === 'tsv'

/** `choose` is render/format.ts chooseFormat (loaded lazily by the caller). */
export function parseOutputFlags(
  o: OutputFlags,
  stdoutIsTTY: boolean,
  cwd: string,
  choose: (flag: string | undefined, tty: boolean, file?: string) => Format,
): OutputSpec {
  if (o.json !== undefined && o.format !== undefined && o.format !== 'json') {
    throw new UsageError(`--json FIELDS prints JSON; it does not combine with --format ${o.format}`)
  }
  if (o.output !== undefined && !o.output.trim()) throw new UsageError('--output: name a file (or leave --output out for stdout)')
  const file = o.output === undefined || o.output === '-' ? undefined : resolve(cwd, o.output)
  const format = o.json !== undefined ? 'json' : choose(o.format, stdoutIsTTY && file === undefined, file)
  for (const [flag, given] of [['--bom', o.bom === true], ['--no-header', o.header === false], ['--no-formula-guard', o.formulaGuard === false]] as const) {
    if (given && !CSV_LIKE(format)) throw new UsageError(`${flag} applies to csv and tsv output, not ${format} (add --format csv)`)
  }
  return {
    format,
    fields: o.json === undefined ? undefined : o.json === true ? [] : (splitList([o.json]) ?? []),
    file,
    bom: Boolean(o.bom),
    header: o.header !== false,
    formulaGuard: o.formulaGuard !== false,
  }
}

/** Writes next to the target and renames: a failed run never leaves half a file where the old one was. */
export function writeOutputFile(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`
  try {
    writeFileSync(tmp, text)
    renameSync(tmp, file)
  } catch (e) {
    rmSync(tmp, { force: true })
    const code = (e as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : code === 'ENOSPC' ? 'disk full' : (e as Error).message
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EISDIR') throw new UsageError(`--output: cannot write ${file}: ${why}`, { cause: e })
    throw new ExitError(`--output: cannot write ${file}: ${why}`, 1, { cause: e })
  }
}
