// Views of the tagger commands: classify, train (and its version list), label, eval.
import { redactLocation } from '../lib/location.js'
import { LABELS } from '../models/mention.js'
import type { TaggerModel } from '../models/output.js'
import type { ClassifyModel, ClassifyTextModel, Difference, EvalModel, Interval, LabelModel, ModelsModel, TrainModel, TrainRepliesModel } from '../models/tagger.js'
import { labelInputView, labelNextView } from './label-card.js'
import type { Column, View } from './view.js'

export function taggerView(model: TaggerModel): View {
  switch (model.kind) {
    case 'classify':
      return classifyView(model)
    case 'classify-text':
      return classifyTextView(model)
    case 'train':
      return trainView(model)
    case 'models':
      return modelsView(model)
    case 'train-replies':
      return trainRepliesView(model)
    case 'label':
      return labelView(model)
    case 'eval':
      return evalView(model)
    case 'label-next':
      return labelNextView(model)
    case 'label-input':
      return labelInputView(model)
  }
}

const humans = (n: number) => `${n.toLocaleString('en-US')} human-labelled mention${n === 1 ? '' : 's'}`

const labelCounts: Column[] = LABELS.map((l) => ({ key: l, header: l, kind: 'int' as const }))

function classifyView(m: ClassifyModel): View {
  return {
    json: m,
    rows: [{ scope: m.scope, examined: m.examined, tagged: m.tagged, relabelled: m.relabelled, unchanged: m.unchanged, humanKept: m.humanKept, ...m.byLabel, modelVersion: m.model.version }],
    columns: [
      { key: 'scope', header: 'scope' },
      { key: 'examined', header: 'examined', kind: 'int' },
      { key: 'tagged', header: 'newly tagged', kind: 'int' },
      { key: 'relabelled', header: 'relabelled', kind: 'int' },
      { key: 'unchanged', header: 'unchanged', kind: 'int' },
      { key: 'humanKept', header: 'human (kept)', kind: 'int' },
      ...labelCounts,
      { key: 'modelVersion', header: 'model version', table: false },
    ],
    title: `Tagged stored mentions with the ${m.model.description}`,
    notes: [`database: ${redactLocation(m.database)}`],
  }
}

function classifyTextView(m: ClassifyTextModel): View {
  // The answer first: csv and ndjson have no title line to carry it.
  const rows: Record<string, unknown>[] = [{ kind: 'label', name: m.needsResponse ? 'needs a response' : 'no response needed', label: m.label, weight: m.scores[m.label] }]
  for (const l of LABELS) rows.push({ kind: 'score', name: l, label: l, weight: m.scores[l] })
  for (const r of m.rulesFired ?? []) rows.push({ kind: 'rule', name: r.id, label: r.label, weight: r.weight })
  for (const t of m.topTokens ?? []) rows.push({ kind: 'token', name: t.token, label: t.label, weight: t.weight })
  for (const t of m.topNgrams ?? []) rows.push({ kind: 'n-gram', name: JSON.stringify(t.feature), label: t.label, weight: t.weight })
  const notes = [
    m.lowConfidence
      ? `lang ${m.lang}: neither English nor German, tagged by the keywords and emoji the rule sets share: low confidence; ${m.model.description}`
      : `lang ${m.lang ?? 'unknown'} (${m.modelLang} rules and model); ${m.model.description}`,
  ]
  if (m.rulesFired && !m.rulesFired.length) notes.push('no rule fired')
  return {
    json: m,
    rows,
    columns: [
      { key: 'kind', header: 'what' },
      { key: 'name', header: 'name', width: 40 },
      { key: 'label', header: 'label', kind: 'label' },
      { key: 'weight', header: 'score / weight', kind: 'number' },
    ],
    title: `${m.label}${m.needsResponse ? ' (needs a response)' : ''}`,
    notes,
  }
}

function trainView(m: TrainModel): View {
  const v = m.version
  const based = v.basedOn === null ? 'the built-in model' : `version ${v.basedOn}`
  return {
    json: m,
    rows: m.files.map((f) => ({ file: f.file, rows: f.rows, examples: f.examples, bad: f.bad, skipped: f.skipped, ...f.byLabel })),
    columns: [
      { key: 'file', header: 'file', width: 50 },
      { key: 'rows', header: 'rows', kind: 'int' },
      { key: 'examples', header: 'examples', kind: 'int' },
      { key: 'bad', header: 'bad', kind: 'int' },
      { key: 'skipped', header: 'not annotated', kind: 'int' },
      ...labelCounts,
    ],
    title: v.builtin
      ? `Model version ${v.version}: back to the built-in model`
      : `Model version ${v.version}: ${v.examples.toLocaleString('en-US')} examples on top of ${based}`,
    notes: [`active from now on; ${humans(m.humanLabels)} ${m.humanLabels === 1 ? 'is' : 'are'} added whenever it is used`, `database: ${redactLocation(m.database)}`],
  }
}

function trainRepliesView(m: TrainRepliesModel): View {
  const counts = LABELS.filter((l) => m.byLabel[l]).map((l) => `${l} ${m.byLabel[l].toLocaleString('en-US')}`).join(', ')
  const what = `${m.labelled.toLocaleString('en-US')} of ${m.pairs.toLocaleString('en-US')} customer posts with a brand reply got a distant label${counts ? ` (${counts})` : ''}`
  return {
    json: m,
    rows: m.examples.map((e) => ({ label: e.label, mention: `${e.source}:${e.id}`, text: e.text, reply: e.reply, matched: e.matched })),
    columns: [
      { key: 'label', header: 'label', kind: 'label' },
      { key: 'mention', header: 'mention', width: 28 },
      { key: 'text', header: 'post', width: 50 },
      { key: 'reply', header: 'first brand reply', width: 50 },
      { key: 'matched', header: 'matched', width: 24 },
    ],
    title: m.version ? `Model version ${m.version.version}: ${what}` : `Dry run, nothing stored: ${what}`,
    notes: [
      `each weighs ${m.weight} of a human label; human-labelled posts are left out and their labels stand`,
      m.dryRun ? 'examples: up to ten per class; run without --dry-run to train on them' : 'active from now on',
      `database: ${m.database}`,
    ],
  }
}

function modelsView(m: ModelsModel): View {
  return {
    json: m,
    rows: m.versions.map((v) => ({ ...v, active: v.active ? 'active' : '', model: v.builtin ? 'built-in' : 'trained' })),
    columns: [
      { key: 'version', header: 'version', kind: 'int' },
      { key: 'createdAt', header: 'created', kind: 'instant' },
      { key: 'action', header: 'action' },
      { key: 'basedOn', header: 'based on', kind: 'int' },
      { key: 'examples', header: 'examples', kind: 'int' },
      { key: 'model', header: 'model' },
      { key: 'description', header: 'files', width: 50 },
      { key: 'active', header: '' },
    ],
    title: 'Tagger model versions',
    notes: [
      m.active === null ? 'no trained version: the built-in model is active' : `version ${m.active} is active`,
      `${humans(m.humanLabels)} added to the active model`,
    ],
  }
}

function labelView(m: LabelModel): View {
  return {
    json: m,
    rows: [{ mention: `${m.source}:${m.id}`, label: m.label, previousLabel: m.previousLabel, previousSource: m.previousSource, by: m.by, at: m.at, text: m.text }],
    columns: [
      { key: 'mention', header: 'mention', width: 40 },
      { key: 'label', header: 'label', kind: 'label' },
      { key: 'previousLabel', header: 'was', kind: 'label' },
      { key: 'previousSource', header: 'by', table: false },
      { key: 'by', header: 'labelled by' },
      { key: 'at', header: 'at', kind: 'instant' },
      { key: 'text', header: 'text', width: 60 },
    ],
  }
}

const pct1 = (x: number) => `${(x * 100).toFixed(1)}%`
const f3 = (x: number) => x.toFixed(3)
const signed = (x: number) => (x > 0 ? '+' : x < 0 ? '−' : '±') + Math.abs(x).toFixed(3)
const verdict = (d: Difference) => (d.verdict === 'unclear' ? 'no clear difference' : d.verdict)
const range = (i: Interval, f: (x: number) => string) => `${f(i.low)}–${f(i.high)}`
const hidden = { table: false }

/** The figures with their intervals, and the comparison with --against, in sentences. */
function evalNotes(m: EvalModel): string[] {
  const c = m.comparison
  const level = `${Math.round(m.intervals.level * 100)}%`
  return [
    `accuracy ${pct1(m.accuracy)} (${level} interval ${range(m.intervals.accuracy, pct1)}), macro-F1 ${f3(m.macroF1)} (${range(m.intervals.macroF1, f3)}) over ${m.scored.toLocaleString('en-US')} post${m.scored === 1 ? '' : 's'}` +
      (m.collapse.some((x) => x !== 'none') ? ` (predictions mapped to the dataset's classes: ${m.collapse.join(', ')})` : ''),
    ...(c
      ? [
          `against the ${c.against.description}: accuracy ${pct1(c.accuracy)}, macro-F1 ${f3(c.macroF1)}; ` +
            `difference ${signed(c.difference.macroF1.value)} macro-F1 (${level} interval ${signed(c.difference.macroF1.low)} to ${signed(c.difference.macroF1.high)}): ${verdict(c.difference.macroF1)}, ` +
            `${signed(c.difference.accuracy.value)} accuracy (${signed(c.difference.accuracy.low)} to ${signed(c.difference.accuracy.high)}): ${verdict(c.difference.accuracy)}`,
        ]
      : []),
    `intervals: percentile bootstrap over the posts, ${m.intervals.reps} resamples${c ? ', the same resamples for both models' : ''}; per-class F1 intervals are in csv and json (f1_low, f1_high)`,
  ]
}

/** --misses: one row per post the model got wrong. */
function missesView(m: EvalModel, misses: NonNullable<EvalModel['misses']>): View {
  const c = m.comparison
  return {
    json: m,
    rows: misses.map((x) => ({ ...x })),
    columns: [
      { key: 'file', header: 'file' },
      { key: 'line', header: 'line' },
      { key: 'gold', header: 'gold', kind: 'label' },
      { key: 'predicted', header: 'predicted', kind: 'label' },
      { key: 'tagged', header: 'tagged', kind: 'label', table: false },
      ...(c ? [{ key: 'against', header: c.against.name, kind: 'label' as const }] : []),
      { key: 'lang', header: 'lang' },
      { key: 'text', header: 'text', width: 70 },
    ],
    title: `Posts the ${m.model.description} got wrong in ${m.files.join(', ')}`,
    notes: [`${misses.length.toLocaleString('en-US')} of ${m.scored.toLocaleString('en-US')} posts missed`, ...evalNotes(m)],
  }
}

/** With --against: the other model's figure and the paired difference; the keys stay stable for csv. */
function versus(c: EvalModel['comparison'], f1: number | undefined, d: Difference | undefined, accuracy: number | null, da: Difference | null): Record<string, number | null> {
  if (!c) return {}
  return {
    against_f1: f1 ?? null,
    f1_diff: d?.value ?? null,
    f1_diff_low: d?.low ?? null,
    f1_diff_high: d?.high ?? null,
    against_accuracy: accuracy,
    accuracy_diff: da?.value ?? null,
    accuracy_diff_low: da?.low ?? null,
    accuracy_diff_high: da?.high ?? null,
  }
}

/** One row per gold class and a row "all", with the confusion matrix in →label columns. */
function metricRows(m: EvalModel): Record<string, unknown>[] {
  const c = m.comparison
  const predicted = (i: number) => m.confusion.reduce((a, row) => a + row[i]!, 0)
  const rows: Record<string, unknown>[] = m.perClass.map((pc, i) => ({
    label: pc.label,
    precision: pc.precision,
    recall: pc.recall,
    f1: pc.f1,
    f1_low: m.intervals.f1[i]!.low,
    f1_high: m.intervals.f1[i]!.high,
    support: pc.support,
    accuracy: null,
    accuracy_low: null,
    accuracy_high: null,
    ...versus(c, c?.perClass[i]!.f1, c?.difference.f1[i], null, null),
    ...Object.fromEntries(m.labels.map((l, j) => [`predicted_${l}`, m.confusion[i]![j]!])),
  }))
  rows.push({
    label: 'all',
    precision: null,
    recall: null,
    f1: m.macroF1,
    f1_low: m.intervals.macroF1.low,
    f1_high: m.intervals.macroF1.high,
    support: m.scored,
    accuracy: m.accuracy,
    accuracy_low: m.intervals.accuracy.low,
    accuracy_high: m.intervals.accuracy.high,
    ...versus(c, c?.macroF1, c?.difference.macroF1, c?.accuracy ?? null, c?.difference.accuracy ?? null),
    ...Object.fromEntries(m.labels.map((l, j) => [`predicted_${l}`, predicted(j)])),
  })
  return rows
}

function evalView(m: EvalModel): View {
  if (m.misses) return missesView(m, m.misses)
  const c = m.comparison
  return {
    json: m,
    rows: metricRows(m),
    columns: [
      { key: 'label', header: 'gold' },
      { key: 'precision', header: 'precision', kind: 'number' },
      { key: 'recall', header: 'recall', kind: 'number' },
      { key: 'f1', header: 'F1', kind: 'number' },
      { key: 'f1_low', header: 'F1 low', kind: 'number', ...hidden },
      { key: 'f1_high', header: 'F1 high', kind: 'number', ...hidden },
      { key: 'support', header: 'n', kind: 'int' },
      { key: 'accuracy', header: 'accuracy', kind: 'number' },
      { key: 'accuracy_low', header: 'accuracy low', kind: 'number', ...hidden },
      { key: 'accuracy_high', header: 'accuracy high', kind: 'number', ...hidden },
      ...(c
        ? [
            { key: 'against_f1', header: `F1 ${c.against.name}`, kind: 'number' as const },
            { key: 'f1_diff', header: 'F1 diff', kind: 'number' as const, ...hidden },
            { key: 'f1_diff_low', header: 'F1 diff low', kind: 'number' as const, ...hidden },
            { key: 'f1_diff_high', header: 'F1 diff high', kind: 'number' as const, ...hidden },
            { key: 'against_accuracy', header: `accuracy ${c.against.name}`, kind: 'number' as const, ...hidden },
            { key: 'accuracy_diff', header: 'accuracy diff', kind: 'number' as const, ...hidden },
            { key: 'accuracy_diff_low', header: 'accuracy diff low', kind: 'number' as const, ...hidden },
            { key: 'accuracy_diff_high', header: 'accuracy diff high', kind: 'number' as const, ...hidden },
          ]
        : []),
      ...m.labels.map((l) => ({ key: `predicted_${l}`, header: `→${l}`, kind: 'int' as const })),
    ],
    title: `Evaluation of the ${m.model.description} on ${m.files.join(', ')}`,
    notes: [
      ...evalNotes(m),
      `→columns: predicted label (confusion matrix, rows: gold); row "all": F1 = macro-F1, → = predictions per label` +
        (m.bad || m.skipped ? `; ${m.bad} bad rows, ${m.skipped} not annotated` : ''),
    ],
  }
}
