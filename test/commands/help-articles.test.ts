// listen help-articles: import from a file and from a sitemap over a MockAgent, list, match, and the
// article that listen mentions shows for a stored question.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { MockAgent } from 'undici'
import { describe, expect, it } from 'vitest'
import { runHelpImport, runHelpList, runHelpMatch } from '../../src/commands/help-articles.js'
import { runMentions } from '../../src/commands/mentions.js'
import { openSqliteStore } from '../../src/store/sqlite/index.js'
import { useTempDir } from '../helpers/tmp.js'
import { testContext, testMention } from './context.js'

const FIX = join(import.meta.dirname, '../../fixtures/care')
const tmp = useTempDir()
const base = { version: '0.0.0-test', maxPages: 500 }

describe('help-articles', () => {
  it('imports a JSONL file, re-imports it unchanged, lists and matches', async () => {
    const { ctx } = testContext(tmp())
    const first = await runHelpImport({ ...base, source: join(FIX, 'help-articles.jsonl') }, ctx)
    expect(first.counts).toEqual({ inserted: 44, updated: 0, unchanged: 0 })
    const again = await runHelpImport({ ...base, source: join(FIX, 'help-articles.jsonl') }, ctx)
    expect(again.counts).toEqual({ inserted: 0, updated: 0, unchanged: 44 })
    expect((await runHelpList(ctx)).articles).toHaveLength(44)
    const m = await runHelpMatch({ text: '@OstMobil how do i cancel my contract? do i need to send a letter', top: 3 }, ctx)
    expect(m.matches[0]).toMatchObject({ id: 'en-cancel-contract', shown: true })
    const none = await runHelpMatch({ text: 'does the ostmobil tariff include netflix?', top: 3 }, ctx)
    expect(none.matches.some((x) => x.shown)).toBe(false)
  })

  it('names a missing file and a sitemap given as a file', async () => {
    const { ctx } = testContext(tmp())
    await expect(runHelpImport({ ...base, source: join(FIX, 'nope.jsonl') }, ctx)).rejects.toThrow(/nope.jsonl: no such file/)
    await expect(runHelpImport({ ...base, source: join(FIX, 'sitemap-help.xml') }, ctx)).rejects.toThrow(/import it by URL/)
  })

  it('fetches a sitemap and its pages; a failing page is skipped and named, the others stored', async () => {
    const { ctx, warnings } = testContext(tmp())
    const agent = new MockAgent()
    agent.disableNetConnect()
    const site = agent.get('https://help.kaufhaus-ost.example')
    const sitemap = `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://help.kaufhaus-ost.example/en/articles/forgot-password</loc></url>
      <url><loc>https://help.kaufhaus-ost.example/de/artikel/zuruecksenden</loc></url>
      <url><loc>https://help.kaufhaus-ost.example/en/articles/gone</loc></url></urlset>`
    site.intercept({ path: '/sitemap.xml' }).reply(200, sitemap, { headers: { 'content-type': 'application/xml' } })
    site.intercept({ path: '/en/articles/forgot-password' }).reply(200, readFileSync(join(FIX, 'article-forgot-password.html'), 'utf8'))
    site.intercept({ path: '/de/artikel/zuruecksenden' }).reply(200, readFileSync(join(FIX, 'artikel-zuruecksenden.html'), 'utf8'))
    site.intercept({ path: '/en/articles/gone' }).reply(404, 'not here')
    const m = await runHelpImport({ ...base, source: 'https://help.kaufhaus-ost.example/sitemap.xml', dispatcher: agent }, ctx)
    expect(m.counts).toEqual({ inserted: 2, updated: 0, unchanged: 0 })
    expect(m.articles.map((a) => a.lang).sort()).toEqual(['de', 'en'])
    expect(m.skipped?.map((s) => s.url)).toEqual(['https://help.kaufhaus-ost.example/en/articles/gone'])
    expect(warnings.join('\n')).toMatch(/skipped https:\/\/help.kaufhaus-ost.example\/en\/articles\/gone: .*404/)
  })

  it('mentions shows the article for a question only, and only a good enough one', async () => {
    const { ctx } = testContext(tmp())
    await runHelpImport({ ...base, source: join(FIX, 'help-articles.jsonl') }, ctx)
    const store = openSqliteStore(ctx.config.database, { create: false })
    const cancel = '@OstMobil how do i cancel my contract? do i need to send a letter'
    await store.mentions.upsertMentions([
      { ...testMention('q1', cancel), label: 'question' },
      { ...testMention('c1', cancel), label: 'complaint' },
      { ...testMention('q2', 'does the ostmobil tariff include netflix?'), label: 'question' },
    ] as never)
    await store.close()
    const m = await runMentions({ filter: {}, limit: 0 }, ctx)
    const byId = new Map(m.mentions.map((x) => [x.id, x.article?.id ?? null]))
    expect(Object.fromEntries(byId)).toEqual({ q1: 'en-cancel-contract', c1: null, q2: null })
  })
})
