// src/ingest — rows into mentions: file readers, the row map, labelled files, tagging on the way in.
// Reading an import file into batches of packed rows, off the main thread when the compiled worker
// is available: the workers parse, map and tag while the main thread only writes to SQLite. When
// tagging a JSON lines file, one worker per core shares the file in chunks of batchSize records
// (chunk c goes to worker c mod n) and the writer takes the chunks back in file order, so the
// result is the same as with one reader whatever the tagger costs per post.
import { existsSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { InputFormat } from '../models/ingest.js'
import { appendRow } from '../models/row.js'
import type { TagSpec } from '../models/tagger.js'
import type { PiiDetectorOptions } from '../care/pii.js'
import { type FieldMap, type MapContext, normalizeRecord } from './map.js'
import { readRecords, type Stripe } from './records.js'

export interface ReadJob {
  file: string
  format: InputFormat
  map: FieldMap
  source?: string | undefined
  brand?: string | undefined
  timezone: string
  handles: string[]
  batchSize: number
  fetchedAt: number
  /** How to tag each mention on its way in; null = leave untagged. */
  tag: TagSpec | null
  /** Reader threads sharing the file (JSON lines only); default: one per core when tagging, else one. */
  readers?: number | undefined
  /** Personal-data detection (kinds into the pii column); null = leave unchecked. */
  pii?: PiiDetectorOptions | null | undefined
}

export interface RowBatch {
  /** ROW_WIDTH values per mention (see store/mentions.ts appendRow). */
  rows: unknown[]
  /** Records read for this batch, good and bad. */
  records: number
  /** Bytes of the file read so far (for progress). */
  bytes?: number
  bad: Array<{ line: number; error: string; missing?: { field: string; column: string } }>
  /** Rows saved without a label because tagging them failed. */
  untagged: Array<{ line: number; error: string }>
  /** Which chunk of batchSize records this is (0, 1, …: file order). */
  chunk: number
  /** Rows whose local created_at the zone skips (spring forward): kept, moved past the gap; the first one's instant. */
  gap: { rows: number; first: number | null }
  /** The first record's column names (CSV header, or the keys of the first JSON object), in the first batch. */
  columns?: string[]
}

export type WorkerMessage = { type: 'batch'; batch: RowBatch } | { type: 'done' } | { type: 'error'; message: string }

/**
 * The loop itself, shared by the workers and the in-thread fallback: one batch per chunk of
 * batchSize records (good and bad), of the chunks the stripe selects (all without one).
 */
export async function produceBatches(job: ReadJob, emit: (batch: RowBatch) => Promise<void>, stripe?: Stripe): Promise<void> {
  const ctx: MapContext = { map: job.map, source: job.source, brand: job.brand, timezone: job.timezone, handles: new Set(job.handles) }
  const tag = job.tag ? (await import('./tagging.js')).createTagFn(job.tag) : null
  const pii = job.pii ? (await import('./pii.js')).piiWith(job.pii) : null
  const empty = (chunk: number): RowBatch => ({ rows: [], records: 0, chunk, bad: [], untagged: [], gap: { rows: 0, first: null } })
  let batch = empty(0)
  let columns: string[] | null = null
  const position = { bytes: 0 }
  for await (const item of readRecords(job.file, job.format, position, stripe)) {
    const chunk = Math.floor(item.index / job.batchSize)
    if (chunk !== batch.chunk) {
      if (batch.records) {
        batch.bytes = position.bytes
        await emit(batch)
      }
      batch = empty(chunk)
    }
    batch.records++
    if (!item.ok) batch.bad.push({ line: item.line, error: item.error })
    else {
      if (columns === null) batch.columns = columns = Object.keys(item.record)
      // One row that breaks the mapping or the tagger costs that row (or its label), never the file.
      let m: ReturnType<typeof normalizeRecord>
      try {
        m = normalizeRecord(item.record, item.raw, ctx)
      } catch (e) {
        m = { ok: false, error: `cannot read this row (${(e as Error).message})` }
      }
      if (!m.ok) batch.bad.push({ line: item.line, error: m.error, ...(m.missing ? { missing: m.missing } : {}) })
      else {
        if (m.inGap && batch.gap.rows++ === 0) batch.gap.first = m.mention.createdAt
        if (tag) {
          try {
            tag(m.mention)
          } catch (e) {
            batch.untagged.push({ line: item.line, error: (e as Error).message })
          }
        }
        pii?.(m.mention)
        appendRow(batch.rows, m.mention, job.fetchedAt)
      }
    }
  }
  if (batch.records) await emit({ ...batch, bytes: position.bytes })
}

const WORKER = new URL('./read-worker.js', import.meta.url)
/** Batches in flight between the worker and the writer: enough to overlap, little memory. */
const CREDITS = 2

export async function* readMentionBatches(job: ReadJob): AsyncGenerator<RowBatch> {
  // Under vitest the sources are TypeScript and there is no compiled worker: read in this thread.
  if (!existsSync(fileURLToPath(WORKER))) {
    const queue: RowBatch[] = []
    let resume: (() => void) | null = null
    let finished = false
    let failure: unknown = null
    let wake: (() => void) | null = null
    void produceBatches(job, async (b) => {
      queue.push(b)
      wake?.()
      if (queue.length >= CREDITS) await new Promise<void>((r) => (resume = r))
    })
      .catch((e) => (failure = e))
      .finally(() => {
        finished = true
        wake?.()
      })
    for (;;) {
      if (queue.length) {
        yield queue.shift()!
        const r = resume as (() => void) | null
        resume = null
        r?.()
        continue
      }
      if (failure) throw failure
      if (finished) return
      await new Promise<void>((r) => (wake = r))
      wake = null
    }
  }
  const readers = job.format === 'jsonl' ? Math.max(1, job.readers ?? defaultReaders(job)) : 1
  const pool = Array.from({ length: readers }, (_, part) => startReader(job, { size: job.batchSize, part, parts: readers }, readers > 1 ? 128 : 256))
  try {
    for (let chunk = 0; ; chunk++) {
      const reader = pool[chunk % readers]!
      const m = await reader.next()
      if (m.type === 'done') return
      if (m.type === 'error') throw new Error(m.message)
      if (m.batch.chunk !== chunk) throw new Error(`reader ${chunk % readers} sent chunk ${m.batch.chunk} where ${chunk} was due`)
      yield m.batch
      reader.credit()
    }
  } finally {
    await Promise.all(pool.map((r) => r.stop()))
  }
}

/**
 * One reader per idle core when tagging (at most 4): with no idle core a second reader only adds
 * its own model and warm-up (measured on 2 busy cores, load 14.7: 0.77× the speed of one reader,
 * peak RSS 301 MB against 231 MB). Without tagging the writer is the slower side: one reader.
 */
function defaultReaders(job: ReadJob): number {
  if (!job.tag) return 1
  const cores = availableParallelism()
  const idle = Math.floor(cores - (loadavg()[0] ?? 0))
  return Math.max(1, Math.min(4, cores, idle))
}

interface Reader {
  next(): Promise<WorkerMessage>
  credit(): void
  stop(): Promise<unknown>
}

function startReader(job: ReadJob, stripe: Stripe, oldGenerationMb: number): Reader {
  // A small young generation keeps the reader's garbage from piling up, and several readers share
  // the old-generation budget (peak RSS is a goal: ≤300 MB for 1M rows).
  const worker = new Worker(WORKER, { workerData: { job, credits: CREDITS, stripe }, resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: oldGenerationMb } })
  const inbox: WorkerMessage[] = []
  let wake: (() => void) | null = null
  let exitError: Error | null = null
  worker.on('message', (m: WorkerMessage) => {
    inbox.push(m)
    wake?.()
  })
  worker.on('error', (e) => {
    exitError = e
    wake?.()
  })
  worker.on('exit', (code) => {
    if (code !== 0 && !exitError) exitError = new Error(`reader thread exited with code ${code}`)
    wake?.()
  })
  return {
    async next() {
      for (;;) {
        const m = inbox.shift()
        if (m) return m
        if (exitError) throw exitError
        await new Promise<void>((r) => (wake = r))
        wake = null
      }
    },
    credit: () => worker.postMessage('credit'),
    stop: () => worker.terminate(),
  }
}
