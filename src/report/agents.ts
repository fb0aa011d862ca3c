// Who answered and which shift a post arrived in: the audit's per-agent and per-shift breakdowns.
import { createSignatureParser, parseSignature, type SignaturePattern } from '../care/signatures.js'
import type { AuditStats } from '../models/audit.js'
import type { ReplyRow } from '../models/care.js'
import { UsageError } from '../models/errors.js'
import { localParts } from '../time/zone.js'
import { createAuditAccumulator } from './audit.js'

export interface ShiftDef {
  name: string
  days?: readonly string[] | undefined
  from: string
  to: string
}

const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
export const NO_SHIFT = '(no shift)'
const QUARTER = 900_000

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/**
 * instant → the name of the shift it falls in (the first that matches), else NO_SHIFT. A shift whose
 * `to` is before its `from` runs past midnight and belongs to the day it starts. Shift times are on
 * quarter hours (the config checks), so one zone conversion per quarter hour serves every post in it.
 */
export function createShiftResolver(shifts: readonly ShiftDef[], timezone: string): (instant: number) => string {
  for (const s of shifts) if (s.from === s.to) throw new UsageError(`shifts: "${s.name}" starts and ends at ${s.from}; give different from and to`)
  // Per shift and weekday (0 = Mon): the [from, to) minute ranges on that local day.
  const ranges = shifts.map((s) => {
    const days = (s.days ?? DAY_KEYS).map((d) => DAY_KEYS.indexOf(d))
    const from = minutesOf(s.from)
    const to = minutesOf(s.to)
    const byDay: Array<Array<[number, number]>> = Array.from({ length: 7 }, () => [])
    for (const d of days) {
      if (from < to) byDay[d]!.push([from, to])
      else {
        byDay[d]!.push([from, 1440])
        byDay[(d + 1) % 7]!.push([0, to])
      }
    }
    return { name: s.name, byDay }
  })
  const cache = new Map<number, string>()
  return (instant) => {
    const q = Math.floor(instant / QUARTER)
    let name = cache.get(q)
    if (name === undefined) {
      const p = localParts(q * QUARTER, timezone)
      const minute = p.hour * 60 + p.minute
      name = ranges.find((r) => r.byDay[p.weekday]!.some(([a, b]) => minute >= a && minute < b))?.name ?? NO_SHIFT
      if (cache.size > 100_000) cache.clear()
      cache.set(q, name)
    }
    return name
  }
}

export interface ShiftBreakdown {
  add(source: string, createdAt: number, label: string, answeredAt: number | null, topic?: string): void
  rows(): Array<AuditStats & { shift: string }>
}

/** The audit's posts grouped by the shift they arrived in, in config order (NO_SHIFT last). */
export function createShiftBreakdown(shifts: readonly ShiftDef[], timezone: string): ShiftBreakdown {
  const shiftOf = createShiftResolver(shifts, timezone)
  const acc = createAuditAccumulator(timezone)
  const order = [...shifts.map((s) => s.name), NO_SHIFT]
  return {
    add: (_source, createdAt, label, answeredAt) => acc.add(shiftOf(createdAt), createdAt, label, answeredAt),
    rows: () =>
      acc
        .summarize()
        .bySource.map(({ source, ...stats }) => ({ shift: source, ...stats }))
        .sort((a, b) => order.indexOf(a.shift) - order.indexOf(b.shift)),
  }
}

export interface AgentRow extends AuditStats {
  /** The brand account that posted the replies. */
  account: string
  /** The signature ("JK", "Anna"), or null for unsigned replies. */
  agent: string | null
}

/**
 * Brand replies grouped by account and signed agent: how many posts each answered and how fast
 * (reply time − the post's time; replies to posts we do not hold are left out).
 */
export function summarizeAgents(replies: ReadonlyArray<ReplyRow & { parentCreatedAt: number | null }>, patterns: readonly SignaturePattern[], timezone: string): AgentRow[] {
  const parser = createSignatureParser(patterns)
  const acc = createAuditAccumulator(timezone)
  const keys: Array<{ account: string; agent: string | null }> = []
  const index = new Map<string, number>()
  for (const r of replies) {
    // A reply to a post we do not hold has no response time to count.
    if (r.parentCreatedAt === null) continue
    const account = r.author ?? '(unknown)'
    const agent = parseSignature(parser, r.text)
    const key = `${account}\u0000${agent ?? ''}`
    if (!index.has(key)) {
      index.set(key, keys.length)
      keys.push({ account, agent })
    }
    // The key goes in as the "source": the accumulator groups by it.
    acc.add(String(index.get(key)), r.parentCreatedAt, '', r.createdAt)
  }
  return acc
    .summarize()
    .bySource.map(({ source, ...stats }) => ({ ...keys[Number(source)]!, ...stats }))
    .sort((a, b) => b.mentions - a.mentions || a.account.localeCompare(b.account) || (a.agent ?? '').localeCompare(b.agent ?? ''))
}
