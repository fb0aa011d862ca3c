// listen queue as a View: the waiting posts, most urgent first.
import type { QueueModel } from '../models/queue.js'
import { formatLocalMinute } from '../time/zone.js'
import type { View } from './view.js'

/** 95 → "1h 35m", -20 → "-20m". */
export function formatMinutes(m: number): string {
  const sign = m < 0 ? '-' : ''
  const a = Math.abs(m)
  if (a < 60) return `${sign}${a}m`
  if (a < 48 * 60) return `${sign}${Math.floor(a / 60)}h ${String(a % 60).padStart(2, '0')}m`
  return `${sign}${Math.floor(a / 1440)}d ${Math.floor((a % 1440) / 60)}h`
}

export function queueView(m: QueueModel): View {
  const rows = m.items.map((x) => ({
    rank: x.rank,
    age: formatMinutes(x.ageMinutes),
    ageMinutes: x.ageMinutes,
    slaLeft: formatMinutes(x.slaLeftMinutes),
    slaLeftMinutes: x.slaLeftMinutes,
    breach: x.breached ? '!' : '',
    label: x.label,
    topic: x.topic,
    source: x.source,
    brand: x.brand,
    author: x.author,
    text: x.text,
    url: x.url,
    flags: x.flags.join(' '),
    pii: x.pii.join(','),
    piiMasked: x.piiMasked.join('; '),
    waiting: x.authorWaiting,
    replies: x.replies,
    createdAt: x.createdAt,
    id: x.id,
  }))
  const at = formatLocalMinute(Date.parse(m.at), m.timezone)
  const sla = Object.entries(m.sla).map(([l, v]) => `${l} ${formatMinutes(v)}`).join(', ')
  return {
    json: m,
    rows,
    columns: [
      { key: 'rank', header: '#', kind: 'int' },
      { key: 'age', header: 'age' },
      { key: 'ageMinutes', header: 'age (min)', kind: 'int', table: false },
      { key: 'slaLeft', header: 'SLA left' },
      { key: 'slaLeftMinutes', header: 'SLA left (min)', kind: 'int', table: false },
      { key: 'breach', header: '!' },
      { key: 'label', header: 'label', kind: 'label' },
      { key: 'topic', header: 'topic', width: 12 },
      { key: 'source', header: 'source' },
      { key: 'brand', header: 'brand', width: 16 },
      { key: 'author', header: 'author', width: 14 },
      { key: 'text', header: 'text', width: 60 },
      { key: 'url', header: 'link', width: 40, table: false },
      { key: 'flags', header: 'flags' },
      { key: 'pii', header: 'pii', table: false },
      { key: 'piiMasked', header: 'pii masked', table: false },
      { key: 'waiting', header: 'author waiting', kind: 'int', table: false },
      { key: 'replies', header: 'replies', kind: 'int', table: false },
      { key: 'createdAt', header: 'time', kind: 'instant', table: false },
      { key: 'id', header: 'id', table: false },
    ],
    title: `Queue at ${at} (${m.timezone}): ${m.total.toLocaleString('en-US')} waiting, ${m.breached.toLocaleString('en-US')} past the SLA`,
    notes: [`SLA: ${sla}. Flag DM: personal data in the post (masked here); answer in a private channel.`],
  }
}
