// Shapes of import, init and mentions: rows read and saved, mentions as listed.
import type { StoredMention } from './mention.js'

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
  mentions: Array<Omit<StoredMention, 'createdAt' | 'fetchedAt'> & { createdAt: string; fetchedAt: string }>
}

export type InputFormat = 'jsonl' | 'csv' | 'tsv'
