// One input line of `listen classify --input` → its tag or why it was skipped. Shared by the main
// thread and the tagging thread (classify-worker.ts), so both write exactly the same output.
import { roundScores } from '../classify/scores.js'
import type { Tagger } from '../classify/tagger.js'
import type { TaggedLine } from '../models/tagger.js'

/** What the main thread hands the tagging thread (classify-worker.ts). */
export interface LineBatch {
  format: 'jsonl' | 'text'
  lang: string | null
  /** Line numbers and trimmed texts, in file order. */
  lines: Array<[number, string]>
}

export type LineResult = { ok: true; tagged: TaggedLine } | { ok: false; error: string }

/** `trimmed`: the line without surrounding space (non-empty); `line`: its number, the id when it has none. */
export function tagLine(trimmed: string, line: number, format: 'jsonl' | 'text', tagger: Tagger, defaultLang: string | null): LineResult {
  const read = readLine(trimmed, line, format, defaultLang)
  if (!read.ok) return read
  const c = tagger.classify(read.text, read.lang)
  return { ok: true, tagged: { id: read.id, label: c.label, scores: roundScores(c.scores), needsResponse: c.needsResponse, lang: c.lang, lowConfidence: c.lowConfidence } }
}

/** The text, id and language of a line, or why it is not a post. */
export function readLine(trimmed: string, line: number, format: 'jsonl' | 'text', defaultLang: string | null): { ok: true; text: string; id: string | number; lang: string | null } | { ok: false; error: string } {
  if (format === 'text') return { ok: true, text: trimmed, id: line, lang: defaultLang }
  let value: unknown
  try {
    value = JSON.parse(trimmed)
  } catch (e) {
    return { ok: false, error: `not valid JSON (${(e as Error).message})` }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'expected a JSON object with "text"' }
  const r = value as Record<string, unknown>
  if (typeof r.text !== 'string' || !r.text.trim()) return { ok: false, error: typeof r.text === 'string' ? '"text" is empty' : 'no "text" field' }
  const id = typeof r.id === 'string' || typeof r.id === 'number' ? r.id : line
  const lang = typeof r.lang === 'string' && r.lang.trim() ? r.lang : defaultLang
  return { ok: true, text: r.text, id, lang }
}
