// Shapes of import, init and mentions: rows read and saved, mentions as listed.
import type { StoredMention } from './mention.js'
import type { EmptyWindow } from './scope.js'

export interface ImportFileResult {
  file: string
  format: InputFormat
  rows: number
  inserted: number
  updated: number
  unchanged: number
  bad: number
}

export interface ImportModel {
  kind: 'import'
  database: string
  files: ImportFileResult[]
  totals: Omit<ImportFileResult, 'file' | 'format'>
}

export interface InitModel {
  kind: 'init'
  path: string
  config: unknown
}

export interface MentionsModel {
  kind: 'mentions'
  timezone: string
  total: number
  shown: number
  /** The --since/--from/--until window, when one was given (ISO). */
  window: { from: string | null; until: string | null } | null
  /** Present when that window held no mention at all: where the data is instead. */
  emptyWindow?: EmptyWindow | undefined
  mentions: Array<
    Omit<StoredMention, 'createdAt' | 'fetchedAt'> & {
      createdAt: string
      fetchedAt: string
      piiMasked: string[]
      /** Questions only: the help article good enough to answer it (listen help-articles), else null. */
      article: { id: string; title: string; url: string; confidence: number } | null
    }
  >
}

export type InputFormat = 'jsonl' | 'csv' | 'tsv'
