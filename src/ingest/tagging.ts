// Tagging on ingest: import (in its reader thread) and fetch label each mention as it arrives.
import { parseModel } from '../classify/bayes.js'
import { builtinModel, createTagger, type Tagger } from '../classify/tagger.js'
import { roundScores } from '../store/model.js'
import type { MentionInput } from '../models/mention.js'
import type { TagSpec } from '../models/tagger.js'

/**
 * Labels a mention in place unless it already carries one (an imported or human label wins), and
 * fills in the detected language where the platform gave none.
 */
export function tagWith(tagger: Tagger): (m: MentionInput) => void {
  return (m) => {
    if (m.label && m.lang) return
    const r = tagger.classify(m.text, m.lang)
    if (!m.label) {
      m.label = r.label
      m.labelSource = 'model'
      m.scores = roundScores(r.scores)
    }
    if (!m.lang && r.lang) m.lang = r.lang
  }
}

export function createTagFn(spec: TagSpec): (m: MentionInput) => void {
  return tagWith(createTagger(spec.model === null ? builtinModel() : parseModel(spec.model)))
}
