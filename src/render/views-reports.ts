// Views of the staffing, audit and summary reports, and the staffing/completeness additions to the
// by-hour view.
import type { Column, View } from './view.js'
import type { Completeness } from '../models/completeness.js'
import { type ByHourModel, type StaffingPlan } from '../models/byhour.js'
import { type AuditModel, type AuditStats } from '../models/audit.js'
import { type SummaryModel } from '../models/summary.js'
import { type StaffModel } from '../models/staff.js'
import { completenessLine } from './words.js'

type ByHourExtras = ByHourModel & { completeness?: Completeness; staffing?: StaffingPlan & { basedOnHoles: boolean; notes: string[] } }

/** Adds staffing columns (when planned) and the completeness line to the by-hour view. */
export function withByHourExtras(m: ByHourExtras, base: View): View {
  const notes = [...(base.notes ?? [])]
  if (!m.staffing && !m.completeness) return base
  let columns = base.columns
  let rows = base.rows
  if (m.staffing) {
    const s = m.staffing
    rows = base.rows.map((r, i) => ({ ...r, ...s.hours[i]! }))
    columns = [
      ...base.columns,
      { key: 'peakWeekday', header: 'peak day' },
      { key: 'perHour', header: 'plan/h', kind: 'number' },
      { key: 'agents', header: 'agents (Erlang C)', kind: 'int' },
      { key: 'scheduled', header: 'scheduled', kind: 'int' },
      { key: 'workload', header: 'workload h', kind: 'number', table: false },
      { key: 'backlogAgents', header: 'backlog agents', kind: 'int' },
    ]
    notes.push(...s.notes)
    if (m.heatmap) {
      const header = `       ${Array.from({ length: 24 }, (_, h) => String(h).padStart(4)).join('')}`
      const lines = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map(
        (wd, i) => `${wd.padEnd(7)}${s.cells.slice(i * 24, i * 24 + 24).map((c) => String(c.agents).padStart(4)).join('')}`,
      )
      notes.push('Erlang C agents per weekday × hour:', header, ...lines)
    }
  }
  if (m.completeness) notes.push(completenessLine(m.completeness))
  return { ...base, json: m, rows, columns, notes }
}

export function staffView(m: StaffModel): View {
  return {
    json: m,
    rows: m.table.map((r) => ({ ...r, serviceLevel: pctNum(r.serviceLevel), probabilityWait: pctNum(r.probabilityWait), occupancy: pctNum(r.occupancy), meets: r.meets ? 'yes' : 'no' })),
    columns: [
      { key: 'agents', header: 'agents', kind: 'int' },
      { key: 'serviceLevel', header: 'service level %', kind: 'number' },
      { key: 'probabilityWait', header: 'P(wait) %', kind: 'number' },
      { key: 'asaSeconds', header: 'ASA s', kind: 'number' },
      { key: 'occupancy', header: 'occupancy %', kind: 'number' },
      { key: 'meets', header: 'meets goal' },
    ],
    title: `Erlang C: ${m.agents} agents, ${m.scheduled} scheduled, backlog ${m.backlogAgents}`,
    notes: m.notes,
  }
}

const pctNum = (x: number) => Math.round(x * 1000) / 10

const statColumns: Column[] = [
  { key: 'mentions', header: 'posts', kind: 'int' },
  { key: 'answered', header: 'answered', kind: 'int' },
  { key: 'within1hPct', header: '≤1 h %', kind: 'number' },
  { key: 'within24hPct', header: '≤24 h %', kind: 'number' },
  { key: 'laterPct', header: 'later %', kind: 'number' },
  { key: 'neverPct', header: 'never %', kind: 'number' },
  { key: 'medianMinutes', header: 'median min', kind: 'number' },
  { key: 'p90Minutes', header: 'p90 min', kind: 'number' },
  { key: 'within1h', header: 'within 1 h', kind: 'int', table: false },
  { key: 'within1to24h', header: '1–24 h', kind: 'int', table: false },
  { key: 'later', header: 'later', kind: 'int', table: false },
  { key: 'never', header: 'never', kind: 'int', table: false },
]

function statRow(s: Omit<AuditStats, 'medianMinutes' | 'p90Minutes'> & Partial<AuditStats>): Record<string, unknown> {
  const share = (x: number) => (s.mentions ? pctNum(x / s.mentions) : 0)
  return {
    mentions: s.mentions,
    answered: s.answered,
    within1hPct: share(s.within1h),
    within24hPct: share(s.within1h + s.within1to24h),
    laterPct: share(s.later),
    neverPct: share(s.never),
    medianMinutes: s.medianMinutes,
    p90Minutes: s.p90Minutes,
    within1h: s.within1h,
    within1to24h: s.within1to24h,
    later: s.later,
    never: s.never,
  }
}

export function auditView(m: AuditModel): View {
  if (m.view === 'ledger') {
    return {
      json: m,
      rows: m.ledger.items.map((i) => ({ ...i })),
      columns: [
        { key: 'createdAt', header: 'posted', kind: 'instant' },
        { key: 'ageHours', header: 'age h', kind: 'number' },
        { key: 'source', header: 'source' },
        { key: 'id', header: 'id', width: 20 },
        { key: 'label', header: 'label', kind: 'label' },
        { key: 'author', header: 'author', width: 16 },
        { key: 'text', header: 'text', width: 60 },
        { key: 'url', header: 'link', width: 50 },
        { key: 'brand', header: 'brand', table: false },
      ],
      title: `Unanswered ledger, oldest first (${m.ledger.total.toLocaleString('en-US')} waiting)`,
      notes: m.notes,
    }
  }
  if (m.view === 'hours') {
    return {
      json: m,
      rows: m.hourOfWeek.map((c) => ({ weekday: c.weekday, hour: c.hour, ...statRow(c), uncovered: c.uncovered ? 'UNCOVERED' : '' })),
      columns: [{ key: 'weekday', header: 'day' }, { key: 'hour', header: 'hour', kind: 'int' }, ...statColumns, { key: 'uncovered', header: 'coverage' }],
      title: `First response by hour of week (${m.timezone})`,
      notes: m.notes,
    }
  }
  const rows = [
    { group: 'all', key: 'all', ...statRow(m.overall) },
    ...m.bySource.map((s) => ({ group: 'source', key: s.source, ...statRow(s) })),
    ...m.byLabel.map((s) => ({ group: 'label', key: s.label, ...statRow(s) })),
  ]
  const grid = hourGrid(m)
  return {
    json: m,
    rows,
    columns: [{ key: 'group', header: 'by' }, { key: 'key', header: '' }, ...statColumns],
    title: `First-response audit (${m.timezone})`,
    notes: [...m.notes, ...grid],
  }
}

/** Share answered within 1 h per weekday × hour, "  ." where no post arrived. */
function hourGrid(m: AuditModel): string[] {
  if (!m.overall.mentions) return []
  const header = `       ${Array.from({ length: 24 }, (_, h) => String(h).padStart(4)).join('')}`
  const lines = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map(
    (wd, i) =>
      `${wd.padEnd(7)}${m.hourOfWeek
        .slice(i * 24, i * 24 + 24)
        .map((c) => (c.mentions ? String(Math.round(c.shareWithin1h * 100)) : '.').padStart(4))
        .join('')}`,
  )
  return ['% answered within 1 h per weekday × hour:', header, ...lines]
}

export function summaryView(m: SummaryModel): View {
  const shareRows = (group: string, list: SummaryModel['byLabel']) =>
    list.map((s) => ({ group, key: s.key, count: s.count, share: pctNum(s.share), previous: s.previous, change: s.change === null ? null : pctNum(s.change), score: null }))
  const rows = [
    { group: 'total', key: 'all', count: m.total, share: 100, previous: m.previous.total, change: m.change === null ? null : pctNum(m.change), score: null },
    ...shareRows('label', m.byLabel),
    ...shareRows('source', m.bySource),
    ...shareRows('brand', m.byBrand),
    ...(m.shareOfVoice ? shareRows('voice', m.shareOfVoice) : []),
    ...m.terms.items.map((t) => ({ group: 'term', key: t.term, count: t.count, share: null, previous: null, change: null, score: t.z })),
    ...m.authors.map((a) => ({ group: 'author', key: `${a.author} (${a.source})`, count: a.posts, share: pctNum(a.share), previous: null, change: null, score: a.negative })),
    { group: 'needs answer', key: 'unanswered', count: m.needsResponse.unanswered, share: m.needsResponse.total ? pctNum(m.needsResponse.unanswered / m.needsResponse.total) : 0, previous: null, change: null, score: null },
  ]
  return {
    json: m,
    rows,
    columns: [
      { key: 'group', header: 'by' },
      { key: 'key', header: '', width: 40 },
      { key: 'count', header: 'count', kind: 'int' },
      { key: 'share', header: 'share %', kind: 'number' },
      { key: 'previous', header: 'previous', kind: 'int' },
      { key: 'change', header: 'change %', kind: 'number' },
      { key: 'score', header: 'z / negative', kind: 'number' },
    ],
    title: `Summary (${m.timezone})`,
    notes: m.notes,
  }
}
