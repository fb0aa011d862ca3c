// Topics: which specialist a post goes to (billing, delivery, technical …), beside its intent label.
import type { ModelLang } from './tagger.js'

/** How a mention got its topic: a keyword rule, the topic model, a human correction (wins), or an imported column. */
export const TOPIC_SOURCES = ['keyword', 'model', 'human', 'import'] as const
export type TopicSource = (typeof TOPIC_SOURCES)[number]

/** The topic a post gets when no other fits; every taxonomy has it. */
export const FALLBACK_TOPIC = 'other'

/** One topic of the taxonomy: its name, keywords and example posts per model language. */
export interface TopicDef {
  name: string
  keywords: Record<ModelLang, string[]>
  examples: Record<ModelLang, string[]>
}

export interface TopicResult {
  topic: string
  source: 'keyword' | 'model'
}

export interface TopicExplanation extends TopicResult {
  lang: ModelLang
  /** The keywords that matched, with the word they matched and their topic. */
  keywords: Array<{ topic: string; keyword: string; word: string }>
  /** The model's probability per topic (taxonomy order). */
  scores: Record<string, number>
  /** The features that pushed most towards the model's choice over the mean of the topics, strongest first. */
  top: Array<{ feature: string; weight: number }>
  /** The model's own choice (equal to `topic` unless a keyword decided). */
  modelTopic: string
}
