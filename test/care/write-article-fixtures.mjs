// Writes the feed and sitemap fixtures from fixtures/care/help-articles.jsonl (our own articles), so the
// parser tests can check that every format yields the same articles. Run after editing the JSONL:
//   node test/care/write-article-fixtures.mjs
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/care')
const articles = readFileSync(path.join(dir, 'help-articles.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l))

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
// Bodies go out as HTML paragraphs, as help-centre feeds deliver them: two sentences a paragraph.
const html = (body) =>
  body
    .split(/(?<=[.!?])\s+/)
    .reduce((ps, s, i) => (i % 2 ? ps.with(-1, `${ps.at(-1)} ${s}`) : [...ps, s]), [])
    .map((p) => `<p>${p}</p>`)
    .join('')
const updated = (i) => new Date(Date.UTC(2026, 9, 1 + (i % 28), 9, i % 60)).toISOString()

const rssItems = articles.map(
  (a, i) => `    <item>
      <title>${esc(a.title)}</title>
      <link>${esc(a.url)}</link>
      <guid isPermaLink="false">${esc(a.id)}</guid>
      <dc:language>${a.lang}</dc:language>
      <pubDate>${new Date(updated(i)).toUTCString()}</pubDate>
      <description><![CDATA[${html(a.body)}]]></description>
    </item>`,
)
writeFileSync(
  path.join(dir, 'help-articles.rss.xml'),
  `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Kaufhaus Ost und OstMobil – Hilfe-Center</title>
    <link>https://hilfe.kaufhaus-ost.example/</link>
    <description>Alle Hilfe-Artikel / all help articles</description>
    <language>de</language>
${rssItems.join('\n')}
  </channel>
</rss>
`,
)

const atomEntries = articles.map(
  (a, i) => `  <entry xml:lang="${a.lang}">
    <id>tag:kaufhaus-ost.example,2026:${a.id}</id>
    <title type="text">${esc(a.title)}</title>
    <link rel="alternate" type="text/html" href="${esc(a.url)}"/>
    <updated>${updated(i)}</updated>
    <content type="html">${esc(html(a.body))}</content>
  </entry>`,
)
writeFileSync(
  path.join(dir, 'help-articles.atom.xml'),
  `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
  <id>tag:kaufhaus-ost.example,2026:help</id>
  <title>Kaufhaus Ost und OstMobil – Hilfe-Center</title>
  <updated>2026-10-28T09:00:00Z</updated>
  <link rel="self" href="https://hilfe.kaufhaus-ost.example/feed.atom"/>
${atomEntries.join('\n')}
</feed>
`,
)

const byHost = new Map()
for (const a of articles) {
  const host = new URL(a.url).host
  byHost.set(host, [...(byHost.get(host) ?? []), a])
}
const sitemapNames = []
for (const [host, list] of byHost) {
  const name = `sitemap-${host.split('.')[0]}.xml`
  sitemapNames.push({ host, name })
  writeFileSync(
    path.join(dir, name),
    `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${list.map((a, i) => `  <url>\n    <loc>${esc(a.url)}</loc>\n    <lastmod>${updated(i).slice(0, 10)}</lastmod>\n  </url>`).join('\n')}
</urlset>
`,
  )
}
writeFileSync(
  path.join(dir, 'sitemap-index.xml'),
  `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${sitemapNames.map(({ host, name }) => `  <sitemap>\n    <loc>https://${host}/${name}</loc>\n  </sitemap>`).join('\n')}
</sitemapindex>
`,
)
console.log(`wrote ${articles.length} articles as RSS and Atom, ${sitemapNames.length} sitemaps and an index to ${dir}`)
