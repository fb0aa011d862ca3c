// An alert as a Slack-compatible incoming-webhook message, and its one-line headline.
import type { AlertKind, AlertMessage } from '../models/alerts.js'
import { formatP, formatWindow } from './words.js'

const KIND_TITLE: Record<AlertKind, string> = { outage: 'Outage', complaint: 'Complaint storm', 'topic-storm': 'Topic storm' }

/** "Topic storm (delivery)", "Outage". */
const titleOf = (a: Pick<AlertMessage, 'kind' | 'topic'>) => (a.kind === 'topic-storm' ? `${KIND_TITLE[a.kind]} (${a.topic ?? '?'})` : KIND_TITLE[a.kind])
/** What the posts are: "outage posts", "complaint posts about delivery". */
const postsOf = (a: Pick<AlertMessage, 'kind' | 'topic'>) => (a.kind === 'topic-storm' ? `complaint posts about ${a.topic ?? '?'}` : `${a.kind} posts`)

export function alertHeadline(a: Pick<AlertMessage, 'brand' | 'kind' | 'count' | 'expected' | 'p' | 'method' | 'windowMs' | 'topic'>): string {
  return `${titleOf(a)}: ${a.brand} — ${a.count} ${postsOf(a)} in ${formatWindow(a.windowMs)} (expected ${a.expected.toFixed(1)}, p = ${formatP(a.p)}, ${a.method === 'poisson' ? 'Poisson' : 'negative binomial'})`
}

export function sourceLine(bySource: Readonly<Record<string, number>>): string {
  return Object.entries(bySource)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([s, n]) => `${s} ${n}`)
    .join(', ')
}

/** Slack mrkdwn escaping: https://api.slack.com/reference/surfaces/formatting#escaping */
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)

/**
 * A Slack-compatible incoming-webhook body: `text` is the notification and fallback, `blocks` the
 * layout (https://api.slack.com/messaging/webhooks). Section texts stay under Slack's 3000
 * characters and the message under its 50 blocks.
 */
export function renderSlackMessage(alerts: readonly AlertMessage[], tz: string, local: (t: number, tz: string) => string, keys?: { message: string; alerts: readonly string[] }): string {
  const blocks: unknown[] = []
  for (const a of alerts.slice(0, 10)) {
    const header = `${a.delayed ? '(delayed) ' : ''}${titleOf(a)}: ${a.brand}`
    blocks.push({ type: 'header', text: { type: 'plain_text', text: cut(header, 150), emoji: true } })
    const lines = [
      `*${a.count}* ${postsOf(a)} from ${a.authors} authors in ${formatWindow(a.windowMs)} up to ${local(Date.parse(a.until), tz)} — expected ${a.expected.toFixed(1)} (${a.method === 'poisson' ? 'Poisson' : 'negative binomial'}, p = ${formatP(a.p)})`,
      `*Platforms:* ${esc(sourceLine(a.bySource))}${a.singlePlatform ? ' — *one platform only: may be a raid*' : ''}`,
    ]
    if (a.terms.length) lines.push(`*Top terms:* ${esc(a.terms.join(', '))}`)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(lines.join('\n'), 2900) } })
    const examples = a.examples.map((m) => {
      const who = esc(m.author ?? 'unknown')
      const link = m.url && /^https?:\/\//.test(m.url) ? `<${m.url}|${who}>` : who
      return `>${esc(cut(m.text.replace(/\s+/g, ' '), 280))}\n— ${link} on ${esc(m.source)}`
    })
    if (examples.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(examples.join('\n'), 2900) } })
    if (a.warnings.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: cut(esc(a.warnings.join(' ')), 2900) }] })
    blocks.push({ type: 'divider' })
  }
  if (alerts.length > 10) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `… and ${alerts.length - 10} more alerts (listen alerts --format json).` }] })
  const text = alerts.length === 1 ? `listen: ${alertHeadline(alerts[0]!)}` : `listen: ${alerts.length} alerts — ${alerts.map((a) => `${titleOf(a)} ${a.brand} (${a.count})`).join(', ')}`
  // Receivers that drop repeats find the keys in the body too (Slack ignores unknown fields).
  return JSON.stringify(keys ? { text, blocks, idempotency_key: keys.message, alert_ids: keys.alerts } : { text, blocks })
}
