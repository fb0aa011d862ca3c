// Topics: which specialist a post goes to (billing, delivery, technical …), beside its intent label.

/** How a mention got its topic: a keyword rule, the topic model, a human correction (wins), or an imported column. */
/** The tagger's model languages (ModelLang in tagger.ts, which imports this file). */
type TopicLang = 'en' | 'de'

export const TOPIC_SOURCES = ['keyword', 'model', 'human', 'import'] as const
export type TopicSource = (typeof TOPIC_SOURCES)[number]

/** The topic a post gets when no other fits; every taxonomy has it. */
export const FALLBACK_TOPIC = 'other'

/** One topic of the taxonomy: its name, keywords and example posts per model language. */
export interface TopicDef {
  name: string
  keywords: Record<TopicLang, string[]>
  examples: Record<TopicLang, string[]>
}

export interface TopicResult {
  topic: string
  source: 'keyword' | 'model'
}

export interface TopicExplanation extends TopicResult {
  lang: TopicLang
  /** The keywords that matched, with the word they matched and their topic. */
  keywords: Array<{ topic: string; keyword: string; word: string }>
  /** The model's probability per topic (taxonomy order). */
  scores: Record<string, number>
  /** The features that pushed most towards the model's choice over the mean of the topics, strongest first. */
  top: Array<{ feature: string; weight: number }>
  /** The model's own choice (equal to `topic` unless a keyword decided). */
  modelTopic: string
}

/** A stored mention whose topic `listen classify --topics` (re)computes. */
export interface MentionForTopic {
  rowid: number
  text: string
  lang: string | null
  topic: string | null
  topicSource: TopicSource | null
}

/** Customer posts per source, brand ('' = none), label ('' = untagged) and topic ('' = none). */
export interface TopicCount {
  source: string
  brand: string
  label: string
  topic: string
  n: number
}

/** listen classify --topics: stored mentions given a topic. */
export interface TopicClassifyModel {
  kind: 'topics-classify'
  database: string
  scope: 'untagged' | 'model' | 'all'
  /** built-in or the config's taxonomy. */
  taxonomy: 'built-in' | 'config'
  examined: number
  tagged: number
  changed: number
  unchanged: number
  byTopic: Record<string, number>
  humanKept: number
}

/** listen classify --topics --text: one text's topic, with --explain the keywords and n-grams. */
export interface TopicTextModel {
  kind: 'topic-text'
  text: string
  topic: string
  source: TopicResult['source']
  lang: TopicLang
  taxonomy: 'built-in' | 'config'
  explain?: Omit<TopicExplanation, 'topic' | 'source' | 'lang'> | undefined
}

/** listen label --topic: a human topic correction. */
export interface TopicLabelModel {
  kind: 'topic-label'
  source: string
  id: string
  topic: string
  previous: { topic: string | null; topicSource: TopicSource | null }
  text: string
}
