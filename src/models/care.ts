// Shapes of the care-desk commands: help articles, recheck (vanished / edited posts), agents and shifts.

/** A help-centre article as stored (help_articles). */
export interface StoredArticle {
  id: string
  url: string
  title: string
  body: string
  lang: string | null
  origin: string
  importedAt: number
}

export interface ArticleSaveCounts {
  inserted: number
  updated: number
  unchanged: number
}

/** What a recheck found for one post. */
export type CheckStatus = 'live' | 'edited' | 'vanished' | 'unknown'

/** A mention due for a recheck, with its state so far (checks 0 = never looked up). */
export interface RecheckCandidate {
  source: string
  id: string
  createdAt: number
  url: string | null
  text: string
  checks: number
  lastText: string | null
}

export interface CheckRecord {
  source: string
  id: string
  checkedAt: number
  /** null: never again. */
  nextCheckAt: number | null
  status: CheckStatus
  /** Set on the check that first found the post gone. */
  vanishedReason?: string | null | undefined
  /** The text the platform shows now, when it differs from the stored one. */
  newText?: string | null | undefined
}

/** A brand reply below a post: who answered (author, signature parsed from the text) and when. */
export interface ReplyRow {
  parentSource: string
  parentId: string
  createdAt: number
  author: string | null
  text: string
}

/** A critical post that vanished, as the store returns it. */
export interface VanishedRow {
  source: string
  id: string
  brand: string | null
  createdAt: number
  author: string | null
  label: string
  url: string | null
  text: string
  lastText: string | null
  vanishedAt: number
  vanishedReason: string | null
}

export interface HelpArticlesModel {
  kind: 'help-articles'
  action: 'import' | 'list'
  database: string
  origin?: string | undefined
  counts?: ArticleSaveCounts | undefined
  /** Pages or feed entries that could not be read (sitemaps): named, the others kept. */
  skipped?: Array<{ url: string; error: string }> | undefined
  articles: Array<{ id: string; title: string; url: string; lang: string | null; words: number; origin: string; importedAt: string }>
}

export interface ArticleMatchModel {
  kind: 'article-match'
  text: string
  lang: string | null
  threshold: number
  matches: Array<{ rank: number; id: string; title: string; url: string; lang: string | null; score: number; confidence: number; shown: boolean }>
}

export interface RecheckSourceResult {
  source: string
  /** 'checked' | 'unsupported' (the platform cannot say) | 'failed' | 'skipped' (no credentials). */
  status: 'checked' | 'unsupported' | 'failed' | 'skipped'
  checked: number
  live: number
  edited: number
  vanished: number
  unknown: number
  requests: number
  error: string | null
}

export interface RecheckModel {
  kind: 'recheck'
  at: string
  /** Posts created since this instant are rechecked. */
  since: string
  due: number
  /** Due posts left for the next run (--limit). */
  deferred: number
  sources: RecheckSourceResult[]
}

export interface VanishedModel {
  kind: 'vanished'
  timezone: string
  from: string
  until: string
  total: number
  items: Array<{
    source: string
    id: string
    brand: string | null
    createdAt: string
    vanishedAt: string
    reason: string | null
    label: string
    author: string | null
    lastText: string
    url: string | null
    answeredBy: string | null
    answeredAt: string | null
  }>
}
