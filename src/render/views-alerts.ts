// View of listen alerts: one row per brand and kind (outage, complaint); the alerts themselves, with
// examples and warnings, in the notes under the table and in the JSON document.
import type { View } from './view.js'
import { type AlertsModel } from '../models/alerts.js'
import { formatP } from './words.js'
import { sourceLine } from './slack.js'

export function alertsView(m: AlertsModel): View {
  return {
    json: m,
    rows: m.evaluations.map((e) => ({
      brand: e.brand,
      kind: e.kind,
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
    title: `${m.fired ? `${m.fired} ALERT${m.fired > 1 ? 'S' : ''}` : 'No new alert'}: outage and complaint posts per brand`,
    notes: m.notes,
  }
}
