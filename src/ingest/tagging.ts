// Tagging on ingest: import (in its reader thread), fetch and classify label each mention with the
// store's active tagger: its trained model (or the built-in one) plus every human label.
import { addExamples, type BayesModel, parseModel, trainModel } from '../classify/bayes.js'
import { scanWords } from '../classify/scan.js'
import { roundScores } from '../classify/scores.js'
import { cloneLinear, type LinearExample, type LinearModel, parseLinear, serializeLinear, updateLinear } from '../classify/linear.js'
import { parseTaggerModels } from '../classify/stored.js'
import { builtinLinear, builtinModel, createTagger, type Tagger } from '../classify/tagger.js'
import { type TopicClassifier, topicClassifierFor } from '../care/topics.js'
import { UsageError } from '../models/errors.js'
import type { MentionInput } from '../models/mention.js'
import type { ModelInfo, ModelLang, ModelVersion, TagSpec, TrainingExample } from '../models/tagger.js'
import { storeExists, withStore } from '../store/open.js'
import type { OpenOptions, Store } from '../store/types.js'

/**
 * Labels a mention in place unless it already carries one (an imported or human label wins), and
 * fills in the detected language where the platform gave none.
 */
export function tagWith(tagger: Tagger, topics?: TopicClassifier): (m: MentionInput) => void {
  // One scan per mention for both models: scanning and language detection were a third of the topic model's cost.
  const words: string[] = []
  return (m) => {
    let modelLang: ModelLang | null = null
    if (!m.label || !m.lang) {
      scanWords(m.text, words)
      const r = tagger.classifyWords(words, m.text, m.lang)
      modelLang = r.modelLang
      if (!m.label) {
        m.label = r.label
        m.labelSource = 'model'
        m.scores = roundScores(r.scores)
      }
      if (!m.lang && r.lang) m.lang = r.lang
    }
    // After the label: the topic model reads the words and the language the tagger settled on.
    if (topics && !m.topic) {
      const t = modelLang === null ? topics.classify(m.text, m.lang) : topics.classifyWords(words, modelLang)
      m.topic = t.topic
      m.topicSource = t.source
    }
  }
}

/** The tagger a TagSpec describes (built in a reader or tagging thread). */
export function taggerFromSpec(spec: TagSpec): Tagger {
  if (spec.model === null) return createTagger(builtinModel())
  return createTagger(parseModel(spec.model), {}, spec.linear === undefined || spec.linear === null ? undefined : parseLinear(spec.linear))
}

export function createTagFn(spec: TagSpec): (m: MentionInput) => void {
  return tagWith(taggerFromSpec(spec), spec.topics === false ? undefined : topicClassifierFor(spec.topics))
}

/**
 * A human label (listen label, listen train FILE) weighs 1 in the linear model; the built-in
 * corpus weighs less (linear.ts DEFAULT_BASE_WEIGHT), and so do distant labels (classify/replies.ts).
 */
export const HUMAN_WEIGHT = 1

/** `base` (copied first when `shared`) after learning `examples`; `base` itself when there are none. */
export function linearWith(base: LinearModel, shared: boolean, examples: readonly LinearExample[]): LinearModel {
  if (!examples.length) return base
  return updateLinear(shared ? cloneLinear(base) : base, examples)
}

/** The active models; `shared`: the built-in one, which must be copied before it learns. */
export interface ActiveModel {
  version: ModelVersion | null
  model: BayesModel
  linear: LinearModel
  shared: boolean
  linearShared: boolean
}

/**
 * The active model without human corrections. A stored model is parsed fresh, so the caller may
 * extend it; the built-in model is shared and must be copied first (trainModel does).
 */
export async function loadActiveModel(store: Store): Promise<ActiveModel> {
  const { version, json } = await store.models.activeModel()
  if (json === null) return { version, model: builtinModel(), linear: builtinLinear(), shared: true, linearShared: true }
  try {
    const { bayes, linear } = parseTaggerModels(json)
    return { version, model: bayes, linear: linear ?? builtinLinear(), shared: false, linearShared: linear === null }
  } catch (e) {
    throw new UsageError(`${store.location}: model version ${version?.version}: ${(e as Error).message}; run \`listen train --reset\``, { cause: e })
  }
}

const taggers = new Map<string, { stamp: string; tagger: Tagger }>()

/**
 * The tagger for this store: the active model (trained versions or the built-in one) plus every
 * human-labelled mention as a training example. Built once per process and store, rebuilt when a
 * new version is trained or a human label changes.
 */
export async function loadActiveTagger(store: Store): Promise<Tagger> {
  const stamp = await store.models.stamp()
  const key = store.location === ':memory:' ? null : store.location
  const hit = key === null ? undefined : taggers.get(key)
  if (hit && hit.stamp === stamp) return hit.tagger
  const tagger = taggerWithLabels(await loadActiveModel(store), await store.models.humanExamples())
  if (key !== null) taggers.set(key, { stamp, tagger })
  return tagger
}

/**
 * The active models after learning `human` (both models; human labels last, so they win): what
 * loadActiveTagger builds and what the learning-curve benchmark measures. A shared model is copied
 * first.
 */
export function taggerWithLabels(active: Pick<ActiveModel, 'model' | 'shared' | 'linear' | 'linearShared'>, human: readonly TrainingExample[]): Tagger {
  const { model, shared, linear, linearShared } = active
  const withHuman = !human.length ? model : shared ? trainModel(human, model) : addExamples(model, human)
  return createTagger(withHuman, {}, linearWith(linear, linearShared, human.map((h) => ({ ...h, weight: HUMAN_WEIGHT }))))
}

/** The TagSpec that rebuilds `tagger` in another thread; `builtin`: it is the built-in model (store.models.usesBuiltin). */
export function specOf(tagger: Tagger, builtin: boolean): TagSpec {
  return builtin ? { model: null } : { model: tagger.model, linear: tagger.linear === null ? null : serializeLinear(tagger.linear) }
}

export function modelInfo(name: ModelInfo['name'], active: ModelVersion | null, humanLabels: number): ModelInfo {
  const base = !active || active.builtin ? 'built-in model' : `model version ${active.version}`
  const human = name === 'active' && humanLabels ? ` + ${humanLabels} human label${humanLabels === 1 ? '' : 's'}` : ''
  return { name, version: name === 'active' ? (active?.version ?? null) : null, humanLabels, description: base + human }
}

export type ModelChoice = ModelInfo['name']

/**
 * builtin or active; without a choice: the active model when the database exists, else the
 * built-in one, so tagging a file works without any setup.
 */
export async function chooseTagger(
  choice: ModelChoice | undefined,
  database: string,
  auth: Pick<OpenOptions, 'passwordEnv' | 'env'> = {},
): Promise<{ tagger: Tagger; info: ModelInfo; spec: () => TagSpec }> {
  const useActive = choice === 'active' || (choice === undefined && storeExists(database))
  if (!useActive) return { tagger: createTagger(builtinModel()), info: modelInfo('builtin', null, 0), spec: () => ({ model: null }) }
  return withStore(database, { ...auth, create: false }, async (store) => {
    const tagger = await loadActiveTagger(store)
    const builtin = await store.models.usesBuiltin()
    // On demand: only a tagging thread needs it, and serializing the linear model is not free.
    return { tagger, info: modelInfo('active', await store.models.activeVersion(), await store.models.countHumanLabels()), spec: () => specOf(tagger, builtin) }
  })
}
