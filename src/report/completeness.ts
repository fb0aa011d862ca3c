// How complete a report's data is, from the fetch log: per source, which hours of the window no
// successful fetch covered, and whether a rate limit (deferred) or a failure is why. Pure.
import type { Completeness, Hole, HoleReason, SourceCompleteness } from '../models/completeness.js'
import type { FetchRunSpan, RunStatus } from '../models/runs.js'
import { formatLocalMinute } from '../time/zone.js'

export interface CompletenessInput {
  from: number
  until: number
  timezone: string
  /** Sources the report covers (enabled in the config, or present in the data). */
  sources: readonly string[]
  /** Sources with any fetch_runs row ever; the others were imported. */
  fetchedSources: ReadonlySet<string>
  /** Runs overlapping the window. */
  runs: readonly FetchRunSpan[]
}

const H = 3_600_000
/** Data newer than the last successful fetch by less than this is "pending", not a hole. */
const PENDING_GRACE = H

const REASON_TEXT: Record<HoleReason, string> = {
  deferred: 'rate-limited (deferred)',
  failed: 'fetch failed',
  running: 'fetch still running',
  'not-fetched': 'no fetch',
  'since-last-fetch': 'not fetched yet',
}

export function summarizeCompleteness(o: CompletenessInput): Completeness {
  const sources = [...new Set(o.sources)].sort().map((s) => sourceCompleteness(s, o))
  const known = sources.filter((s) => s.status !== 'imported')
  const complete = known.length === 0 ? null : known.every((s) => s.status === 'complete')
  return { complete, sources, notes: sources.map((s) => `${s.source}: ${s.note}`) }
}

function sourceCompleteness(source: string, o: CompletenessInput): SourceCompleteness {
  const firstHour = Math.floor(o.from / H)
  const endHour = Math.ceil(o.until / H)
  const hours = endHour - firstHour
  const base = { source, hours, coveredHours: 0, deferredHours: 0, failedHours: 0, notFetchedHours: 0, pendingHours: 0, coveredUntil: null, holes: [] }
  if (!o.fetchedSources.has(source)) return { ...base, status: 'imported', note: 'imported, completeness unknown' }
  const runs = o.runs.filter((r) => r.source === source)
  const ok = merge(runs.filter((r) => r.status === 'ok' && r.coveredFrom !== null && r.coveredUntil !== null).map((r) => [r.coveredFrom!, r.coveredUntil!] as const))
  const lastOk = ok.length ? Math.min(o.until, ok[ok.length - 1]![1]) : null
  // A run without a covered span still marks the hour it ran in.
  const bad = runs
    .filter((r) => r.status !== 'ok')
    .map((r) => {
      const a = r.coveredFrom ?? r.startedAt
      const b = r.coveredUntil ?? r.finishedAt ?? r.startedAt
      return { from: a, until: Math.max(b, a + 1), status: r.status as Exclude<RunStatus, 'ok'> }
    })
  const reasons: Array<HoleReason | 'ok'> = []
  let covered = 0
  let k = 0
  for (let h = firstHour; h < endHour; h++) {
    const a = Math.max(o.from, h * H)
    const b = Math.min(o.until, (h + 1) * H)
    while (k < ok.length && ok[k]![1] <= a) k++
    if (k < ok.length && ok[k]![0] <= a && ok[k]![1] >= b) {
      covered++
      reasons.push('ok')
      continue
    }
    // A failed or deferred run counts only where no success covered the same time, before or after it.
    const open = uncovered(a, b, ok, k)
    const hit = bad.filter((r) => open.some(([x, y]) => r.from < y && r.until > x)).map((r) => r.status)
    let reason: HoleReason
    if (hit.includes('deferred')) reason = 'deferred'
    else if (hit.includes('failed')) reason = 'failed'
    else if (hit.includes('running')) reason = 'running'
    else if (lastOk !== null && a >= lastOk - H && o.until - lastOk <= PENDING_GRACE) reason = 'since-last-fetch'
    else reason = 'not-fetched'
    reasons.push(reason)
  }
  const holes: Hole[] = []
  for (let i = 0; i < reasons.length; ) {
    const r = reasons[i]!
    let j = i
    while (j < reasons.length && reasons[j] === r) j++
    if (r !== 'ok') {
      holes.push({
        from: new Date(Math.max(o.from, (firstHour + i) * H)).toISOString(),
        until: new Date(Math.min(o.until, (firstHour + j) * H)).toISOString(),
        hours: j - i,
        reason: r,
      })
    }
    i = j
  }
  const count = (reason: HoleReason) => holes.filter((x) => x.reason === reason).reduce((s, x) => s + x.hours, 0)
  const out = {
    ...base,
    coveredHours: covered,
    deferredHours: count('deferred'),
    failedHours: count('failed'),
    notFetchedHours: count('not-fetched') + count('running'),
    pendingHours: count('since-last-fetch'),
    coveredUntil: lastOk === null ? null : new Date(lastOk).toISOString(),
    holes,
  }
  const missing = hours - covered - out.pendingHours
  if (missing === 0) {
    return { ...out, status: 'complete', note: `complete: all ${hours} hours fetched${out.pendingHours ? ` (the last ${out.pendingHours} h not fetched yet)` : ''}` }
  }
  const parts = [
    out.deferredHours && `${out.deferredHours} rate-limited`,
    out.failedHours && `${out.failedHours} failed`,
    out.notFetchedHours && `${out.notFetchedHours} never fetched`,
  ].filter(Boolean)
  const shown = holes.filter((x) => x.reason !== 'since-last-fetch').slice(0, 4)
  const ranges = shown.map((x) => `${local(Date.parse(x.from), o.timezone)}–${local(Date.parse(x.until), o.timezone)} ${REASON_TEXT[x.reason]}`)
  const more = holes.length > shown.length ? `, … (${holes.length} ranges in JSON)` : ''
  return {
    ...out,
    status: 'incomplete',
    note: `${missing} of ${hours} hours without a successful fetch (${parts.join(', ')}): ${ranges.join('; ')}${more}`,
  }
}

/** The parts of [a, b) that the merged, sorted spans from index k on leave uncovered. */
function uncovered(a: number, b: number, spans: ReadonlyArray<readonly [number, number]>, k: number): Array<[number, number]> {
  const out: Array<[number, number]> = []
  let at = a
  for (let i = k; i < spans.length && spans[i]![0] < b; i++) {
    const [x, y] = spans[i]!
    if (x > at) out.push([at, x])
    at = Math.max(at, y)
  }
  if (at < b) out.push([at, b])
  return out
}

function merge(spans: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const sorted = [...spans].filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0])
  const out: Array<[number, number]> = []
  for (const [a, b] of sorted) {
    const last = out[out.length - 1]
    if (last && a <= last[1]) last[1] = Math.max(last[1], b)
    else out.push([a, b])
  }
  return out
}

const local = formatLocalMinute
