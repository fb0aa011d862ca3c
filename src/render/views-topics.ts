// Views of the topic commands: classify --topics (counts per topic), one text's topic (explain), label --topic.
import type { TopicClassifyModel, TopicLabelModel, TopicTextModel } from '../models/topics.js'
import type { View } from './view.js'

export function topicClassifyView(m: TopicClassifyModel): View {
  const topics = Object.keys(m.byTopic)
  return {
    json: m,
    rows: [{ scope: m.scope, examined: m.examined, tagged: m.tagged, changed: m.changed, unchanged: m.unchanged, humanKept: m.humanKept, ...m.byTopic }],
    columns: [
      { key: 'scope', header: 'scope' },
      { key: 'examined', header: 'examined', kind: 'int' },
      { key: 'tagged', header: 'new topic', kind: 'int' },
      { key: 'changed', header: 'changed', kind: 'int' },
      { key: 'unchanged', header: 'unchanged', kind: 'int' },
      { key: 'humanKept', header: 'human (kept)', kind: 'int' },
      ...topics.map((t) => ({ key: t, header: t, kind: 'int' as const })),
    ],
    title: `Topics of stored mentions (${m.taxonomy} taxonomy)`,
    notes: [],
  }
}

export function topicTextView(m: TopicTextModel): View {
  const notes: string[] = []
  if (m.explain) {
    const kw = m.explain.keywords.map((k) => `${k.keyword} → ${k.topic}${k.word !== k.keyword ? ` (in "${k.word}")` : ''}`)
    notes.push(`keywords: ${kw.join(', ') || 'none'}`)
    notes.push(`model: ${m.explain.modelTopic} (${Object.entries(m.explain.scores).map(([t, p]) => `${t} ${p.toFixed(2)}`).join(', ')})`)
    if (m.explain.top.length) notes.push(`weighed most for ${m.explain.modelTopic}: ${m.explain.top.map((f) => `"${f.feature}" ${f.weight.toFixed(3)}`).join(', ')}`)
  }
  return {
    json: m,
    rows: [{ topic: m.topic, source: m.source, lang: m.lang, text: m.text }],
    columns: [
      { key: 'topic', header: 'topic' },
      { key: 'source', header: 'decided by' },
      { key: 'lang', header: 'lang' },
      { key: 'text', header: 'text', width: 70 },
    ],
    notes,
  }
}

export function topicLabelView(m: TopicLabelModel): View {
  return {
    json: m,
    rows: [{ mention: `${m.source}:${m.id}`, topic: m.topic, previous: m.previous.topic, previousSource: m.previous.topicSource, text: m.text }],
    columns: [
      { key: 'mention', header: 'mention', width: 40 },
      { key: 'topic', header: 'topic' },
      { key: 'previous', header: 'was' },
      { key: 'previousSource', header: 'was set by' },
      { key: 'text', header: 'text', width: 60 },
    ],
    notes: ['human topics are kept by listen classify --topics and by later imports and fetches'],
  }
}
