// A stored model version (the models table's JSON): naive Bayes and the linear model together.
// Versions written before the linear model existed hold the Bayes model alone; they read back
// with the built-in linear model.
import { UsageError } from '../models/errors.js'
import { type BayesModel, parseModel } from './bayes.js'
import { type LinearModel, parseLinear, serializeLinear, type StoredLinear } from './linear.js'

export const TAGGER_FORMAT = 'listen-tagger'
export const TAGGER_VERSION = 1

export interface StoredTagger {
  format: typeof TAGGER_FORMAT
  version: typeof TAGGER_VERSION
  bayes: BayesModel
  linear: StoredLinear
}

export interface TaggerModels {
  bayes: BayesModel
  /** null: the built-in linear model (a version stored before there was one). */
  linear: LinearModel | null
}

export const serializeTaggerModels = (bayes: BayesModel, linear: LinearModel): StoredTagger => ({ format: TAGGER_FORMAT, version: TAGGER_VERSION, bayes, linear: serializeLinear(linear) })

/** Validates a stored version; throws a UsageError naming what is wrong. */
export function parseTaggerModels(value: unknown): TaggerModels {
  if (!value || typeof value !== 'object' || (value as { format?: unknown }).format !== TAGGER_FORMAT) return { bayes: parseModel(value), linear: null }
  const v = value as Partial<StoredTagger>
  if (v.version !== TAGGER_VERSION) throw new UsageError(`stored tagger model is invalid: version ${String(v.version)} is not supported (expected ${TAGGER_VERSION})`)
  return { bayes: parseModel(v.bayes), linear: parseLinear(v.linear) }
}
