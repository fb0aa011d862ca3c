// Topics on stored mentions and single texts: listen classify --topics (re-tag, or one text with
// --explain) and listen label --topic (a human correction that re-tagging and re-imports keep).
import { topicClassifierFor } from '../care/topics.js'
import { UsageError } from '../models/errors.js'
import type { TagScope } from '../models/tagger.js'
import type { TopicClassifyModel, TopicLabelModel, TopicTextModel } from '../models/topics.js'
import { openStore, withStore } from '../store/open.js'
import { type CommandContext, storeAuth } from './context.js'

const taxonomyOf = (ctx: CommandContext) => (ctx.config.topics ? 'config' : 'built-in') as 'config' | 'built-in'

export async function runClassifyTopics(o: { scope: TagScope; batchSize?: number }, ctx: CommandContext): Promise<TopicClassifyModel> {
  const classifier = topicClassifierFor(ctx.config.topics)
  const db = await openStore(ctx.config.database, { ...storeAuth(ctx), create: false })
  try {
    const r: TopicClassifyModel = {
      kind: 'topics-classify',
      database: ctx.config.database,
      scope: o.scope,
      taxonomy: taxonomyOf(ctx),
      examined: 0,
      tagged: 0,
      changed: 0,
      unchanged: 0,
      byTopic: Object.fromEntries(classifier.topics.map((t) => [t, 0])),
      humanKept: await db.topics.countHumanTopics(),
    }
    const total = await db.topics.countForTopics(o.scope)
    const progress = () => ctx.progress?.update(`classify --topics: ${r.examined.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} mentions`, r.examined, total)
    progress()
    for (let after = 0; ; ) {
      const page = await db.topics.mentionsForTopics(o.scope, after, o.batchSize ?? 5000)
      if (!page.length) break
      after = page[page.length - 1]!.rowid
      const rows = page.map((m) => {
        const t = classifier.classify(m.text, m.lang)
        r.examined++
        r.byTopic[t.topic] = (r.byTopic[t.topic] ?? 0) + 1
        if (m.topic === null) r.tagged++
        else if (m.topic !== t.topic) r.changed++
        else r.unchanged++
        return { rowid: m.rowid, topic: t.topic, source: t.source }
      })
      await db.topics.saveModelTopics(rows)
      progress()
    }
    ctx.log.info(`classify --topics: ${r.examined} mentions: ${r.tagged} newly given a topic, ${r.changed} changed, ${r.unchanged} unchanged; ${r.humanKept} human topics kept`)
    return r
  } finally {
    ctx.progress?.clear()
    await db.close()
  }
}

export function runClassifyTopicText(o: { text: string; lang?: string | undefined; explain?: boolean | undefined }, ctx: CommandContext): TopicTextModel {
  if (!o.text.trim()) throw new UsageError('classify --topics --text: the text is empty')
  const e = topicClassifierFor(ctx.config.topics).explain(o.text, o.lang ?? null)
  return {
    kind: 'topic-text',
    text: o.text,
    topic: e.topic,
    source: e.source,
    lang: e.lang,
    taxonomy: taxonomyOf(ctx),
    ...(o.explain ? { explain: { keywords: e.keywords, scores: e.scores, top: e.top, modelTopic: e.modelTopic } } : {}),
  }
}

export async function runLabelTopic(o: { source: string; id: string; topic: string }, ctx: CommandContext): Promise<TopicLabelModel> {
  const topic = o.topic.trim().toLowerCase()
  const known = topicClassifierFor(ctx.config.topics).topics
  if (!known.includes(topic)) throw new UsageError(`label --topic: unknown topic "${o.topic}" (${known.join(', ')}; the taxonomy is "topics" in the config)`)
  return withStore(ctx.config.database, { ...storeAuth(ctx), create: false }, async (store) => {
    const r = await store.topics.saveHumanTopic(o.source, o.id, topic)
    if (!r) throw new UsageError(`label --topic: no mention ${o.source}:${o.id} in ${ctx.config.database} (see listen mentions --format csv for ids)`)
    return { kind: 'topic-label', source: o.source, id: o.id, topic, previous: r.previous, text: r.text }
  })
}
