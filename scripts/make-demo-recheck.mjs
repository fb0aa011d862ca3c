#!/usr/bin/env node
// Writes the demo's recheck answers (fixtures/demo/replay/recheck/replay.json): what Mastodon says
// when `listen recheck --at 2026-11-09` looks the demo's last week of statuses up again. Every status
// is still there as fetched, except one Nordwind complaint the author deleted after the care team
// answered (404) and one Acme Air question edited since. Invented data, from the committed mastodon
// fixtures; run after scripts/make-demo-fixtures.mjs: node scripts/make-demo-recheck.mjs
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const replay = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/demo/replay')
const AT = Date.parse('2026-11-09T00:00:00+01:00')
const WEEK = 7 * 86_400_000
const statuses = new Map()
for (const f of readdirSync(join(replay, 'mastodon')).filter((f) => /^(tag|statuses)-.*\.json$/.test(f)).sort()) {
  for (const s of JSON.parse(readFileSync(join(replay, 'mastodon', f), 'utf8'))) statuses.set(s.id, s)
}
const recent = [...statuses.values()].filter((s) => Date.parse(s.created_at) >= AT - WEEK && Date.parse(s.created_at) < AT).sort((a, b) => a.id.localeCompare(b.id))
const text = (s) => s.content.replace(/<[^>]+>/g, '')
const answered = new Set([...statuses.values()].map((s) => s.in_reply_to_id).filter(Boolean))
const deleted = recent.find((s) => s.account.acct !== 'nordwind' && s.language === 'de' && answered.has(s.id) && /Warteschleife|falsch abgebucht|Rechnungskorrektur|Unverschämt/.test(text(s)))
const edited = recent.find((s) => s.account.acct !== 'acmeair' && s.language === 'en' && /\?/.test(text(s)))
const interactions = recent.map((s) => {
  const base = { method: 'GET', origin: 'https://mastodon.social', path: `/api/v1/statuses/${s.id}` }
  if (s === deleted) return { ...base, status: 404, body: { error: 'Record not found' } }
  if (s === edited) return { ...base, status: 200, body: { ...s, content: s.content.replace('</p>', ' (edit: sorted, thanks)</p>'), edited_at: '2026-11-08T20:00:00.000Z' } }
  return { ...base, status: 200, body: s }
})
mkdirSync(join(replay, 'recheck'), { recursive: true })
writeFileSync(
  join(replay, 'recheck', 'replay.json'),
  JSON.stringify({ description: 'Offline demo (invented data, written by scripts/make-demo-recheck.mjs): Mastodon status lookups for listen recheck --at 2026-11-09', interactions }, null, 1) + '\n',
)
console.log(`wrote ${interactions.length} status lookups; deleted ${deleted?.id} (“${text(deleted)}”), edited ${edited?.id}`)
