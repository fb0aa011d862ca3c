import type { ModelLang } from '../models/tagger.js'
import { detectLang, modelLangFor } from './lang.js'
import { scanWords } from './scan.js'
import { toFeatures } from './tokenize.js'

export interface Analysis {
  /** Detected or given language (ISO 639-1), null when unknown. */
  lang: string | null
  /** Which model and lexicon apply. */
  modelLang: ModelLang
  /** Lower-case words, markers and clause boundaries, unstemmed (for rules). */
  words: string[]
  /** Stems, negation-marked, optionally with bigrams (for the model). */
  features: string[]
}

/** text → everything rules and model need. Pure. */
export function analyze(text: string, langHint?: string | null, bigrams = true): Analysis {
  const words = scanWords(text)
  const lang = detectLang(words, text, langHint)
  const modelLang = modelLangFor(lang)
  return { lang, modelLang, words, features: toFeatures(words, modelLang, bigrams) }
}
