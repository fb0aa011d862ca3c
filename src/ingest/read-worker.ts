// Worker thread: parse, map and tag an import file, posting packed batches to the writer.
import { parentPort, workerData } from 'node:worker_threads'
import { produceBatches, type ReadJob, type WorkerMessage } from './batches.js'
import type { Stripe } from './records.js'

const { job, credits, stripe } = workerData as { job: ReadJob; credits: number; stripe: Stripe }
const port = parentPort!
let available = credits
let waiting: (() => void) | null = null
port.on('message', () => {
  available++
  waiting?.()
  waiting = null
})

const post = (m: WorkerMessage) => port.postMessage(m)

try {
  await produceBatches(job, async (batch) => {
    while (available === 0) await new Promise<void>((r) => (waiting = r))
    available--
    post({ type: 'batch', batch })
  }, stripe)
  post({ type: 'done' })
} catch (e) {
  post({ type: 'error', message: (e as Error).message })
}

