import { describe, expect, it } from 'vitest'
import { parseTrainRepliesFlags } from '../../src/cli/commands/train.js'
import { runTrainFromReplies } from '../../src/commands/train.js'
import { compileReplyPatterns, DISTANT_WEIGHT, distantLabel } from '../../src/classify/replies.js'
import { parseTaggerModels } from '../../src/classify/stored.js'
import { builtinLinear } from '../../src/classify/tagger.js'
import { openStore } from '../../src/store/open.js'
import { useTempDir } from '../helpers/tmp.js'
import { testContext, testMention as mention } from './context.js'

const tmp = useTempDir()
const patterns = compileReplyPatterns()

describe('distantLabel', () => {
  it.each([
    ["@jo we're so sorry for the trouble, please DM us your order number", 'en', 'complaint'],
    ["Hi Jo, we're aware of an issue affecting logins and our engineers are working on a fix", 'en', 'outage'],
    ["Sorry about that! We're aware of an issue with the app", 'en', 'outage'],
    ["Hi! You can change your plan under Settings > Billing. Here's how: https://t.co/x", 'en', 'question'],
    ['So glad you enjoyed it, thanks for the kind words!', 'en', 'praise'],
    ['Please DM us your account details.', 'en', null],
    ["Sorry to hear that. You can reset it here", 'en', null],
    ['Das tut uns leid! Kannst du uns die Auftragsnummer schicken?', 'de', 'complaint'],
    ['Die Störung ist bekannt, unsere Techniker arbeiten mit Hochdruck an der Behebung.', 'de', 'outage'],
    ['Du kannst die Adresse in deinem Konto unter Einstellungen ändern.', 'de', 'question'],
    ['Das freut uns sehr, viel Spaß damit!', 'de', 'praise'],
    ['Nous sommes désolés pour la gêne occasionnée, merci de nous écrire en privé', null, null],
  ] as const)('%s → %s', (reply, lang, label) => {
    expect(distantLabel(reply, lang, patterns)?.label ?? null).toBe(label)
  })

  it('matches whole words only, and takes phrases from the config', () => {
    expect(distantLabel('unsorry business', 'en', patterns)).toBeNull()
    const more = compileReplyPatterns({ en: { praise: ['rock on'] } })
    expect(distantLabel('Rock on, Jo!', 'en', more)).toEqual({ label: 'praise', matched: 'Rock on' })
    expect(distantLabel('Rock on, Jo!', 'en', patterns)).toBeNull()
  })
})

describe('runTrainFromReplies', () => {
  async function seeded() {
    const dir = tmp()
    const { ctx } = testContext(dir)
    const db = await openStore(ctx.config.database, { create: true })
    const posts = [
      mention('1', 'my parcel is late again'),
      mention('2', 'sorry to hear that, please DM us', { byBrand: true, inReplyTo: '1' }),
      mention('3', 'is the login broken?'),
      mention('4', "we're aware of an issue with logins", { byBrand: true, inReplyTo: '3' }),
      mention('5', 'thanks, all working now'),
      mention('6', 'glad to hear it!', { byBrand: true, inReplyTo: '5' }),
      mention('7', 'how do I change my plan'),
      mention('8', 'please DM us', { byBrand: true, inReplyTo: '7' }),
      mention('9', 'worst service ever'),
      mention('10', 'so sorry about that', { byBrand: true, inReplyTo: '9' }),
    ]
    await db.mentions.upsertMentions(posts)
    await db.models.saveHumanLabel('x', '9', 'other', 'lead', 1)
    await db.close()
    return ctx
  }

  it('--dry-run counts per class with examples and stores nothing; a human label is left out', async () => {
    const ctx = await seeded()
    const r = await runTrainFromReplies({ dryRun: true }, ctx)
    expect(r).toMatchObject({ kind: 'train-replies', dryRun: true, pairs: 4, labelled: 3, weight: DISTANT_WEIGHT, version: null })
    expect(r.byLabel).toEqual({ outage: 1, complaint: 1, question: 0, praise: 1, other: 0 })
    expect(r.examples.map((e) => [e.label, e.id, e.matched])).toEqual([
      ['outage', '3', "we're aware"],
      ['complaint', '1', 'sorry'],
      ['praise', '5', 'glad to hear'],
    ])
    const db = await openStore(ctx.config.database, { create: false })
    try {
      expect(await db.models.listVersions()).toEqual([])
    } finally {
      await db.close()
    }
    expect((await runTrainFromReplies({ dryRun: true, examplesPerClass: 0, pageSize: 1 }, ctx)).examples).toEqual([])
  })

  it('trains the linear model at the distant weight and stores a version; human labels stay', async () => {
    const ctx = await seeded()
    const r = await runTrainFromReplies({ dryRun: false }, ctx)
    expect(r.version).toMatchObject({ version: 1, action: 'train', examples: 3, description: 'distant labels from 3 brand replies' })
    const db = await openStore(ctx.config.database, { create: false })
    try {
      const { linear } = parseTaggerModels((await db.models.activeModel()).json)
      expect(linear!.examples.en).toBeCloseTo(3 * DISTANT_WEIGHT, 5)
      expect(linear!.baseExamples.en).toBe(builtinLinear().baseExamples.en)
      expect(await db.models.countHumanLabels()).toBe(1)
      expect((await db.models.humanExamples())[0]).toMatchObject({ text: 'worst service ever', label: 'other' })
    } finally {
      await db.close()
    }
  })

  it('says so when no reply matched, and stores nothing', async () => {
    const dir = tmp()
    const { ctx } = testContext(dir)
    const db = await openStore(ctx.config.database, { create: true })
    await db.mentions.upsertMentions([mention('1', 'hello'), mention('2', 'please DM us', { byBrand: true, inReplyTo: '1' })])
    await db.close()
    await expect(runTrainFromReplies({ dryRun: false }, ctx)).rejects.toThrow(/none of the 1 customer posts with a brand reply .* got a distant label; nothing stored/)
  })

  it.each([
    [['a.jsonl'], {}],
    [[], { reset: true }],
    [[], { mapping: 'airline' }],
  ])('--from-replies rejects files %j and flags %j', (files, flags) => {
    expect(() => parseTrainRepliesFlags(files, { fromReplies: true, ...flags })).toThrow(/takes no files/)
  })
})
