// Scoring of the personal-data detector, shared by test/care/pii.test.ts and test/care/pii-measure.mjs:
// the labelled set, the real texts of ../shared, and precision/recall per kind.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'

export const KINDS = ['email', 'phone', 'iban', 'card', 'order', 'customer', 'ticket']
export const SET_FILE = join(import.meta.dirname, 'pii-set.jsonl')

function readJsonl(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
}

/** The labelled set: [{ id, lang, text, pii: [{ kind, value }] }]. */
export function loadPiiSet(file = SET_FILE) {
  return readJsonl(file)
}

/** Real posts: every text of datasets/dev/*.jsonl and the text column of twcs_head5000.csv. */
export function loadRealTexts(shared) {
  const out = []
  const dev = join(shared, 'datasets/dev')
  for (const name of ['airline', 'complaints', 'germeval']) {
    const file = join(dev, `${name}.jsonl`)
    if (existsSync(file)) for (const r of readJsonl(file)) out.push({ source: name, id: String(r.id), text: String(r.text ?? '') })
  }
  const twcs = join(shared, 'datasets/twcs_head5000.csv')
  if (existsSync(twcs)) {
    for (const r of parse(readFileSync(twcs), { columns: true })) out.push({ source: 'twcs', id: r.tweet_id, text: r.text ?? '' })
  }
  return out
}

/**
 * Precision and recall per kind and overall. A finding counts only when kind and exact value
 * (the text between its offsets) equal a gold entry of that post; each gold entry is matched once.
 * `detect(text)` returns [{ kind, start, end }].
 */
export function scorePii(rows, detect) {
  const counts = Object.fromEntries(KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0 }]))
  const errors = []
  for (const row of rows) {
    const gold = row.pii.map((g) => ({ ...g, used: false }))
    for (const f of detect(row.text)) {
      const value = row.text.slice(f.start, f.end)
      const hit = gold.find((g) => !g.used && g.kind === f.kind && g.value === value)
      if (hit) {
        hit.used = true
        counts[f.kind].tp++
      } else {
        counts[f.kind].fp++
        errors.push({ id: row.id, type: 'fp', kind: f.kind, value })
      }
    }
    for (const g of gold) {
      if (!g.used) {
        counts[g.kind].fn++
        errors.push({ id: row.id, type: 'fn', kind: g.kind, value: g.value })
      }
    }
  }
  const total = { tp: 0, fp: 0, fn: 0 }
  for (const c of Object.values(counts)) for (const k of ['tp', 'fp', 'fn']) total[k] += c[k]
  const withRates = (c) => ({ ...c, precision: c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1, recall: c.tp + c.fn ? c.tp / (c.tp + c.fn) : 1 })
  return {
    perKind: Object.fromEntries(KINDS.map((k) => [k, withRates(counts[k])])),
    overall: withRates(total),
    errors,
  }
}
