// listen label --next on a terminal: one card at a time, a key per answer, each answer saved at once;
// every `retrainEvery` answers a worker thread rebuilds the model and picks the next posts while the
// user keeps labelling. Cards go to stderr (the terminal); stdout stays for data.
// LISTEN_FORCE_TTY=1 reads the keys from a piped stdin, so an e2e test can drive a real process.
import { Worker } from 'node:worker_threads'
import type { CommandContext } from '../commands/context.js'
import type { LabelNextOptions, LabelSessionStore } from '../commands/label.js'
import type { LabelCandidate, LabelNextModel } from '../models/label.js'
import { type Label, LABELS } from '../models/mention.js'
import { renderLabelCard } from '../render/label-card.js'
import { useColor } from './io.js'

export interface Terminal {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown }
  output: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }
  color: boolean
  /** Real terminal: raw mode, screen cleared between cards. */
  raw: boolean
}

/** The terminal to label on, or null when stdin or stderr is not one (then --next prints a list). */
export function labelTerminal(env: NodeJS.ProcessEnv): Terminal | null {
  const forced = env.LISTEN_FORCE_TTY === '1'
  if (!forced && !(process.stdin.isTTY && process.stderr.isTTY)) return null
  return { input: process.stdin, output: process.stderr, color: useColor(process.stderr, env), raw: !forced && Boolean(process.stdin.isTTY) }
}

export interface SessionOptions extends LabelNextOptions {
  retrainEvery: number
  by: string | null
}

export interface SessionSummary {
  labelled: number
  skipped: number
  undone: number
  retrains: number
}

/** Where new candidates come from: the worker thread in the CLI, a function in unit tests. */
export type Refill = (exclude: ReadonlySet<string>) => Promise<LabelNextModel>

function keyReader(input: Terminal['input']): { next(): Promise<string | null>; close(): void } {
  const buffered: string[] = []
  let ended = false
  let wake: (() => void) | null = null
  const onData = (chunk: Buffer | string) => {
    for (const ch of String(chunk)) buffered.push(ch)
    wake?.()
  }
  const onEnd = () => {
    ended = true
    wake?.()
  }
  input.on('data', onData)
  input.on('end', onEnd)
  input.resume()
  return {
    async next() {
      for (;;) {
        if (buffered.length) return buffered.shift()!
        if (ended) return null
        await new Promise<void>((r) => (wake = r))
        wake = null
      }
    },
    close() {
      input.off('data', onData)
      input.off('end', onEnd)
      input.pause()
    },
  }
}

const KEY_OF: Record<string, Label> = Object.fromEntries(LABELS.map((l, i) => [String(i + 1), l]))

/** The session loop, with the store and the refill injected. Returns what happened. */
export async function labelLoop(
  o: SessionOptions,
  store: LabelSessionStore,
  term: Terminal,
  refill: Refill,
  now: () => number,
  log: (line: string) => void,
): Promise<SessionSummary> {
  const seen = new Set<string>()
  const batch = Math.max(o.n, o.retrainEvery * 2)
  let queue: LabelCandidate[] = (await store.next({ ...o, n: batch })).candidates
  const done: LabelCandidate[] = []
  const summary: SessionSummary = { labelled: 0, skipped: 0, undone: 0, retrains: 0 }
  let sinceRetrain = 0
  let pending: Promise<void> | null = null
  let status: string | undefined
  // The worker reports while a card waits for its key: said at once, under the prompt.
  const background = (line: string) => term.output.write(`\n  ${line}\n> `)
  const retrain = () => {
    if (pending) return
    sinceRetrain = 0
    const exclude = new Set(seen)
    pending = refill(exclude)
      .then((m) => {
        summary.retrains++
        // Answers given while the worker ran are already out of the new list's way.
        queue = m.candidates.filter((c) => !seen.has(c.mention))
        background(`model rebuilt (${m.model}): the next posts are picked by it`)
      })
      .catch((e: Error) => {
        background(`could not rebuild the model: ${e.message}; keeping the current list`)
      })
      .finally(() => {
        pending = null
      })
  }
  const keys = keyReader(term.input)
  if (term.raw) term.input.setRawMode?.(true)
  try {
    for (;;) {
      if (!queue.length && pending) await pending
      if (!queue.length) {
        queue = (await store.next({ ...o, n: batch, exclude: seen })).candidates
        if (!queue.length) {
          log('no more posts to label: every customer post has a human or imported label')
          break
        }
      }
      const c = queue[0]!
      if (term.raw) term.output.write('\u001b[2J\u001b[H')
      term.output.write(`${renderLabelCard(c, { color: term.color, labelled: summary.labelled, width: term.output.columns ?? 80, status })}> `)
      status = undefined
      const key = await keys.next()
      term.output.write('\n')
      if (key === null || key === 'q' || key === '\u0003' || key === '\u0004') break
      const label = KEY_OF[key]
      if (label) {
        await store.save(c.source, c.id, label, o.by, now())
        // The worker may have replaced the list while this card waited: drop the post by name.
        queue = queue.filter((x) => x.mention !== c.mention)
        seen.add(c.mention)
        done.push(c)
        summary.labelled++
        status = `saved ${c.mention} as ${label}`
        if (o.retrainEvery > 0 && ++sinceRetrain >= o.retrainEvery) {
          retrain()
          status += '; rebuilding the model in the background'
        }
      } else if (key === 's') {
        queue = queue.filter((x) => x.mention !== c.mention)
        seen.add(c.mention)
        summary.skipped++
        status = `skipped ${c.mention}`
      } else if (key === 'u') {
        const last = done.pop()
        if (!last) {
          status = 'nothing to undo'
          continue
        }
        const r = await store.undo(last.source, last.id)
        seen.delete(last.mention)
        queue.unshift(last)
        summary.labelled--
        summary.undone++
        if (sinceRetrain > 0) sinceRetrain--
        status = `undid ${last.mention}: back to ${r?.label ?? 'no label'}${r?.labelSource ? ` (${r.labelSource})` : ''}`
      } else if (key.trim()) {
        status = `key "${key}": 1-5 label, s skip, u undo, q quit`
      }
    }
  } finally {
    if (term.raw) term.input.setRawMode?.(false)
    keys.close()
    if (pending) await pending
  }
  return summary
}

/** Runs the refill in a worker thread: the model rebuild never blocks the key loop. */
export function workerRefill(database: string, o: LabelNextOptions, n: number, passwordEnv?: string): Refill {
  return (exclude) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./label-worker.js', import.meta.url), {
        workerData: { database, passwordEnv, options: { ...o, n, exclude: [...exclude] } },
      })
      worker.once('message', (m: { ok: true; model: LabelNextModel } | { ok: false; error: string }) => {
        if (m.ok) resolve(m.model)
        else reject(new Error(m.error))
      })
      worker.once('error', reject)
      worker.once('exit', (code) => {
        if (code !== 0) reject(new Error(`the retrain worker stopped (exit ${code})`))
      })
    })
}

export async function runLabelSession(o: SessionOptions, ctx: CommandContext, term: Terminal): Promise<SessionSummary> {
  const { openLabelSession } = await import('../commands/label.js')
  const store = await openLabelSession(ctx.config.database, { passwordEnv: ctx.config.databasePasswordEnv, env: ctx.env })
  try {
    const batch = Math.max(o.n, o.retrainEvery * 2)
    const say = (line: string) => term.output.write(`${line}\n`)
    const summary = await labelLoop(o, store, term, workerRefill(ctx.config.database, o, batch, ctx.config.databasePasswordEnv), Date.now, say)
    say(
      `${summary.labelled} label${summary.labelled === 1 ? '' : 's'} saved, ${summary.skipped} skipped, ${summary.undone} undone, model rebuilt ${summary.retrains} time${summary.retrains === 1 ? '' : 's'}`,
    )
    return summary
  } finally {
    await store.close()
  }
}
