// Scores as stored and printed, and a model label for a mention on its way into the store.
import { round } from '../lib/number.js'
import type { Label } from '../models/mention.js'
import type { PostContext } from '../models/tagger.js'
import type { Tagger } from './tagger.js'

const round4 = (x: number) => round(x, 4)

/** Scores as stored and printed: 4 decimals are all a reader needs, at a third of the bytes. */
export const roundScores = (s: Record<Label, number>): Record<Label, number> => ({
  outage: round4(s.outage),
  complaint: round4(s.complaint),
  question: round4(s.question),
  praise: round4(s.praise),
  other: round4(s.other),
})

/** A model label for a mention on its way into the store (ingest, listen classify). */
export function classifyForStore(
  tagger: Tagger,
  text: string,
  lang: string | null | undefined,
  context?: PostContext,
): { label: Label; labelSource: 'model'; scores: Record<Label, number> } {
  const r = tagger.classify(text, lang, context)
  return { label: r.label, labelSource: 'model', scores: roundScores(r.scores) }
}
