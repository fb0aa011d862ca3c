// The audit's answer walk (findAnswers) on its own thread and connection, into a buffer shared with
// the thread that scans the posts meanwhile (AuditStore.computeAnswers).
import { parentPort, workerData } from 'node:worker_threads'
import type { BrandMatcher } from '../../models/scope.js'
import { findAnswers } from './audit.js'
import { openDb } from './db.js'

const job = workerData as { path: string; from: number; brand: BrandMatcher; buffer: SharedArrayBuffer }
const db = openDb(job.path, { create: false, readonly: true })
try {
  parentPort!.postMessage(findAnswers(db, job.from, job.brand, new Float64Array(job.buffer)))
} finally {
  db.close()
}
