#!/usr/bin/env node
// Writes fixtures/demo/mentions.jsonl: four weeks of invented mentions of two invented brands,
// with a realistic daily curve, an outage burst and the care teams' public replies.
// Deterministic (seeded), so the committed file only changes when this script does.
import { writeFileSync, mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const out = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/demo/mentions.jsonl')

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

const brands = [
  { name: 'Nordwind Mobile', lang: 'de', handles: { x: 'NordwindHilfe', mastodon: 'nordwind', reddit: 'NordwindSupport', bluesky: 'nordwind.example', facebook: 'Nordwind Mobile' } },
  { name: 'Acme Air', lang: 'en', handles: { x: 'AcmeAirHelp', mastodon: 'acmeair', reddit: 'AcmeAir_Support', bluesky: 'acmeair.example', facebook: 'Acme Air' } },
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

// Weight of each local hour (Europe/Berlin) in the daily curve; weekends are a bit calmer.
const curve = [0.2, 0.1, 0.08, 0.06, 0.08, 0.2, 0.6, 1.2, 1.8, 2, 1.9, 1.7, 1.6, 1.6, 1.5, 1.5, 1.6, 1.8, 2.1, 2.2, 1.9, 1.4, 0.9, 0.5]
const classes = [['complaint', 0.34], ['question', 0.24], ['praise', 0.14], ['other', 0.2], ['outage', 0.08]]
const sources = [['x', 0.4], ['mastodon', 0.2], ['reddit', 0.15], ['bluesky', 0.1], ['facebook', 0.15]]
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
      lines.push({ source, id, brand: brand.name, created_at: new Date(created).toISOString(), author, text, lang: brand.lang, url: `https://${source}.example/${author}/${id}` })
      // The care team answers most posts that need a response; nights and weekends are slower.
      const needs = label !== 'other' && label !== 'praise'
      if (needs ? rand() < 0.8 : rand() < 0.3) {
        const night = hour < 7 || hour >= 22
        const delayMin = night ? 240 + rand() * 480 : weekend ? 30 + rand() * 240 : 5 + rand() * 110
        const rt = created + Math.floor(delayMin * 60_000)
        if (rt < end) {
          const rid = `${source}-${(++n).toString().padStart(5, '0')}`
          const handle = brand.handles[source]
          const body = label === 'outage' ? replies[brand.lang][2] : label === 'praise' ? replies[brand.lang][3] : pick(replies[brand.lang].slice(0, 2))
          lines.push({ source, id: rid, brand: brand.name, created_at: new Date(rt).toISOString(), author: handle, text: `@${author} ${body}`, lang: brand.lang, url: `https://${source}.example/${handle}/${rid}`, in_reply_to: id, thread_id: id, by_brand: true })
        }
      }
    }
  }
}
lines.sort((a, b) => a.created_at.localeCompare(b.created_at))
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
console.error(`wrote ${lines.length} mentions to ${out}`)
