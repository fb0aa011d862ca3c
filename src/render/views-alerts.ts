// View of listen alerts: one row per brand and kind (outage, complaint, and a topic-storm row per topic
// with complaints in the window); the alerts themselves, with
// examples and warnings, in the notes under the table and in the JSON document.
import type { AlertEvaluation, AlertsModel, BaselineWeek } from '../models/alerts.js'
import type { Completeness } from '../models/completeness.js'
import { formatLocalMinute as local } from '../time/zone.js'
import { alertHeadline, sourceLine } from './slack.js'
import type { View } from './view.js'
import { completenessLine, formatP, formatWindow } from './words.js'

export function alertsView(m: AlertsModel): View {
  const notes = alertNotes(m)
  return {
    json: { ...m, notes },
    rows: m.evaluations.map((e) => ({
      brand: e.brand,
      kind: e.kind,
      topic: e.topic ?? null,
      status: e.status,
      count: e.count,
      expected: e.expected,
      pShown: formatP(e.p),
      p: e.p,
      method: e.method,
      model: e.method === 'negative-binomial' ? 'neg. bin.' : e.method === 'poisson' ? 'Poisson' : '',
      baseline: e.baseline.map((n) => (n === null ? '–' : String(n))).join('/'),
      platforms: sourceLine(e.bySource),
      singlePlatform: e.singlePlatform,
      authors: e.authors,
      terms: e.terms.join(', '),
      cooldownUntil: e.cooldownUntil,
      alertId: e.alertId,
      warnings: e.warnings.join(' '),
      examples: e.examples,
    })),
    columns: [
      { key: 'brand', header: 'brand', width: 18 },
      { key: 'kind', header: 'kind', kind: 'label' },
      { key: 'topic', header: 'topic' },
      { key: 'status', header: 'status' },
      { key: 'count', header: 'posts', kind: 'int' },
      { key: 'expected', header: 'expected', kind: 'number' },
      { key: 'pShown', header: 'p' },
      { key: 'p', header: 'p (number)', table: false },
      { key: 'method', header: 'method', table: false },
      { key: 'model', header: 'model' },
      { key: 'baseline', header: 'weeks -1/-2/…' },
      { key: 'platforms', header: 'platforms', width: 24 },
      { key: 'singlePlatform', header: 'single platform', table: false },
      { key: 'authors', header: 'authors', kind: 'int', table: false },
      { key: 'terms', header: 'top terms', width: 24 },
      { key: 'cooldownUntil', header: 'cooldown until', kind: 'instant', table: false },
      { key: 'alertId', header: 'alert id', table: false },
      { key: 'warnings', header: 'warnings', table: false },
      { key: 'examples', header: 'examples', table: false },
    ],
    title: `${m.fired ? `${m.fired} ALERT${m.fired > 1 ? 'S' : ''}` : 'No new alert'}: outage and complaint posts per brand, complaints per topic`,
    notes,
  }
}

/** What a reader of one alert must keep in mind (also posted with it to the webhook). */
export function alertWarnings(e: AlertEvaluation, window: Completeness, weeks: readonly BaselineWeek[], baselineOnHoles: boolean): string[] {
  const out: string[] = []
  const [only] = Object.keys(e.bySource)
  if (e.singlePlatform && only) out.push(`Only on ${only}: a burst on one platform alone may be a raid; check the authors (${e.authors} for ${e.count} posts).`)
  if (window.complete === false) out.push('The window has fetch holes: the real count may be higher.')
  const before = weeks.filter((w) => w.excluded === 'before-data').length
  const holes = weeks.filter((w) => w.excluded === 'fetch-holes').length
  if (before) out.push(`Baseline: ${weeks.length - before} of ${weeks.length} weeks (the data starts later).`)
  if (holes) out.push(`Baseline: ${holes} week(s) with fetch holes left out.`)
  if (baselineOnHoles) out.push('Baseline built on weeks with fetch holes: the expected count may be too low.')
  return out
}

/** The alerts with examples and warnings, the baseline and the delivery: the lines under the table. */
export function alertNotes(m: AlertsModel): string[] {
  const notes: string[] = []
  for (const e of m.evaluations) {
    if (e.status !== 'fired' && e.status !== 'cooldown') continue
    const head = alertHeadline({ ...e, expected: e.expected ?? 0, method: e.method ?? 'poisson', windowMs: m.params.windowMs })
    notes.push(e.status === 'fired' ? `ALERT ${head}` : `(cooldown until ${local(Date.parse(e.cooldownUntil!), m.timezone)}) ${head}`)
    notes.push(`  platforms: ${sourceLine(e.bySource)}; ${e.authors} authors${e.terms.length ? `; top terms: ${e.terms.join(', ')}` : ''}`)
    for (const x of e.examples) notes.push(`  · ${x.text.replace(/\s+/g, ' ').slice(0, 140)} — ${x.author ?? 'unknown'} on ${x.source}${x.url ? ` ${x.url}` : ''}`)
    for (const w of e.warnings) notes.push(`  ! ${w}`)
  }
  if (!m.fired && !m.suppressed) notes.push('No alert.')
  const used = m.weeks.filter((w) => w.excluded === null).length
  notes.push(
    `Window ${local(Date.parse(m.from), m.timezone)}–${local(Date.parse(m.until), m.timezone).replace(local(Date.parse(m.from), m.timezone).slice(0, 11), '')} (${formatWindow(m.params.windowMs)}, ${m.timezone}) against the same hours of the week in ${used} of ${m.params.weeks} previous weeks; fires when P(X ≥ count) < ${m.params.p} and count ≥ ${m.params.min}; cooldown ${m.params.cooldown}.`,
  )
  const holes = m.weeks.filter((w) => w.excluded === 'fetch-holes').length
  if (holes) notes.push(`${holes} baseline week(s) left out for fetch holes.`)
  if (used === 0) notes.push('No baseline yet: the data starts less than a week before the window, so nothing can fire.')
  notes.push(`Window ${completenessLine(m.completeness.window).replace(/^Completeness/, 'completeness')}`)
  if (m.dryRun) notes.push('Dry run: nothing recorded, nothing posted.')
  if (m.delivery.status === 'delivered') notes.push(`Webhook: ${m.delivery.alerts} alert(s) posted${m.delivery.delayed ? `, ${m.delivery.delayed} of them delayed from earlier runs` : ''}.`)
  if (m.delivery.status === 'failed') notes.push(`Webhook FAILED: ${m.delivery.error}. ${m.delivery.alerts} alert(s) recorded as undelivered; the next run with --webhook retries them.`)
  if (m.delivery.status === 'unknown') {
    notes.push(
      `Webhook: no answer in time (${m.delivery.error}). ${m.delivery.alerts} alert(s) may have arrived; they are kept as undelivered and the next run with --webhook sends them again with the same Idempotency-Key, so the receiver can drop the repeat.`,
    )
  }
  if (m.undelivered.total && m.delivery.status !== 'failed' && m.delivery.status !== 'unknown') {
    notes.push(`${m.undelivered.total} alert(s) not delivered (newest ${local(Date.parse(m.undelivered.alerts[0]!.firedAt), m.timezone)}); run with --webhook to retry those from the last 24 h.`)
  }
  return notes
}
