// When a post is looked up again (listen recheck), and what a lookup means for it. Pure.
import type { CheckStatus, RecheckCandidate } from '../models/care.js'

const HOUR = 3_600_000
/**
 * Gaps after the 1st, 2nd, … check: posts vanish mostly in their first hours (a deleted complaint
 * after the brand's reply, a moderator's removal), so the early checks are close and later ones far.
 */
export const RECHECK_STEPS_MS: readonly number[] = [HOUR, 3 * HOUR, 12 * HOUR, 24 * HOUR, 72 * HOUR, 168 * HOUR]
/** Posts older than this are not looked up again. */
export const RECHECK_MAX_AGE_MS = 30 * 24 * HOUR

/** The next check after `checks` checks (this one included), or null when the schedule ends. */
export function nextRecheckAt(createdAt: number, checks: number, now: number, maxAgeMs = RECHECK_MAX_AGE_MS): number | null {
  if (checks > RECHECK_STEPS_MS.length) return null
  const next = now + RECHECK_STEPS_MS[Math.max(0, Math.min(checks, RECHECK_STEPS_MS.length) - 1)]!
  return next - createdAt > maxAgeMs ? null : next
}

const squeeze = (s: string) => s.replace(/\s+/g, ' ').trim()

/** What a platform's answer means for a stored post; `newText` only when it differs from the newest text seen. */
export function recheckOutcome(
  post: Pick<RecheckCandidate, 'text' | 'lastText'>,
  outcome: { state: 'live'; text: string } | { state: 'gone'; reason: string } | undefined,
): { status: CheckStatus; newText: string | null; reason: string | null } {
  if (!outcome) return { status: 'unknown', newText: null, reason: null }
  if (outcome.state === 'gone') return { status: 'vanished', newText: null, reason: outcome.reason }
  const seen = post.lastText ?? post.text
  if (squeeze(outcome.text) === squeeze(seen)) return { status: post.lastText !== null ? 'edited' : 'live', newText: null, reason: null }
  // Back to the text we stored first: still an edited post, its newest text is the original again.
  return { status: 'edited', newText: outcome.text, reason: null }
}
