// The staffing-meeting report as ONE self-contained HTML file: inline CSS and hand-written inline
// SVG, no script, no network (a Content-Security-Policy forbids any fetch). Every piece of mention
// text comes from strangers: it goes through esc() (and sanitizeForTerminal for bidi/control
// characters), links only for http(s) URLs.
import type { AuditModel, AuditStats } from '../models/audit.js'
import { type ByHourReport, type HourStaffing, WEEKDAYS } from '../models/byhour.js'
import type { Completeness } from '../models/completeness.js'
import type { HtmlModels } from '../models/html.js'
import { LABEL_KEYS, type LabelKey } from '../models/mention.js'
import type { Share, SummaryModel } from '../models/summary.js'
import { formatLocalMinute, offsetAt } from '../time/zone.js'
import { sanitizeForTerminal } from './sanitize.js'
import { noPreviousData } from './views-reports.js'
import { formatMinutes, pct } from './words.js'

// Okabe–Ito colours: told apart with the common colour-vision deficiencies, and in greyscale print.
export const LABEL_COLORS: Record<LabelKey, string> = {
  outage: '#D55E00',
  complaint: '#E69F00',
  question: '#0072B2',
  praise: '#009E73',
  other: '#8c8c8c',
  untagged: '#cfcfcf',
}
const RESPONSE_COLORS = { within1h: '#009E73', within1to24h: '#F0E442', later: '#E69F00', never: '#D55E00' }

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
/** Text and attribute values; strips control and bidi-override characters first. */
export function esc(value: unknown): string {
  return sanitizeForTerminal(String(value ?? '')).replace(/[&<>"']/g, (c) => ESC[c]!)
}

/** Only web links: a javascript: or data: URL from a post must never become clickable. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null
  try {
    const u = new URL(url)
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null
  } catch {
    return null
  }
}

// Thin no-break space groups thousands: unambiguous for readers used to "1.292" (German) or "1,292".
const int = (n: number) => Math.round(n).toLocaleString('en-US').replace(/,/g, '\u202f')
const num = (x: number, digits = 1) => (Math.abs(x) >= 100 ? int(x) : x.toFixed(digits))
const dayCount = (d: number) => `${Number.isInteger(d) ? d : num(d)} day${d === 1 ? '' : 's'}`
const local = (iso: string | number, tz: string) => formatLocalMinute(typeof iso === 'number' ? iso : Date.parse(iso), tz)
const hh = (h: number) => `${String(h).padStart(2, '0')}:00`
const change = (c: number | null) => (c === null ? '–' : `${c >= 0 ? '+' : '−'}${Math.abs(Math.round(c * 1000) / 10)} %`)
const title = (text: string) => `<title>${esc(text)}</title>`

/** 1, 2 or 5 × 10^k: the step for about `count` grid lines up to max. */
function niceStep(max: number, count = 5): number {
  const raw = Math.max(max, 1e-9) / count
  const p = 10 ** Math.floor(Math.log10(raw))
  for (const m of [1, 2, 5, 10]) if (raw <= m * p) return m * p
  return 10 * p
}

function niceMax(max: number, count = 5): { max: number; step: number } {
  const step = niceStep(max, count)
  return { max: Math.max(step, Math.ceil(max / step) * step), step }
}

/** The zone's UTC offsets over the window, and the instants they change (daylight saving). */
export function zoneDescription(from: number, until: number, tz: string): string {
  const fmt = (ms: number) => {
    const m = Math.round(ms / 60_000)
    const h = Math.floor(Math.abs(m) / 60)
    const rest = Math.abs(m) % 60
    return `UTC${m < 0 ? '−' : '+'}${h}${rest ? `:${String(rest).padStart(2, '0')}` : ''}`
  }
  let off = offsetAt(from, tz)
  const parts = [fmt(off)]
  // Offsets change on whole hours (or half hours); 15-minute steps find every change.
  for (let t = from + 900_000; t < until; t += 900_000) {
    const o = offsetAt(t, tz)
    if (o !== off) {
      parts.push(`${fmt(o)} from ${local(t, tz)}`)
      off = o
    }
  }
  return `${tz} (${parts.join(', then ')})`
}

// ---------------------------------------------------------------------------------------------
// Charts

const W = 1040

/** Whole agents on the axis: a step of at least 1, never the repeated labels 0, 1, 1, 2, 2. */
export function agentTicks(peak: number): { max: number; step: number } {
  const top = Math.max(2, Math.ceil(peak * 1.15))
  const step = Math.max(1, niceStep(top, 4))
  return { max: Math.ceil(top / step) * step, step }
}

/** Erlang C and the backlog model give the same head count at every hour: one line says both. */
export function staffingLinesCoincide(s: NonNullable<ByHourReport['staffing']>): boolean {
  return s.hours.every((h) => h.agents === h.backlogAgents)
}

function byHourChart(m: ByHourReport): string {
  const top = 28
  const left = 74
  const right = 16
  const plotH = 230
  const plotW = W - left - right
  const slot = plotW / 24
  const barW = slot * 0.72
  const days = m.days > 0 ? m.days : 1
  const peak = Math.max(0, ...m.hours.map((h) => h.total / days))
  const y = niceMax(Math.max(peak, 1))
  const sy = (v: number) => top + plotH - (v / y.max) * plotH
  const out: string[] = []
  for (let v = 0; v <= y.max + 1e-9; v += y.step) {
    out.push(`<line class="grid" x1="${left}" x2="${left + plotW}" y1="${sy(v)}" y2="${sy(v)}"/>`)
    out.push(`<text class="tick" x="${left - 6}" y="${sy(v) + 4}" text-anchor="end">${num(v, y.step < 1 ? 1 : 0)}</text>`)
  }
  out.push(`<text class="axis-title" x="12" y="${top + plotH / 2}" transform="rotate(-90 12 ${top + plotH / 2})" text-anchor="middle">mentions per day (mean)</text>`)
  for (const h of m.hours) {
    const x = left + h.hour * slot + (slot - barW) / 2
    const parts = LABEL_KEYS.filter((k) => h.byLabel[k] > 0).map((k) => `${k} ${int(h.byLabel[k])}`)
    const tip = `${hh(h.hour)}–${hh((h.hour + 1) % 24)}: ${int(h.total)} mentions in ${dayCount(m.days)} = ${num(h.perDay)} per day${parts.length ? `\n${parts.join(', ')}` : ''}`
    const segs: string[] = []
    let acc = 0
    for (const k of LABEL_KEYS) {
      const n = h.byLabel[k]
      if (!n) continue
      const y0 = sy((acc + n) / days)
      const hgt = sy(acc / days) - y0
      segs.push(`<rect class="seg" data-label="${k}" data-count="${n}" x="${x.toFixed(1)}" y="${y0.toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(hgt, 0).toFixed(2)}" fill="${LABEL_COLORS[k]}">${title(`${hh(h.hour)} ${k}: ${int(n)} (${num(n / days)} per day)`)}</rect>`)
      acc += n
    }
    out.push(`<g class="bar" data-hour="${h.hour}" data-total="${h.total}" data-per-day="${h.perDay}">${title(tip)}${segs.join('')}</g>`)
    if (h.total) out.push(`<text class="val" x="${(x + barW / 2).toFixed(1)}" y="${(sy(h.total / days) - 4).toFixed(1)}" text-anchor="middle">${num(h.perDay)}</text>`)
    out.push(`<text class="tick" x="${(left + h.hour * slot + slot / 2).toFixed(1)}" y="${top + plotH + 16}" text-anchor="middle">${String(h.hour).padStart(2, '0')}</text>`)
  }
  out.push(`<line class="axis" x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}"/>`)
  if (!m.total) out.push(`<text class="empty" x="${left + plotW / 2}" y="${top + plotH / 2}" text-anchor="middle">No customer mentions in this window</text>`)
  let height = top + plotH + 26
  const s = m.staffing
  if (s) {
    // Agents get a panel of their own under the hours: a line across the bars would run through
    // their value labels, and the two scales would invite reading one against the other.
    const panelTop = height + 14
    const panelH = 96
    const a = agentTicks(Math.max(...s.hours.map((h) => Math.max(h.agents, h.backlogAgents))))
    const ay = (v: number) => panelTop + panelH - (v / a.max) * panelH
    for (let v = 0; v <= a.max; v += a.step) {
      out.push(`<line class="grid" x1="${left}" x2="${left + plotW}" y1="${ay(v)}" y2="${ay(v)}"/>`)
      out.push(`<text class="tick agents" x="${left - 6}" y="${ay(v) + 4}" text-anchor="end">${v}</text>`)
    }
    out.push(`<text class="axis-title agents" x="12" y="${panelTop + panelH / 2}" transform="rotate(-90 12 ${panelTop + panelH / 2})" text-anchor="middle">agents</text>`)
    const step = (key: 'agents' | 'backlogAgents') =>
      s.hours.map((h, i) => `${i ? 'L' : 'M'}${(left + i * slot).toFixed(1)} ${ay(h[key]).toFixed(1)} L${(left + (i + 1) * slot).toFixed(1)} ${ay(h[key]).toFixed(1)}`).join(' ')
    out.push(`<path class="line erlang" d="${step('agents')}"/>`)
    // Drawn last and dashed, so where the two agree both stay visible (dashes on the solid line).
    if (!staffingLinesCoincide(s)) out.push(`<path class="line backlog" d="${step('backlogAgents')}"/>`)
    for (const [i, h] of s.hours.entries()) {
      const tip = `${hh(i)}, planned for ${h.peakWeekday} (busiest weekday at this hour): ${num(h.perHour)} mentions/h → ${h.agents} agents (Erlang C), ${h.scheduled} scheduled after shrinkage, ${h.backlogAgents} backlog agents`
      out.push(`<circle class="pt erlang" data-hour="${i}" data-agents="${h.agents}" data-scheduled="${h.scheduled}" data-backlog="${h.backlogAgents}" cx="${(left + i * slot + slot / 2).toFixed(1)}" cy="${ay(h.agents).toFixed(1)}" r="3.2">${title(tip)}</circle>`)
    }
    height = panelTop + panelH + 6
    // The numbers as a table under the hours: readable on paper, where nothing hovers.
    const table: Array<[string, (h: HourStaffing) => number]> = [
      ['Erlang C', (h) => h.agents],
      ['scheduled', (h) => h.scheduled],
      ['backlog', (h) => h.backlogAgents],
    ]
    for (const [r, [name, get]] of table.entries()) {
      const ry = height + 14 + r * 15
      out.push(`<text class="rowname" x="${left - 6}" y="${ry}" text-anchor="end">${name}</text>`)
      for (const [i, h] of s.hours.entries()) out.push(`<text class="cellnum" x="${(left + i * slot + slot / 2).toFixed(1)}" y="${ry}" text-anchor="middle">${get(h)}</text>`)
    }
    height += 14 + table.length * 15
  }
  return `<div class="scroll"><svg id="by-hour" class="chart" viewBox="0 0 ${W} ${height}" role="img" aria-label="Mentions per hour of day, stacked by label${s ? ', with agents per hour below' : ''}">${out.join('')}</svg></div>`
}

function legend(items: Array<{ color: string; text: string; kind?: 'box' | 'line' | 'dash' }>): string {
  return `<div class="legend">${items
    .map((i) => {
      const mark = i.kind === 'line' || i.kind === 'dash' ? `<span class="lmark ${i.kind}" style="border-color:${i.color}"></span>` : `<span class="swatch" style="background:${i.color}"></span>`
      return `<span class="litem">${mark}${esc(i.text)}</span>`
    })
    .join('')}</div>`
}

/** Sequential blue scale; dark cells get white numbers. */
function heatColor(t: number): { fill: string; ink: string } {
  const from = [239, 246, 255]
  const to = [8, 48, 107]
  const c = from.map((f, i) => Math.round(f + (to[i]! - f) * Math.sqrt(Math.min(1, Math.max(0, t)))))
  return { fill: `rgb(${c.join(',')})`, ink: t > 0.35 ? '#fff' : '#1a1a1a' }
}

function heatmapChart(m: ByHourReport, uncovered: ReadonlySet<string>): string {
  const cells = m.heatmap?.cells ?? []
  const left = 74
  const top = 22
  const cw = (W - left - 8) / 24
  const ch = 28
  const max = Math.max(0, ...cells.map((c) => c.perDay))
  const out: string[] = []
  for (let h = 0; h < 24; h++) out.push(`<text class="tick" x="${(left + h * cw + cw / 2).toFixed(1)}" y="${top - 7}" text-anchor="middle">${String(h).padStart(2, '0')}</text>`)
  for (const [wd, name] of WEEKDAYS.entries()) out.push(`<text class="rowname" x="${left - 8}" y="${top + wd * ch + ch / 2 + 4}" text-anchor="end">${name}</text>`)
  for (const c of cells) {
    const wd = WEEKDAYS.indexOf(c.weekday)
    const x = left + c.hour * cw
    const yy = top + wd * ch
    const { fill, ink } = heatColor(max ? c.perDay / max : 0)
    const open = uncovered.has(`${c.weekday} ${c.hour}`)
    const tip = `${c.weekday} ${hh(c.hour)}–${hh((c.hour + 1) % 24)}: ${num(c.perDay)} mentions on average (${int(c.total)} in the window)${open ? '\nUNCOVERED: under half of the posts needing an answer got one within 1 h' : ''}`
    out.push(
      `<g class="cell" data-weekday="${c.weekday}" data-hour="${c.hour}" data-total="${c.total}" data-per-day="${c.perDay}"${open ? ' data-uncovered="true"' : ''}>${title(tip)}` +
        `<rect x="${(x + 1).toFixed(1)}" y="${yy + 1}" width="${(cw - 2).toFixed(1)}" height="${ch - 2}" rx="2" fill="${fill}"${open ? ' class="uncovered"' : ''}/>` +
        (c.total ? `<text x="${(x + cw / 2).toFixed(1)}" y="${yy + ch / 2 + 4}" text-anchor="middle" fill="${ink}">${num(c.perDay, c.perDay >= 10 ? 0 : 1)}</text>` : '') +
        '</g>',
    )
  }
  return `<div class="scroll"><svg id="heatmap" class="chart" viewBox="0 0 ${W} ${top + 7 * ch + 4}" role="img" aria-label="Mean mentions per weekday and hour">${out.join('')}</svg></div>`
}

/** A 100 % bar of answered within 1 h, within 24 h, later and never. */
function responseBar(s: Pick<AuditStats, 'mentions' | 'within1h' | 'within1to24h' | 'later' | 'never'>, name: string): string {
  const w = 260
  if (!s.mentions) return `<svg class="rbar" viewBox="0 0 ${w} 16" width="${w}" height="16"><rect x="0" y="2" width="${w}" height="12" fill="#eee"/></svg>`
  let x = 0
  const parts = (['within1h', 'within1to24h', 'later', 'never'] as const).map((k) => {
    const n = s[k]
    const width = (n / s.mentions) * w
    const label = { within1h: 'within 1 h', within1to24h: '1–24 h', later: 'later than 24 h', never: 'not answered' }[k]
    const r = `<rect data-part="${k}" data-count="${n}" x="${x.toFixed(2)}" y="2" width="${width.toFixed(2)}" height="12" fill="${RESPONSE_COLORS[k]}">${title(`${name}: ${label}: ${int(n)} of ${int(s.mentions)} (${pct(n / s.mentions)})`)}</rect>`
    x += width
    return r
  })
  return `<svg class="rbar" viewBox="0 0 ${w} 16" width="${w}" height="16">${parts.join('')}</svg>`
}

function shareBar(share: number, color: string): string {
  return `<svg class="sbar" viewBox="0 0 100 10" width="56" height="10" preserveAspectRatio="none"><rect x="0" y="0" width="100" height="10" fill="#eef0f3"/><rect x="0" y="0" width="${(Math.min(1, share) * 100).toFixed(2)}" height="10" fill="${color}"/></svg>`
}

// ---------------------------------------------------------------------------------------------
// Sections

function completenessBlock(c: Completeness): string {
  const state = c.complete === true ? 'complete' : c.complete === false ? 'incomplete' : 'unknown'
  const head =
    c.complete === true
      ? 'Data complete: every hour of the window was fetched'
      : c.complete === false
        ? 'Data INCOMPLETE: some hours were not fetched — volumes and staffing are too low there'
        : c.sources.length
          ? 'Completeness unknown: imported data has no fetch log'
          : 'Completeness: no sources in this window'
  const items = c.sources.map((s) => {
    const share = s.hours ? s.coveredHours / s.hours : 0
    const figure = s.status === 'imported' ? 'imported' : `${pct(share)} of ${int(s.hours)} h`
    return `<li data-source="${esc(s.source)}" data-status="${s.status}"><b>${esc(s.source)}</b> <span class="fig">${figure}</span> — ${esc(s.note)}</li>`
  })
  return `<section id="completeness" class="completeness ${state}" data-complete="${String(c.complete)}"><h2>${esc(head)}</h2>${items.length ? `<ul>${items.join('')}</ul>` : ''}</section>`
}

function kpi(label: string, value: string, sub = '', id = ''): string {
  return `<div class="kpi"${id ? ` id="${id}"` : ''}><div class="kpi-label">${esc(label)}</div><div class="kpi-value">${value}</div>${sub ? `<div class="kpi-sub">${sub}</div>` : ''}</div>`
}

function kpis(m: HtmlModels): string {
  const s = m.summary
  const o = m.audit.overall
  const prev = s.change === null ? 'no data in the previous period' : `${change(s.change)} vs previous ${int(s.previous.total)}`
  const covered = m.byHour.completeness.sources.filter((x) => x.status !== 'imported')
  const hours = covered.reduce((a, x) => a + x.hours, 0)
  const ok = covered.reduce((a, x) => a + x.coveredHours + x.pendingHours, 0)
  const completeness = m.byHour.completeness.complete === null ? 'unknown' : pct(hours ? ok / hours : 1)
  return `<div class="kpis">${[
    kpi('Customer mentions', int(s.total), esc(prev)),
    kpi('Need a response', int(s.needsResponse.total), `${int(s.needsResponse.unanswered)} still unanswered`, 'needs-response'),
    kpi('Median first response', esc(formatMinutes(o.medianMinutes)), `p90 ${esc(formatMinutes(o.p90Minutes))}`),
    o.mentions
      ? kpi('Answered within 1 h', esc(pct(o.shareWithin1h)), `within 24 h ${esc(pct(o.shareWithin24h))} · never ${esc(pct(o.shareNever))}`)
      : kpi('Answered within 1 h', '–', 'no posts needing an answer'),
    kpi('Data completeness', esc(completeness), esc(m.byHour.completeness.complete === true ? 'all hours fetched' : m.byHour.completeness.complete === false ? 'hours missing' : 'imported data'), 'completeness-figure'),
  ].join('')}</div>`
}

function byHourSection(m: ByHourReport): string {
  const s = m.staffing
  const labels = LABEL_KEYS.filter((k) => m.hours.some((h) => h.byLabel[k] > 0))
  const items: Array<{ color: string; text: string; kind?: 'box' | 'line' | 'dash' }> = (labels.length ? labels : LABEL_KEYS).map((k) => ({ color: LABEL_COLORS[k], text: k }))
  if (s && staffingLinesCoincide(s)) {
    items.push({ color: '#1a1a1a', text: 'agents: Erlang C (live answering) and the backlog model (answered in turn) agree at every hour: one line', kind: 'line' })
  } else if (s) {
    items.push({ color: '#1a1a1a', text: 'agents, Erlang C (live answering)', kind: 'line' })
    items.push({ color: '#CC79A7', text: 'agents, backlog model (answered in turn; dashed over the solid line where they agree)', kind: 'dash' })
  }
  const notes = s
    ? `<p class="note">Bars: mean mentions per day at each local hour over ${dayCount(m.days)}, stacked by label; numbers above the bars are per day. Staffing (the panel and the rows below the hours): ${esc(s.params.labels.join(', '))} as work, AHT ${esc(s.params.aht)}, ${esc(pct(s.params.serviceLevel))} answered within ${esc(s.params.target)}, shrinkage ${esc(pct(s.params.shrinkage))}, occupancy ≤ ${esc(pct(s.params.maxOccupancy))}; each hour is planned for its busiest weekday${s.params.percentile === null ? '' : ` at the ${Math.round(s.params.percentile * 100)}th-percentile week`}. Erlang C fits live channels (chat, DMs); the backlog figure fits public comments answered in turn. “scheduled” = Erlang C agents after shrinkage.</p>${s.basedOnHoles ? '<p class="warn">This staffing plan is built on incomplete data: see completeness.</p>' : ''}`
    : '<p class="note">Bars: mean mentions per day at each local hour, stacked by label. No staffing line: add a "staffing" section to the config, or pass --aht, --target and --service-level.</p>'
  return `<section id="volume"><h2>Volume by hour of day${s ? ' and staffing' : ''}</h2>${legend(items)}${byHourChart(m)}${notes}</section>`
}

function heatmapSection(m: ByHourReport, audit: AuditModel): string {
  const uncovered = new Set(audit.hourOfWeek.filter((c) => c.uncovered).map((c) => `${c.weekday} ${c.hour}`))
  const max = Math.max(0, ...(m.heatmap?.cells ?? []).map((c) => c.perDay))
  const scale = [0, 0.25, 0.5, 0.75, 1].map((t) => `<span class="step" style="background:${heatColor(t).fill}"></span>`).join('')
  return `<section id="week"><h2>Weekday × hour</h2><div class="legend"><span class="litem">mean mentions per day: 0 <span class="scale">${scale}</span> ${num(max)}</span>${uncovered.size ? '<span class="litem"><span class="swatch outline"></span>uncovered hour (under half answered within 1 h)</span>' : ''}</div>${heatmapChart(m, uncovered)}</section>`
}

function statRow(name: string, s: AuditStats, attrs: string): string {
  return `<tr ${attrs}><th scope="row">${esc(name)}</th><td class="n">${int(s.mentions)}</td><td class="n">${esc(formatMinutes(s.medianMinutes))}</td><td class="n">${esc(formatMinutes(s.p90Minutes))}</td><td class="n">${esc(pct(s.shareWithin1h))}</td><td class="n">${esc(pct(s.shareWithin24h))}</td><td class="n">${esc(pct(s.mentions ? s.later / s.mentions : 0))}</td><td class="n">${esc(pct(s.shareNever))}</td><td>${responseBar(s, name)}</td></tr>`
}

const MAX_CHIPS = 16

/** Complaints and outages deleted or hidden after we stored them: a count, and the newest few. */
function vanishedSection(m: HtmlModels): string {
  const v = m.vanished
  if (!v?.total) return ''
  const rows = v.items
    .slice(-10)
    .reverse()
    .map((i) => `<tr><td>${esc(local(i.createdAt, v.timezone))}</td><td>${esc(i.source)}</td><td>${esc(i.label)}</td><td>${esc(i.reason ?? '')}</td><td>${esc(i.lastText.slice(0, 200))}</td><td>${esc(i.answeredBy ?? 'nobody')}</td></tr>`)
  return `<section id="vanished"><h2>Vanished critical posts</h2><p><b id="vanished-count">${int(v.total)}</b> complaint and outage post${v.total === 1 ? '' : 's'} disappeared after we stored ${v.total === 1 ? 'it' : 'them'} (deleted or hidden, found by listen recheck); the last text we saw is kept.</p><table class="stats"><thead><tr><th>posted</th><th>source</th><th>label</th><th>reason</th><th>last text</th><th>answered by</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`
}

function auditSection(a: AuditModel): string {
  const head = '<tr><th></th><th class="n">posts</th><th class="n">median</th><th class="n">p90</th><th class="n">≤ 1 h</th><th class="n">≤ 24 h</th><th class="n">later</th><th class="n">never</th><th>answered</th></tr>'
  const rows = [statRow('all platforms', a.overall, 'class="total" data-source="*"'), ...a.bySource.map((s) => statRow(s.source, s, `data-source="${esc(s.source)}"`))]
  const labelRows = a.byLabel.map((s) => statRow(s.label, s, `data-label="${esc(s.label)}"`))
  const byLabel = labelRows.length ? `<h3>By label</h3><table class="stats"><thead>${head}</thead><tbody>${labelRows.join('')}</tbody></table>` : ''
  const topicRows = (a.byTopic ?? []).map((s) => statRow(s.topic, s, `data-topic="${esc(s.topic)}"`))
  const byTopic = topicRows.length ? `<h3>By topic</h3><table class="stats"><thead>${head}</thead><tbody>${topicRows.join('')}</tbody></table>` : ''
  const uncovered = a.uncovered.length
    ? `<p>Uncovered hours (at least 3 posts, under half answered within 1 h; outlined in the weekday × hour chart)${a.uncovered.length > MAX_CHIPS ? `, the ${MAX_CHIPS} with most posts of ${a.uncovered.length}` : ''}:</p><ul class="chips">${[...a.uncovered]
        .sort((x, y) => y.mentions - x.mentions)
        .slice(0, MAX_CHIPS)
        .sort((x, y) => WEEKDAYS.indexOf(x.weekday) - WEEKDAYS.indexOf(y.weekday) || x.fromHour - y.fromHour)
        .map((u) => `<li>${esc(u.weekday)} ${hh(u.fromHour)}–${hh(u.untilHour % 24)} <span class="muted">${int(u.mentions)} posts, ${esc(pct(u.shareWithin1h))} within 1 h</span></li>`)
        .join('')}</ul>`
    : '<p>No uncovered hours: every hour of the week with at least 3 posts had half or more answered within 1 h.</p>'
  const ledger = a.ledger.items.length
    ? `<h3>Oldest unanswered (${int(a.ledger.shown)} of ${int(a.ledger.total)}), waiting at ${esc(local(a.now, a.timezone))}</h3><table class="ledger"><thead><tr><th class="n">waiting</th><th>posted (${esc(a.timezone)})</th><th>platform</th><th>brand</th><th>label</th><th>author</th><th>post</th><th></th></tr></thead><tbody>${a.ledger.items
        .map((i) => {
          const url = safeUrl(i.url)
          const text = i.text.length > 220 ? `${i.text.slice(0, 220)}…` : i.text
          return `<tr data-id="${esc(i.id)}"><td class="n">${esc(formatMinutes(i.ageHours * 60))}</td><td class="nowrap">${esc(local(i.createdAt, a.timezone))}</td><td>${esc(i.source)}</td><td>${esc(i.brand ?? '')}</td><td><span class="tag" style="border-color:${LABEL_COLORS[i.label]}">${esc(i.label)}</span></td><td>${esc(i.author ?? '')}</td><td class="text">${esc(text)}</td><td class="nowrap">${url ? `<a href="${esc(url)}" rel="noopener noreferrer nofollow" target="_blank">open ↗</a>` : ''}</td></tr>`
        })
        .join('')}</tbody></table>`
    : '<p>Nothing waiting: every post needing an answer got one.</p>'
  const legendItems = legend([
    { color: RESPONSE_COLORS.within1h, text: 'within 1 h' },
    { color: RESPONSE_COLORS.within1to24h, text: '1–24 h' },
    { color: RESPONSE_COLORS.later, text: 'later' },
    { color: RESPONSE_COLORS.never, text: 'never' },
  ])
  const warn = a.handles.known ? '' : '<p class="warn">No brand posts found in this window: every post counts as unanswered. Name the brand handles in the config (brands[].handles) or pass --handles.</p>'
  return `<section id="audit"><h2>First response to posts needing an answer</h2><p class="note">${esc(a.labels.join(', '))} posts; times from the post to the brand’s first reply (through reply chains); median and p90 over answered posts.</p>${warn}${legendItems}<table class="stats"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>${byLabel}${byTopic}${uncovered}${ledger}</section>`
}

// More of these is worse news; for other rows a change is coloured neither way.
const WORK = new Set(['outage', 'complaint', 'question'])

function shareTable(name: string, rows: Share[], color: (key: string) => string, dim: string, hasPrevious: boolean): string {
  if (!rows.length) return `<div class="card"><h3>${esc(name)}</h3><p class="muted">none</p></div>`
  return `<div class="card"><h3>${esc(name)}</h3><table class="shares"><thead><tr><th></th><th class="n">posts</th><th>share</th><th class="n">vs previous</th></tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr data-${dim}="${esc(r.key)}" data-count="${r.count}"><th scope="row">${esc(r.key)}</th><td class="n">${int(r.count)}</td><td title="${esc(pct(r.share))}">${shareBar(r.share, color(r.key))} <span class="muted">${esc(pct(r.share))}</span></td><td class="n ${r.change === null || !(dim === 'label' && WORK.has(r.key)) ? '' : r.change > 0 ? 'up' : 'down'}" title="${int(r.previous)} in the previous period">${r.change === null && r.count && hasPrevious ? 'new' : change(r.change)}</td></tr>`,
    )
    .join('')}</tbody></table></div>`
}

const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#8c8c8c']

function summarySection(s: SummaryModel): string {
  const palette = (keys: string[]) => (key: string) => PALETTE[Math.max(0, keys.indexOf(key)) % PALETTE.length]!
  const brandColor = palette(s.byBrand.map((b) => b.key))
  const voice = s.shareOfVoice
    ? (() => {
        let x = 0
        const segs = s.shareOfVoice.map((b) => {
          const w = b.share * W
          const t = `<g data-brand="${esc(b.key)}" data-share="${b.share}"><rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="26" fill="${brandColor(b.key)}">${title(`${b.key}: ${int(b.count)} posts, ${pct(b.share)}`)}</rect>${w > 90 ? `<text x="${(x + 8).toFixed(1)}" y="17" fill="#fff">${esc(b.key)} ${esc(pct(b.share))}</text>` : ''}</g>`
          x += w
          return t
        })
        return `<h3>Share of voice</h3><svg id="share-of-voice" class="chart" viewBox="0 0 ${W} 26" role="img" aria-label="Share of voice">${segs.join('')}</svg>`
      })()
    : ''
  const terms = s.terms.items.length
    ? `<ul class="chips terms">${s.terms.items.map((t) => `<li title="${esc(`${t.count} in complaints/outages, ${t.background} elsewhere; z ${t.z}`)}">${esc(t.term)} <span class="muted">${int(t.count)}</span></li>`).join('')}</ul>`
    : `<p class="muted">${s.terms.documents ? 'Too few complaints and outages for distinctive terms.' : 'No complaints or outages in this window.'}</p>`
  const prev = s.change === null ? esc(noPreviousData(s, `${local(s.previous.from, s.timezone)} – ${local(s.previous.until, s.timezone)}`)) : `${change(s.change)} against ${int(s.previous.total)} in ${esc(local(s.previous.from, s.timezone))} – ${esc(local(s.previous.until, s.timezone))}`
  return `<section id="summary"><h2>Summary</h2><p><b>${int(s.total)}</b> customer posts; ${prev}. <b id="needs-response-count">${int(s.needsResponse.unanswered)}</b> of ${int(s.needsResponse.total)} posts labelled ${esc(s.needsResponse.labels.join(', '))} still wait for an answer.</p><div class="grid3">${shareTable('By label', s.byLabel, (k) => LABEL_COLORS[k as LabelKey] ?? '#8c8c8c', 'label', s.previous.comparable)}${shareTable('By platform', s.bySource, () => '#0072B2', 'source', s.previous.comparable)}${shareTable('By brand', s.byBrand, brandColor, 'brand', s.previous.comparable)}${s.byTopic?.length ? shareTable('By topic', s.byTopic, () => '#009E73', 'topic', s.previous.comparable) : ''}</div>${voice}<h3>Distinctive words in complaints and outages</h3>${terms}</section>`
}

const CSS = `
@page { size: A4 landscape; margin: 9mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: #1a1a1a; margin: 0 auto; max-width: 1100px; padding: 18px 22px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 2px; }
h2 { font-size: 17px; margin: 0 0 8px; }
h3 { font-size: 14px; margin: 14px 0 6px; }
p { margin: 6px 0; }
header .meta { color: #555; }
section { margin: 18px 0 0; padding-top: 12px; border-top: 1px solid #dde1e6; }
.muted { color: #666; font-size: 12px; }
.note { color: #444; font-size: 12px; }
.warn { color: #9a1c00; font-weight: 600; }
.completeness { border: 0; border-left: 8px solid; border-radius: 4px; padding: 10px 14px; margin-top: 14px; }
.completeness.complete { border-color: #009E73; background: #eaf7f2; }
.completeness.incomplete { border-color: #D55E00; background: #fdeee6; }
.completeness.unknown { border-color: #8c8c8c; background: #f2f2f2; }
.completeness h2 { margin: 0; font-size: 16px; }
.completeness ul { margin: 4px 0 0; padding-left: 18px; font-size: 12px; }
.completeness .fig { font-weight: 600; }
.kpis { display: grid; grid-template-columns: repeat(5, 1fr); gap: 10px; margin-top: 14px; }
.scroll { overflow-x: auto; }
@media (max-width: 760px) {
  body { padding: 12px; }
  .kpis { grid-template-columns: repeat(2, 1fr); }
  .grid3 { grid-template-columns: 1fr; }
  /* Charts keep a legible size on a phone and scroll sideways instead of shrinking to 6 px text. */
  .scroll > .chart { min-width: 720px; }
  /* Wide tables scroll inside themselves; the page keeps the phone's width. */
  table { display: block; overflow-x: auto; }
  .ledger .text { min-width: 240px; }
}
.kpi { border: 1px solid #dde1e6; border-radius: 6px; padding: 8px 10px; }
.kpi-label { font-size: 12px; color: #555; }
.kpi-value { font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
.kpi-sub { font-size: 12px; color: #555; }
.chart { display: block; width: 100%; height: auto; font-size: 11px; }
.chart .grid { stroke: #e6e8eb; }
.chart .axis { stroke: #888; }
.chart .tick, .chart .rowname { fill: #555; }
.chart .rowname { font-weight: 600; }
.chart .cellnum { fill: #1a1a1a; font-variant-numeric: tabular-nums; }
.chart .empty { fill: #666; font-size: 15px; }
.chart .val { fill: #333; font-size: 10px; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
.chart .axis-title { fill: #555; font-size: 11px; }
.chart .line { fill: none; stroke-width: 2.2; }
.chart .line.erlang { stroke: #1a1a1a; }
.chart .line.backlog { stroke: #CC79A7; stroke-dasharray: 6 4; stroke-width: 2.6; }
.chart .pt.erlang { fill: #1a1a1a; }
.chart .agents { fill: #1a1a1a; }
.chart .cell text { font-size: 10.5px; font-variant-numeric: tabular-nums; pointer-events: none; }
.chart rect.uncovered { stroke: #D55E00; stroke-width: 2.5; }
.chart g.bar:hover rect, .chart g.cell:hover rect { opacity: .8; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12px; color: #333; margin: 4px 0 6px; }
.litem { display: inline-flex; align-items: center; gap: 5px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; }
.swatch.outline { border: 2.5px solid #D55E00; background: #eef3fb; }
.lmark { display: inline-block; width: 22px; border-top: 2.5px solid; }
.lmark.dash { border-top-style: dashed; }
.scale { display: inline-flex; }
.scale .step { width: 18px; height: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eceef1; vertical-align: middle; }
thead th { font-weight: 600; color: #444; border-bottom: 1.5px solid #c9ced6; }
.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total th, tr.total td { font-weight: 650; }
.up { color: #9a1c00; }
.down { color: #006b4f; }
.nowrap { white-space: nowrap; }
.ledger .text { min-width: 360px; overflow-wrap: anywhere; }
.stats { table-layout: fixed; }
.stats th:first-child { width: 130px; }
.stats th:last-child { width: 280px; }
.tag { border-left: 4px solid; padding-left: 4px; }
.chips { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-wrap: wrap; gap: 6px; }
.chips li { border: 1px solid #d5d9df; border-radius: 12px; padding: 1px 9px; font-size: 12.5px; }
.grid3 { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 18px; }
.card h3 { margin-top: 4px; }
.sbar { vertical-align: middle; }
.shares td:nth-child(3) { white-space: nowrap; }
a { color: #0057a3; }
footer { margin-top: 20px; color: #777; font-size: 11px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11.5px; }
  section { break-inside: avoid; }
  #audit, #summary { break-inside: auto; }
  #volume { break-before: avoid; }
  table { font-size: 10.5px; }
  .kpi-value { font-size: 18px; }
  .kpi { padding: 4px 8px; }
  .kpis { margin-top: 8px; }
  h1 { font-size: 18px; }
  section { margin-top: 10px; padding-top: 8px; }
  .completeness { padding: 6px 12px; margin-top: 8px; }
  .completeness ul { columns: 2; }
  a { color: inherit; text-decoration: none; }
}
`

/** The whole report: one HTML document with everything inline. */
export function renderHtml(m: HtmlModels): string {
  const tz = m.byHour.timezone
  const from = Date.parse(m.byHour.from)
  const until = Date.parse(m.byHour.until)
  const filters = [...(m.byHour.filters.brands.length ? [`brands: ${m.byHour.filters.brands.join(', ')}`] : []), ...(m.byHour.filters.sources.length ? [`platforms: ${m.byHour.filters.sources.join(', ')}`] : [])]
  const brands = m.byHour.filters.brands.length ? m.byHour.filters.brands : m.brands
  const heading = `Social listening report${brands.length ? ` — ${brands.join(', ')}` : ''}`
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(heading)} · ${esc(local(from, tz))} – ${esc(local(until, tz))}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${esc(heading)}</h1><p class="meta">${esc(local(from, tz))} to ${esc(local(until, tz))} (${dayCount(m.byHour.days)}) · local time ${esc(zoneDescription(from, until, tz))}${filters.length ? ` · ${esc(filters.join('; '))}` : ''}</p></header>
${completenessBlock(m.byHour.completeness)}
${kpis(m)}
${byHourSection(m.byHour)}
${heatmapSection(m.byHour, m.audit)}
${auditSection(m.audit)}${m.pii ? `<p class="note" id="pii-count"><b>${int(m.pii.flagged)}</b> customer post${m.pii.flagged === 1 ? '' : 's'} in this window show personal data (e-mail, phone, IBAN, card, order/customer/ticket number): answer those in a private channel. Values are masked in this report (DE89 •••• 3000).</p>` : ''}
${vanishedSection(m)}
${summarySection(m.summary)}
<footer>Made by listen on ${esc(local(m.generatedAt, tz))} (${esc(tz)}). Customer posts only: brand replies are not counted as volume. Hover over bars and cells for exact numbers.</footer>
</body>
</html>
`
}
