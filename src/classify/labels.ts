// How the labelled corpora in ../shared/datasets map to our five classes (datasets/README.md).
// Used by training and evaluation; rows that cannot be mapped give null and are skipped.
import { isLabel, type Label } from '../models/mention.js'

export type DatasetKind = 'airline' | 'complaints' | 'germeval' | 'listen'

/** Crowdflower airline sentiment: negative → complaint, positive → praise, neutral → other. */
export function mapAirline(row: { sentiment?: unknown }): Label | null {
  switch (row.sentiment) {
    case 'negative':
      return 'complaint'
    case 'positive':
      return 'praise'
    case 'neutral':
      return 'other'
    default:
      return null
  }
}

/** ACL 2019 complaints: true → complaint (outage counts as complaint there); false → other. */
export function mapComplaints(row: { complaint?: unknown }): Label | null {
  if (row.complaint === true) return 'complaint'
  if (row.complaint === false) return 'other'
  return null
}

/** Customer-service rows of the complaints corpus (the random_* domains were never annotated). */
export function isCustomerServiceDomain(row: { domain?: unknown }): boolean {
  return typeof row.domain === 'string' && !row.domain.startsWith('random_')
}

/** GermEval 2017: negative → complaint, positive → praise, neutral or irrelevant → other. */
export function mapGermeval(row: { sentiment?: unknown; relevant?: unknown }): Label | null {
  if (row.relevant === false) return 'other'
  switch (row.sentiment) {
    case 'negative':
      return 'complaint'
    case 'positive':
      return 'praise'
    case 'neutral':
      return 'other'
    default:
      return null
  }
}

/** Our own five-class files (silver5, fixtures, `listen train` input): `label` as is. */
export function mapListen(row: { label?: unknown }): Label | null {
  return isLabel(row.label) ? row.label : null
}

export const DATASET_MAPPINGS: Record<DatasetKind, (row: Record<string, unknown>) => Label | null> = {
  airline: mapAirline,
  complaints: mapComplaints,
  germeval: mapGermeval,
  listen: mapListen,
}

/** Collapses five-class predictions for three-way sentiment scoring (airline): outage → complaint, question → other. */
export function toSentiment3(label: Label): 'complaint' | 'praise' | 'other' {
  if (label === 'outage' || label === 'complaint') return 'complaint'
  if (label === 'praise') return 'praise'
  return 'other'
}

/** Guesses which corpus a row comes from by its fields. */
export function detectDatasetKind(row: Record<string, unknown>): DatasetKind | null {
  if (isLabel(row.label)) return 'listen'
  if (typeof row.complaint === 'boolean') return 'complaints'
  if ('relevant' in row && 'sentiment' in row) return 'germeval'
  if ('sentiment' in row) return 'airline'
  return null
}
