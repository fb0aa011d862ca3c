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

/** One post of the window as the store reads it for the queue; isBrand as the audit decides it. */
export interface WindowPost extends QueueCandidate {
  inReplyTo: string | null
  threadId: string | null
  isBrand: boolean
}

const MAX_DEPTH = 40

/**
 * The window's customer posts that no brand post of the window answers, with their thread growth:
 * the audit's rule (store/sqlite/audit.ts computeAnswers) on one window read. A brand post answers
 * the post it replies to, every customer post up that reply chain, and the root of its thread. All
 * of that lies inside the window: an answer and a reply come after the post they answer.
 */
export function openPostsOf(posts: readonly WindowPost[]): QueueCandidate[] {
  const byKey = new Map<string, WindowPost>()
  const key = (source: string, id: string) => `${source}\u0000${id}`
  for (const p of posts) byKey.set(key(p.source, p.id), p)
  const answered = new Set<WindowPost>()
  const replies = new Map<WindowPost, number>()
  for (const b of posts) {
    if (!b.isBrand) {
      const parent = b.inReplyTo === null ? undefined : byKey.get(key(b.source, b.inReplyTo))
      if (parent) replies.set(parent, (replies.get(parent) ?? 0) + 1)
      continue
    }
    const start = b.inReplyTo ?? b.threadId
    let at = start === null ? undefined : byKey.get(key(b.source, start))
    for (let depth = 0; at && depth <= MAX_DEPTH; depth++) {
      answered.add(at)
      if (at.isBrand || at.inReplyTo === null) break
      at = byKey.get(key(at.source, at.inReplyTo))
    }
    if (b.inReplyTo !== null && b.threadId !== null && b.threadId !== b.inReplyTo && b.threadId !== b.id) {
      const root = byKey.get(key(b.source, b.threadId))
      if (root) answered.add(root)
    }
  }
  const out: QueueCandidate[] = []
  for (const p of posts) {
    if (p.isBrand || answered.has(p)) continue
    const { inReplyTo: _r, threadId: _t, isBrand: _b, ...candidate } = p
    out.push({ ...candidate, replies: replies.get(p) ?? 0 })
  }
  return out
}
