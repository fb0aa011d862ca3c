// Topic storms: 30 delivery complaints in 30 minutes while the brand's total complaints stay at their
// usual level fire a 'topic-storm' naming the topic (table, JSON, webhook), with a cooldown per
// brand and topic; the plain complaint alert stays quiet.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MockAgent } from 'undici'
import { afterAll, describe, expect, it } from 'vitest'
import type { CommandContext } from '../../src/commands/context.js'
import { configSchema } from '../../src/config/schema.js'
import type { MentionInput } from '../../src/models/mention.js'
import { render } from '../../src/render/render.js'
import { viewOf } from '../../src/render/views.js'
import { openDb } from '../../src/store/sqlite/db.js'
import { MentionStore } from '../../src/store/sqlite/mentions.js'
import { runAlerts } from '../helpers/flags.js'

const NOW = Date.parse('2026-11-10T18:30:00Z')
const WEEK = 7 * 86_400_000
const HALF_HOUR = 30 * 60_000
const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

const TEXT: Record<string, string> = {
  delivery: 'parcel still not delivered',
  billing: 'charged twice this month',
  technical: 'app keeps crashing',
  product: 'the lid broke',
}

/** `counts` complaints per topic spread over the half hour before `until`. */
function posts(until: number, counts: Record<string, number>, tag: string): MentionInput[] {
  const out: MentionInput[] = []
  for (const [topic, n] of Object.entries(counts)) {
    for (let i = 0; i < n; i++) {
      out.push({
        source: i % 2 ? 'x' : 'mastodon',
        id: `${tag}-${topic}-${i}`,
        brand: 'Acme',
        createdAt: until - HALF_HOUR + Math.floor(((i + 0.5) * HALF_HOUR) / n),
        author: `${tag}${topic}${i}`,
        authorId: null,
        text: `${TEXT[topic]} (${i})`,
        url: null,
        lang: 'en',
        inReplyTo: null,
        threadId: null,
        byBrand: false,
        raw: null,
        label: 'complaint',
        topic,
        topicSource: 'keyword',
      })
    }
  }
  return out
}

function context(): CommandContext {
  const dir = mkdtempSync(join(tmpdir(), 'listen-storms-'))
  dirs.push(dir)
  const database = join(dir, 'listen.db')
  const db = openDb(database, { create: true })
  const store = new MentionStore(db)
  // Four ordinary weeks: 40 complaints in this half hour, two of them about delivery.
  for (let w = 1; w <= 4; w++) store.upsertMentions(posts(NOW - w * WEEK, { billing: 14, technical: 14, product: 10 + (w % 2), delivery: 2 - (w % 2) }, `w${w}`))
  // Now: the same 40 complaints in total, 30 of them about delivery.
  store.upsertMentions(posts(NOW, { billing: 4, technical: 4, product: 2, delivery: 30 }, 'now'))
  db.close()
  return {
    config: { ...configSchema.parse({}), path: null, database, timezone: 'Europe/Berlin', brands: [{ name: 'Acme', query: 'Acme' }] },
    timezone: 'Europe/Berlin',
    now: NOW,
    env: {},
    log: { warn() {}, info() {}, debug() {} },
    root: dir,
  }
}

describe('topic storms', () => {
  it('fire for the topic whose complaints jump while total complaints look normal', async () => {
    const ctx = context()
    const m = await runAlerts({ at: new Date(NOW).toISOString(), window: '30m' }, ctx)
    const complaint = m.evaluations.find((e) => e.kind === 'complaint')!
    expect(complaint.count).toBe(40)
    expect(complaint.status).toBe('normal')
    const storms = m.evaluations.filter((e) => e.kind === 'topic-storm')
    expect(storms.map((e) => e.topic)).toEqual(['billing', 'delivery', 'product', 'technical'])
    const delivery = storms.find((e) => e.topic === 'delivery')!
    expect(delivery).toMatchObject({ status: 'fired', count: 30 })
    expect(delivery.examples.length).toBeGreaterThan(0)
    expect(delivery.examples.every((x) => x.text.startsWith('parcel'))).toBe(true)
    for (const e of storms.filter((s) => s.topic !== 'delivery')) expect(e.status).not.toBe('fired')
    expect(m.fired).toBe(1)
    const table = render(viewOf(m), 'table', { tz: 'Europe/Berlin', color: false })
    expect(table).toMatch(/topic-storm\s*│\s*delivery\s*│\s*fired/)
    expect(table).toContain('Topic storm (delivery): Acme — 30 complaint posts about delivery')
  })

  it('keeps a cooldown per brand and topic, and names the topic in the webhook payload', async () => {
    const ctx = context()
    const agent = new MockAgent()
    agent.disableNetConnect()
    const bodies: string[] = []
    agent.get('https://hooks.example').intercept({ path: '/storm', method: 'POST' }).reply((req) => {
      bodies.push(String(req.body))
      return { statusCode: 200, data: 'ok' }
    })
    const first = await runAlerts({ at: new Date(NOW).toISOString(), window: '30m', webhook: 'https://hooks.example/storm', dispatcher: agent }, ctx)
    expect(first.delivery.status).toBe('delivered')
    const body = JSON.parse(bodies[0]!) as { text: string; blocks: Array<{ text?: { text: string } }> }
    expect(body.text).toContain('Topic storm (delivery): Acme — 30 complaint posts about delivery')
    expect(body.blocks[0]!.text!.text).toBe('Topic storm (delivery): Acme')
    const again = await runAlerts({ at: new Date(NOW + 5 * 60_000).toISOString(), window: '30m' }, ctx)
    const storm = again.evaluations.find((e) => e.kind === 'topic-storm' && e.topic === 'delivery')!
    expect(storm.status).toBe('cooldown')
    const db = openDb(ctx.config.database, { create: false, readonly: true })
    expect(db.prepare("SELECT kind, topic, brand FROM alerts").all()).toEqual([{ kind: 'topic-storm', topic: 'delivery', brand: 'Acme' }])
    db.close()
  })
})
