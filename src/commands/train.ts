// listen train FILE...: add labelled posts to the active tagger model and store the result as a new
// version; --reset goes back to the built-in model. Files are streamed; the model is what grows.
import { addExamples, trainModel } from '../classify/bayes.js'
import { type LabelledFile, readLabelled } from '../ingest/labelled.js'
import type { LinearExample } from '../classify/linear.js'
import { compileReplyPatterns, DISTANT_WEIGHT, distantLabel } from '../classify/replies.js'
import { serializeTaggerModels } from '../classify/stored.js'
import { builtinLinear } from '../classify/tagger.js'
import { HUMAN_WEIGHT, linearWith, loadActiveModel } from '../ingest/tagging.js'
import { UsageError } from '../models/errors.js'
import { type Label, LABELS } from '../models/mention.js'
import type { Mapping, ModelsModel, ModelVersion, ModelVersionJson, ReplyCursor, TrainFileResult, TrainingExample, TrainModel, TrainRepliesModel } from '../models/tagger.js'
import { withStore } from '../store/open.js'
import { storeAuth, type CommandContext } from './context.js'
// CSV cells are strings; the dataset mappings expect JSON booleans.

/** Typed and checked by the CLI (cli/commands/train.ts parseTrainFlags). */
export interface TrainOptions {
  files: LabelledFile[]
  mapping: Mapping
  /** Back to the built-in model (then trained on `files`, if any). */
  reset: boolean
  lang?: string | undefined
  batchSize?: number
}

const MAX_WARNINGS = 20

export const versionJson = (v: ModelVersion): ModelVersionJson => ({ ...v, createdAt: new Date(v.createdAt).toISOString() })

const zeroLabels = (): Record<Label, number> => ({ outage: 0, complaint: 0, question: 0, praise: 0, other: 0 })

export async function runTrain(o: TrainOptions, ctx: CommandContext): Promise<TrainModel> {
  const { mapping } = o
  const plans = o.files
  const names = o.files.map((f) => f.file).join(', ')
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: true }, async (db) => {
    const store = db.models
    const active = o.reset ? null : await store.activeVersion()
    const base = o.reset ? null : await loadActiveModel(db)
    // A stored model is parsed fresh and may grow in place; the built-in one is shared: copy it.
    const model = !plans.length ? null : base && !base.shared ? base.model : trainModel([], base?.model)
    // The linear model learns every example in one update (the perceptron averages per update).
    const linearExamples: LinearExample[] = []
    const results: TrainFileResult[] = []
    let warnings = 0
    for (const { file, format } of plans) {
      const r: TrainFileResult = { file, rows: 0, examples: 0, bad: 0, skipped: 0, byLabel: zeroLabels() }
      let batch: TrainingExample[] = []
      const flush = () => {
        if (batch.length) addExamples(model!, batch)
        batch = []
      }
      for await (const row of readLabelled(file, format, mapping, o.lang ?? null)) {
        r.rows++
        if (row.ok === 'skip') r.skipped++
        else if (!row.ok) {
          r.bad++
          if (++warnings <= MAX_WARNINGS) ctx.log.warn(`${file}:${row.line}: ${row.error}; row skipped`)
        } else {
          r.examples++
          r.byLabel[row.label]++
          batch.push({ text: row.text, label: row.label, lang: row.lang })
          linearExamples.push({ text: row.text, label: row.label, lang: row.lang, weight: HUMAN_WEIGHT })
          if (batch.length >= (o.batchSize ?? 2000)) flush()
        }
      }
      flush()
      results.push(r)
      ctx.log.info(`${file}: ${r.examples} examples, ${r.bad} bad rows, ${r.skipped} not annotated`)
    }
    if (warnings > MAX_WARNINGS) ctx.log.warn(`… ${warnings - MAX_WARNINGS} more bad rows not shown`)
    const totals = { rows: 0, examples: 0, bad: 0, skipped: 0, byLabel: zeroLabels() }
    for (const r of results) {
      totals.rows += r.rows
      totals.examples += r.examples
      totals.bad += r.bad
      totals.skipped += r.skipped
      for (const l of LABELS) totals.byLabel[l] += r.byLabel[l]
    }
    if (plans.length && !totals.examples) {
      throw new UsageError(`train: no usable examples in ${names}; nothing stored`)
    }
    const version = await store.saveModelVersion({
      action: o.reset ? 'reset' : 'train',
      basedOn: active?.version ?? null,
      description: plans.length ? names : 'built-in model',
      examples: totals.examples,
      model: totals.examples ? serializeTaggerModels(model!, base ? linearWith(base.linear, base.linearShared, linearExamples) : linearWith(builtinLinear(), true, linearExamples)) : null,
      createdAt: ctx.now,
    })
    return {
      kind: 'train',
      database: ctx.config.database,
      version: versionJson(version),
      files: results,
      totals,
      humanLabels: await store.countHumanLabels(),
    }
  })
}

export async function runListModels(ctx: CommandContext): Promise<ModelsModel> {
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: false }, async (db) => {
    const store = db.models
    const versions = await store.listVersions()
    const active = versions.at(-1)?.version ?? null
    return {
      kind: 'models',
      database: ctx.config.database,
      active,
      versions: versions.map((v) => ({ ...versionJson(v), active: v.version === active })),
      humanLabels: await store.countHumanLabels(),
    }
  })
}

// ---------------------------------------------------------------------------------------------
// listen train --from-replies

export interface TrainRepliesOptions {
  dryRun: boolean
  examplesPerClass?: number
  pageSize?: number
}

/**
 * Distant labels from the brand's first replies (classify/replies.ts), learnt by the active linear
 * model at DISTANT_WEIGHT. Naive Bayes counts every example fully, so it learns only human labels.
 */
export async function runTrainFromReplies(o: TrainRepliesOptions, ctx: CommandContext): Promise<TrainRepliesModel> {
  const patterns = compileReplyPatterns(ctx.config.replyPatterns ?? {})
  const perClass = o.examplesPerClass ?? 10
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: false }, async (db) => {
    const byLabel = zeroLabels()
    const examples: TrainRepliesModel['examples'] = []
    const distant: LinearExample[] = []
    let pairs = 0
    for (let after: ReplyCursor | null = null; ; ) {
      const page = await db.models.firstBrandReplies(after, o.pageSize ?? 5000)
      if (!page.length) break
      after = page[page.length - 1]!
      for (const p of page) {
        pairs++
        const d = distantLabel(p.reply, p.replyLang ?? p.lang, patterns)
        if (!d) continue
        byLabel[d.label]++
        if (byLabel[d.label] <= perClass) examples.push({ label: d.label, source: p.source, id: p.id, text: p.text, reply: p.reply, matched: d.matched })
        distant.push({ text: p.text, lang: p.lang, label: d.label, weight: DISTANT_WEIGHT, followUp: p.followUp })
      }
      ctx.progress?.update(`train --from-replies: ${pairs.toLocaleString('en-US')} customer posts with a brand reply read`, pairs)
    }
    ctx.progress?.clear()
    examples.sort((a, b) => LABELS.indexOf(a.label) - LABELS.indexOf(b.label))
    const base: Omit<TrainRepliesModel, 'version'> = { kind: 'train-replies', database: ctx.config.database, dryRun: o.dryRun, pairs, labelled: distant.length, byLabel, weight: DISTANT_WEIGHT, examples }
    if (o.dryRun) return { ...base, version: null }
    if (!distant.length) {
      throw new UsageError(`train --from-replies: none of the ${pairs} customer posts with a brand reply in ${ctx.config.database} got a distant label; nothing stored (add phrases under replyPatterns in the config)`)
    }
    const active = await db.models.activeVersion()
    const current = await loadActiveModel(db)
    // The Bayes part as it is (copied when it is the shared built-in one), the linear part updated.
    const bayes = current.shared ? trainModel([], current.model) : current.model
    const version = await db.models.saveModelVersion({
      action: 'train',
      basedOn: active?.version ?? null,
      description: `distant labels from ${distant.length} brand replies`,
      examples: distant.length,
      model: serializeTaggerModels(bayes, linearWith(current.linear, current.linearShared, distant)),
      createdAt: ctx.now,
    })
    ctx.log.info(`train --from-replies: ${distant.length} of ${pairs} customer posts labelled by their first brand reply; version ${version.version} stored`)
    return { ...base, version: versionJson(version) }
  })
}
