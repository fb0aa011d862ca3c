import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { detectArticleFormat, detectArticleLang, parseArticleFeed, parseArticleHtml, parseArticlesCsv, parseArticlesJsonl, parseSitemap } from '../../src/care/article-sources.js'
import { buildArticleIndex, type HelpArticle, loadArticleIndex, matchArticle, normalizeArticleWords, normalizeQuestionWords, splitCompound, topArticles } from '../../src/care/articles.js'
import { UsageError } from '../../src/models/errors.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const fixture = (name: string) => readFileSync(path.join(root, 'fixtures/care', name), 'utf8')
const articles = parseArticlesJsonl(fixture('help-articles.jsonl'))
const index = buildArticleIndex(articles)

describe('normalizeQuestionWords', () => {
  it.each([
    ['@KaufhausOst_Hilfe where is my parcel?? https://t.co/x1', 'en', ['parcel']],
    ['#RoamingKosten in der Schweiz 😡', 'de', ['roamingkosten', 'roaming', 'kosten', 'schweiz']],
    ['#eSIM', 'en', ['esim', 'sim']],
    ['SIM-Karte geht nicht', 'de', ['sim', 'karte', 'simkarte', 'geht', 'nicht']],
    ['Rücksendung vs Ruecksendung', 'de', ['ruecksendung', 'vs', 'ruecksendung']],
    ['Straße', 'de', ['strasse']],
    ['forgot my pw lol', 'en', ['forgot', 'password']],
    ['new phone, 2FA broken', 'en', ['new', 'phone', 'two', 'factor', 'authentication', 'broken']],
    ["can't log in for 3 days", 'en', ['log', 'days']],
    ['sooooo slow', 'en', ['soo', 'slow']],
    ['constructor toString', 'en', ['constructor', 'tostring']],
  ] as const)('%j (%s) → %j', (text, lang, words) => {
    expect(normalizeQuestionWords(text, lang)).toEqual(words)
  })

  it('keeps handles and URLs out of article text as well', () => {
    expect(normalizeArticleWords('See https://help.example/x or www.example.com for Café prices', 'en')).toEqual(['see', 'cafe', 'prices'])
  })
})

describe('splitCompound', () => {
  const known = (...words: string[]) => {
    const set = new Set(words)
    return (part: string) => set.has(part)
  }
  it.each([
    ['ruecksendeetikett', known('ruecksende', 'etikett'), ['ruecksende', 'etikett']],
    ['handyvertrag', known('handy', 'vertrag'), ['handy', 'vertrag']],
    ['sendungsverfolgung', known('sendung', 'verfolgung'), ['sendung', 'verfolgung']],
    ['kuendigungsfrist', known('kuendigung', 'frist'), ['kuendigung', 'frist']],
    ['rufnummernportierung', known('rufnummer', 'portierung'), ['rufnummer', 'portierung']],
    ['zweifaktorcode', known('zwei', 'faktor', 'code'), ['zwei', 'faktor', 'code']],
    ['onlinebestellung', known('online', 'bestellung', 'lung'), ['online', 'bestellung']],
    ['rechnung', known('re', 'chnung'), null],
    ['versandmail', known('mail'), null],
    ['abc', known('a', 'bc'), null],
  ] as const)('%s → %j', (word, isKnown, parts) => {
    expect(splitCompound(word, isKnown)).toEqual(parts)
  })
})

describe('ranking on our help centre', () => {
  const top = (text: string, lang?: string) => topArticles(index, text, 3, lang)[0]?.article.id
  it.each([
    ['wo finde ich das Rücksendeetikett?', 'de-ruecksendung'],
    ['wie kann ich meinen Handyvertrag kündigen', 'de-vertrag-kuendigen'],
    ['hab gekündigt, wann endet der Vertrag', 'de-vertrag-kuendigen'],
    ['Sendungsverfolgung zeigt nichts an', 'de-sendungsverfolgung'],
    ['forgot my pasword, the reset mail never arrives', 'en-password-reset'],
    ['@OstMobil how do i get an #eSIM', 'en-esim'],
    ['retrun label missing', 'en-return-item'],
  ])('%j → %s', (text, id) => {
    expect(top(text)).toBe(id)
  })

  it('answers a German question with German articles and an English one with English articles', () => {
    expect(topArticles(index, 'Wann bekomme ich mein Geld zurück?', 5).every((m) => m.article.lang === 'de')).toBe(true)
    expect(topArticles(index, 'when will i get my money back?', 5).every((m) => m.article.lang === 'en')).toBe(true)
  })

  it('tries every language when the question has one the index lacks', () => {
    expect(top('password reset link', 'fr')).toBe('en-password-reset')
  })

  it('leaves a question without an article when nothing fits', () => {
    expect(matchArticle(index, 'does the ostmobil tariff include netflix?')).toBeNull()
    expect(matchArticle(index, 'hello')).toBeNull()
    expect(topArticles(index, '@KaufhausOst 😡😡 https://t.co/x')).toEqual([])
  })

  it('gives a match with a confidence between the threshold and 1', () => {
    const m = matchArticle(index, '@OstMobil how do i cancel my contract? do i need to send a letter')
    expect(m?.article).toEqual({ id: 'en-cancel-contract', url: 'https://help.kaufhaus-ost.example/en/articles/cancel-your-contract', title: 'Cancelling your mobile contract', lang: 'en' })
    expect(m!.confidence).toBeGreaterThanOrEqual(index.calibration.threshold)
    expect(m!.confidence).toBeLessThan(1)
  })

  it('survives a JSON round trip unchanged', () => {
    const copy = loadArticleIndex(JSON.stringify(index))
    for (const text of ['wo ist mein Paket', 'roaming in switzerland', 'Gutschein einlösen', 'nothing here at all']) {
      expect(topArticles(copy, text, 3)).toEqual(topArticles(index, text, 3))
    }
  })

  it.each([
    ['not an index', '{"version":2}', /not a version 1 index/],
    ['damaged', JSON.stringify({ ...index, langs: { de: { ...index.langs.de, terms: [] } } }), /language "de" is damaged/],
  ])('loadArticleIndex rejects %s', (_what, json, message) => {
    expect(() => loadArticleIndex(json)).toThrow(message)
  })

  it('indexes articles in languages other than en and de with English analysis', () => {
    const fr: HelpArticle = { id: 'fr-1', url: 'https://x.example/fr', title: 'Livraison', body: 'Délais de livraison en France', lang: 'fr' }
    const idx = buildArticleIndex([fr, ...articles])
    expect(topArticles(idx, 'delais livraison', 1, 'fr')[0]?.article.id).toBe('fr-1')
  })
})

describe('parseArticlesJsonl', () => {
  it('reads our help centre: 22 English and 22 German articles', () => {
    expect(articles).toHaveLength(44)
    expect(articles.filter((a) => a.lang === 'de')).toHaveLength(22)
    expect(articles[0]).toMatchObject({ id: 'en-return-item', title: 'How do I return an item?', lang: 'en' })
  })

  it('defaults the id to the url, detects the language, strips HTML bodies', () => {
    const [a] = parseArticlesJsonl('{"title":"Paket weg","url":"https://x.example/a","body":"<p>Wo ist mein Paket? Die Sendung ist seit Tagen nicht angekommen &amp; die Verfolgung zeigt nichts.</p>"}\n')
    expect(a).toEqual({ id: 'https://x.example/a', url: 'https://x.example/a', title: 'Paket weg', body: 'Wo ist mein Paket? Die Sendung ist seit Tagen nicht angekommen & die Verfolgung zeigt nichts.', lang: 'de' })
  })

  it.each([
    ['{"title":"a","body":"b","url":"https://x.example/1"}\n{"title":', /^line 2: not valid JSON/],
    ['\n\n["title"]', /^line 3: expected a JSON object/],
    ['{"body":"b","url":"https://x.example/1"}', /^line 1: "title" is missing or empty/],
    ['{"title":"  ","body":"b","url":"https://x.example/1"}', /^line 1: "title" is missing or empty/],
    ['{"title":"a","body":"b"}', /^line 1: "url" is missing or empty/],
    ['{"title":"<b></b>","body":"b","url":"https://x.example/1"}', /^line 1: "title" has no text once its markup is removed/],
    ['{"title":"a","body":"b","url":"/help/1"}', /^line 1: "url" must be an absolute http\(s\) URL, got "\/help\/1"/],
    ['{"title":"a","body":7,"url":"https://x.example/1"}', /^line 1: "body" must be a string, got number/],
    ['{"id":"x","title":"a","body":"b","url":"https://x.example/1"}\n{"id":"x","title":"c","body":"d","url":"https://x.example/2"}', /^line 2: duplicate id "x" \(first at line 1\)/],
  ])('%j → %s', (text, message) => {
    expect(() => parseArticlesJsonl(text)).toThrow(UsageError)
    expect(() => parseArticlesJsonl(text)).toThrow(message)
  })
})

describe('parseArticlesCsv', () => {
  it.each([
    ['comma', 'title,body,url,id,lang\nReturns,"Send it back, free",https://x.example/r,r1,en\n'],
    ['semicolon (German Excel)', '\uFEFFTitle;Body;URL;ID;Lang\r\nReturns;Send it back, free;https://x.example/r;r1;en\r\n'],
    ['tab', 'url\ttitle\tbody\tid\tlang\nhttps://x.example/r\tReturns\tSend it back, free\tr1\ten\n'],
  ])('reads %s-separated files', (_what, csv) => {
    expect(parseArticlesCsv(csv)).toEqual([{ id: 'r1', url: 'https://x.example/r', title: 'Returns', body: 'Send it back, free', lang: 'en' }])
  })

  it('names the line a record starts on, also after a body that spans lines', () => {
    const csv = 'title,body,url\nA,"one\ntwo\nthree",https://x.example/a\nB,b,not-a-url\n'
    expect(() => parseArticlesCsv(csv)).toThrow(/^line 5: "url" must be an absolute/)
  })

  it.each([
    ['title,body\nA,b\n', /^CSV header: missing column "url" \(found: title, body\)/],
    ['title,body,url\n"A,b,https://x.example/a\n', /^CSV: /],
    ['title,body,url\nA,b,https://x.example/a,extra\n', /^CSV: /],
    ['title,body,url\n,b,https://x.example/a\n', /^line 2: "title" is missing/],
  ])('%j → %s', (csv, message) => {
    expect(() => parseArticlesCsv(csv)).toThrow(message)
  })
})

describe('parseSitemap', () => {
  it('reads a sitemap index and its sitemaps', () => {
    expect(parseSitemap(fixture('sitemap-index.xml'))).toEqual({
      kind: 'sitemapindex',
      urls: ['https://help.kaufhaus-ost.example/sitemap-help.xml', 'https://hilfe.kaufhaus-ost.example/sitemap-hilfe.xml'],
    })
    const pages = [...parseSitemap(fixture('sitemap-help.xml')).urls, ...parseSitemap(fixture('sitemap-hilfe.xml')).urls]
    expect(pages).toEqual(articles.map((a) => a.url))
  })

  it.each([
    ['<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>', { kind: 'urlset', urls: [] }],
    ['<urlset><url><loc> https://x.example/a </loc></url></urlset>', { kind: 'urlset', urls: ['https://x.example/a'] }],
    ['<s:urlset xmlns:s="http://www.sitemaps.org/schemas/sitemap/0.9"><s:url><s:loc>https://x.example/a</s:loc></s:url></s:urlset>', { kind: 'urlset', urls: ['https://x.example/a'] }],
  ])('%s', (xml, expected) => {
    expect(parseSitemap(xml)).toEqual(expected)
  })

  it.each([
    ['<urlset><url><loc>https://x.example/a</loc></url>', /^sitemap: invalid XML at line 1/],
    ['<rss/>', /root element must be <urlset> or <sitemapindex>/],
    ['<urlset><url><loc>https://x.example/a</loc></url><url><lastmod>2026-01-01</lastmod></url></urlset>', /^sitemap: <url> 2 has no <loc>/],
    ['<sitemapindex><sitemap><loc>/sitemap-2.xml</loc></sitemap></sitemapindex>', /^sitemap: <sitemap> 1: <loc> is not an absolute http\(s\) URL/],
  ])('%s → %s', (xml, message) => {
    expect(() => parseSitemap(xml)).toThrow(message)
  })
})

describe('parseArticleHtml', () => {
  it('takes the article out of a help-centre page: no navigation, scripts, cookie banner or feedback', () => {
    const url = 'https://help.kaufhaus-ost.example/en/articles/forgot-password'
    const page = parseArticleHtml(fixture('article-forgot-password.html'), url)
    expect(page).toEqual({ ...articles.find((a) => a.id === 'en-password-reset')!, id: url })
  })

  it('falls back to <main>, decodes entities and drops hidden and sharing blocks', () => {
    const page = parseArticleHtml(fixture('artikel-zuruecksenden.html'), 'https://hilfe.kaufhaus-ost.example/de/artikel/artikel-zuruecksenden')
    expect(page.title).toBe('Wie sende ich einen Artikel zurück?')
    expect(page.lang).toBe('de')
    expect(page.body).toMatch(/^Online gekaufte Artikel können Sie innerhalb von 30 Tagen nach der Lieferung ohne Angabe von Gründen zurückgeben\. Melden Sie sich/)
    expect(page.body).toMatch(/Rücksendung\. Drucken Sie/)
    for (const junk of ['Hilfe-Center', 'Erstattung', 'querySelectorAll', 'nur in der App', 'Teilen', 'Impressum', 'Wie sende']) expect(page.body).not.toContain(junk)
  })

  it.each([
    ['<html><head><title>Rückgabe – Hilfe</title></head><body><p>Sie können alles zurückgeben.</p></body></html>', 'Rückgabe'],
    ['<html><head><title>Ignored | Help</title><meta property="og:title" content="Delivery times"></head><body><p>Two days.</p></body></html>', 'Delivery times'],
  ])('title from og:title or <title> when there is no <h1>: %s', (html, title) => {
    expect(parseArticleHtml(html, 'https://x.example/a').title).toBe(title)
  })

  it.each([
    ['<html><body><p>text only</p></body></html>', 'https://x.example/a', /^https:\/\/x\.example\/a: no title/],
    ['<html><body><h1>Title</h1><nav>menu</nav><script>x()</script></body></html>', 'https://x.example/a', /: no article text found/],
    ['<h1>T</h1><p>b</p>', 'relative/page', /"url" must be an absolute/],
  ])('%s → %s', (html, url, message) => {
    expect(() => parseArticleHtml(html, url)).toThrow(message)
  })
})

describe('parseArticleFeed', () => {
  const same = (parsed: HelpArticle[]) => parsed.map(({ title, url, body, lang }) => ({ title, url, body, lang }))
  const expected = same(articles)

  it('reads the RSS 2.0 feed of our help centre as the same articles', () => {
    const rss = parseArticleFeed(fixture('help-articles.rss.xml'))
    expect(same(rss)).toEqual(expected)
    expect(rss.map((a) => a.id)).toEqual(articles.map((a) => a.id))
  })

  it('reads the Atom feed of our help centre as the same articles', () => {
    const atom = parseArticleFeed(fixture('help-articles.atom.xml'))
    expect(same(atom)).toEqual(expected)
    expect(atom[0]!.id).toBe('tag:kaufhaus-ost.example,2026:en-return-item')
  })

  it.each([
    ['<rss><channel><language>de</language><item><title>Paket</title><link>https://x.example/p</link><description>&lt;p&gt;Wo ist es?&lt;/p&gt;</description></item></channel></rss>', { id: 'https://x.example/p', title: 'Paket', body: 'Wo ist es?', lang: 'de' }],
    ['<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>a1</id><title>Refunds</title><link href="https://x.example/r"/><summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>You get your money back within <b>three days</b> of the return.</p></div></summary></entry></feed>', { id: 'a1', title: 'Refunds', body: 'You get your money back within three days of the return.', lang: 'en' }],
  ])('%s', (xml, fields) => {
    expect(parseArticleFeed(xml)[0]).toMatchObject(fields)
  })

  it.each([
    ['<rss><channel><item><title>a</title></item></channel></rss>', /^feed item 1: "url" is missing/],
    ['<feed><entry><link href="https://x.example/a"/></entry></feed>', /^feed entry 1: "title" is missing/],
    ['<html><body/></html>', /root element must be <rss> or <feed>/],
    ['<rss><channel><item></channel></rss>', /^feed: invalid XML at line 1/],
  ])('%s → %s', (xml, message) => {
    expect(() => parseArticleFeed(xml)).toThrow(message)
  })
})

describe('detectArticleFormat', () => {
  it.each([
    ['articles.jsonl', '', 'jsonl'],
    ['export.CSV', '', 'csv'],
    ['https://help.example/feed.atom?x=1', '', 'feed'],
    ['page.htm', '', 'html'],
    ['https://help.example/hc/sitemap.xml', '<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', 'sitemap'],
    ['https://help.example/sitemap_index.xml', '<?xml version="1.0"?><!-- x --><sitemapindex>', 'sitemap'],
    ['https://help.example/feed', '\uFEFF<?xml version="1.0"?><rss version="2.0">', 'feed'],
    ['https://help.example/feed', '<feed xmlns="http://www.w3.org/2005/Atom">', 'feed'],
    ['https://help.example/hc/articles/123', '<!DOCTYPE html><html lang="de">', 'html'],
    ['stdin', '{"title":"a"}', 'jsonl'],
    ['stdin', 'title;body;url', 'csv'],
  ] as const)('%s → %s', (name, text, format) => {
    expect(detectArticleFormat(name, text)).toBe(format)
  })

  it.each([
    ['data.xml', '<?xml version="1.0"?><note/>'],
    ['https://x.example/api', '<?xml version="1.0"?><opml/>'],
  ])('refuses XML that is neither a feed nor a sitemap: %s', (name, text) => {
    expect(() => detectArticleFormat(name, text)).toThrow(/neither a feed nor a sitemap/)
  })
})

describe('detectArticleLang', () => {
  it.each([
    ['Returns', 'You can send back anything you bought within 30 days, and we refund the money.', null, 'en'],
    ['Rückgabe', 'Sie können alles, was Sie gekauft haben, innerhalb von 30 Tagen zurückgeben.', null, 'de'],
    ['x', 'y', 'de-AT', 'de'],
  ])('%s → %s', (title, body, tag, lang) => {
    expect(detectArticleLang(title, body, tag)).toBe(lang)
  })
})

interface Question {
  id: string
  lang: 'en' | 'de'
  text: string
  gold: string[] | null
  split: 'dev' | 'test'
}

describe('the labelled questions (test split; the floors sit a little below the measured figures)', () => {
  const questions = readFileSync(path.join(root, 'test/care/article-questions.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Question)
  const ids = new Set(articles.map((a) => a.id))

  it('is well formed: 150+ questions, 40+ without an answer, gold ids that exist', () => {
    expect(questions.length).toBeGreaterThanOrEqual(150)
    expect(questions.filter((q) => q.gold === null).length).toBeGreaterThanOrEqual(40)
    for (const q of questions) for (const id of q.gold ?? []) expect(ids.has(id), `${q.id}: ${id}`).toBe(true)
    expect(new Set(questions.map((q) => q.split))).toEqual(new Set(['dev', 'test']))
  })

  const figures = (lang: 'en' | 'de') => {
    const qs = questions.filter((q) => q.split === 'test' && q.lang === lang)
    const answerable = qs.filter((q) => q.gold !== null)
    const none = qs.filter((q) => q.gold === null)
    const top = (q: Question) => topArticles(index, q.text, 3).map((m) => m.article.id)
    return {
      top1: answerable.filter((q) => q.gold!.includes(top(q)[0]!)).length / answerable.length,
      top3: answerable.filter((q) => top(q).some((id) => q.gold!.includes(id))).length / answerable.length,
      leftEmpty: none.filter((q) => matchArticle(index, q.text) === null).length / none.length,
    }
  }

  it.each([
    // Measured: en 38/41, 41/41, 10/13; de 35/41, 39/41, 11/13. Each floor allows one or two more misses.
    ['en', { top1: 0.87, top3: 0.97, leftEmpty: 0.69 }],
    ['de', { top1: 0.8, top3: 0.92, leftEmpty: 0.76 }],
  ] as const)('%s: top-1, top-3 and questions without an answer left empty stay above %j', (lang, floors) => {
    const f = figures(lang)
    expect(f.top1).toBeGreaterThanOrEqual(floors.top1)
    expect(f.top3).toBeGreaterThanOrEqual(floors.top3)
    expect(f.leftEmpty).toBeGreaterThanOrEqual(floors.leftEmpty)
  })
})
