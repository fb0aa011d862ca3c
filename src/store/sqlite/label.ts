// Labels where they count: the candidate posts for `listen label --next` with their thread, many
// human labels from a file in one transaction, and undo from the labels history.
import type Database from 'better-sqlite3'
import type { HumanLabelInput, HumanLabelsResult, LabelCandidateQuery, LabelCandidateRow, ThreadPost, UndoResult } from '../../models/label.js'
import type { Label, LabelSource } from '../../models/mention.js'
import type { Db } from './db.js'

interface CandidateSqlRow {
  rowid: number
  source: string
  id: string
  brand: string | null
  created_at: number
  author: string | null
  text: string
  lang: string | null
  label: Label | null
  label_source: LabelSource | null
  p_id: string | null
  p_author: string | null
  p_at: number | null
  p_text: string | null
  r_id: string | null
  r_author: string | null
  r_at: number | null
  r_text: string | null
}

const post = (id: string | null, author: string | null, at: number | null, text: string | null): ThreadPost | null =>
  id === null || text === null ? null : { id, author, createdAt: at ?? 0, text }

export const fromCandidateRow = (r: CandidateSqlRow): LabelCandidateRow => ({
  rowid: r.rowid,
  source: r.source,
  id: r.id,
  brand: r.brand,
  createdAt: r.created_at,
  author: r.author,
  text: r.text,
  lang: r.lang,
  label: r.label,
  labelSource: r.label_source,
  parent: post(r.p_id, r.p_author, r.p_at, r.p_text),
  reply: post(r.r_id, r.r_author, r.r_at, r.r_text),
})

export class LabelStore {
  constructor(readonly db: Db) {}

  private stmt(sql: string): Database.Statement {
    return this.db.prepare(sql)
  }

  /**
   * Customer posts without a human or imported label, newest first, each with the post it answers
   * and the brand's first reply to it (same source).
   */
  labelCandidates(q: LabelCandidateQuery): LabelCandidateRow[] {
    const params: unknown[] = []
    let where = "m.by_brand = 0 AND m.label_source IS NOT 'human' AND m.label_source IS NOT 'import'"
    if (q.sources?.length) {
      where += ` AND m.source IN (${q.sources.map(() => '?').join(', ')})`
      params.push(...q.sources)
    }
    if (q.brands?.length) {
      where += ` AND m.brand IN (${q.brands.map(() => '?').join(', ')})`
      params.push(...q.brands)
    }
    params.push(q.pool)
    const rows = this.stmt(
      `SELECT m.rowid, m.source, m.id, m.brand, m.created_at, m.author, m.text, m.lang, m.label, m.label_source,
              p.id AS p_id, p.author AS p_author, p.created_at AS p_at, p.text AS p_text,
              r.id AS r_id, r.author AS r_author, r.created_at AS r_at, r.text AS r_text
       FROM (SELECT rowid, * FROM mentions m WHERE ${where} ORDER BY created_at DESC, rowid DESC LIMIT ?) m
       LEFT JOIN mentions p ON p.source = m.source AND p.id = m.in_reply_to
       LEFT JOIN mentions r ON r.rowid = (SELECT rowid FROM mentions WHERE source = m.source AND in_reply_to = m.id AND by_brand = 1
                                          ORDER BY created_at, rowid LIMIT 1)
       ORDER BY m.created_at DESC, m.rowid DESC`,
    ).all(...params) as CandidateSqlRow[]
    return rows.map(fromCandidateRow)
  }

  /**
   * Human labels from a file in one transaction. With unknown ids and `skipUnknown` false nothing is
   * written; a post that already carries the same human label is left alone (no history row).
   */
  saveHumanLabels(labels: readonly HumanLabelInput[], by: string | null, at: number, skipUnknown: boolean): HumanLabelsResult {
    const get = this.stmt('SELECT label, label_source FROM mentions WHERE source = ? AND id = ?')
    const set = this.stmt("UPDATE mentions SET label = ?, label_source = 'human', scores = NULL WHERE source = ? AND id = ?")
    const log = this.stmt(
      `INSERT INTO labels (source, mention_id, old_label, old_source, new_label, labelled_by, labelled_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    return this.db.transaction((): HumanLabelsResult => {
      const found: Array<[HumanLabelInput, { label: Label | null; label_source: LabelSource | null }]> = []
      const unknown: HumanLabelInput[] = []
      for (const l of labels) {
        const before = get.get(l.source, l.id) as { label: Label | null; label_source: LabelSource | null } | undefined
        if (before) found.push([l, before])
        else unknown.push(l)
      }
      if (unknown.length && !skipUnknown) return { applied: false, saved: 0, unchanged: 0, unknown }
      let saved = 0
      let unchanged = 0
      // A file may label the same post twice: the last line wins, as if run one by one.
      const current = new Map<string, { label: Label | null; label_source: LabelSource | null }>()
      for (const [l, first] of found) {
        const key = `${l.source}\u0000${l.id}`
        const before = current.get(key) ?? first
        if (before.label_source === 'human' && before.label === l.label) {
          unchanged++
          continue
        }
        set.run(l.label, l.source, l.id)
        log.run(l.source, l.id, before.label, before.label_source, l.label, by, at)
        current.set(key, { label: l.label, label_source: 'human' })
        saved++
      }
      return { applied: true, saved, unchanged, unknown }
    })()
  }

  /**
   * Takes back the newest human label of a post: the label and its source before it come back from
   * the history, whose newest row goes. Null when the post has no label history.
   */
  undoHumanLabel(source: string, id: string): UndoResult | null {
    return this.db.transaction((): UndoResult | null => {
      const last = this.stmt(
        'SELECT id, old_label, old_source, new_label FROM labels WHERE source = ? AND mention_id = ? ORDER BY id DESC LIMIT 1',
      ).get(source, id) as { id: number; old_label: Label | null; old_source: LabelSource | null; new_label: Label } | undefined
      if (!last) return null
      // A model score of the earlier guess is not kept: classify recomputes it.
      this.stmt('UPDATE mentions SET label = ?, label_source = ?, scores = NULL WHERE source = ? AND id = ?').run(last.old_label, last.old_source, source, id)
      this.stmt('DELETE FROM labels WHERE id = ?').run(last.id)
      return { label: last.old_label, labelSource: last.old_source, undone: last.new_label }
    })()
  }
}
