// The background retrain of `listen label --next`: rebuilds the model from the database (trained
// version + every human label, as loadActiveTagger does) and picks the next posts, off the key-reading thread.
import { parentPort, workerData } from 'node:worker_threads'
import { nextCandidatesIn } from '../commands/label.js'
import type { LabelNextOptions } from '../commands/label.js'

interface Job {
  database: string
  /** The worker reads the password from its own copy of the environment. */
  passwordEnv?: string
  options: Omit<LabelNextOptions, 'exclude'> & { exclude: string[] }
}

const job = workerData as Job
try {
  const model = await nextCandidatesIn(job.database, { ...job.options, exclude: new Set(job.options.exclude) }, { passwordEnv: job.passwordEnv, env: process.env })
  parentPort!.postMessage({ ok: true, model })
} catch (e) {
  parentPort!.postMessage({ ok: false, error: (e as Error).message })
}
