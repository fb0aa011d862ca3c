// Each command model → one View. The only place that decides columns.
import { redactLocation } from '../lib/location.js'
import type { ByHourModel } from '../models/byhour.js'
import type { ImportModel, InitModel, MentionsModel } from '../models/ingest.js'
import { LABEL_KEYS } from '../models/mention.js'
import type { Model } from '../models/output.js'
import type { QueryModel } from '../models/query.js'
import { formatLocal } from '../time/zone.js'
import type { Column, View } from './view.js'
import { alertsView } from './views-alerts.js'
import { articleMatchView, helpArticlesView, recheckView, vanishedView } from './views-care.js'
import { fetchView, sourcesView } from './views-fetch.js'
import { auditView, staffView, summaryView, withByHourExtras } from './views-reports.js'
import { queueView } from './views-queue.js'
import { taggerView } from './views-tagger.js'
import { topicClassifyView, topicLabelView, topicTextView } from './views-topics.js'

export function viewOf(model: Model): View {
  switch (model.kind) {
    case 'by-hour':
      return withByHourExtras(model, byHourView(model))
    case 'staff':
      return staffView(model)
    case 'audit':
      return auditView(model)
    case 'summary':
      return summaryView(model)
    case 'alerts':
      return alertsView(model)
    case 'mentions':
      return mentionsView(model)
    case 'queue':
      return queueView(model)
    case 'import':
      return importView(model)
    case 'fetch':
      return fetchView(model)
    case 'sources':
      return sourcesView(model)
    case 'classify':
    case 'classify-text':
    case 'train':
    case 'train-replies':
    case 'models':
    case 'label':
    case 'eval':
    case 'label-next':
    case 'label-input':
      return taggerView(model)
    case 'query':
      return queryView(model)
    case 'migrate-to':
      return {
        json: model,
        rows: model.tables.map((t) => ({ ...t })),
        columns: [
          { key: 'table', header: 'table' },
          { key: 'rows', header: 'rows', kind: 'int' },
          { key: 'read', header: 'read', kind: 'int' },
          { key: 'written', header: 'written', kind: 'int' },
          { key: 'unchanged', header: 'unchanged', kind: 'int' },
        ],
        notes: [`copied ${model.from} into ${redactLocation(model.to)}${model.resumed ? ' (resumed)' : ''}`],
      }
    case 'help-articles':
      return helpArticlesView(model)
    case 'article-match':
      return articleMatchView(model)
    case 'recheck':
      return recheckView(model)
    case 'vanished':
      return vanishedView(model)
    case 'topics-classify':
      return topicClassifyView(model)
    case 'topic-text':
      return topicTextView(model)
    case 'topic-label':
      return topicLabelView(model)
    case 'init':
      return { json: model, rows: [{ path: model.path }], columns: [{ key: 'path', header: 'written' }], notes: initNotes(model) }
  }
}

/** What `listen init` wrote and what to edit next. */
export function initNotes(m: InitModel): string[] {
  const c = m.config as { database?: string; timezone?: string; brands?: Array<{ name: string }>; sources?: Record<string, { enabled?: boolean }> }
  const enabled = Object.entries(c.sources ?? {}).filter(([, s]) => s.enabled !== false).map(([n]) => n)
  return [
    `wrote ${m.path} (database ${c.database ?? 'listen.db'} beside it, time zone ${c.timezone ?? 'of the system'}, example brand "${c.brands?.[0]?.name ?? ''}", sources enabled: ${enabled.join(', ') || 'none'})`,
    'next, edit it:',
    '  brands[]: your brand\'s name, its search query and its own handles per platform (their posts are the care team\'s replies, not customer volume)',
    '  sources: "enabled": true for the platforms you use; credentials come from environment variables (listen sources shows which are missing)',
    '  timezone and staffing (aht, target, serviceLevel) for the staffing plan',
    'then: listen fetch (or listen import FILE), listen report --by-hour, listen report --html report.html',
  ]
}

function byHourView(m: ByHourModel): View {
  // Always every label column, untagged included: spreadsheets fed by cron need a stable header.
  const labelCols: Column[] = LABEL_KEYS.map(
    (k) => ({ key: k, header: k, kind: 'int' as const }),
  )
  const rows = m.hours.map((h) => ({ hour: h.hour, total: h.total, perDay: h.perDay, ...h.byLabel }))
  const notes = [
    `${m.total.toLocaleString('en-US')} customer mentions (brand replies not counted) from ${formatLocal(Date.parse(m.from), m.timezone)} to ${formatLocal(Date.parse(m.until), m.timezone)}: ${m.days} days in ${m.timezone}.`,
  ]
  if (m.heatmap) {
    const header = `       ${Array.from({ length: 24 }, (_, h) => String(h).padStart(5)).join('')}`
    const lines = m.heatmap.weekdays.map(
      (wd, i) => `${wd.padEnd(7)}${m.heatmap!.cells.slice(i * 24, i * 24 + 24).map((c) => c.perDay.toFixed(1).padStart(5)).join('')}`,
    )
    notes.push('Mean mentions per weekday × hour:', header, ...lines)
  }
  return {
    json: m,
    rows,
    columns: [
      { key: 'hour', header: 'hour', kind: 'int' },
      { key: 'total', header: 'total', kind: 'int' },
      { key: 'perDay', header: 'per day', kind: 'number' },
      ...labelCols,
    ],
    title: `Mentions by hour of day (${m.timezone})`,
    notes,
  }
}

function mentionsView(m: MentionsModel): View {
  const rows = m.mentions.map((x) => ({ ...x, scores: x.scores ?? null, article: x.article?.url ?? null, piiMasked: x.piiMasked.join('; ') }))
  return {
    json: m,
    rows,
    columns: [
      { key: 'createdAt', header: 'time', kind: 'instant' },
      { key: 'source', header: 'source' },
      { key: 'id', header: 'id', width: 20, table: false },
      { key: 'brand', header: 'brand', width: 16 },
      { key: 'label', header: 'label', kind: 'label' },
      { key: 'topic', header: 'topic' },
      { key: 'author', header: 'author', width: 16 },
      { key: 'text', header: 'text', width: 70 },
      { key: 'url', header: 'url', width: 40, table: false },
      { key: 'lang', header: 'lang', table: false },
      { key: 'inReplyTo', header: 'in reply to', width: 20, table: false },
      { key: 'byBrand', header: 'by brand', table: false },
      { key: 'article', header: 'help article', width: 40, table: false },
      { key: 'pii', header: 'pii', width: 14 },
      { key: 'piiMasked', header: 'pii masked', width: 30, table: false },
    ],
    // A cut list is said on stderr (render/notices.ts), in every format.
    notes: [],
  }
}

// Blobs as SQL writes them (x'0a1b'): JSON and CSV have no bytes.
const cellValue = (v: unknown) => (v instanceof Uint8Array ? `x'${Buffer.from(v).toString('hex')}'` : v)

function queryView(m: QueryModel): View {
  const rows = m.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, cellValue(v)])))
  return {
    json: { ...m, rows },
    rows,
    columns: m.columns.map((c) => ({ key: c, header: c, width: 60 })),
    notes: [`${m.rows.length.toLocaleString('en-US')} row${m.rows.length === 1 ? '' : 's'}`],
  }
}

function importView(m: ImportModel): View {
  return {
    json: m,
    rows: m.files.map((f) => ({ ...f })),
    columns: [
      { key: 'file', header: 'file', width: 60 },
      { key: 'rows', header: 'rows', kind: 'int' },
      { key: 'inserted', header: 'new', kind: 'int' },
      { key: 'updated', header: 'updated', kind: 'int' },
      { key: 'unchanged', header: 'unchanged', kind: 'int' },
      { key: 'bad', header: 'bad', kind: 'int' },
    ],
    notes: [`database: ${redactLocation(m.database)}`],
  }
}
