// listen eval FILE...: how well the tagger labels a labelled file. Accuracy, per-class precision,
// recall and F1, macro-F1 and a confusion matrix (rows gold, columns predicted).
import { type DatasetKind, toSentiment3 } from '../classify/labels.js'
import { BOOTSTRAP, comparePredictions, evaluateWithIntervals } from '../classify/metrics.js'
import { type LabelledFile, readLabelled } from '../ingest/labelled.js'
import { chooseTagger, type ModelChoice } from '../ingest/tagging.js'
import { UsageError } from '../models/errors.js'
import { type Label, LABELS } from '../models/mention.js'
import type { Collapse, EvalModel, Mapping, Miss } from '../models/tagger.js'
import { type CommandContext, storeAuth } from './context.js'

/** Typed and checked by the CLI (cli/commands/eval.ts parseEvalFlags). */
export interface EvalOptions {
  files: LabelledFile[]
  mapping: Mapping
  model: ModelChoice
  /** A second model scored on the same posts, with the difference and its interval. */
  against?: ModelChoice | undefined
  /** Also list the posts the model got wrong (EvalModel.misses). */
  misses: boolean
  /** auto: compare in the dataset's own classes; none: always the five classes. */
  collapse: 'auto' | 'none'
  lang?: string | undefined
}

// Three-way sentiment sets (airline, GermEval) count outage as complaint and question as other;
// the complaints corpus counts an outage report as a complaint (datasets/README.md).
const COLLAPSE_OF: Record<DatasetKind, Collapse> = { listen: 'none', airline: 'sentiment', germeval: 'sentiment', complaints: 'complaint' }

const COLLAPSE_FN: Record<Collapse, (l: Label) => Label> = {
  none: (l) => l,
  sentiment: toSentiment3,
  complaint: (l) => (l === 'outage' || l === 'complaint' ? 'complaint' : 'other'),
}
const MAX_WARNINGS = 20

export async function runEval(o: EvalOptions, ctx: CommandContext): Promise<EvalModel> {
  const { mapping } = o
  const { tagger, info } = await chooseTagger(o.model, ctx.config.database, storeAuth(ctx))
  const other = o.against === undefined ? null : await chooseTagger(o.against, ctx.config.database, storeAuth(ctx))
  const plans = o.files
  ctx.log.info(`eval: ${info.description}${other ? ` against the ${other.info.description}` : ''}`)
  const gold: string[] = []
  const predicted: string[] = []
  const predictedAgainst: string[] = []
  const misses: Miss[] = []
  const used = new Set<Collapse>()
  let rows = 0
  let bad = 0
  let skipped = 0
  for (const { file, format } of plans) {
    for await (const row of readLabelled(file, format, mapping, o.lang ?? null)) {
      rows++
      if (row.ok === 'skip') skipped++
      else if (!row.ok) {
        if (++bad <= MAX_WARNINGS) ctx.log.warn(`${file}:${row.line}: ${row.error}; row skipped`)
      } else {
        const collapse = o.collapse === 'none' ? 'none' : COLLAPSE_OF[row.kind]
        used.add(collapse)
        const tagged = tagger.classify(row.text, row.lang)
        const p = COLLAPSE_FN[collapse](tagged.label)
        const q = other ? COLLAPSE_FN[collapse](other.tagger.classify(row.text, row.lang).label) : null
        gold.push(row.label)
        predicted.push(p)
        if (q) predictedAgainst.push(q)
        if (o.misses && p !== row.label) {
          misses.push({ file, line: row.line, gold: row.label, predicted: p, tagged: tagged.label, ...(q ? { against: q } : {}), lang: tagged.lang, text: row.text })
        }
      }
    }
  }
  if (bad > MAX_WARNINGS) ctx.log.warn(`… ${bad - MAX_WARNINGS} more bad rows not shown`)
  if (!gold.length) throw new UsageError(`eval: no labelled rows in ${o.files.map((f) => f.file).join(', ')}`)
  const present = new Set([...gold, ...predicted, ...predictedAgainst])
  const labels = LABELS.filter((l) => present.has(l))
  const paired = other ? comparePredictions(gold, predicted, predictedAgainst, labels) : null
  const e = paired?.first ?? evaluateWithIntervals(gold.map((g, i) => [g, predicted[i]!]), labels)
  return {
    kind: 'eval',
    files: o.files.map((f) => f.file),
    model: info,
    mapping,
    collapse: [...used],
    rows,
    scored: e.total,
    bad,
    skipped,
    accuracy: e.accuracy,
    macroF1: e.macroF1,
    labels: e.labels,
    perClass: e.perClass,
    confusion: e.confusion,
    intervals: { level: BOOTSTRAP.level, reps: BOOTSTRAP.reps, ...e.intervals },
    comparison:
      other && paired
        ? {
            against: other.info,
            accuracy: paired.second.accuracy,
            macroF1: paired.second.macroF1,
            perClass: paired.second.perClass,
            confusion: paired.second.confusion,
            intervals: paired.second.intervals,
            difference: paired.difference,
          }
        : null,
    misses: o.misses ? misses : null,
  }
}
