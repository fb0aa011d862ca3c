// The care queue's order: outage > complaint > question > untagged; within a label a post whose
// author is still waiting on an earlier one, or whose thread has grown, comes first; then the oldest.
import type { QueueCandidate, QueueLabel } from '../models/queue.js'

export const DEFAULT_SLA_MS = 60 * 60_000

const TIER: Record<QueueLabel, number> = { outage: 0, complaint: 1, question: 2, untagged: 3 }

export interface RankedPost {
  post: QueueCandidate
  label: QueueLabel
  /** Earlier posts by the same author (same source) still waiting. */
  authorWaiting: number
  /** Author waiting again or thread grown: ahead of the others with its label. */
  pressed: boolean
  ageMs: number
  slaMs: number
  slaLeftMs: number
  breached: boolean
}

export function queueLabelOf(label: string | null): QueueLabel | null {
  if (label === null) return 'untagged'
  return label === 'outage' || label === 'complaint' || label === 'question' ? label : null
}

/** Ranks unanswered posts at `now` with a time-to-first-answer per label (ms). Posts of other labels are left out. */
export function rankQueue(posts: readonly QueueCandidate[], now: number, sla: Record<QueueLabel, number>): RankedPost[] {
  // Oldest first, so an author's count of earlier waiting posts is the count seen so far.
  const byAge = [...posts].sort((a, b) => a.createdAt - b.createdAt || cmp(a.source, b.source) || cmp(a.id, b.id))
  const seen = new Map<string, number>()
  const ranked: RankedPost[] = []
  for (const post of byAge) {
    const label = queueLabelOf(post.label)
    if (label === null) continue
    const who = post.authorId ?? post.author
    let authorWaiting = 0
    if (who !== null) {
      const key = `${post.source}\u0000${who.toLowerCase()}`
      authorWaiting = seen.get(key) ?? 0
      seen.set(key, authorWaiting + 1)
    }
    const slaMs = sla[label]
    const slaLeftMs = post.createdAt + slaMs - now
    ranked.push({ post, label, authorWaiting, pressed: authorWaiting > 0 || post.replies > 0, ageMs: Math.max(0, now - post.createdAt), slaMs, slaLeftMs, breached: slaLeftMs < 0 })
  }
  // A stable sort keeps the oldest first within equal keys.
  return ranked.sort((a, b) => TIER[a.label] - TIER[b.label] || Number(b.pressed) - Number(a.pressed))
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
