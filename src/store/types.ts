// src/store — the database behind one async interface (this file); SQLite in sqlite/, PostgreSQL in pg/. SQL lives only here.
// The store boundary: what commands ask of a database, whichever backend holds it (SQLite file,
// PostgreSQL server). Every method is async so a networked backend fits; SQLite answers at once.
import type { AlertKind, AlertPost, AlertRecordInput, StoredAlert } from '../models/alerts.js'
import type { LedgerRow } from '../models/audit.js'
import type { BucketRow, Label, MentionFilter, MentionInput, StoredMention, UpsertCounts } from '../models/mention.js'
import type { FetchRunSpan, RunProgress, RunRecord } from '../models/runs.js'
import type { AuditScope, BrandMatcher, SummaryScope } from '../models/scope.js'
import type { ArticleSaveCounts, CheckRecord, RecheckCandidate, ReplyRow, StoredArticle, VanishedRow } from '../models/care.js'
import type { GroupCount } from '../models/summary.js'
import type { QueueCandidate, QueueScope } from '../models/queue.js'
import type { HumanLabelInput, HumanLabelsResult, LabelCandidateQuery, LabelCandidateRow, UndoResult } from '../models/label.js'
import type { BrandReplyPair, HumanLabelResult, MentionToTag, ModelLabel, ModelVersion, NewModelVersion, ReplyCursor, TagScope, TrainingExample } from '../models/tagger.js'
import type { MentionForTopic, TopicCount, TopicSource } from '../models/topics.js'

export interface OpenOptions {
  /** Read commands need an existing database; ingest commands create one. */
  create: boolean
  readonly?: boolean
  /** PostgreSQL: the environment variable holding the password (config databasePasswordEnv), and the environment to read it from. */
  passwordEnv?: string | undefined
  env?: Readonly<Record<string, string | undefined>> | undefined
  /** PostgreSQL: how long a statement that may safely run twice keeps trying through a server restart (config databaseReconnect); 0 = not at all. */
  reconnectMs?: number | undefined
  /** Where the store says it lost and regained its server. */
  log?: { warn(message: string): void } | undefined
}

export interface QuarterHourFilter {
  from: number
  until: number
  sources?: string[] | undefined
  brands?: string[] | undefined
}

export interface MentionSpan {
  first: number
  last: number
  count: number
}

export interface MentionRepo {
  /** Upserts one batch in one transaction; a human label is never replaced. */
  upsertMentions(mentions: readonly MentionInput[], fetchedAt?: number): Promise<UpsertCounts>
  /** The same for rows packed ROW_WIDTH values each (models/row.ts appendRow). */
  upsertRows(flat: readonly unknown[]): Promise<UpsertCounts>
  listMentions(filter: MentionFilter): Promise<StoredMention[]>
  count(filter?: MentionFilter): Promise<number>
  /** Customer mention counts per UTC quarter hour, exact for any window (see the SQLite implementation). */
  countByQuarterHour(filter: QuarterHourFilter): Promise<BucketRow[]>
  /** Oldest and newest mention instants; null when the store is empty. */
  span(): Promise<MentionSpan | null>
}

export interface AuthorCount {
  author: string
  source: string
  n: number
  labelled: number
  negative: number
}

export interface ReportRepo {
  /** Fetch runs whose span (or, without one, whose run time) overlaps [from, until). */
  fetchRuns(from: number, until: number): Promise<FetchRunSpan[]>
  /** Sources that were ever fetched (the others only hold imported data). */
  fetchedSources(): Promise<Set<string>>
  storedSources(): Promise<string[]>
  groupCounts(scope: SummaryScope): Promise<GroupCount[]>
  topAuthors(scope: SummaryScope, limit: number): Promise<AuthorCount[]>
  /** [label ('' = untagged), text], newest first. */
  texts(scope: SummaryScope, limit: number): Promise<Array<[string, string]>>
}

export type AuditStep = (source: string, createdAt: number, label: string, answeredAt: number | null, topic?: string) => void

export interface AuditRepo {
  /**
   * Finds each post's first brand answer since `from`; the other calls read the result, and may be
   * called before it settles (they wait for it).
   */
  computeAnswers(from: number, brand: BrandMatcher): Promise<number>
  /** Calls `step` for every post in scope with its first answer. */
  scanAudit(scope: AuditScope, step: AuditStep): Promise<number>
  answeredCount(scope: AuditScope): Promise<{ total: number; answered: number }>
  /** Posts in scope without an answer, oldest first; limit 0 = all. */
  ledger(scope: AuditScope, limit: number): Promise<LedgerRow[]>
  hasBrandPosts(from: number, brand: BrandMatcher, sources?: readonly string[]): Promise<boolean>
}

export type LockResult = { ok: true } | { ok: false; pid: number; host: string; since: number }

export interface FetchRepo {
  cursor(source: string, key: string): Promise<string | null>
  cursors(source: string): Promise<Array<{ queryKey: string; cursor: string | null; updatedAt: number }>>
  startRun(runId: string, source: string, startedAt: number): Promise<number>
  saveRun(id: number, progress: RunProgress): Promise<void>
  /** One page in its own transaction. */
  savePage(mentions: readonly MentionInput[], fetchedAt: number): Promise<UpsertCounts>
  /** The last page, the new cursor and the run record in one transaction. */
  saveWalkEnd(
    mentions: readonly MentionInput[],
    fetchedAt: number,
    cursor: { source: string; key: string; value: string | null },
    run: { id: number; progress: (counts: UpsertCounts) => RunProgress },
  ): Promise<UpsertCounts>
  lastCoveredUntil(source: string): Promise<number | null>
  latestRuns(): Promise<RunRecord[]>
  tryLock(name: string, pid: number, now: number, isAlive: (pid: number) => boolean): Promise<LockResult>
  markInterrupted(currentRunId: string, now: number): Promise<number>
  unlock(name: string, pid: number): Promise<void>
}

export interface LabelHistoryEntry {
  oldLabel: Label | null
  newLabel: Label
  by: string | null
  at: number
}

export interface ModelRepo {
  listVersions(): Promise<ModelVersion[]>
  activeVersion(): Promise<ModelVersion | null>
  /** The newest version and its model JSON; json null = the built-in model. */
  activeModel(): Promise<{ version: ModelVersion | null; json: unknown }>
  saveModelVersion(v: NewModelVersion): Promise<ModelVersion>
  humanExamples(): Promise<TrainingExample[]>
  countHumanLabels(): Promise<number>
  /** No trained version and no human labels: tagging uses the built-in model as it is. */
  usesBuiltin(): Promise<boolean>
  /** Changes whenever the active model or a human label changes. */
  stamp(): Promise<string>
  saveHumanLabel(source: string, id: string, label: Label, by: string | null, at: number): Promise<HumanLabelResult>
  labelHistory(source: string, id: string): Promise<LabelHistoryEntry[]>
  countToTag(scope: TagScope): Promise<number>
  /** One page of mentions to tag after `afterRowid` (keyset paging). */
  mentionsToTag(scope: TagScope, afterRowid: number, limit: number): Promise<MentionToTag[]>
  saveModelLabels(labels: readonly ModelLabel[]): Promise<number>
  /**
   * Customer posts (not by the brand, not human-labelled) that the brand replied to, each with its
   * first brand reply, in (source, id) order after `after`.
   */
  firstBrandReplies(after: ReplyCursor | null, limit: number): Promise<BrandReplyPair[]>
}

/** listen label --next / --input: posts worth a label, labels from a file, undo. */
export interface LabelRepo {
  /** Customer posts without a human or imported label, newest first, with the parent post and the brand's first reply. */
  labelCandidates(q: LabelCandidateQuery): Promise<LabelCandidateRow[]>
  /** One transaction; unknown ids stop it all unless skipUnknown. */
  saveHumanLabels(labels: readonly HumanLabelInput[], by: string | null, at: number, skipUnknown: boolean): Promise<HumanLabelsResult>
  /** Restores the label before the newest human one (from the labels history); null = nothing to undo. */
  undoHumanLabel(source: string, id: string): Promise<UndoResult | null>
}

export interface AlertRepo {
  firstMentionAt(): Promise<number | null>
  windowPosts(o: { from: number; until: number; brand: string; kind: AlertKind; matcher: BrandMatcher; limit: number }): Promise<AlertPost[]>
  lastFiredAt(brand: string, kind: AlertKind, since: number, at: number): Promise<number | null>
  saveAlert(a: AlertRecordInput): Promise<number>
  markDelivery(ids: readonly number[], ok: boolean, at: number, error: string | null): Promise<void>
  undelivered(limit: number): Promise<{ total: number; alerts: StoredAlert[] }>
}

/** Help-centre articles (listen help-articles): the cached copy of what was imported. */
export interface ArticleRepo {
  /** Upserts by id in one transaction; an article whose fields are the same is left as it is. */
  saveArticles(articles: readonly Omit<StoredArticle, 'importedAt' | 'origin'>[], origin: string, at: number): Promise<ArticleSaveCounts>
  listArticles(): Promise<StoredArticle[]>
}

/** listen recheck and audit --vanished: the state of each post's lookups; mentions are never deleted. */
export interface RecheckRepo {
  /** Posts created in [from, now) on these sources that were never checked or whose next check is due, oldest check first. */
  dueForRecheck(o: { from: number; now: number; sources: readonly string[]; limit: number }): Promise<RecheckCandidate[]>
  countDue(o: { from: number; now: number; sources: readonly string[] }): Promise<number>
  /** One run's results in one transaction. */
  saveChecks(records: readonly CheckRecord[]): Promise<void>
  /** Customer posts with these labels created in [from, until) that vanished, oldest first. */
  vanished(o: { from: number; until: number; labels: readonly string[]; sources?: readonly string[] | undefined; brands?: readonly string[] | undefined; brand: BrandMatcher }): Promise<VanishedRow[]>
  /** Brand replies (direct, or in the thread the post opened) to these posts. */
  repliesTo(posts: ReadonlyArray<{ source: string; id: string }>, brand: BrandMatcher): Promise<ReplyRow[]>
  /** Brand replies created in [from, until) with the post they answer (its created_at; null when not stored). */
  brandReplies(o: { from: number; until: number; sources?: readonly string[] | undefined; brand: BrandMatcher }): Promise<Array<ReplyRow & { parentCreatedAt: number | null }>>
}

export interface QueueRepo {
  /** Customer posts in [from, until) with a queue label that no brand post answers (reply chains as in the audit), oldest first. */
  openPosts(scope: QueueScope): Promise<QueueCandidate[]>
  hasBrandPosts(from: number, scope: QueueScope): Promise<boolean>
}

/** Topics (store/sqlite/topics.ts, store/pg/topics.ts): re-tagging, human corrections, counts, storm alerts. */
export interface TopicRepo {
  countForTopics(scope: TagScope): Promise<number>
  /** One page in rowid order (PostgreSQL: a row number of its own) after `afterRowid`. */
  mentionsForTopics(scope: TagScope, afterRowid: number, limit: number): Promise<MentionForTopic[]>
  /** A human topic is never replaced. Returns rows changed. */
  saveModelTopics(rows: ReadonlyArray<{ rowid: number; topic: string; source: 'keyword' | 'model' }>): Promise<number>
  countHumanTopics(): Promise<number>
  /** null: no such mention. */
  saveHumanTopic(source: string, id: string, topic: string): Promise<{ previous: { topic: string | null; topicSource: TopicSource | null }; text: string } | null>
  topicCounts(scope: SummaryScope): Promise<TopicCount[]>
  stormPosts(o: { from: number; until: number; brand: string; topic: string; matcher: BrandMatcher; limit: number }): Promise<AlertPost[]>
  lastStormAt(brand: string, topic: string, since: number, at: number): Promise<number | null>
  saveStormAlert(a: AlertRecordInput & { topic: string }): Promise<number>
}

/** A read-only query's result: column names as the database gives them (duplicates possible), rows as arrays. */
export interface QueryResult {
  columns: string[]
  rows: unknown[][]
}

export interface Store {
  readonly backend: 'sqlite' | 'postgres'
  /** The file path, or the URL with its password redacted: for messages and caches. */
  readonly location: string
  readonly mentions: MentionRepo
  readonly reports: ReportRepo
  readonly audit: AuditRepo
  readonly runs: FetchRepo
  readonly models: ModelRepo
  readonly alerts: AlertRepo
  readonly labels: LabelRepo
  readonly articles: ArticleRepo
  readonly recheck: RecheckRepo
  readonly queue: QueueRepo
  readonly topics: TopicRepo
  /**
   * One read-only SQL statement (listen query). The connection must not be able to write: SQLite
   * opens the file read-only and sets PRAGMA query_only; PostgreSQL runs it in a READ ONLY
   * transaction (store/pg/query.ts). A statement that writes, or returns no rows, is a UsageError.
   */
  query(sql: string): Promise<QueryResult>
  close(): Promise<void>
}
