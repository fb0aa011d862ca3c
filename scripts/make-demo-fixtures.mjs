#!/usr/bin/env node
// Writes the offline demo's data: four weeks of invented mentions of two invented brands (a
// realistic daily curve, an outage burst, the care teams' public replies), rendered as recorded
// API responses in the replay format of src/http/replay.ts, so `listen demo` fetches them through
// the real adapters:
//   fixtures/demo/replay/<platform>/replay.json + page bodies   (mastodon, reddit, bluesky, facebook)
//   fixtures/demo/listen.config.json                           (brands, handles, dummy credential env names)
// Each platform pages the way its API does, and the brand's replies come the way its adapter reads
// them (Mastodon account statuses, Reddit user comments, Bluesky author feed, Facebook comments),
// so every reply keeps its in_reply_to link. Deterministic (seeded): the committed files only
// change when this script does. Run: node scripts/make-demo-fixtures.mjs
import { createHash } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const demoDir = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/demo')
const replayDir = join(demoDir, 'replay')

let seed = 20261112
const rand = () => {
  // mulberry32
  seed |= 0
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)]

// `xHandle` is how the invented texts address the care team; each platform renders its own form.
// Facebook's handle is the managed Page's id (the Page's comments are the brand's replies).
const brands = [
  {
    name: 'Nordwind Mobile',
    lang: 'de',
    xHandle: 'NordwindHilfe',
    care: 'Nordwind Mobile Hilfe',
    handles: { mastodon: 'nordwind', reddit: 'NordwindSupport', bluesky: 'nordwind-hilfe.bsky.social', facebook: '100064712345001' },
    subreddits: ['de', 'germany', 'Handy', 'FragReddit'],
  },
  {
    name: 'Acme Air',
    lang: 'en',
    xHandle: 'AcmeAirHelp',
    care: 'Acme Air Help',
    handles: { mastodon: 'acmeair', reddit: 'AcmeAir_Support', bluesky: 'acmeair-help.bsky.social', facebook: '100064712345002' },
    subreddits: ['travel', 'flying', 'airlines', 'europe'],
  },
]

const posts = {
  'Nordwind Mobile': {
    complaint: [
      'Seit drei Wochen warte ich auf meine Rechnungskorrektur. Niemand meldet sich. @NordwindHilfe',
      '@NordwindHilfe Zum dritten Mal falsch abgebucht!! Langsam reicht es mir wirklich.',
      'Hotline 45 Minuten Warteschleife und dann aufgelegt. Danke für nichts, Nordwind Mobile 😡',
      'Der Vertragswechsel war versprochen zum 1., jetzt zahle ich doppelt. Unverschämt.',
      'Neue SIM nach 10 Tagen immer noch nicht da. Was ist da los @NordwindHilfe?',
      'Roaming-Gebühren im EU-Urlaub berechnet, obwohl inklusive. Bitte korrigieren!',
      'Kündigung bestätigt, trotzdem wieder Geld abgebucht. Echt jetzt, Nordwind?',
      'Euer Chat-Bot versteht überhaupt nichts. Ich will einen Menschen sprechen.',
    ],
    outage: [
      'Ist Nordwind Mobile gerade down? Kein Netz in ganz Hamburg-Altona.',
      '@NordwindHilfe Störung? Seit 20 Minuten kein mobiles Internet, nur Notruf.',
      'Totalausfall bei Nordwind in Köln, weder Anrufe noch Daten. Bitte um Info!',
      'Die Nordwind App lädt nicht, Fehler 502. Geht das nur mir so?',
      'Kein Netz, kein LTE, gar nichts. Nordwind Störung in Berlin?',
    ],
    question: [
      'Wie kann ich bei Nordwind Mobile eine eSIM aktivieren? Finde nichts in der App.',
      '@NordwindHilfe Gibt es den 5G-Tarif auch ohne Vertragslaufzeit?',
      'Kann ich meine Rufnummer zu Nordwind mitnehmen, wenn der alte Vertrag noch läuft?',
      'Wo finde ich meine PUK? Handy ist gesperrt. @NordwindHilfe',
      'Funktioniert die Nordwind Multi-SIM auch mit der Smartwatch?',
    ],
    praise: [
      'Danke @NordwindHilfe, Problem in 5 Minuten gelöst. Super Service! 👍',
      'Netz im Zug nach München war heute überraschend stabil. Gut gemacht, Nordwind.',
      'Sehr freundliche Beratung im Nordwind Shop in Leipzig. Gerne wieder!',
      'Endlich ein Anbieter, der zurückruft, wenn er es verspricht. Danke Nordwind Mobile!',
    ],
    other: [
      'Nordwind Mobile sponsert dieses Jahr wieder den Stadtlauf in Kiel.',
      'Artikel: Nordwind Mobile baut 300 neue Funkmasten in Bayern.',
      'Hat jemand Erfahrungen mit Nordwind vs. anderen Anbietern im Allgäu?',
      'Die neue Nordwind Werbung mit dem Leuchtturm läuft gerade überall.',
    ],
  },
  'Acme Air': {
    complaint: [
      '@AcmeAirHelp my bag has been lost for 4 days and nobody answers the phone. Unacceptable.',
      'Flight AA212 delayed AGAIN. Third time this month, Acme Air. Why should I keep flying you?',
      'Charged twice for seat selection on my Acme Air booking. Still waiting for a refund.',
      'Rebooked me onto a flight that leaves at 5am without asking. Thanks a lot @AcmeAirHelp 🙄',
      'The Acme Air app kicked me out during check-in and now my seat is gone.',
      'Two hours on hold with Acme Air customer service and the line just dropped.',
      'Broken seat, no wifi, cold food. Acme Air long-haul is a joke now.',
      'Refund promised in 7 days, it has been 6 weeks. @AcmeAirHelp please reply',
    ],
    outage: [
      'Is the Acme Air website down? Getting 503 errors on every page.',
      '@AcmeAirHelp check-in is not loading for anyone at the airport kiosks. Outage?',
      'Acme Air app down again? Cannot load my boarding pass.',
      'Acme Air booking site not working, error 500 when paying.',
      'Whole Acme Air system seems down at the gate, agents writing boarding passes by hand.',
    ],
    question: [
      '@AcmeAirHelp can I bring a folding bike as checked luggage?',
      'Does Acme Air allow pets in the cabin on flights to Lisbon?',
      'How do I add my frequent flyer number to an existing Acme Air booking?',
      'What is the baggage allowance on Acme Air basic fares? @AcmeAirHelp',
      'Can I change the name on my Acme Air ticket if I made a typo?',
    ],
    praise: [
      'Shout out to the Acme Air crew on AA88, they made my kid\'s first flight amazing! ✈️',
      'Landed 20 minutes early and bags were already on the belt. Nice one, Acme Air.',
      'Thank you @AcmeAirHelp for sorting my rebooking so quickly, really appreciated.',
      'Acme Air lounge in Dublin is lovely. Great coffee.',
    ],
    other: [
      'Acme Air announces new routes to Porto and Split next summer.',
      'Reading about Acme Air fleet renewal plans, interesting times for the airline.',
      'Anyone know if Acme Air is hiring cabin crew in Manchester?',
      'Photo of an Acme Air A321 landing in the fog this morning.',
    ],
  },
}

const replies = {
  de: ['Das tut uns leid! Schick uns bitte eine DM mit deiner Kundennummer, wir kümmern uns.', 'Danke für den Hinweis. Wir prüfen das sofort und melden uns.', 'Wir wissen von einer Störung in deiner Region und arbeiten mit Hochdruck an der Lösung.', 'Gern geschehen! Schönen Tag noch.'],
  en: ['Sorry to hear that! Please DM us your booking reference and we will look into it.', 'Thanks for flagging this, our team is on it.', 'We are aware of a technical issue and are working to fix it. Updates follow here.', 'Thanks so much for the kind words!'],
}

// The care agents sign their replies ("^JK", "-Anna": listen audit --agents), by the shift the reply
// falls in (the config's shifts, Berlin time). Chosen by the reply's number, so no random draw moves.
const berlinHour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hourCycle: 'h23' })
const agents = {
  de: { early: ['^JK', '-Anna'], late: ['*TSL', '-Tom'], night: ['^MK'] },
  en: { early: ['^AB', '-Sam'], late: ['*KL', '-Priya'], night: ['^RD'] },
}
function signed(body, lang, at, n) {
  const h = Number(berlinHour.format(new Date(at)))
  const team = agents[lang][h >= 6 && h < 14 ? 'early' : h >= 14 && h < 22 ? 'late' : 'night']
  return `${body} ${team[n % team.length]}`
}

// Weight of each local hour (Europe/Berlin) in the daily curve; weekends are a bit calmer.
const curve = [0.2, 0.1, 0.08, 0.06, 0.08, 0.2, 0.6, 1.2, 1.8, 2, 1.9, 1.7, 1.6, 1.6, 1.5, 1.5, 1.6, 1.8, 2.1, 2.2, 1.9, 1.4, 0.9, 0.5]
const classes = [['complaint', 0.34], ['question', 0.24], ['praise', 0.14], ['other', 0.2], ['outage', 0.08]]
// Only platforms whose adapters can walk four weeks back (X recent search reaches 7 days, so it is
// not here). weighted() draws one number whatever the weights, so the timeline stays the same.
const sources = [['mastodon', 0.3], ['reddit', 0.25], ['bluesky', 0.2], ['facebook', 0.25]]
const weighted = (pairs) => {
  let r = rand() * pairs.reduce((s, [, w]) => s + w, 0)
  for (const [v, w] of pairs) if ((r -= w) <= 0) return v
  return pairs[0][0]
}

// Berlin is UTC+2 until 2026-10-25 01:00 UTC, UTC+1 after.
const berlinOffsetH = (utcMs) => (utcMs < Date.UTC(2026, 9, 25, 1) ? 2 : 1)
const start = Date.UTC(2026, 9, 11, 22) // 2026-10-12 00:00 Berlin
const end = Date.UTC(2026, 10, 8, 23) // 2026-11-09 00:00 Berlin
const authors = Array.from({ length: 400 }, (_, i) => `${pick(['lena', 'max', 'sam', 'jo', 'kim', 'alex', 'mia', 'tom', 'ana', 'ben'])}_${100 + i}`)
const lines = []
let n = 0
const outageStart = Date.UTC(2026, 10, 3, 16) // a Tuesday evening burst for Nordwind
for (let t = start; t < end; t += 3_600_000) {
  const local = new Date(t + berlinOffsetH(t) * 3_600_000)
  const hour = local.getUTCHours()
  const weekend = [0, 6].includes(local.getUTCDay())
  for (const brand of brands) {
    let expected = curve[hour] * (weekend ? 0.7 : 1) * 0.85
    const inBurst = brand.name === 'Nordwind Mobile' && t >= outageStart && t < outageStart + 3 * 3_600_000
    if (inBurst) expected += 12
    // Poisson draw by inversion.
    let k = 0
    let p = Math.exp(-expected)
    let cdf = p
    const u = rand()
    while (u > cdf) {
      k++
      p *= expected / k
      cdf += p
    }
    for (let i = 0; i < k; i++) {
      const label = inBurst && rand() < 0.85 ? 'outage' : weighted(classes)
      const source = weighted(sources)
      const created = t + Math.floor(rand() * 3_600_000)
      const id = `${source}-${(++n).toString().padStart(5, '0')}`
      const author = pick(authors)
      const text = pick(posts[brand.name][label])
      lines.push({ source, id, brand: brand.name, created_at: new Date(created).toISOString(), author, text, lang: brand.lang })
      // The care team answers most posts that need a response; nights and weekends are slower.
      const needs = label !== 'other' && label !== 'praise'
      if (needs ? rand() < 0.8 : rand() < 0.3) {
        const night = hour < 7 || hour >= 22
        const delayMin = night ? 240 + rand() * 480 : weekend ? 30 + rand() * 240 : 5 + rand() * 110
        const rt = created + Math.floor(delayMin * 60_000)
        if (rt < end) {
          const rid = `${source}-${(++n).toString().padStart(5, '0')}`
          const body = label === 'outage' ? replies[brand.lang][2] : label === 'praise' ? replies[brand.lang][3] : pick(replies[brand.lang].slice(0, 2))
          lines.push({ source, id: rid, brand: brand.name, created_at: new Date(rt).toISOString(), author: brand.handles[source], text: signed(body, brand.lang, rt, n), lang: brand.lang, in_reply_to: id, by_brand: true })
        }
      }
    }
  }
}
// Posts that show personal data in public, left unanswered on the last evening: listen queue flags
// them DM and masks the values (invented numbers; the IBAN is the standard checksum example).
const piiPosts = [
  ['mastodon', 'Nordwind Mobile', '2026-11-08T21:12:00Z', 'lena_117', 'de', '@NordwindHilfe Zum dritten Mal falsch abgebucht! Erstattet das bitte endlich auf DE89 3704 0044 0532 0130 00, Kundennummer 40012399.'],
  ['bluesky', 'Acme Air', '2026-11-08T21:40:00Z', 'sam_233', 'en', '@AcmeAirHelp refund for booking number YIU8NM still missing after 6 weeks. Call me back on +44 20 7946 0958 please'],
]
for (const [source, brand, created_at, author, lang, text] of piiPosts) {
  lines.push({ source, id: `${source}-${(++n).toString().padStart(5, '0')}`, brand, created_at, author, text, lang })
}
lines.sort((a, b) => a.created_at.localeCompare(b.created_at))

// ---- Rendering as each platform's API would answer ------------------------------------------------
// Newest first within a page, as every one of these APIs returns it.
const newestFirst = (xs) => [...xs].sort((a, b) => b.ms - a.ms || b.seq - a.seq)
const chunk = (xs, n) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n))
const digest = (s) => createHash('sha256').update(s).digest()
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'
const base32 = (buf, len) => {
  let bits = 0n
  for (const b of buf) bits = (bits << 8n) | BigInt(b)
  let out = ''
  for (let i = 0; i < len; i++) out += BASE32[Number((bits >> BigInt(5 * i)) & 31n)]
  return out
}
const slug = (text) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '_').replace(/^_|_$/g, '').slice(0, 40)
const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
const SURNAMES = ['Becker', 'Schulz', 'Novak', 'Murphy', 'Costa', 'Jansen', 'Kowalski', 'Meyer', 'Silva', 'Brennan', 'Weber', 'Olsen']
const personName = (author) => {
  const [first, num] = author.split('_')
  return `${first[0].toUpperCase()}${first.slice(1)} ${SURNAMES[Number(num) % SURNAMES.length]}`
}
const authorNo = (author) => Number(author.split('_')[1])
const brandOf = (name) => brands.find((b) => b.name === name)

/** How the invented texts' "@<xHandle>" reads on each platform. */
const addressing = {
  mastodon: (b) => `@${b.handles.mastodon}`,
  bluesky: (b) => `@${b.handles.bluesky}`,
  reddit: (b) => `u/${b.handles.reddit}`,
  facebook: (b) => b.name,
}
const items = lines.map((l) => {
  const b = brandOf(l.brand)
  return { ...l, b, seq: Number(l.id.split('-')[1]), ms: Date.parse(l.created_at), text: l.text.split(`@${b.xHandle}`).join(addressing[l.source](b)) }
})
const byLineId = new Map(items.map((i) => [i.id, i]))
const parentOf = (reply) => byLineId.get(reply.in_reply_to)

// Platform ids, assigned once so a reply can name its parent.
const MASTODON = 'https://mastodon.social'
const mastodonAccountId = (author) => String(109_000_000_000_000 + authorNo(author))
const BRAND_MASTODON_ID = { 'Nordwind Mobile': '109348700000001', 'Acme Air': '109348700000002' }
const blueskyDid = (key) => `did:plc:${base32(digest(key), 24)}`
/** A Bluesky record key (TID): microseconds since the epoch and a clock id, base32-sortable. */
const tid = (ms, seq) => {
  let v = (BigInt(ms) * 1000n << 10n) | BigInt(seq % 1024)
  let out = ''
  for (let i = 0; i < 13; i++) {
    out = '234567abcdefghijklmnopqrstuvwxyz'[Number(v & 31n)] + out
    v >>= 5n
  }
  return out
}
const blueskyHandle = (item) => (item.by_brand ? item.b.handles.bluesky : `${item.author.replace(/_/g, '-')}.bsky.social`)
for (const it of items) {
  if (it.source === 'mastodon') it.pid = ((BigInt(it.ms) << 16n) + BigInt(it.seq % 65536)).toString()
  else if (it.source === 'reddit') it.pid = it.by_brand ? (2_500_000_000 + it.seq).toString(36) : (1_500_000_000 + it.seq).toString(36)
  else if (it.source === 'bluesky') it.pid = `at://${blueskyDid(blueskyHandle(it))}/app.bsky.feed.post/${tid(it.ms, it.seq)}`
  else if (it.source === 'facebook') it.pid = (it.by_brand ? 1_234_500_000_000_000n : 122_100_000_000_000_000n) + BigInt(it.seq)
}

const files = new Map()
const replays = {}
function addFile(platform, name, data) {
  files.set(join(platform, name), JSON.stringify(data))
  return name
}
function interaction(platform, { method = 'GET', origin, path, query, headers, bodyFile }) {
  ;(replays[platform] ??= []).push({ method, origin, path, ...(query ? { query } : {}), status: 200, ...(headers ? { headers } : {}), bodyFile })
}

// Mastodon, no token: the hashtag timeline walked forward with min_id (Link rel="prev" names the next
// min_id; the walk ends on an empty page), then the brand account's statuses the same way.
// https://docs.joinmastodon.org/api/guidelines/#pagination
function mastodonStatus(it) {
  const brandAcct = it.by_brand
  const acct = brandAcct ? it.b.handles.mastodon : it.author
  const accountId = brandAcct ? BRAND_MASTODON_ID[it.brand] : mastodonAccountId(it.author)
  const tag = it.b.name.replace(/[^\p{L}\p{N}_]/gu, '')
  const parent = brandAcct ? parentOf(it) : null
  const content = parent
    ? `<p><span class="h-card" translate="no"><a href="${MASTODON}/@${parent.author}" class="u-url mention">@<span>${parent.author}</span></a></span> ${escapeHtml(it.text)}</p>`
    : `<p>${escapeHtml(it.text)} <a href="${MASTODON}/tags/${tag}" class="mention hashtag" rel="tag">#<span>${tag}</span></a></p>`
  return {
    id: it.pid,
    created_at: new Date(it.ms).toISOString(),
    in_reply_to_id: parent ? parent.pid : null,
    in_reply_to_account_id: parent ? mastodonAccountId(parent.author) : null,
    sensitive: false,
    spoiler_text: '',
    visibility: 'public',
    language: it.lang,
    uri: `${MASTODON}/users/${acct}/statuses/${it.pid}`,
    url: `${MASTODON}/@${acct}/${it.pid}`,
    replies_count: 0,
    reblogs_count: 0,
    favourites_count: 0,
    content,
    reblog: null,
    account: { id: accountId, username: acct, acct, display_name: brandAcct ? it.b.care : personName(it.author), url: `${MASTODON}/@${acct}` },
    media_attachments: [],
    mentions: parent ? [{ id: mastodonAccountId(parent.author), username: parent.author, acct: parent.author, url: `${MASTODON}/@${parent.author}` }] : [],
    tags: parent ? [] : [{ name: tag.toLowerCase(), url: `${MASTODON}/tags/${tag}` }],
  }
}
function mastodonForward(path, list, filePrefix) {
  const pages = chunk([...list].sort((a, b) => (BigInt(a.pid) < BigInt(b.pid) ? -1 : 1)), 40)
  const firstPage = []
  pages.forEach((page, k) => {
    const desc = [...page].reverse()
    const newest = desc[0].pid
    const oldest = desc.at(-1).pid
    const rule = {
      origin: MASTODON,
      path,
      headers: { link: `<${MASTODON}${path}?max_id=${oldest}>; rel="next", <${MASTODON}${path}?min_id=${newest}>; rel="prev"` },
      bodyFile: addFile('mastodon', `${filePrefix}-${k + 1}.json`, desc.map(mastodonStatus)),
    }
    // The first request's min_id depends on --since: it is the one rule without a min_id, tried last.
    if (k === 0) firstPage.push(rule)
    else interaction('mastodon', { ...rule, query: { min_id: pages[k - 1].at(-1).pid } })
  })
  interaction('mastodon', { origin: MASTODON, path, query: { min_id: pages.at(-1).at(-1).pid }, bodyFile: addFile('mastodon', 'empty.json', []) })
  for (const rule of firstPage) interaction('mastodon', rule)
}
for (const b of brands) {
  const mine = items.filter((i) => i.source === 'mastodon' && i.brand === b.name)
  const tag = b.name.replace(/[^\p{L}\p{N}_]/gu, '')
  const slugName = b.handles.mastodon
  mastodonForward(`/api/v1/timelines/tag/${tag}`, mine.filter((i) => !i.by_brand), `tag-${slugName}`)
  const id = BRAND_MASTODON_ID[b.name]
  interaction('mastodon', {
    origin: MASTODON,
    path: '/api/v1/accounts/lookup',
    query: { acct: b.handles.mastodon },
    bodyFile: addFile('mastodon', `account-${slugName}.json`, { id, username: b.handles.mastodon, acct: b.handles.mastodon, display_name: b.care, url: `${MASTODON}/@${b.handles.mastodon}`, bot: false, created_at: '2022-11-07T00:00:00.000Z' }),
  })
  mastodonForward(`/api/v1/accounts/${id}/statuses`, mine.filter((i) => i.by_brand), `statuses-${slugName}`)
}

// Reddit: an app-only token, then search?sort=new and the support account's comments, newest
// first, paged with `after` (the last fullname of the previous page; null at the end).
// https://www.reddit.com/dev/api/#listings
const REDDIT = 'https://oauth.reddit.com'
const redditSub = (it) => it.b.subreddits[(it.by_brand ? parentOf(it) : it).seq % it.b.subreddits.length]
const redditUserId = (author) => `t2_${(60_000_000 + authorNo(author)).toString(36)}`
const BRAND_REDDIT_ID = { 'Nordwind Mobile': 't2_nw9x8y7z', 'Acme Air': 't2_ac1r2s3t' }
function redditThing(it) {
  const createdUtc = Math.floor(it.ms / 1000)
  if (!it.by_brand) {
    const permalink = `/r/${redditSub(it)}/comments/${it.pid}/${slug(it.text)}/`
    return {
      kind: 't3',
      data: {
        subreddit: redditSub(it),
        selftext: '',
        author_fullname: redditUserId(it.author),
        title: it.text,
        name: `t3_${it.pid}`,
        id: it.pid,
        created: createdUtc,
        created_utc: createdUtc,
        num_comments: 0,
        permalink,
        url: `https://www.reddit.com${permalink}`,
        author: it.author,
        is_self: true,
        over_18: false,
      },
    }
  }
  const parent = parentOf(it)
  const postPath = `/r/${redditSub(it)}/comments/${parent.pid}/${slug(parent.text)}/`
  return {
    kind: 't1',
    data: {
      id: it.pid,
      name: `t1_${it.pid}`,
      author: it.author,
      author_fullname: BRAND_REDDIT_ID[it.brand],
      created: createdUtc,
      created_utc: createdUtc,
      subreddit: redditSub(it),
      body: it.text,
      permalink: `${postPath}${it.pid}/`,
      link_id: `t3_${parent.pid}`,
      parent_id: `t3_${parent.pid}`,
      link_title: parent.text,
      score: 1,
    },
  }
}
function redditListing(path, query, list, filePrefix) {
  const pages = chunk(newestFirst(list).map(redditThing), 100)
  pages.forEach((page, k) => {
    const after = k + 1 < pages.length ? page.at(-1).data.name : null
    interaction('reddit', {
      origin: REDDIT,
      path,
      query: { ...query, after: k === 0 ? null : pages[k - 1].at(-1).data.name },
      headers: { 'x-ratelimit-remaining': String(995 - k), 'x-ratelimit-used': String(5 + k), 'x-ratelimit-reset': '300' },
      bodyFile: addFile('reddit', `${filePrefix}-${k + 1}.json`, { kind: 'Listing', data: { after, dist: page.length, modhash: '', geo_filter: '', children: page, before: null } }),
    })
  })
}
interaction('reddit', {
  method: 'POST',
  origin: 'https://www.reddit.com',
  path: '/api/v1/access_token',
  bodyFile: addFile('reddit', 'token.json', { access_token: 'demo-app-only-token', token_type: 'bearer', expires_in: 86400, scope: '*' }),
})
for (const b of brands) {
  const mine = items.filter((i) => i.source === 'reddit' && i.brand === b.name)
  const key = b.handles.reddit.toLowerCase()
  redditListing('/search', { q: b.name }, mine.filter((i) => !i.by_brand), `search-${key}`)
  redditListing(`/user/${b.handles.reddit}/comments`, {}, mine.filter((i) => i.by_brand), `comments-${key}`)
}

// Bluesky: an app-password session, searchPosts?sort=latest paged with an opaque cursor, and the
// care account's getAuthorFeed (posts_with_replies) whose records carry reply.parent/root.
// https://docs.bsky.app/docs/api/app-bsky-feed-search-posts
const BSKY = 'https://bsky.social'
function blueskyPost(it) {
  const handle = blueskyHandle(it)
  const parent = it.by_brand ? parentOf(it) : null
  const ref = (p) => ({ uri: p.pid, cid: `bafyrei${base32(digest(p.pid), 52)}` })
  const iso = new Date(it.ms).toISOString()
  return {
    uri: it.pid,
    cid: ref(it).cid,
    author: { did: blueskyDid(handle), handle, displayName: it.by_brand ? it.b.care : personName(it.author), labels: [] },
    record: {
      $type: 'app.bsky.feed.post',
      createdAt: iso,
      langs: [it.lang],
      text: parent ? `@${blueskyHandle(parent)} ${it.text}` : it.text,
      ...(parent ? { reply: { parent: ref(parent), root: ref(parent) } } : {}),
    },
    replyCount: 0,
    repostCount: 0,
    likeCount: 0,
    quoteCount: 0,
    indexedAt: iso,
    labels: [],
  }
}
interaction('bluesky', {
  method: 'POST',
  origin: BSKY,
  path: '/xrpc/com.atproto.server.createSession',
  bodyFile: addFile('bluesky', 'session.json', { did: blueskyDid('listen-demo.bsky.social'), handle: 'listen-demo.bsky.social', accessJwt: 'demo.access.jwt', refreshJwt: 'demo.refresh.jwt', active: true }),
})
for (const b of brands) {
  const mine = items.filter((i) => i.source === 'bluesky' && i.brand === b.name)
  const key = b.handles.bluesky.split('.')[0]
  const search = chunk(newestFirst(mine.filter((i) => !i.by_brand)).map(blueskyPost), 100)
  search.forEach((page, k) => {
    interaction('bluesky', {
      origin: BSKY,
      path: '/xrpc/app.bsky.feed.searchPosts',
      query: { q: b.name, cursor: k === 0 ? null : String(k * 100) },
      bodyFile: addFile('bluesky', `search-${key}-${k + 1}.json`, { posts: page, hitsTotal: mine.length, ...(k + 1 < search.length ? { cursor: String((k + 1) * 100) } : {}) }),
    })
  })
  const feed = chunk(newestFirst(mine.filter((i) => i.by_brand)).map((it) => {
    const post = blueskyPost(it)
    const parent = blueskyPost(parentOf(it))
    return { post, reply: { root: { $type: 'app.bsky.feed.defs#postView', ...parent }, parent: { $type: 'app.bsky.feed.defs#postView', ...parent } } }
  }), 100)
  feed.forEach((page, k) => {
    interaction('bluesky', {
      origin: BSKY,
      path: '/xrpc/app.bsky.feed.getAuthorFeed',
      query: { actor: b.handles.bluesky, cursor: k === 0 ? null : feed[k - 1].at(-1).post.indexedAt },
      bodyFile: addFile('bluesky', `feed-${key}-${k + 1}.json`, { feed: page, ...(k + 1 < feed.length ? { cursor: page.at(-1).post.indexedAt } : {}) }),
    })
  })
}

// Facebook: the managed Page's feed (visitors' posts) with comments expanded inline; the Page's
// own comments are the brand's replies. 25 posts a page, paging.next with an `after` cursor.
// https://developers.facebook.com/docs/graph-api/reference/page/feed/
const GRAPH = 'https://graph.facebook.com'
const graphTime = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000')
const fbUserId = (author) => String(61_550_000_000_000 + authorNo(author))
const fbCursor = (s) => Buffer.from(`demo:${s}`).toString('base64url')
for (const b of brands) {
  const pageId = b.handles.facebook
  const mine = items.filter((i) => i.source === 'facebook' && i.brand === b.name)
  const repliesTo = new Map()
  for (const r of mine.filter((i) => i.by_brand)) repliesTo.set(r.in_reply_to, [...(repliesTo.get(r.in_reply_to) ?? []), r])
  const posts = newestFirst(mine.filter((i) => !i.by_brand)).map((it) => {
    const permalink = `https://www.facebook.com/${pageId}/posts/${it.pid}/`
    const comments = (repliesTo.get(it.id) ?? []).map((r) => ({
      id: `${it.pid}_${r.pid}`,
      message: `${personName(it.author).split(' ')[0]}, ${r.text}`,
      created_time: graphTime(r.ms),
      from: { name: b.name, id: pageId },
      permalink_url: `${permalink}?comment_id=${r.pid}`,
    }))
    return {
      id: `${pageId}_${it.pid}`,
      message: it.text,
      created_time: graphTime(it.ms),
      updated_time: graphTime(Math.max(it.ms, ...(repliesTo.get(it.id) ?? []).map((r) => r.ms))),
      from: { name: personName(it.author), id: fbUserId(it.author) },
      permalink_url: permalink,
      ...(comments.length ? { comments: { data: comments, paging: { cursors: { before: fbCursor(`c${comments[0].id}`), after: fbCursor(`c${comments.at(-1).id}`) } } } } : {}),
    }
  })
  const pages = chunk(posts, 25)
  const path = `/v21.0/${pageId}/feed`
  pages.forEach((page, k) => {
    const after = fbCursor(page.at(-1).id)
    const next = new URL(`${GRAPH}${path}`)
    next.searchParams.set('limit', '25')
    next.searchParams.set('after', after)
    interaction('facebook', {
      origin: GRAPH,
      path,
      query: { after: k === 0 ? null : fbCursor(pages[k - 1].at(-1).id) },
      headers: { 'x-app-usage': JSON.stringify({ call_count: 1 + k, total_cputime: 1, total_time: 1 }) },
      bodyFile: addFile('facebook', `feed-${pageId}-${k + 1}.json`, {
        data: page,
        paging: { cursors: { before: fbCursor(page[0].id), after }, ...(k + 1 < pages.length ? { next: next.toString() } : {}) },
      }),
    })
  })
}

// ---- Writing ------------------------------------------------------------------------------------
rmSync(replayDir, { recursive: true, force: true })
rmSync(join(demoDir, 'mentions.jsonl'), { force: true })
for (const [name, text] of files) {
  mkdirSync(dirname(join(replayDir, name)), { recursive: true })
  writeFileSync(join(replayDir, name), text + '\n')
}
const descriptions = {
  mastodon: 'Nordwind Mobile and Acme Air on mastodon.social without a token: hashtag timelines (min_id + Link) and the care accounts’ statuses',
  reddit: 'Nordwind Mobile and Acme Air on Reddit: app-only token, search?sort=new and the support accounts’ comments, paged with after',
  bluesky: 'Nordwind Mobile and Acme Air on Bluesky: session, searchPosts (sort=latest, cursor) and the care accounts’ author feeds',
  facebook: 'The Nordwind Mobile and Acme Air Pages: visitors’ posts with the Pages’ reply comments inline, paged with after',
}
for (const [platform, interactions] of Object.entries(replays)) {
  const file = { description: `Offline demo (invented data, written by scripts/make-demo-fixtures.mjs). ${descriptions[platform]}`, interactions }
  writeFileSync(join(replayDir, platform, 'replay.json'), JSON.stringify(file, null, 2) + '\n')
}
const demoEnv = (name) => `LISTEN_DEMO_${name}`
const config = {
  timezone: 'Europe/Berlin',
  brands: brands.map((b) => ({ name: b.name, query: b.name, languages: [b.lang], handles: b.handles })),
  sources: {
    mastodon: { enabled: true },
    reddit: { enabled: true, clientIdEnv: demoEnv('REDDIT_CLIENT_ID'), clientSecretEnv: demoEnv('REDDIT_CLIENT_SECRET') },
    bluesky: { enabled: true, identifierEnv: demoEnv('BLUESKY_IDENTIFIER'), appPasswordEnv: demoEnv('BLUESKY_APP_PASSWORD') },
    facebook: { enabled: true, tokenEnv: demoEnv('FACEBOOK_PAGE_TOKEN') },
  },
  // The demo's main job is the staffing plan: 6 minutes per answer, 80 % answered within the hour.
  staffing: { aht: '6m', target: '60m', serviceLevel: 0.8, shrinkage: 0.3, maxOccupancy: 0.85 },
  shifts: [
    { name: 'early', from: '06:00', to: '14:00' },
    { name: 'late', from: '14:00', to: '22:00' },
    { name: 'night', from: '22:00', to: '06:00' },
  ],
}
writeFileSync(join(demoDir, 'listen.config.json'), JSON.stringify(config, null, 2) + '\n')

const summary = Object.keys(replays).map((p) => {
  const mine = items.filter((i) => i.source === p)
  return `${p} ${mine.length} (${mine.filter((i) => i.by_brand).length} replies)`
})
console.error(`wrote ${items.length} mentions as recorded responses to ${replayDir}: ${summary.join(', ')}`)
