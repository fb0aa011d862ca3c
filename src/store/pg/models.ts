// The tagger's stored state on PostgreSQL: model versions, human corrections, model labels. A
// mention's number for keyset paging (SQLite's rowid) is mention_keys.rid: partitioned tables have
// no row number of their own.
import { UsageError } from '../../models/errors.js'
import type { Label, LabelSource } from '../../models/mention.js'
import type { BrandReplyPair, HumanLabelResult, MentionToTag, ModelAction, ModelLabel, ModelVersion, NewModelVersion, ReplyCursor, TagScope, TrainingExample } from '../../models/tagger.js'
import type { LabelHistoryEntry, ModelRepo } from '../types.js'
import { pgError, type PgHandle, withTransaction } from './connect.js'
import { run } from './sql.js'
import { PARENT_JOIN, PgTagger, THREAD_COLUMNS } from './tagger.js'

const SCOPE_WHERE: Record<TagScope, string> = {
  untagged: 'm.label IS NULL',
  model: "(m.label IS NULL OR m.label_source = 'model')",
  all: "m.label_source IS DISTINCT FROM 'human'",
}

interface VersionRow {
  version: number
  created_at: number
  action: ModelAction
  based_on: number | null
  description: string | null
  examples: number
  builtin: boolean
}

const VERSION_COLUMNS = 'version, created_at, action, based_on, description, examples, model IS NULL AS builtin'

const fromVersionRow = (r: VersionRow): ModelVersion => ({
  version: r.version,
  createdAt: r.created_at,
  action: r.action,
  basedOn: r.based_on,
  description: r.description,
  examples: r.examples,
  builtin: r.builtin,
})

export class PgModels implements ModelRepo {
  private readonly tagger: PgTagger
  constructor(readonly handle: PgHandle) {
    this.tagger = new PgTagger(handle)
  }

  firstBrandReplies(after: ReplyCursor | null, limit: number): Promise<BrandReplyPair[]> {
    return this.tagger.firstBrandReplies(after, limit)
  }

  async listVersions(): Promise<ModelVersion[]> {
    return (await run<VersionRow>(this.handle, `SELECT ${VERSION_COLUMNS} FROM models ORDER BY version`)).rows.map(fromVersionRow)
  }

  async activeVersion(): Promise<ModelVersion | null> {
    const r = (await run<VersionRow>(this.handle, `SELECT ${VERSION_COLUMNS} FROM models ORDER BY version DESC LIMIT 1`)).rows[0]
    return r ? fromVersionRow(r) : null
  }

  async activeModel(): Promise<{ version: ModelVersion | null; json: unknown }> {
    const r = (await run<VersionRow & { model: string | null }>(this.handle, `SELECT ${VERSION_COLUMNS}, model FROM models ORDER BY version DESC LIMIT 1`)).rows[0]
    if (!r || r.model === null) return { version: r ? fromVersionRow(r) : null, json: null }
    try {
      return { version: fromVersionRow(r), json: JSON.parse(r.model) as unknown }
    } catch (cause) {
      throw new UsageError(`${this.handle.url}: tagger model version ${r.version} is not valid JSON; run \`listen train --reset\``, { cause })
    }
  }

  async saveModelVersion(v: NewModelVersion): Promise<ModelVersion> {
    const version = (await run<{ version: number }>(this.handle,
      'INSERT INTO models (created_at, action, based_on, description, examples, model) VALUES ($1, $2, $3, $4, $5, $6) RETURNING version',
      [v.createdAt, v.action, v.basedOn, v.description, v.examples, v.model ? JSON.stringify(v.model) : null])).rows[0]!.version
    return { version, createdAt: v.createdAt, action: v.action, basedOn: v.basedOn, description: v.description, examples: v.examples, builtin: v.model === null }
  }

  async humanExamples(): Promise<TrainingExample[]> {
    // In SQLite's order (the (source, id) index), so training sees the examples in the same order.
    return this.tagger.humanExamples()
  }

  async countHumanLabels(): Promise<number> {
    return (await run<{ n: number }>(this.handle, "SELECT count(*) AS n FROM mentions WHERE label_source = 'human'")).rows[0]!.n
  }

  async usesBuiltin(): Promise<boolean> {
    const r = (await run<{ builtin: boolean }>(this.handle, 'SELECT model IS NULL AS builtin FROM models ORDER BY version DESC LIMIT 1')).rows[0]
    return (!r || r.builtin) && (await this.countHumanLabels()) === 0
  }

  async stamp(): Promise<string> {
    const r = (await run<{ model: string | null; labels: string }>(this.handle,
      `SELECT (SELECT version || ':' || created_at FROM models ORDER BY version DESC LIMIT 1) AS model,
              (SELECT count(*) || ':' || coalesce(max(id), 0) FROM labels) AS labels`)).rows[0]!
    return `${r.model ?? 'builtin'}|${r.labels}`
  }

  async saveHumanLabel(source: string, id: string, label: Label, by: string | null, at: number): Promise<HumanLabelResult> {
    try {
      return await withTransaction(this.handle, async (client) => {
        const before = (await client.query<{ label: Label | null; label_source: LabelSource | null; text: string; created_at: number }>(
          `SELECT m.label, m.label_source, m.text, m.created_at FROM mention_keys k
           JOIN mentions m ON m.source = k.source AND m.id = k.id AND m.created_at = k.created_at
           WHERE k.source = $1 AND k.id = $2 FOR UPDATE OF m`, [source, id])).rows[0]
        if (!before) throw new UsageError(`label: no mention ${source}:${id} in ${this.handle.url}`)
        await client.query("UPDATE mentions SET label = $1, label_source = 'human', scores = NULL WHERE source = $2 AND id = $3 AND created_at = $4",
          [label, source, id, before.created_at])
        await client.query(`INSERT INTO labels (source, mention_id, old_label, old_source, new_label, labelled_by, labelled_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7)`, [source, id, before.label, before.label_source, label, by, at])
        return { previous: { label: before.label, labelSource: before.label_source }, text: before.text }
      })
    } catch (e) {
      if (e instanceof UsageError) throw e
      throw pgError(e, this.handle.url)
    }
  }

  async labelHistory(source: string, id: string): Promise<LabelHistoryEntry[]> {
    return (await run<LabelHistoryEntry>(this.handle, `SELECT old_label AS "oldLabel", new_label AS "newLabel", labelled_by AS by, labelled_at AS at
       FROM labels WHERE source = $1 AND mention_id = $2 ORDER BY id`, [source, id])).rows
  }

  async countToTag(scope: TagScope): Promise<number> {
    return (await run<{ n: number }>(this.handle, `SELECT count(*) AS n FROM mentions m WHERE ${SCOPE_WHERE[scope]}`)).rows[0]!.n
  }

  async mentionsToTag(scope: TagScope, afterRowid: number, limit: number): Promise<MentionToTag[]> {
    return (await run<MentionToTag>(this.handle, `SELECT k.rid AS rowid, m.text, m.lang, m.label, m.label_source AS "labelSource", ${THREAD_COLUMNS}
      FROM mention_keys k JOIN mentions m ON m.source = k.source AND m.id = k.id AND m.created_at = k.created_at ${PARENT_JOIN}
      WHERE k.rid > $1 AND ${SCOPE_WHERE[scope]} ORDER BY k.rid LIMIT $2`, [afterRowid, limit])).rows
  }

  async saveModelLabels(labels: readonly ModelLabel[]): Promise<number> {
    if (!labels.length) return 0
    // pii NULL leaves the stored kinds as they are (as SQLite's saveModelLabels).
    return (await run(this.handle, `UPDATE mentions m SET label = u.label, label_source = 'model', scores = u.scores, pii = coalesce(u.pii, m.pii)
      FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS u(rid, label, scores, pii)
      JOIN mention_keys k ON k.rid = u.rid
      WHERE m.source = k.source AND m.id = k.id AND m.created_at = k.created_at AND m.label_source IS DISTINCT FROM 'human'
        AND (m.label IS DISTINCT FROM u.label OR m.label_source IS DISTINCT FROM 'model' OR m.scores IS DISTINCT FROM u.scores
          OR m.pii IS DISTINCT FROM coalesce(u.pii, m.pii))`,
      [labels.map((l) => l.rowid), labels.map((l) => l.label), labels.map((l) => JSON.stringify(l.scores)), labels.map((l) => l.pii ?? null)])).rowCount ?? 0
  }
}
