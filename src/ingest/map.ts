// Pure: one imported record → one mention, through the --map field=column table.
import { UsageError } from '../models/errors.js'
import { isLabel, type Label, type MentionInput } from '../models/mention.js'
import { parseInstantChecked } from '../time/parse.js'
export const MENTION_FIELDS = [
  'id', 'source', 'brand', 'created_at', 'author', 'author_id', 'text', 'url', 'lang',
  'in_reply_to', 'thread_id', 'by_brand', 'label',
] as const
export type MentionField = (typeof MENTION_FIELDS)[number]

/** field → column; a column written "not:inbound" (or "!inbound") is read as a negated boolean. */
export type FieldMap = Partial<Record<MentionField, string>>

export function parseFieldMap(spec: string | undefined): FieldMap {
  const map: FieldMap = {}
  if (!spec) return map
  for (const pair of spec.split(',')) {
    const [field, column, ...rest] = pair.split('=').map((s) => s.trim())
    if (!field || !column || rest.length) {
      throw new UsageError(`--map: "${pair}" is not field=column (e.g. --map id=tweet_id,text=body)`)
    }
    if (!(MENTION_FIELDS as readonly string[]).includes(field)) {
      throw new UsageError(`--map: unknown field "${field}" (fields: ${MENTION_FIELDS.join(', ')})`)
    }
    map[field as MentionField] = column
  }
  return map
}

// Without a map, the columns may carry the field names in snake_case or camelCase.
const ALIASES: Record<MentionField, string[]> = {
  id: ['id'],
  source: ['source'],
  brand: ['brand'],
  created_at: ['created_at', 'createdAt'],
  author: ['author'],
  author_id: ['author_id', 'authorId'],
  text: ['text'],
  url: ['url'],
  lang: ['lang'],
  in_reply_to: ['in_reply_to', 'inReplyTo'],
  thread_id: ['thread_id', 'threadId'],
  by_brand: ['by_brand', 'byBrand'],
  label: ['label'],
}

export interface MapContext {
  map: FieldMap
  source?: string | undefined
  brand?: string | undefined
  timezone: string
  /** Lower-cased handles (without @) whose posts are the brand's own. */
  handles: ReadonlySet<string>
}

export type MapResult =
  /** `inGap`: created_at was a local time the zone skips (spring forward), read as the time after the jump. */
  | { ok: true; mention: MentionInput; inGap?: boolean }
  /** `missing`: a required field had no value, and the column it was looked up in. */
  | { ok: false; error: string; missing?: { field: MentionField; column: string } }

function pick(record: Record<string, unknown>, ctx: MapContext, field: MentionField): { value: unknown; negate: boolean; column: string } {
  const mapped = ctx.map[field]
  if (mapped) {
    const { column, negate } = negatedColumn(mapped)
    return { value: record[column], negate, column }
  }
  for (const alias of ALIASES[field]) {
    if (alias in record) return { value: record[alias], negate: false, column: alias }
  }
  return { value: undefined, negate: false, column: field }
}

// "not:" needs no quoting in any shell; "!" starts history expansion in an interactive bash.
const NEGATION = /^(?:not:|!)\s*/i

export function negatedColumn(mapped: string): { column: string; negate: boolean } {
  const m = NEGATION.exec(mapped)
  return m ? { column: mapped.slice(m[0].length), negate: true } : { column: mapped, negate: false }
}

function str(v: unknown): string | null {
  if (v === undefined || v === null) return null
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  if (typeof v === 'string') {
    const s = v.trim()
    return s === '' ? null : s
  }
  if (typeof v === 'bigint') return v.toString()
  return null
}

const TRUE = new Set(['true', '1', 'yes', 'y', 't'])
const FALSE = new Set(['false', '0', 'no', 'n', 'f', ''])

export function normalizeRecord(record: Record<string, unknown>, raw: string | null, ctx: MapContext): MapResult {
  const id = pick(record, ctx, 'id')
  const idValue = str(id.value)
  if (!idValue) return { ok: false, error: `missing id (column "${id.column}")`, missing: { field: 'id', column: id.column } }
  const source = ctx.source ?? str(pick(record, ctx, 'source').value)
  if (!source) return { ok: false, error: 'missing source (add a "source" column or pass --source)' }
  const created = pick(record, ctx, 'created_at')
  const createdValue = created.value
  if (createdValue === undefined || createdValue === null || createdValue === '') {
    return { ok: false, error: `missing created_at (column "${created.column}")`, missing: { field: 'created_at', column: created.column } }
  }
  const createdParsed = typeof createdValue === 'number' || typeof createdValue === 'string' ? parseInstantChecked(createdValue, ctx.timezone) : null
  if (createdParsed === null) return { ok: false, error: `cannot read created_at "${String(createdValue)}" as a date` }
  const createdAt = createdParsed.instant
  const text = pick(record, ctx, 'text')
  if (typeof text.value !== 'string') return { ok: false, error: `missing text (column "${text.column}")`, missing: { field: 'text', column: text.column } }

  const author = str(pick(record, ctx, 'author').value)
  const authorId = str(pick(record, ctx, 'author_id').value)
  const byBrandField = pick(record, ctx, 'by_brand')
  let byBrand = false
  if (byBrandField.value !== undefined && byBrandField.value !== null) {
    const v = String(byBrandField.value).trim().toLowerCase()
    if (!TRUE.has(v) && !FALSE.has(v)) return { ok: false, error: `cannot read by_brand "${String(byBrandField.value)}" as true/false` }
    byBrand = TRUE.has(v) !== byBrandField.negate
  }
  if (!byBrand && ctx.handles.size) {
    byBrand = [author, authorId].some((a) => a !== null && ctx.handles.has(a.replace(/^@/, '').toLowerCase()))
  }
  const labelValue = str(pick(record, ctx, 'label').value)
  let label: Label | null = null
  if (labelValue) {
    if (!isLabel(labelValue)) return { ok: false, error: `unknown label "${labelValue}"` }
    label = labelValue
  }
  return {
    ok: true,
    ...(createdParsed.inGap ? { inGap: true } : {}),
    mention: {
      source,
      id: idValue,
      brand: ctx.brand ?? str(pick(record, ctx, 'brand').value),
      createdAt,
      author,
      authorId,
      text: text.value,
      url: str(pick(record, ctx, 'url').value),
      lang: str(pick(record, ctx, 'lang').value),
      inReplyTo: str(pick(record, ctx, 'in_reply_to').value),
      threadId: str(pick(record, ctx, 'thread_id').value),
      byBrand,
      label,
      labelSource: label ? 'import' : null,
      raw: raw ?? JSON.stringify(record),
    },
  }
}
