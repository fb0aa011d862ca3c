// Worker thread of `listen classify --input`: tags batches of lines with the tagger the main thread
// chose (its TagSpec), so tagging uses a second core while the main thread reads, tags its own
// share and writes.
import { parentPort, workerData } from 'node:worker_threads'
import type { TagSpec } from '../models/tagger.js'
import { type LineBatch, type LineResult, tagLine } from './line-tag.js'
import { taggerFromSpec } from './tagging.js'

const tagger = taggerFromSpec((workerData as { spec: TagSpec }).spec)
const port = parentPort!
port.on('message', (b: LineBatch) => {
  try {
    const out: LineResult[] = b.lines.map(([line, text]) => tagLine(text, line, b.format, tagger, b.lang))
    port.postMessage({ ok: true, results: out })
  } catch (e) {
    port.postMessage({ ok: false, message: (e as Error).message })
  }
})
