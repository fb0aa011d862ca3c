// listen import FILE...: stream JSONL/CSV into the store in batches, idempotently.
import { statSync } from 'node:fs'
import { basename } from 'node:path'
import { type ReadJob, type RowBatch, readMentionBatches } from '../ingest/batches.js'
import type { FieldMap } from '../ingest/map.js'
import { formatMapFlag, suggestFieldMap } from '../ingest/suggest-map.js'
import { piiConfigured, piiOptionsOf } from '../ingest/pii-options.js'
import { activeTagSpec } from '../ingest/tag-spec.js'
import { ExitError, StoreError, UsageError } from '../models/errors.js'
import type { ImportFileResult, ImportModel, InputFormat } from '../models/ingest.js'
import type { UpsertCounts } from '../models/mention.js'
import type { TagSpec } from '../models/tagger.js'
import { badRowWarning, columnsHint, gapNote, moreBadRowsNote, readFailure, repeatsNote, savedSoFar, storeFailure, untaggedWarning } from '../render/import-notes.js'
import { openStore } from '../store/open.js'
import { storeAuth, type CommandContext } from './context.js'

/** Typed and checked by the CLI (cli/commands/import.ts parseImportFlags). */
export interface ImportOptions {
  /** Existing files with their input format. */
  files: Array<{ file: string; format: InputFormat }>
  map: FieldMap
  source?: string | undefined
  brand?: string | undefined
  /** Extra brand handles (lower case, without "@") whose posts are marked as the brand's own. */
  handles: string[]
  batchSize?: number
  /** Tag on the way in with the database's active model. */
  tag: boolean
  /** Reader threads for a JSON lines file; default one per idle core when tagging (at most 4), else one. */
  readers?: number | undefined
  /** Topics on the way in too (with tag); false: --no-topics. */
  topics?: boolean | undefined
}

const MAX_WARNINGS = 20
/** Identical errors shown per file before the rest are only counted. */
const MAX_SAME = 5

export async function runImport(o: ImportOptions, ctx: CommandContext): Promise<ImportModel> {
  const handles = new Set<string>(o.handles)
  for (const b of ctx.config.brands) {
    if (o.brand && b.name !== o.brand) continue
    for (const [platform, h] of Object.entries(b.handles ?? {})) {
      if (o.source && platform !== o.source) continue
      for (const one of Array.isArray(h) ? h : [h]) handles.add(one.replace(/^@/, '').toLowerCase())
    }
  }
  const pii = piiOptionsOf(ctx.config.pii)
  // A bad config pattern or region is a usage error here, before the reader thread starts.
  if (piiConfigured(pii)) (await import('../ingest/pii.js')).piiWith(pii)
  const db = await openStore(ctx.config.database, { ...storeAuth(ctx), create: true })
  const store = db.mentions
  const results: ImportFileResult[] = []
  let warnings = 0
  const warn = (line: string) => {
    if (++warnings <= MAX_WARNINGS) ctx.log.warn(line)
  }
  try {
    const tag: TagSpec | null = o.tag ? { ...(await activeTagSpec(db)), topics: o.topics === false ? false : (ctx.config.topics ?? null) } : null
    for (const { file, format } of o.files) {
      const r: ImportFileResult = { file, format, rows: 0, inserted: 0, updated: 0, unchanged: 0, bad: 0 }
      const job: ReadJob = {
        file,
        format,
        map: o.map,
        source: o.source,
        brand: o.brand,
        timezone: ctx.timezone,
        handles: [...handles],
        batchSize: o.batchSize ?? 2000,
        fetchedAt: ctx.now,
        tag,
        readers: o.readers,
        pii,
      }
      // Progress in bytes of the file: the row count is not known before the end.
      const size = statSync(file).size
      let done = 0
      const progress = () => ctx.progress?.update(`import ${basename(file)}: ${r.rows.toLocaleString('en-US')} rows`, Math.min(done, size), size)
      progress()
      const same = new Map<string, number>()
      const missing = new Map<string, string>()
      let columns: string[] = []
      const gap = { rows: 0, first: null as number | null }
      const batches = readMentionBatches(job)
      try {
        for (;;) {
          let next: IteratorResult<RowBatch>
          try {
            next = await batches.next()
          } catch (e) {
            throw new UsageError(readFailure(file, (e as Error).message, savedSoFar(file, r, results)), { cause: e })
          }
          if (next.done) break
          const batch = next.value
          let c: UpsertCounts
          try {
            c = await store.upsertRows(batch.rows)
          } catch (e) {
            if (!(e instanceof StoreError)) throw e
            throw new ExitError(storeFailure(e.message, file, savedSoFar(file, r, results)), 1, { cause: e })
          }
          r.rows += batch.records
          done = batch.bytes ?? done
          progress()
          r.inserted += c.inserted
          r.updated += c.updated
          r.unchanged += c.unchanged
          if (batch.columns && !columns.length) columns = batch.columns
          if (batch.gap.rows && gap.rows === 0) gap.first = batch.gap.first
          gap.rows += batch.gap.rows
          for (const b of batch.bad) {
            r.bad++
            const seen = (same.get(b.error) ?? 0) + 1
            same.set(b.error, seen)
            if (seen <= MAX_SAME) warn(badRowWarning(file, b.line, b.error))
            if (b.missing) missing.set(b.missing.field, b.missing.column)
          }
          for (const u of batch.untagged) warn(untaggedWarning(file, u.line, u.error))
        }
      } finally {
        await batches.return(undefined)
        ctx.progress?.clear()
      }
      if (gap.rows) ctx.log.warn(gapNote(file, gap.rows, ctx.timezone, gap.first!))
      for (const [error, count] of same) if (count > MAX_SAME) ctx.log.warn(repeatsNote(file, count - MAX_SAME, error))
      // Rows that failed on a column the file does not have: a file from elsewhere, imported without --map.
      const absent = [...missing].filter(([, column]) => !columns.includes(column)).map(([field]) => field)
      if (absent.length && columns.length) {
        const pairs = suggestFieldMap(columns)
        const covers = absent.every((f) => pairs.some((p) => p.startsWith(`${f}=`)))
        for (const line of columnsHint(file, absent, columns, covers ? formatMapFlag(pairs) : null)) ctx.log.warn(line)
      }
      results.push(r)
      ctx.log.info(`${file}: ${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.bad} bad rows`)
    }
  } finally {
    await db.close()
  }
  if (warnings > MAX_WARNINGS) ctx.log.warn(moreBadRowsNote(warnings - MAX_WARNINGS))
  const totals = { rows: 0, inserted: 0, updated: 0, unchanged: 0, bad: 0 }
  for (const r of results) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r[k]
  if (results.length > 1) ctx.log.info(`import: ${results.length} files, ${totals.inserted} new, ${totals.updated} updated, ${totals.unchanged} unchanged, ${totals.bad} bad rows`)
  return { kind: 'import', database: ctx.config.database, files: results, totals }
}
