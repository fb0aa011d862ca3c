// Views of the staffing, audit and summary reports, and the staffing/completeness additions to the
// by-hour view.
import { type AuditModel, type AuditStats, MIN_CELL_POSTS } from '../models/audit.js'
import type { ByHourModel, StaffingPlan } from '../models/byhour.js'
import type { Completeness } from '../models/completeness.js'
import type { StaffModel } from '../models/staff.js'
import type { SummaryModel } from '../models/summary.js'
import { formatLocalMinute } from '../time/zone.js'
import { auditWarnings } from './notices.js'
import type { Column, View } from './view.js'
import { completenessLine, formatMinutes, pct } from './words.js'

const local = (iso: string, tz: string) => formatLocalMinute(Date.parse(iso), tz)

type ByHourExtras = ByHourModel & { completeness?: Completeness; coverageByHour?: Array<number | null>; staffing?: StaffingPlan & { basedOnHoles: boolean } }

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
    notes.push(...staffingNotes(s))
    if (m.heatmap) {
      const header = `       ${Array.from({ length: 24 }, (_, h) => String(h).padStart(4)).join('')}`
      const lines = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map(
        (wd, i) => `${wd.padEnd(7)}${s.cells.slice(i * 24, i * 24 + 24).map((c) => String(c.agents).padStart(4)).join('')}`,
      )
      notes.push('Erlang C agents per weekday × hour:', header, ...lines)
    }
  }
  if (m.coverageByHour) {
    const coverage = m.coverageByHour
    rows = rows.map((r, i) => ({ ...r, coverage: coverage[i] ?? null }))
    columns = [...columns, { key: 'coverage', header: 'coverage', kind: 'number', table: false }]
  }
  if (m.completeness) notes.push(completenessLine(m.completeness))
  return { ...base, json: m.staffing ? { ...m, staffing: { ...m.staffing, notes: staffingNotes(m.staffing) } } : m, rows, columns, notes }
}

export function staffView(m: StaffModel): View {
  const notes = staffNotes(m)
  return {
    json: { ...m, notes },
    // csv and ndjson carry the headline too: the chosen row, scheduled heads per row, the backlog figure.
    rows: m.table.map((r) => ({
      ...r,
      serviceLevel: pctNum(r.serviceLevel),
      probabilityWait: pctNum(r.probabilityWait),
      occupancy: pctNum(r.occupancy),
      meets: r.meets ? 'yes' : 'no',
      chosen: r.chosen ? 'Erlang C' : '',
      backlogAgents: m.backlogAgents,
    })),
    columns: [
      { key: 'chosen', header: 'answer' },
      { key: 'agents', header: 'agents', kind: 'int' },
      { key: 'scheduled', header: 'scheduled', kind: 'int' },
      { key: 'serviceLevel', header: 'service level %', kind: 'number' },
      { key: 'probabilityWait', header: 'P(wait) %', kind: 'number' },
      { key: 'asaSeconds', header: 'ASA s', kind: 'number' },
      { key: 'occupancy', header: 'occupancy %', kind: 'number' },
      { key: 'meets', header: 'meets goal' },
      { key: 'backlogAgents', header: 'backlog agents', kind: 'int', table: false },
    ],
    title: `Erlang C: ${m.agents} agents, ${m.scheduled} scheduled, backlog ${m.backlogAgents}`,
    notes,
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
  const notes = auditNotes(m)
  const json = { ...m, notes }
  if (m.view === 'ledger') {
    return {
      json,
      rows: m.ledger.items.map((i) => ({ ...i, waiting: formatMinutes(i.ageHours * 60) })),
      columns: [
        { key: 'createdAt', header: 'posted', kind: 'instant' },
        { key: 'waiting', header: 'waiting' },
        { key: 'ageHours', header: 'age h', kind: 'number', table: false },
        { key: 'source', header: 'source' },
        { key: 'id', header: 'id', width: 20 },
        { key: 'label', header: 'label', kind: 'label' },
        { key: 'author', header: 'author', width: 16 },
        { key: 'text', header: 'text', width: 60 },
        { key: 'url', header: 'link', width: 50 },
        { key: 'brand', header: 'brand', table: false },
      ],
      title: `Unanswered ledger, oldest first (${m.ledger.total.toLocaleString('en-US')} waiting)`,
      notes,
    }
  }
  if (m.view === 'hours') {
    return {
      json,
      rows: m.hourOfWeek.map((c) => ({ weekday: c.weekday, hour: c.hour, ...statRow(c), uncovered: c.uncovered ? 'UNCOVERED' : '' })),
      columns: [{ key: 'weekday', header: 'day' }, { key: 'hour', header: 'hour', kind: 'int' }, ...statColumns, { key: 'uncovered', header: 'coverage' }],
      title: `First response by hour of week (${m.timezone})`,
      notes,
    }
  }
  if (m.view === 'agents') {
    const agents = m.byAgent ?? []
    return {
      json,
      rows: agents.map((a) => ({ account: a.account, agent: a.agent ?? '(unsigned)', ...statRow(a) })),
      columns: [{ key: 'account', header: 'account', width: 20 }, { key: 'agent', header: 'agent', width: 16 }, ...statColumns],
      title: `Brand replies by agent (${m.timezone}): posts answered and how fast`,
      notes: [...notes, `${agents.filter((a) => a.agent !== null).length} signed agent(s) in ${agents.reduce((n, a) => n + a.mentions, 0).toLocaleString('en-US')} replies to stored posts`],
    }
  }
  const rows = [
    { group: 'all', key: 'all', ...statRow(m.overall) },
    ...m.bySource.map((s) => ({ group: 'source', key: s.source, ...statRow(s) })),
    ...m.byLabel.map((s) => ({ group: 'label', key: s.label, ...statRow(s) })),
    ...(m.byShift ?? []).map((s) => ({ group: 'shift', key: s.shift, ...statRow(s) })),
    ...(m.byTopic ?? []).map((s) => ({ group: 'topic', key: s.topic, ...statRow(s) })),
  ]
  const grid = hourGrid(m)
  return {
    json,
    rows,
    columns: [{ key: 'group', header: 'by' }, { key: 'key', header: '' }, ...statColumns],
    title: `First-response audit (${m.timezone})`,
    notes: [...notes, ...grid],
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
    ...shareRows('topic', m.byTopic ?? []),
    ...shareRows('source', m.bySource),
    ...shareRows('brand', m.byBrand),
    ...(m.shareOfVoice ? shareRows('voice', m.shareOfVoice) : []),
    ...m.terms.items.map((t) => ({ group: 'term', key: t.term, count: t.count, share: null, previous: null, change: null, score: t.z })),
    ...m.authors.map((a) => ({ group: 'author', key: `${a.author} (${a.source})`, count: a.posts, share: pctNum(a.share), previous: null, change: null, score: a.negative })),
    { group: 'needs answer', key: 'unanswered', count: m.needsResponse.unanswered, share: m.needsResponse.total ? pctNum(m.needsResponse.unanswered / m.needsResponse.total) : 0, previous: null, change: null, score: null },
  ]
  const notes = summaryNotes(m)
  return {
    json: { ...m, notes },
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
    notes,
  }
}

/** The audit in sentences: the lines under its table and in its JSON. */
export function auditNotes(m: AuditModel): string[] {
  const o = m.overall
  const notes = [
    `${o.mentions.toLocaleString('en-US')} customer posts needing an answer (${m.labels.join(', ')}) from ${local(m.from, m.timezone)} to ${local(m.until, m.timezone)} in ${m.timezone}.`,
    `First response: median ${formatMinutes(o.medianMinutes)}, p90 ${formatMinutes(o.p90Minutes)} (over answered posts); within 1 h ${pct(o.shareWithin1h)}, within 24 h ${pct(o.shareWithin24h)}, later ${pct(o.mentions ? o.later / o.mentions : 0)}, never ${pct(o.shareNever)}.`,
    `Brand = ${m.handles.description}.`,
  ]
  notes.push(...auditWarnings(m))
  const untagged = m.byLabel.find((l) => l.label === 'untagged')
  if (untagged && m.untagged === 'included') {
    notes.push(`${untagged.mentions.toLocaleString('en-US')} untagged posts counted as needing an answer (the tagger has not labelled them); --labels outage,complaint,question leaves them out.`)
  }
  if (m.uncovered.length) {
    const shown = m.uncovered.slice(0, 8).map((u) => `${u.weekday} ${pad(u.fromHour)}–${pad(u.untilHour)} (${pct(u.shareWithin1h)} within 1 h)`)
    notes.push(`Uncovered hours (≥${MIN_CELL_POSTS} posts, under half answered within 1 h): ${shown.join(', ')}${m.uncovered.length > 8 ? `, … ${m.uncovered.length} ranges in JSON (--hours lists every cell)` : ''}.`)
  }
  if (m.view !== 'ledger' && m.ledger.total) {
    notes.push(`Unanswered ledger: ${m.ledger.total.toLocaleString('en-US')} posts still waiting; oldest: ${m.ledger.items.slice(0, 3).map((i) => `${i.source}/${i.id} (${formatMinutes(i.ageHours * 60)})`).join(', ')}, waiting at ${local(m.now, m.timezone)}. --ledger lists them.`)
  }
  if (m.completeness.sources.length) notes.push(completenessLine(m.completeness))
  return notes
}

const pad = (h: number) => `${String(h).padStart(2, '0')}:00`

/** The summary in sentences. */
export function summaryNotes(m: SummaryModel): string[] {
  const period = `${local(m.previous.from, m.timezone)} – ${local(m.previous.until, m.timezone)}`
  const change =
    m.change === null
      ? noPreviousData(m, period)
      : `${m.change >= 0 ? '+' : ''}${Math.round(m.change * 1000) / 10} % against the previous ${period} (${m.previous.total.toLocaleString('en-US')})`
  const notes = [
    `${m.total.toLocaleString('en-US')} customer posts from ${local(m.from, m.timezone)} to ${local(m.until, m.timezone)} (${m.timezone}); ${change}.`,
    `Still waiting for an answer: ${m.needsResponse.unanswered.toLocaleString('en-US')} of ${m.needsResponse.total.toLocaleString('en-US')} posts labelled ${m.needsResponse.labels.join(', ')} (brand replies found through reply chains; see listen audit).`,
  ]
  if (m.shareOfVoice) notes.push(`Share of voice: ${m.shareOfVoice.map((b) => `${b.key} ${Math.round(b.share * 1000) / 10} %`).join(', ')}.`)
  if (m.terms.items.length) {
    notes.push(`Distinctive in complaints and outages (log-odds z vs. all other posts): ${m.terms.items.map((t) => t.term).join(', ')}.`)
  } else {
    notes.push(m.terms.documents ? 'Too few complaints and outages for distinctive terms.' : 'No complaints or outages in this window (untagged data: run the tagger first) — no distinctive terms.')
  }
  if (m.terms.sampled) notes.push('Terms use the newest 200,000 posts of the window.')
  notes.push(completenessLine(m.completeness))
  return notes
}

/** Why a summary gives no change against the previous period (`period`: its span in words). */
export function noPreviousData(m: Pick<SummaryModel, 'previous' | 'activeDays'>, period: string): string {
  if (!m.previous.total) return `no data in the previous period ${period}`
  const d = m.activeDays
  return `no data in the previous period ${period} (posts on ${d.previous} of its days, on ${d.current} in this one: the data starts inside it), so no change is given`
}

/** How the staffing plan was made and what it leaves out. */
export function staffingNotes(plan: StaffingPlan & { basedOnHoles: boolean }): string[] {
  const notes = [
    `Staffing for ${plan.params.labels.join(', ')}: AHT ${plan.params.aht}, ${Math.round(plan.params.serviceLevel * 100)} % within ${plan.params.target}, shrinkage ${Math.round(plan.params.shrinkage * 100)} %, occupancy ≤ ${Math.round(plan.params.maxOccupancy * 100)} %; ${plan.params.percentile === null ? 'mean' : `p${Math.round(plan.params.percentile * 100)}`} arrivals per weekday-hour, each hour planned for its busiest weekday.`,
    `agents = ${plan.models.agents}; scheduled = ${plan.models.scheduled}; backlog = ${plan.models.backlogAgents}. Erlang C fits live channels (chat, DMs); public comments answered in turn fit the backlog figure.`,
  ]
  if (plan.untaggedCounted) notes.push(`${plan.untaggedCounted.toLocaleString('en-US')} untagged mentions counted as work (the tagger has not labelled them); --labels outage,complaint,question leaves them out.`)
  if (plan.untaggedLeftOut) notes.push(`${plan.untaggedLeftOut.toLocaleString('en-US')} untagged mentions NOT counted: add "untagged" to --labels or run the tagger.`)
  if (plan.basedOnHoles) notes.push('WARNING: this staffing plan is built on incomplete data (hours without a successful fetch); volumes and agents are too low there. See completeness.')
  return notes
}

/** The Erlang C answer in sentences. */
export function staffNotes(m: StaffModel): string[] {
  const pct1 = (x: number) => (x * 100).toFixed(1)
  const pct0 = (x: number) => (x * 100).toFixed(0)
  return [
    `${m.input.volume} contacts per ${m.input.interval} (${m.input.perHour}/h), AHT ${m.input.aht}: ${m.erlangs} erlangs of work.`,
    `Erlang C (live queue): ${m.agents} agents reach ${pct1(m.achieved.serviceLevel)} % within ${m.input.target} (goal ${pct0(m.input.serviceLevel)} %, occupancy ${pct1(m.achieved.occupancy)} % ≤ ${pct0(m.input.maxOccupancy)} %); scheduled with ${pct0(m.input.shrinkage)} % shrinkage: ${m.scheduled}.`,
    `Backlog model (asynchronous replies): workload ÷ occupancy = ${m.backlogAgents} agents.`,
  ]
}

