// The tagger's stored state: model versions (listen train), human corrections (listen label), model
// labels written back by listen classify. ingest/tagging.ts builds the tagger from them.
import type Database from 'better-sqlite3'
import { UsageError } from '../../models/errors.js'
import type { Label, LabelSource } from '../../models/mention.js'
import type { BrandReplyPair, HumanLabelResult, MentionToTag, ModelAction, ModelLabel, ModelVersion, NewModelVersion, ReplyCursor, TagScope, TrainingExample } from '../../models/tagger.js'
import type { Db } from './db.js'
import { firstBrandReplies } from './replies.js'
const SCOPE_WHERE: Record<TagScope, string> = {
  untagged: 'label IS NULL',
  model: "(label IS NULL OR label_source = 'model')",
  all: "label_source IS NOT 'human'",
}

interface VersionRow {
  version: number
  created_at: number
  action: ModelAction
  based_on: number | null
  description: string | null
  examples: number
  builtin: number
}

const VERSION_COLUMNS = 'version, created_at, action, based_on, description, examples, model IS NULL AS builtin'

const fromVersionRow = (r: VersionRow): ModelVersion => ({
  version: r.version,
  createdAt: r.created_at,
  action: r.action,
  basedOn: r.based_on,
  description: r.description,
  examples: r.examples,
  builtin: r.builtin === 1,
})

export class ModelStore {
  // Every statement runs once per command or per batch of thousands of rows: no statement cache.
  constructor(readonly db: Db) {}

  private stmt(sql: string): Database.Statement {
    return this.db.prepare(sql)
  }

  /** Every version, oldest first. */
  listVersions(): ModelVersion[] {
    return (this.stmt(`SELECT ${VERSION_COLUMNS} FROM models ORDER BY version`).all() as VersionRow[]).map(fromVersionRow)
  }

  /** The newest version is the active one; null when none was ever stored (built-in model). */
  activeVersion(): ModelVersion | null {
    const r = this.stmt(`SELECT ${VERSION_COLUMNS} FROM models ORDER BY version DESC LIMIT 1`).get() as VersionRow | undefined
    return r ? fromVersionRow(r) : null
  }

  /** The newest version and its model JSON; json null = the built-in model (none stored, or --reset). */
  activeModel(): { version: ModelVersion | null; json: unknown } {
    const r = this.stmt(`SELECT ${VERSION_COLUMNS}, model FROM models ORDER BY version DESC LIMIT 1`).get() as
      | (VersionRow & { model: string | null })
      | undefined
    if (!r || r.model === null) return { version: r ? fromVersionRow(r) : null, json: null }
    try {
      return { version: fromVersionRow(r), json: JSON.parse(r.model) as unknown }
    } catch (cause) {
      throw new UsageError(`${this.db.name}: tagger model version ${r.version} is not valid JSON; run \`listen train --reset\``, { cause })
    }
  }

  saveModelVersion(v: NewModelVersion): ModelVersion {
    const info = this.stmt(
      'INSERT INTO models (created_at, action, based_on, description, examples, model) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(v.createdAt, v.action, v.basedOn, v.description, v.examples, v.model ? JSON.stringify(v.model) : null)
    return {
      version: Number(info.lastInsertRowid),
      createdAt: v.createdAt,
      action: v.action,
      basedOn: v.basedOn,
      description: v.description,
      examples: v.examples,
      builtin: v.model === null,
    }
  }

  /** Human-labelled mentions as training examples. */
  humanExamples(): TrainingExample[] {
    const rows = this.stmt(
      `SELECT m.text, m.label, m.lang, coalesce(p.by_brand, 0) AS followUp
       FROM mentions m LEFT JOIN mentions p ON p.source = m.source AND p.id = m.in_reply_to
       WHERE m.label_source = 'human'`,
    ).all() as Array<Omit<TrainingExample, 'followUp'> & { followUp: number }>
    return rows.map((r) => ({ ...r, followUp: r.followUp === 1 }))
  }

  countHumanLabels(): number {
    return (this.stmt("SELECT count(*) AS n FROM mentions WHERE label_source = 'human'").get() as { n: number }).n
  }

  /** True when tagging uses the built-in model as it is: no trained version and no human labels. */
  usesBuiltin(): boolean {
    const r = this.stmt('SELECT model IS NULL AS builtin FROM models ORDER BY version DESC LIMIT 1').get() as { builtin: number } | undefined
    return (!r || r.builtin === 1) && this.countHumanLabels() === 0
  }

  /** Changes whenever the active model or a human label changes: the tagger cache key. */
  stamp(): string {
    const r = this.stmt(
      `SELECT (SELECT version || ':' || created_at FROM models ORDER BY version DESC LIMIT 1) AS model,
              (SELECT count(*) || ':' || coalesce(max(id), 0) FROM labels) AS labels`,
    ).get() as { model: string | null; labels: string }
    return `${r.model ?? 'builtin'}|${r.labels}`
  }

  /** Records a human correction; it wins over the model from now on. Throws when the mention is unknown. */
  saveHumanLabel(source: string, id: string, label: Label, by: string | null, at: number): HumanLabelResult {
    return this.db.transaction((): HumanLabelResult => {
      const before = this.stmt('SELECT label, label_source, text FROM mentions WHERE source = ? AND id = ?').get(source, id) as
        | { label: Label | null; label_source: LabelSource | null; text: string }
        | undefined
      if (!before) throw new UsageError(`label: no mention ${source}:${id} in ${this.db.name}`)
      this.stmt("UPDATE mentions SET label = ?, label_source = 'human', scores = NULL WHERE source = ? AND id = ?").run(label, source, id)
      this.stmt(
        `INSERT INTO labels (source, mention_id, old_label, old_source, new_label, labelled_by, labelled_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(source, id, before.label, before.label_source, label, by, at)
      return { previous: { label: before.label, labelSource: before.label_source }, text: before.text }
    }).immediate()
  }

  labelHistory(source: string, id: string): Array<{ oldLabel: Label | null; newLabel: Label; by: string | null; at: number }> {
    return this.stmt(
      `SELECT old_label AS oldLabel, new_label AS newLabel, labelled_by AS by, labelled_at AS at
       FROM labels WHERE source = ? AND mention_id = ? ORDER BY id`,
    ).all(source, id) as Array<{ oldLabel: Label | null; newLabel: Label; by: string | null; at: number }>
  }

  countToTag(scope: TagScope): number {
    return (this.stmt(`SELECT count(*) AS n FROM mentions WHERE ${SCOPE_WHERE[scope]}`).get() as { n: number }).n
  }

  /** One page of mentions to tag, in rowid order after `afterRowid` (keyset paging: no open cursor while writing). */
  mentionsToTag(scope: TagScope, afterRowid: number, limit: number): MentionToTag[] {
    // The parent, when stored, by its primary key: one index probe per reply.
    const rows = this.stmt(
      `SELECT m.rowid, m.text, m.lang, m.label, m.label_source AS labelSource, m.source, m.id,
              m.in_reply_to AS inReplyTo, m.thread_id AS threadId, coalesce(p.by_brand, 0) AS parentByBrand
       FROM mentions m LEFT JOIN mentions p ON p.source = m.source AND p.id = m.in_reply_to
       WHERE m.rowid > ? AND ${SCOPE_WHERE[scope].replace(/\b(label|label_source)\b/g, 'm.$1')} ORDER BY m.rowid LIMIT ?`,
    ).all(afterRowid, limit) as Array<Omit<MentionToTag, 'parentByBrand'> & { parentByBrand: number }>
    return rows.map((r) => ({ ...r, parentByBrand: r.parentByBrand === 1 }))
  }

  /** Writes model labels in one transaction; a human label is never replaced. Returns rows changed. */
  saveModelLabels(labels: readonly ModelLabel[]): number {
    const update = this.stmt(
      `UPDATE mentions SET label = @label, label_source = 'model', scores = @scores, pii = coalesce(@pii, pii)
       WHERE rowid = @rowid AND label_source IS NOT 'human'
         AND (label IS NOT @label OR label_source IS NOT 'model' OR scores IS NOT @scores OR pii IS NOT coalesce(@pii, pii))`,
    )
    let changed = 0
    this.db.transaction(() => {
      for (const l of labels) changed += update.run({ rowid: l.rowid, label: l.label, scores: JSON.stringify(l.scores), pii: l.pii ?? null }).changes
    }).immediate()
    return changed
  }

  firstBrandReplies(after: ReplyCursor | null, limit: number): BrandReplyPair[] {
    return firstBrandReplies(this.db, after, limit)
  }
}
