import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { trainModel } from '../../src/classify/bayes.js'
import { classifyForStore } from '../../src/classify/scores.js'
import { cloneLinear, updateLinear } from '../../src/classify/linear.js'
import { serializeTaggerModels } from '../../src/classify/stored.js'
import { builtinLinear, builtinModel } from '../../src/classify/tagger.js'
import { activeTagSpec } from '../../src/ingest/tag-spec.js'
import { loadActiveModel, loadActiveTagger } from '../../src/ingest/tagging.js'
import { UsageError } from '../../src/models/errors.js'
import { type Db, openDb } from '../../src/store/sqlite/db.js'
import { SqliteStore } from '../../src/store/sqlite/index.js'
import { MentionStore } from '../../src/store/sqlite/mentions.js'
import { ModelStore } from '../../src/store/sqlite/model.js'
import { testMention as mention, ZORP } from '../commands/context.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()


function fresh(): { db: Db; store: SqliteStore; models: ModelStore; mentions: MentionStore; path: string } {
  const path = join(tmp(), 'listen.db')
  const db = openDb(path, { create: true })
  return { db, store: new SqliteStore(db, path), models: new ModelStore(db), mentions: new MentionStore(db), path }
}

const labelOf = (db: Db, id: string) =>
  db.prepare('SELECT label, label_source AS labelSource, scores FROM mentions WHERE source = ? AND id = ?').get('x', id) as {
    label: string | null
    labelSource: string | null
    scores: string | null
  }

describe('ModelStore versions', () => {
  it('starts on the built-in model with no versions', async () => {
    const { db, store, models } = fresh()
    expect(models.listVersions()).toEqual([])
    expect(models.activeVersion()).toBeNull()
    const active = await loadActiveModel(store)
    expect(active.version).toBeNull()
    expect(active.shared).toBe(true)
    expect(active.model).toBe(builtinModel())
    db.close()
  })

  it('stores numbered versions, the newest active, and survives reopening the file', async () => {
    const { db, models, path } = fresh()
    const m1 = trainModel([{ text: ZORP, label: 'outage', lang: 'en' }], builtinModel())
    const v1 = models.saveModelVersion({ action: 'train', basedOn: null, description: 'a.jsonl', examples: 1, model: m1, createdAt: 1000 })
    const m2 = trainModel([{ text: ZORP, label: 'praise', lang: 'en' }], m1)
    const v2 = models.saveModelVersion({ action: 'train', basedOn: v1.version, description: 'b.jsonl', examples: 1, model: m2, createdAt: 2000 })
    expect([v1.version, v2.version]).toEqual([1, 2])
    db.close()

    const againDb = openDb(path, { create: false })
    const again = new ModelStore(againDb)
    expect(again.listVersions().map((v) => [v.version, v.basedOn, v.description, v.examples, v.builtin])).toEqual([
      [1, null, 'a.jsonl', 1, false],
      [2, 1, 'b.jsonl', 1, false],
    ])
    const active = await loadActiveModel(new SqliteStore(againDb, path))
    expect(active.version?.version).toBe(2)
    expect(active.shared).toBe(false)
    expect(active.model.langs.en.docs).toEqual(m2.langs.en.docs)
    again.db.close()
  })

  it('a reset version means the built-in model again', async () => {
    const { db, store, models } = fresh()
    models.saveModelVersion({ action: 'train', basedOn: null, description: 'a', examples: 1, model: trainModel([{ text: ZORP, label: 'outage' }], builtinModel()), createdAt: 1 })
    const reset = models.saveModelVersion({ action: 'reset', basedOn: null, description: 'built-in model', examples: 0, model: null, createdAt: 2 })
    expect(reset).toMatchObject({ version: 2, action: 'reset', builtin: true })
    expect((await loadActiveModel(store)).model).toBe(builtinModel())
    db.close()
  })

  it('hands a reader thread no model while the built-in one applies, else the active model with human labels', async () => {
    const { db, store, models, mentions } = fresh()
    expect(await activeTagSpec(store)).toEqual({ model: null })
    const m1 = trainModel([{ text: ZORP, label: 'outage', lang: 'en' }], builtinModel())
    models.saveModelVersion({ action: 'train', basedOn: null, description: 'a', examples: 1, model: m1, createdAt: 1 })
    expect(((await activeTagSpec(store)).model as { revision: number }).revision).toBe(m1.revision)
    models.saveModelVersion({ action: 'reset', basedOn: null, description: 'built-in model', examples: 0, model: null, createdAt: 2 })
    expect(await activeTagSpec(store)).toEqual({ model: null })
    mentions.upsertMentions([mention('1', ZORP)])
    models.saveHumanLabel('x', '1', 'praise', null, 3)
    const spec = (await activeTagSpec(store)).model as { trained: { en: { docs: number[] } } }
    expect(spec.trained.en.docs).toEqual([0, 0, 0, 1, 0])
    db.close()
  })

  it('names a corrupt stored model and how to recover', async () => {
    const { db, store } = fresh()
    db.prepare("INSERT INTO models (created_at, action, examples, model) VALUES (1, 'train', 0, '{\"format\":\"other\"}')").run()
    await expect(loadActiveModel(store)).rejects.toThrow(/model version 1: .*format is "other".*listen train --reset/)
    db.close()
  })
})

describe('human labels', () => {
  it('records the correction with its history and names an unknown mention', async () => {
    const { db, models, mentions } = fresh()
    mentions.upsertMentions([mention('1', 'thanks for the help')])
    expect(models.saveHumanLabel('x', '1', 'complaint', 'sam', 10).previous).toEqual({ label: null, labelSource: null })
    expect(models.saveHumanLabel('x', '1', 'question', 'kim', 20).previous).toEqual({ label: 'complaint', labelSource: 'human' })
    expect(labelOf(db, '1')).toEqual({ label: 'question', labelSource: 'human', scores: null })
    expect(models.labelHistory('x', '1')).toEqual([
      { oldLabel: null, newLabel: 'complaint', by: 'sam', at: 10 },
      { oldLabel: 'complaint', newLabel: 'question', by: 'kim', at: 20 },
    ])
    expect(() => models.saveHumanLabel('x', 'nope', 'other', null, 1)).toThrow(UsageError)
    expect(() => models.saveHumanLabel('x', 'nope', 'other', null, 1)).toThrow(/no mention x:nope in .*listen\.db/)
    db.close()
  })

  it('is never overwritten by model labels, upserts or re-imports', async () => {
    const { db, models, mentions } = fresh()
    mentions.upsertMentions([mention('1', 'is your app down?'), mention('2', 'is your app down?')])
    models.saveHumanLabel('x', '1', 'praise', null, 1)
    const changed = models.saveModelLabels([
      { rowid: 1, label: 'outage', scores: { outage: 1, complaint: 0, question: 0, praise: 0, other: 0 } },
      { rowid: 2, label: 'outage', scores: { outage: 1, complaint: 0, question: 0, praise: 0, other: 0 } },
    ])
    expect(changed).toBe(1)
    mentions.upsertMentions([mention('1', 'is your app down?', { label: 'outage', labelSource: 'model', scores: { outage: 1 } })])
    expect(labelOf(db, '1')).toMatchObject({ label: 'praise', labelSource: 'human' })
    expect(labelOf(db, '2')).toMatchObject({ label: 'outage', labelSource: 'model' })
    for (const scope of ['untagged', 'model', 'all'] as const) expect(models.mentionsToTag(scope, 0, 10).map((m) => m.rowid)).not.toContain(1)
    db.close()
  })

  it('keeps the by-hour rollup exact when labels change', async () => {
    const { db, models, mentions } = fresh()
    mentions.upsertMentions([mention('1', 'a'), mention('2', 'b')])
    models.saveModelLabels([{ rowid: 1, label: 'outage', scores: { outage: 1, complaint: 0, question: 0, praise: 0, other: 0 } }])
    models.saveHumanLabel('x', '2', 'praise', null, 1)
    expect(db.prepare("SELECT label, n FROM mention_buckets WHERE n > 0 ORDER BY label").all()).toEqual([
      { label: 'outage', n: 1 },
      { label: 'praise', n: 1 },
    ])
    db.close()
  })
})

describe('scopes of listen classify', () => {
  it.each([
    ['untagged', ['3']],
    ['model', ['2', '3']],
    ['all', ['1', '2', '3']],
  ] as const)('%s selects %j', (scope, ids) => {
    const { db, models, mentions } = fresh()
    mentions.upsertMentions([
      mention('1', 'a', { label: 'other', labelSource: 'import' }),
      mention('2', 'b', { label: 'other', labelSource: 'model' }),
      mention('3', 'c'),
      mention('4', 'd'),
    ])
    models.saveHumanLabel('x', '4', 'praise', null, 1)
    const rows = models.mentionsToTag(scope, 0, 10)
    expect(rows.map((r) => String(r.rowid))).toEqual(ids)
    expect(models.countToTag(scope)).toBe(ids.length)
    db.close()
  })
})

describe('loadActiveTagger', () => {
  it('adds human labels to the active model and rebuilds after a new version or label', async () => {
    const { db, store, models, mentions } = fresh()
    const first = await loadActiveTagger(store)
    expect(await loadActiveTagger(store)).toBe(first)
    // Labels the built-in model does not give the unknown word: only training can.
    const [a, b] = (['question', 'praise', 'other'] as const).filter((l) => l !== first.classify(ZORP, 'en').label)

    mentions.upsertMentions(Array.from({ length: 6 }, (_, i) => mention(`p${i}`, `${ZORP} ${i}`)))
    for (let i = 0; i < 6; i++) models.saveHumanLabel('x', `p${i}`, a!, null, i)
    const withHuman = await loadActiveTagger(store)
    expect(withHuman).not.toBe(first)
    expect(withHuman.classify(ZORP, 'en').label).toBe(a)
    // The built-in model itself stays untouched by human examples.
    expect(builtinModel().langs.en.counts.zorpflux).toBeUndefined()

    // Another unknown word: the human labels of ZORP come last in the linear model and win there.
    const WORD = 'blimquat blimquat'
    const trained = trainModel(Array.from({ length: 40 }, () => ({ text: WORD, label: b!, lang: 'en' })), builtinModel())
    // Both parts of the version learnt the 40 posts, as listen train does.
    const linear = updateLinear(cloneLinear(builtinLinear()), Array.from({ length: 40 }, () => ({ text: WORD, label: b!, lang: 'en' })))
    models.saveModelVersion({ action: 'train', basedOn: null, description: 't', examples: 40, model: serializeTaggerModels(trained, linear), createdAt: 5 })
    const withVersion = await loadActiveTagger(store)
    expect(withVersion).not.toBe(withHuman)
    expect(withVersion.classify(WORD, 'en').label).toBe(b)
    expect(withVersion.classify(ZORP, 'en').label).toBe(a)
    expect(classifyForStore(withVersion, WORD, 'en')).toMatchObject({ label: b, labelSource: 'model' })
    db.close()
  })
})
