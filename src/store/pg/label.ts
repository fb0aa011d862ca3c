// LabelRepo on PostgreSQL (SQLite: store/sqlite/label.ts): candidates for `listen label --next` with
// their thread, human labels from a file in one transaction, undo from the labels history. A post is
// found by (source, id) through mention_keys, which names its month partition.
import type { HumanLabelInput, HumanLabelsResult, LabelCandidateQuery, LabelCandidateRow, ThreadPost, UndoResult } from '../../models/label.js'
import type { Label, LabelSource } from '../../models/mention.js'
import { pgError, type PgHandle, withTransaction } from './connect.js'
import { run } from './sql.js'

const post = (id: string | null, author: string | null, at: number | null, text: string | null): ThreadPost | null =>
  id === null || text === null ? null : { id, author, createdAt: Number(at ?? 0), text }

type State = { label: Label | null; label_source: LabelSource | null }

export class PgLabels {
  constructor(readonly h: PgHandle) {}

  private async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (e) {
      throw pgError(e, this.h.url)
    }
  }

  async labelCandidates(q: LabelCandidateQuery): Promise<LabelCandidateRow[]> {
    const params: unknown[] = []
    let where = "NOT m.by_brand AND m.label_source IS DISTINCT FROM 'human' AND m.label_source IS DISTINCT FROM 'import'"
    if (q.sources?.length) {
      params.push([...q.sources])
      where += ` AND m.source = ANY($${params.length}::text[])`
    }
    if (q.brands?.length) {
      params.push([...q.brands])
      where += ` AND m.brand = ANY($${params.length}::text[])`
    }
    params.push(q.pool)
    const sql = `
      SELECT m.source, m.id, m.brand, m.created_at, m.author, m.text, m.lang, m.label, m.label_source,
             p.id AS p_id, p.author AS p_author, p.created_at AS p_at, p.text AS p_text,
             r.id AS r_id, r.author AS r_author, r.created_at AS r_at, r.text AS r_text
      FROM (SELECT * FROM mentions m WHERE ${where} ORDER BY created_at DESC, source, id LIMIT $${params.length}) m
      LEFT JOIN mention_keys pk ON pk.source = m.source AND pk.id = m.in_reply_to
      LEFT JOIN mentions p ON p.source = pk.source AND p.id = pk.id AND p.created_at = pk.created_at
      LEFT JOIN LATERAL (SELECT id, author, created_at, text FROM mentions
                         WHERE source = m.source AND in_reply_to = m.id AND by_brand
                         ORDER BY created_at, id LIMIT 1) r ON true
      ORDER BY m.created_at DESC, m.source, m.id`
    // A read: run() waits out a server restart within the reconnect window.
    const res = await run(this.h, sql, params)
    return res.rows.map((r: Record<string, unknown>, i: number): LabelCandidateRow => ({
      rowid: i + 1,
      source: r.source as string,
      id: r.id as string,
      brand: r.brand as string | null,
      createdAt: Number(r.created_at),
      author: r.author as string | null,
      text: r.text as string,
      lang: r.lang as string | null,
      label: r.label as Label | null,
      labelSource: r.label_source as LabelSource | null,
      parent: post(r.p_id as string | null, r.p_author as string | null, r.p_at as number | null, r.p_text as string | null),
      reply: post(r.r_id as string | null, r.r_author as string | null, r.r_at as number | null, r.r_text as string | null),
    }))
  }

  async saveHumanLabels(labels: readonly HumanLabelInput[], by: string | null, at: number, skipUnknown: boolean): Promise<HumanLabelsResult> {
    return this.run(() =>
      withTransaction(this.h, async (c) => {
        const sources = labels.map((l) => l.source)
        const ids = labels.map((l) => l.id)
        // FOR UPDATE: a concurrent label of the same post waits instead of writing a history row from a stale label.
        const res = await c.query(
          `SELECT k.source, k.id, k.created_at, m.label, m.label_source
           FROM (SELECT DISTINCT s, i FROM unnest($1::text[], $2::text[]) AS u(s, i)) u
           JOIN mention_keys k ON k.source = u.s AND k.id = u.i
           JOIN mentions m ON m.source = k.source AND m.id = k.id AND m.created_at = k.created_at
           FOR UPDATE OF m`,
          [sources, ids],
        )
        const current = new Map<string, State & { created_at: number }>()
        for (const r of res.rows as Array<State & { source: string; id: string; created_at: number }>) current.set(`${r.source}\u0000${r.id}`, r)
        const unknown = labels.filter((l) => !current.has(`${l.source}\u0000${l.id}`))
        if (unknown.length && !skipUnknown) return { applied: false, saved: 0, unchanged: 0, unknown }
        const log: Array<[string, string, Label | null, LabelSource | null, Label]> = []
        const touched = new Set<string>()
        let unchanged = 0
        for (const l of labels) {
          const key = `${l.source}\u0000${l.id}`
          const before = current.get(key)
          if (!before) continue
          if (before.label_source === 'human' && before.label === l.label) {
            unchanged++
            continue
          }
          log.push([l.source, l.id, before.label, before.label_source, l.label])
          current.set(key, { ...before, label: l.label, label_source: 'human' })
          touched.add(key)
        }
        const finals = [...current.entries()].filter(([k]) => touched.has(k))
        if (finals.length) {
          await c.query(
            `UPDATE mentions m SET label = u.l, label_source = 'human', scores = NULL
             FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) AS u(s, i, t, l)
             WHERE m.source = u.s AND m.id = u.i AND m.created_at = u.t`,
            [finals.map(([k]) => k.split('\u0000')[0]), finals.map(([k]) => k.split('\u0000')[1]), finals.map(([, v]) => v.created_at), finals.map(([, v]) => v.label)],
          )
          await c.query(
            `INSERT INTO labels (source, mention_id, old_label, old_source, new_label, labelled_by, labelled_at)
             SELECT s, i, ol, os, nl, $6, $7 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS u(s, i, ol, os, nl, n)
             ORDER BY n`,
            [log.map((x) => x[0]), log.map((x) => x[1]), log.map((x) => x[2]), log.map((x) => x[3]), log.map((x) => x[4]), by, at],
          )
        }
        return { applied: true, saved: log.length, unchanged, unknown }
      }),
    )
  }

  async undoHumanLabel(source: string, id: string): Promise<UndoResult | null> {
    return this.run(() =>
      withTransaction(this.h, async (c) => {
        const last = await c.query(
          'SELECT id, old_label, old_source, new_label FROM labels WHERE source = $1 AND mention_id = $2 ORDER BY id DESC LIMIT 1 FOR UPDATE',
          [source, id],
        )
        const r = last.rows[0] as { id: number; old_label: Label | null; old_source: LabelSource | null; new_label: Label } | undefined
        if (!r) return null
        await c.query(
          `UPDATE mentions m SET label = $3, label_source = $4, scores = NULL
           FROM mention_keys k WHERE k.source = $1 AND k.id = $2 AND m.source = k.source AND m.id = k.id AND m.created_at = k.created_at`,
          [source, id, r.old_label, r.old_source],
        )
        await c.query('DELETE FROM labels WHERE id = $1', [r.id])
        return { label: r.old_label, labelSource: r.old_source, undone: r.new_label }
      }),
    )
  }
}
