// One progress line on stderr for long imports, fetches and tagging runs: drawn only on a terminal,
// redrawn at most every `intervalMs`, cleared before any other output and at the end. A pipe or a
// log file gets nothing (a dozen lines of ANSI per second would only be noise there). A few lines
// of code, so no dependency.
import type { Progress } from '../commands/context.js'
import { useColor } from './io.js'

export interface ProgressStream {
  write(chunk: string): unknown
  isTTY?: boolean
  columns?: number
}

export interface ProgressOptions {
  /** Clock for throttling (tests pass a fake one). */
  now?: () => number
  /** Least time between two redraws. */
  intervalMs?: number
}

const BAR = 24
const CLEAR = '\r\u001b[2K'

/** Progress on a TTY (not TERM=dumb); a no-op object anywhere else. Colour follows NO_COLOR. */
export function createProgressBar(stream: ProgressStream, env: NodeJS.ProcessEnv, o: ProgressOptions = {}): Progress {
  if (!stream.isTTY || env.TERM === 'dumb') return { update() {}, clear() {} }
  const now = o.now ?? Date.now
  const interval = o.intervalMs ?? 100
  const color = useColor(stream, env)
  let shown = false
  let last = -Infinity
  return {
    update(label, done, total) {
      const t = now()
      const finished = total !== undefined && done >= total
      // The first frame and the last one always draw; the ones between at most once per interval.
      if (shown && !finished && t - last < interval) return
      last = t
      shown = true
      stream.write(CLEAR + fit(line(label, done, total, color), (stream.columns || 80) - 1))
    },
    clear() {
      if (!shown) return
      shown = false
      last = -Infinity
      stream.write(CLEAR)
    },
  }
}

function line(label: string, done: number, total: number | undefined, color: boolean): string {
  if (total === undefined || total <= 0) return `${label} …`
  const share = Math.min(1, Math.max(0, done / total))
  const full = Math.round(share * BAR)
  const bar = '█'.repeat(full) + '░'.repeat(BAR - full)
  return `${color ? `\u001b[36m${bar}\u001b[39m` : bar} ${String(Math.floor(share * 100)).padStart(3)} % ${label}`
}

/** Cuts to the terminal width: a wrapped line could not be cleared with \r. Escapes take no columns. */
function fit(text: string, width: number): string {
  let visible = 0
  let out = ''
  // eslint-disable-next-line no-control-regex
  for (const part of text.split(/(\u001b\[[0-9;]*m)/)) {
    if (part.startsWith('\u001b[')) {
      out += part
      continue
    }
    if (visible >= width) continue
    const chars = [...part]
    const room = width - visible
    out += chars.length > room ? `${chars.slice(0, room - 1).join('')}…` : part
    visible += Math.min(chars.length, room)
  }
  return out
}
