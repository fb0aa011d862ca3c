// Views of the tagger commands: classify, train (and its version list), label, eval.
import type { ClassifyModel, ClassifyTextModel } from '../commands/classify.js'
import type { EvalModel } from '../commands/eval.js'
import type { LabelModel } from '../commands/label.js'
import type { ModelsModel, TrainModel } from '../commands/train.js'
import { LABELS } from '../types.js'
import type { Column, View } from './view.js'

export type TaggerModel = ClassifyModel | ClassifyTextModel | TrainModel | ModelsModel | LabelModel | EvalModel

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
    case 'label':
      return labelView(model)
    case 'eval':
      return evalView(model)
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
    notes: [`database: ${m.database}`],
  }
}

function classifyTextView(m: ClassifyTextModel): View {
  const rows: Record<string, unknown>[] = LABELS.map((l) => ({ kind: 'score', name: l, label: l, weight: m.scores[l] }))
  for (const r of m.rulesFired ?? []) rows.push({ kind: 'rule', name: r.id, label: r.label, weight: r.weight })
  for (const t of m.topTokens ?? []) rows.push({ kind: 'token', name: t.token, label: t.label, weight: t.weight })
  const notes = [`lang ${m.lang ?? 'unknown'} (${m.modelLang} rules and model); ${m.model.description}`]
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
    notes: [`active from now on; ${humans(m.humanLabels)} ${m.humanLabels === 1 ? 'is' : 'are'} added whenever it is used`, `database: ${m.database}`],
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

function evalView(m: EvalModel): View {
  const predicted = (i: number) => m.confusion.reduce((a, row) => a + row[i]!, 0)
  const rows: Record<string, unknown>[] = m.perClass.map((c, i) => ({
    label: c.label,
    precision: c.precision,
    recall: c.recall,
    f1: c.f1,
    support: c.support,
    accuracy: null,
    ...Object.fromEntries(m.labels.map((l, j) => [`predicted_${l}`, m.confusion[i]![j]!])),
  }))
  rows.push({
    label: 'all',
    precision: null,
    recall: null,
    f1: m.macroF1,
    support: m.scored,
    accuracy: m.accuracy,
    ...Object.fromEntries(m.labels.map((l, j) => [`predicted_${l}`, predicted(j)])),
  })
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`
  return {
    json: m,
    rows,
    columns: [
      { key: 'label', header: 'gold' },
      { key: 'precision', header: 'precision', kind: 'number' },
      { key: 'recall', header: 'recall', kind: 'number' },
      { key: 'f1', header: 'F1', kind: 'number' },
      { key: 'support', header: 'n', kind: 'int' },
      { key: 'accuracy', header: 'accuracy', kind: 'number' },
      ...m.labels.map((l) => ({ key: `predicted_${l}`, header: `→${l}`, kind: 'int' as const })),
    ],
    title: `Evaluation of the ${m.model.description} on ${m.files.join(', ')}`,
    notes: [
      `accuracy ${pct(m.accuracy)}, macro-F1 ${m.macroF1.toFixed(3)} over ${m.scored.toLocaleString('en-US')} posts` +
        (m.collapse.some((c) => c !== 'none') ? ` (predictions mapped to the dataset's classes: ${m.collapse.join(', ')})` : ''),
      `→columns: predicted label (confusion matrix, rows: gold); row "all": F1 = macro-F1, → = predictions per label` +
        (m.bad || m.skipped ? `; ${m.bad} bad rows, ${m.skipped} not annotated` : ''),
    ],
  }
}
