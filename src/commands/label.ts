// listen label <source>:<id> <label>: a human correction. It wins over the model (classify and
// re-imports never replace it) and becomes a training example for the tagger.
import { access, constants } from 'node:fs/promises'
import { selectForLabelling, uncertaintyOf } from '../classify/select.js'
import { roundScores } from '../classify/scores.js'
import { readRecords } from '../ingest/records.js'
import { loadActiveTagger, modelInfo } from '../ingest/tagging.js'
import { ExitError, UsageError } from '../models/errors.js'
import type { InputFormat } from '../models/ingest.js'
import type { HumanLabelInput, LabelCandidate, LabelInputModel, LabelNextModel, Uncertainty, UndoResult } from '../models/label.js'
import { isLabel, type Label, LABELS } from '../models/mention.js'
import type { HumanLabelResult, LabelModel } from '../models/tagger.js'
import { openStore, withStore } from '../store/open.js'
import type { OpenOptions, Store } from '../store/types.js'
import { storeAuth, type CommandContext } from './context.js'

/** Typed and checked by the CLI (cli/commands/label.ts parseLabelArgs). */
export interface LabelOptions {
  source: string
  id: string
  label: Label
  /** Who corrected it; null = unknown. */
  by: string | null
}

export async function runLabel(o: LabelOptions, ctx: CommandContext): Promise<LabelModel> {
  const { source, id, label, by } = o
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: false }, async (store) => {
    const r = await store.models.saveHumanLabel(source, id, label, by, ctx.now)
    return {
      kind: 'label',
      database: ctx.config.database,
      source,
      id,
      label,
      previousLabel: r.previous.label,
      previousSource: r.previous.labelSource,
      by,
      at: new Date(ctx.now).toISOString(),
      text: r.text,
    }
  })
}

// ---- listen label --next: the posts the current model is least sure of ----

export interface LabelNextOptions {
  n: number
  strategy: Uncertainty
  /** The newest posts scored; older ones are not considered. */
  pool: number
  sources?: readonly string[] | undefined
  brands?: readonly string[] | undefined
  /** "source:id" already shown in this session (skipped or answered). */
  exclude?: ReadonlySet<string> | undefined
  spread?: number | undefined
}

export const DEFAULT_POOL = 20_000

/** Scores the candidate pool with the store's active tagger (trained model + every human label) and picks `n`. */
export async function selectNextCandidates(store: Store, o: LabelNextOptions, database: string): Promise<LabelNextModel> {
  const tagger = await loadActiveTagger(store)
  const exclude = o.exclude ?? new Set<string>()
  const rows = await store.labels.labelCandidates({ pool: o.pool + exclude.size, sources: o.sources, brands: o.brands })
  const poolCut = rows.length >= o.pool + exclude.size
  const pool = exclude.size ? rows.filter((r) => !exclude.has(`${r.source}:${r.id}`)) : rows
  const results = pool.map((r) => tagger.classify(r.text, r.lang))
  const scored = pool.map((r, i) => ({ source: r.source, text: r.text, guess: results[i]!.label, scores: results[i]!.scores }))
  const picked = selectForLabelling(scored, o.n, { strategy: o.strategy, ...(o.spread === undefined ? {} : { spread: o.spread }) })
  const info = modelInfo('active', await store.models.activeVersion(), await store.models.countHumanLabels())
  return {
    kind: 'label-next',
    database,
    model: info.description,
    strategy: o.strategy,
    scored: pool.length,
    poolCut,
    candidates: picked.map((i): LabelCandidate => {
      const r = pool[i]!
      const t = results[i]!
      return {
        mention: `${r.source}:${r.id}`,
        source: r.source,
        id: r.id,
        brand: r.brand,
        createdAt: new Date(r.createdAt).toISOString(),
        author: r.author,
        text: r.text,
        lang: t.lang ?? r.lang,
        guess: t.label,
        scores: roundScores(t.scores),
        uncertainty: Math.round(uncertaintyOf(t.scores, o.strategy) * 1e4) / 1e4,
        stored: r.label,
        parent: r.parent && { ...r.parent, createdAt: new Date(r.parent.createdAt).toISOString() },
        reply: r.reply && { ...r.reply, createdAt: new Date(r.reply.createdAt).toISOString() },
      }
    }),
  }
}

export async function runLabelNext(o: LabelNextOptions, ctx: CommandContext): Promise<LabelNextModel> {
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: false }, (store) => selectNextCandidates(store, o, ctx.config.database))
}

// ---- listen label --input FILE: many labels at once ----

export interface LabelInputOptions {
  file: string
  format: InputFormat
  by: string | null
  /** Apply the known ids and report the unknown ones, instead of applying nothing. */
  skipUnknown: boolean
}

const MAX_LISTED = 20

/** One record of a label file → a checked label, or why not. Ids are "source:id" unless a source column is given. */
export function parseLabelRecord(record: Record<string, unknown>, line: number): HumanLabelInput | string {
  const cell = (k: string) => {
    const v = record[k]
    return v === undefined || v === null ? '' : String(v).trim()
  }
  const rawId = cell('id') || cell('mention')
  if (!rawId) return 'no id (columns id or mention, and label; the id as source:id unless there is a source column)'
  const rawLabel = cell('label')
  const label = rawLabel.toLowerCase()
  if (!rawLabel) return `no label for ${rawId}`
  if (!isLabel(label)) return `unknown label "${rawLabel}" (${LABELS.join(', ')})`
  const source = cell('source')
  if (source) return { source, id: rawId, label, line }
  const i = rawId.indexOf(':')
  if (i <= 0 || i === rawId.length - 1) return `id "${rawId}" is not source:id (e.g. x:1590000000000000000), and there is no source column`
  return { source: rawId.slice(0, i), id: rawId.slice(i + 1), label, line }
}

export async function runLabelInput(o: LabelInputOptions, ctx: CommandContext): Promise<LabelInputModel> {
  const labels: HumanLabelInput[] = []
  const bad: string[] = []
  let rows = 0
  try {
    // A stream error does not reach the CSV parser through pipe(): check the file first.
    await access(o.file, constants.R_OK)
    for await (const r of readRecords(o.file, o.format)) {
      rows++
      const parsed = r.ok ? parseLabelRecord(r.record, r.line) : r.error
      if (typeof parsed === 'string') bad.push(`${o.file}:${r.line}: ${parsed}`)
      else labels.push(parsed)
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new UsageError(`label --input: cannot read ${o.file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { cause: e })
  }
  if (bad.length) {
    const more = bad.length > MAX_LISTED ? `\n… ${bad.length - MAX_LISTED} more` : ''
    throw new UsageError(`label --input: ${bad.length} bad row${bad.length === 1 ? '' : 's'} in ${o.file}; nothing saved:\n${bad.slice(0, MAX_LISTED).join('\n')}${more}`)
  }
  if (!labels.length) throw new UsageError(`label --input: no labels in ${o.file} (expected columns id,label or source,id,label)`)
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: false }, async (store) => {
    const r = await store.labels.saveHumanLabels(labels, o.by, ctx.now, o.skipUnknown)
    const unknown = r.unknown.map((u) => ({ mention: `${u.source}:${u.id}`, line: u.line }))
    if (!r.applied) {
      const list = unknown.slice(0, MAX_LISTED).map((u) => `${o.file}:${u.line}: no mention ${u.mention}`)
      const more = unknown.length > MAX_LISTED ? `\n… ${unknown.length - MAX_LISTED} more` : ''
      throw new ExitError(
        `label --input: ${unknown.length} id${unknown.length === 1 ? '' : 's'} not in ${ctx.config.database}; nothing saved (--skip-unknown saves the rest):\n${list.join('\n')}${more}`,
        1,
      )
    }
    return {
      kind: 'label-input',
      database: ctx.config.database,
      file: o.file,
      rows,
      applied: true,
      saved: r.saved,
      unchanged: r.unchanged,
      unknown,
      by: o.by,
      at: new Date(ctx.now).toISOString(),
    }
  })
}

// ---- the interactive session's database side (cli/label-tty.ts draws the cards) ----

export interface LabelSessionStore {
  /** Saves a human label at once; returns what it replaced. */
  save(source: string, id: string, label: Label, by: string | null, at: number): Promise<HumanLabelResult>
  /** Takes back the newest human label of the post. */
  undo(source: string, id: string): Promise<UndoResult | null>
  /** Next candidates with the model as it is now (in this thread). */
  next(o: LabelNextOptions): Promise<LabelNextModel>
  close(): Promise<void>
}

/** The PostgreSQL password's environment variable and the environment holding it (storeAuth). */
export type LabelStoreAuth = Pick<OpenOptions, 'passwordEnv' | 'env'>

export async function openLabelSession(database: string, auth: LabelStoreAuth = {}): Promise<LabelSessionStore> {
  const store = await openStore(database, { ...auth, create: false })
  return {
    save: (source, id, label, by, at) => store.models.saveHumanLabel(source, id, label, by, at),
    undo: (source, id) => store.labels.undoHumanLabel(source, id),
    next: (o) => selectNextCandidates(store, o, database),
    close: () => store.close(),
  }
}

/** For the background worker: its own connection, the model rebuilt from the database as it is now. */
export async function nextCandidatesIn(database: string, o: LabelNextOptions, auth: LabelStoreAuth = {}): Promise<LabelNextModel> {
  return withStore(database, { ...auth, create: false }, (store) => selectNextCandidates(store, o, database))
}
