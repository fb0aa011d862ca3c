// listen import FILE...: stream JSONL/CSV into the store in batches, idempotently.
import { statSync } from 'node:fs'
import { basename } from 'node:path'
import { type ReadJob, readMentionBatches } from '../ingest/batches.js'
import type { FieldMap } from '../ingest/map.js'
import { activeTagSpec } from '../ingest/tagging.js'
import { UsageError } from '../models/errors.js'
import type { ImportFileResult, ImportModel, InputFormat } from '../models/ingest.js'
import type { TagSpec } from '../models/tagger.js'
import { openStore } from '../store/open.js'
import type { CommandContext } from './context.js'

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
}

const MAX_WARNINGS = 20

export async function runImport(o: ImportOptions, ctx: CommandContext): Promise<ImportModel> {
  const handles = new Set<string>(o.handles)
  for (const b of ctx.config.brands) {
    if (o.brand && b.name !== o.brand) continue
    for (const [platform, h] of Object.entries(b.handles ?? {})) {
      if (o.source && platform !== o.source) continue
      for (const one of Array.isArray(h) ? h : [h]) handles.add(one.replace(/^@/, '').toLowerCase())
    }
  }
  const db = await openStore(ctx.config.database, { create: true })
  const store = db.mentions
  const results: ImportFileResult[] = []
  let warnings = 0
  try {
    const tag: TagSpec | null = o.tag ? await activeTagSpec(db) : null
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
      }
      // Progress in bytes of the file: the row count is not known before the end.
      const size = statSync(file).size
      let done = 0
      const progress = () => ctx.progress?.update(`import ${basename(file)}: ${r.rows.toLocaleString('en-US')} rows`, Math.min(done, size), size)
      progress()
      try {
        for await (const batch of readMentionBatches(job)) {
          const c = await store.upsertRows(batch.rows)
          r.rows += batch.records
          done = batch.bytes ?? done
          progress()
          r.inserted += c.inserted
          r.updated += c.updated
          r.unchanged += c.unchanged
          for (const b of batch.bad) {
            r.bad++
            if (++warnings <= MAX_WARNINGS) ctx.log.warn(`${file}:${b.line}: ${b.error}; row skipped`)
          }
        }
      } catch (e) {
        throw new UsageError(`${file}: cannot read: ${(e as Error).message}; rows before the problem were saved`, { cause: e })
      } finally {
        ctx.progress?.clear()
      }
      results.push(r)
      ctx.log.info(`${file}: ${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.bad} bad rows`)
    }
  } finally {
    await db.close()
  }
  if (warnings > MAX_WARNINGS) ctx.log.warn(`… ${warnings - MAX_WARNINGS} more bad rows not shown`)
  const totals = { rows: 0, inserted: 0, updated: 0, unchanged: 0, bad: 0 }
  for (const r of results) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r[k]
  if (results.length > 1) ctx.log.info(`import: ${results.length} files, ${totals.inserted} new, ${totals.updated} updated, ${totals.unchanged} unchanged, ${totals.bad} bad rows`)
  return { kind: 'import', database: ctx.config.database, files: results, totals }
}
