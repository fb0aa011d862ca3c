// listen alerts inside the process: the recorded series in fixtures/alerts (a quiet week after four
// ordinary weeks, an outage burst, a one-platform raid) replayed into a real SQLite file, evaluated
// at successive 5-minute steps; the webhook through undici's MockAgent.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parse } from 'csv-parse/sync'
import { type Dispatcher, MockAgent } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AlertsFlags } from '../../src/cli/commands/alerts.js'
import type { CommandContext } from '../../src/commands/context.js'
import { configSchema } from '../../src/config/schema.js'
import type { AlertsModel } from '../../src/models/alerts.js'
import { UsageError } from '../../src/models/errors.js'
import type { Label } from '../../src/models/mention.js'
import { render } from '../../src/render/render.js'
import { alertNotes } from '../../src/render/views-alerts.js'
import { viewOf } from '../../src/render/views.js'
import { openDb } from '../../src/store/sqlite/db.js'
import { MentionStore } from '../../src/store/sqlite/mentions.js'
import { runAlerts } from '../helpers/flags.js'

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/alerts')
const STEP = 5 * 60_000
const BURST = Date.parse('2026-11-10T18:40:00Z') // Tue 19:40 Berlin
const RAID = Date.parse('2026-11-12T14:00:00Z') // Thu 15:00 Berlin
const QUIET_WEEK = { from: Date.parse('2026-11-08T23:00:00Z'), until: Date.parse('2026-11-15T23:00:00Z') } // Mon–Mon, Berlin
const HOOK = 'https://hooks.slack.example'
const HOOK_PATH = '/services/T0001/B0002/s3cr3tWebhookToken'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

/** A fresh database holding the given fixture series. */
function storeWith(...files: string[]): CommandContext {
  const dir = mkdtempSync(join(tmpdir(), 'listen-alerts-'))
  dirs.push(dir)
  const database = join(dir, 'listen.db')
  const db = openDb(database, { create: true })
  const store = new MentionStore(db)
  for (const f of files) {
    const rows = parse(readFileSync(join(FIXTURES, f)), { columns: true }) as Array<Record<string, string>>
    store.upsertMentions(
      rows.map((r) => ({
        source: r.source!,
        id: r.id!,
        brand: r.brand!,
        createdAt: Date.parse(r.created_at!),
        author: r.author!,
        authorId: null,
        text: r.text!,
        url: r.url || null,
        lang: null,
        inReplyTo: null,
        threadId: null,
        byBrand: false,
        raw: null,
        label: r.label as Label,
      })),
    )
  }
  db.close()
  return {
    config: {
      ...configSchema.parse({}),
      path: null,
      database,
      timezone: 'Europe/Berlin',
      brands: [
        { name: 'Nordwind Mobile', query: 'Nordwind Mobile', handles: { x: 'NordwindHilfe' } },
        { name: 'Acme Air', query: 'Acme Air' },
      ],
    },
    timezone: 'Europe/Berlin',
    now: Date.parse('2026-11-16T12:00:00Z'),
    env: {},
    log: { warn() {}, info() {}, debug() {} },
    root: dir,
  }
}

type Flags = AlertsFlags & { version?: string; dispatcher?: Dispatcher; webhookTimeoutMs?: number }
const at = (t: number, o: Flags = {}): Flags => ({ at: new Date(t).toISOString(), ...o })
const find = (m: AlertsModel, brand: string, kind: string) => m.evaluations.find((e) => e.brand === brand && e.kind === kind)!

function rows(ctx: CommandContext, sql: string): Array<Record<string, unknown>> {
  const db = openDb(ctx.config.database, { create: false, readonly: true })
  try {
    return db.prepare(sql).all() as Array<Record<string, unknown>>
  } finally {
    db.close()
  }
}

function hook(reply: (agent: MockAgent, bodies: string[]) => void): { agent: MockAgent; bodies: string[] } {
  const agent = new MockAgent()
  agent.disableNetConnect()
  const bodies: string[] = []
  reply(agent, bodies)
  return { agent, bodies }
}
/** Answers 200 and keeps each posted body (a body matcher may run more than once per request). */
const ok = (bodies: string[]) => (req: { body?: unknown }) => {
  bodies.push(String(req.body))
  return { statusCode: 200, data: 'ok' }
}

describe('the quiet week', () => {
  let ctx: CommandContext
  beforeAll(() => {
    ctx = storeWith('quiet.csv')
  })

  it('never fires at any 5-minute step of the week', async () => {
    const seen = { steps: 0, posts: 0, methods: new Set<string>(), alerts: [] as string[] }
    for (let t = QUIET_WEEK.from + STEP; t <= QUIET_WEEK.until; t += STEP) {
      const m = await runAlerts(at(t), ctx)
      seen.steps++
      for (const e of m.evaluations) {
        seen.posts += e.count
        if (e.method) seen.methods.add(e.method)
        if (e.status === 'fired' || e.status === 'cooldown') seen.alerts.push(`${m.at} ${e.brand} ${e.kind} ${e.count}`)
      }
      expect(m.evaluations).toHaveLength(4) // two brands × outage, complaint
      // Weeks before the first stored post (early Monday, four weeks back) are left out, nothing else.
      expect(m.weeks.filter((w) => w.excluded === null).length).toBeGreaterThanOrEqual(3)
      expect(m.weeks.some((w) => w.excluded === 'fetch-holes')).toBe(false)
    }
    expect(seen.steps).toBe(7 * 288)
    expect(seen.alerts).toEqual([])
    // The week's 518 outage and complaint posts, each counted in three overlapping windows.
    expect(seen.posts).toBe(3 * 518)
    expect([...seen.methods].sort()).toEqual(['negative-binomial', 'poisson']) // both tails were exercised
    expect(rows(ctx, 'SELECT count(*) AS n FROM alerts')[0]!.n).toBe(0)
  }, 120_000)
})

describe('an outage burst and a raid', () => {
  it('fires within one window of the burst, then holds repeats back for the cooldown', async () => {
    const ctx = storeWith('quiet.csv', 'burst.csv')
    const timeline: Array<[number, string]> = []
    for (let t = BURST - 60 * 60_000; t <= BURST + 90 * 60_000; t += STEP) {
      timeline.push([t, find(await runAlerts(at(t), ctx), 'Nordwind Mobile', 'outage').status])
    }
    const firedAt = timeline.filter(([, s]) => s === 'fired').map(([t]) => t)
    expect(firedAt[0]).toBeGreaterThan(BURST)
    expect(firedAt[0]! - BURST).toBeLessThanOrEqual(15 * 60_000)
    // Held back for 60 minutes, then a reminder while the outage goes on.
    expect(firedAt).toEqual([firedAt[0], firedAt[0]! + 60 * 60_000])
    expect(timeline.filter(([t, s]) => t > firedAt[0]! && t < firedAt[1]! && s !== 'cooldown')).toEqual([])
    expect(timeline.filter(([t]) => t <= BURST).every(([, s]) => s === 'normal' || s === 'below-min')).toBe(true)

    const stored = rows(ctx, 'SELECT brand, kind, fired_at AS firedAt, delivery FROM alerts ORDER BY fired_at')
    expect(stored).toEqual(firedAt.map((t) => ({ brand: 'Nordwind Mobile', kind: 'outage', firedAt: t, delivery: 'none' })))
  })

  it('names platforms, top terms and three examples; several platforms agree', async () => {
    const ctx = storeWith('quiet.csv', 'burst.csv')
    const m = await runAlerts(at(BURST + 15 * 60_000, { dryRun: true }), ctx)
    const e = find(m, 'Nordwind Mobile', 'outage')
    expect(e).toMatchObject({ status: 'fired', method: 'poisson', singlePlatform: false, alertId: null })
    expect(e.count).toBe(Object.values(e.bySource).reduce((s, n) => s + n, 0))
    expect(e.platforms).toBeGreaterThanOrEqual(3)
    expect(e.terms).toEqual(expect.arrayContaining(['netz', 'störung', 'hamburg']))
    expect(e.examples).toHaveLength(3)
    expect(new Set(e.examples.map((x) => x.source)).size).toBe(3)
    for (const x of e.examples) {
      expect(x.url).toMatch(/^https:\/\//)
      expect(x.author).toBeTruthy()
      expect(x.text).toMatch(/Nordwind Mobile/)
    }
    expect(e.p!).toBeLessThan(1e-9)
    expect(alertNotes(m)[0]).toMatch(/^ALERT Outage: Nordwind Mobile — \d+ outage posts in 15 min \(expected 0\.\d, p = .*, Poisson\)$/)
    expect(alertNotes(m).join('\n')).toMatch(/Dry run: nothing recorded/)
    expect(rows(ctx, 'SELECT count(*) AS n FROM alerts')[0]!.n).toBe(0) // dry run
  })

  it('flags a burst on one platform alone as a possible raid', async () => {
    const ctx = storeWith('quiet.csv', 'burst.csv')
    const m = await runAlerts(at(RAID + 15 * 60_000), ctx)
    const e = find(m, 'Acme Air', 'complaint')
    expect(e).toMatchObject({ status: 'fired', singlePlatform: true, platforms: 1 })
    expect(Object.keys(e.bySource)).toEqual(['x'])
    expect(e.authors).toBe(5)
    expect(e.warnings[0]).toMatch(/^Only on x: a burst on one platform alone may be a raid; check the authors \(5 for \d+ posts\)\.$/)
    expect(e.terms).toEqual(expect.arrayContaining(['luggage']))
    expect(find(m, 'Nordwind Mobile', 'outage').status).not.toBe('fired')
  })

  it('keeps the cooldown per brand and kind; --cooldown 0 turns it off', async () => {
    const ctx = storeWith('quiet.csv', 'burst.csv')
    await runAlerts(at(BURST + 15 * 60_000), ctx)
    expect(find(await runAlerts(at(RAID + 10 * 60_000), ctx), 'Acme Air', 'complaint').status).toBe('fired')
    const again = await runAlerts(at(BURST + 20 * 60_000), ctx)
    expect(find(again, 'Nordwind Mobile', 'outage')).toMatchObject({ status: 'cooldown', cooldownUntil: new Date(BURST + 75 * 60_000).toISOString() })
    expect(alertNotes(again)[0]).toMatch(/^\(cooldown until 2026-11-10 20:55\) Outage: Nordwind Mobile/)
    expect(find(await runAlerts(at(BURST + 20 * 60_000, { cooldown: '0' }), ctx), 'Nordwind Mobile', 'outage').status).toBe('fired')
  })

  it('cannot fire before there is a week of history', async () => {
    const ctx = storeWith('burst.csv')
    const m = await runAlerts(at(BURST + 15 * 60_000), ctx)
    expect(find(m, 'Nordwind Mobile', 'outage')).toMatchObject({ status: 'no-baseline', p: null, baseline: [null, null, null, null] })
    expect(m.weeks.map((w) => w.excluded)).toEqual(['before-data', 'before-data', 'before-data', 'before-data'])
    expect(alertNotes(m)).toContain('No baseline yet: the data starts less than a week before the window, so nothing can fire.')
  })
})

describe('completeness', () => {
  function addRuns(ctx: CommandContext, spans: Array<[number, number, string]>) {
    const db = openDb(ctx.config.database, { create: false })
    const insert = db.prepare(`INSERT INTO fetch_runs (run_id, source, status, started_at, finished_at, covered_from, covered_until) VALUES (?, 'x', ?, ?, ?, ?, ?)`)
    spans.forEach(([from, until, status], i) => insert.run(`r${i}`, status, until, until, from, until))
    db.close()
  }

  it('leaves out a baseline week with a fetch hole and warns about holes in the window', async () => {
    const ctx = storeWith('quiet.csv', 'burst.csv')
    const t = BURST + 15 * 60_000
    const week1 = { from: Date.parse('2026-11-03T18:00:00Z'), until: Date.parse('2026-11-03T19:00:00Z') } // the slot one week back
    addRuns(ctx, [
      [Date.parse('2026-10-01T00:00:00Z'), week1.from - 30 * 60_000, 'ok'],
      [week1.from - 30 * 60_000, week1.until + 30 * 60_000, 'failed'],
      [week1.until + 30 * 60_000, t - 3 * 3_600_000, 'ok'],
    ])
    const m = await runAlerts(at(t, { dryRun: true }), ctx)
    expect(m.weeks.map((w) => w.excluded)).toEqual(['fetch-holes', null, null, null])
    expect(m.completeness.window.complete).toBe(false)
    const e = find(m, 'Nordwind Mobile', 'outage')
    expect(e.baseline[0]).toBeNull()
    expect(e.warnings).toEqual(expect.arrayContaining(['The window has fetch holes: the real count may be higher.', 'Baseline: 1 week(s) with fetch holes left out.']))
    expect(alertNotes(m)).toContain('1 baseline week(s) left out for fetch holes.')
  })
})

describe('the webhook', () => {
  it('posts a Slack message with text and blocks and records the alert as delivered', async () => {
    const ctx = storeWith('quiet.csv', 'burst.csv')
    const { agent, bodies } = hook((a, b) => a.get(HOOK).intercept({ path: HOOK_PATH, method: 'POST' }).reply(ok(b)))
    const m = await runAlerts(at(BURST + 15 * 60_000, { webhook: HOOK + HOOK_PATH, dispatcher: agent }), ctx)
    expect(m.delivery).toEqual({ webhook: true, status: 'delivered', alerts: 1, delayed: 0, error: null })
    expect(bodies).toHaveLength(1)
    const msg = JSON.parse(bodies[0]!) as { text: string; blocks: Array<{ type: string; text?: { text: string } }> }
    expect(msg.text).toMatch(/^listen: Outage: Nordwind Mobile — \d+ outage posts in 15 min/)
    expect(msg.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Outage: Nordwind Mobile', emoji: true } })
    expect(msg.blocks[2]!.text!.text.split('\n')).toHaveLength(6) // three examples, two lines each
    expect(rows(ctx, 'SELECT delivery, attempts, error FROM alerts')).toEqual([{ delivery: 'delivered', attempts: 1, error: null }])
    agent.assertNoPendingInterceptors()
  })

  it('on failure keeps the alert as undelivered, never prints the secret, and the next run re-posts it', async () => {
    const ctx = storeWith('quiet.csv', 'burst.csv')
    const down = hook((a) => a.get(HOOK).intercept({ path: HOOK_PATH, method: 'POST' }).reply(404, 'no_service'))
    const m = await runAlerts(at(BURST + 15 * 60_000, { webhook: HOOK + HOOK_PATH, dispatcher: down.agent }), ctx)
    expect(m.delivery.status).toBe('failed')
    expect(m.delivery.error).toBe(`webhook: POST ${HOOK}/*** → 404: no_service`)
    expect(JSON.stringify(m)).not.toContain('s3cr3tWebhookToken')
    expect(m.undelivered).toMatchObject({ total: 1, alerts: [{ brand: 'Nordwind Mobile', kind: 'outage', attempts: 1 }] })
    expect(alertNotes(m)).toContain(`Webhook FAILED: webhook: POST ${HOOK}/*** → 404: no_service. 1 alert(s) recorded as undelivered; the next run with --webhook retries them.`)

    // Without a webhook the undelivered alert is still listed.
    const plain = await runAlerts(at(BURST + 20 * 60_000), ctx)
    expect(alertNotes(plain).some((n) => /^1 alert\(s\) not delivered/.test(n))).toBe(true)

    // Next run (still in the cooldown, so nothing new): the earlier alert goes out, marked delayed.
    const up = hook((a, b) => a.get(HOOK).intercept({ path: HOOK_PATH, method: 'POST' }).reply(ok(b)))
    const next = await runAlerts(at(BURST + 25 * 60_000, { webhook: HOOK + HOOK_PATH, dispatcher: up.agent }), ctx)
    expect(next.fired).toBe(0)
    expect(next.delivery).toMatchObject({ status: 'delivered', alerts: 1, delayed: 1 })
    expect((JSON.parse(up.bodies[0]!) as { blocks: Array<{ text?: { text: string } }> }).blocks[0]!.text!.text).toBe('(delayed) Outage: Nordwind Mobile')
    expect(next.undelivered.total).toBe(0)
    expect(rows(ctx, 'SELECT delivery, attempts FROM alerts')).toEqual([{ delivery: 'delivered', attempts: 2 }])
  })

  it('a slow receiver (answers after the timeout) gets each alert once per run, always with the same idempotency key', async () => {
    const ctx = storeWith('quiet.csv', 'burst.csv')
    const got: Array<{ key: string | undefined; body: { alert_ids: string[]; idempotency_key: string } }> = []
    const { createServer } = await import('node:http')
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (d: Buffer) => (body += d))
      req.on('end', () => {
        got.push({ key: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(body) })
        // Accepted, but the answer comes after the client gave up.
        setTimeout(() => !res.destroyed && res.writeHead(200).end('ok'), 2500)
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}${HOOK_PATH}`
    try {
      const m = await runAlerts(at(BURST + 15 * 60_000, { webhook: url, webhookTimeoutMs: 100 }), ctx)
      expect(got).toHaveLength(1)
      expect(m.delivery.status).toBe('unknown')
      expect(m.delivery.error).toMatch(/timed out waiting for response headers; it may have arrived, so it was not sent again$/)
      expect(alertNotes(m)).toContain(
        `Webhook: no answer in time (${m.delivery.error}). 1 alert(s) may have arrived; they are kept as undelivered and the next run with --webhook sends them again with the same Idempotency-Key, so the receiver can drop the repeat.`,
      )
      const key = got[0]!.key!
      expect(key).toMatch(/^[0-9a-f]{32}$/)
      expect(got[0]!.body).toMatchObject({ idempotency_key: key, alert_ids: [key] })
      expect(rows(ctx, 'SELECT delivery, attempts FROM alerts')).toEqual([{ delivery: 'failed', attempts: 1 }])

      // The next run re-sends it (delayed) with the same key: the receiver drops it.
      const next = await runAlerts(at(BURST + 20 * 60_000, { webhook: url, webhookTimeoutMs: 10_000 }), ctx)
      expect(next.delivery).toMatchObject({ status: 'delivered', delayed: 1 })
      expect(got.map((g) => g.key)).toEqual([key, key])
      expect(got[1]!.body.alert_ids).toEqual([key])
    } finally {
      server.closeAllConnections()
      server.close()
    }
  })

  it('sends nothing when nothing fired and nothing waits', async () => {
    const ctx = storeWith('quiet.csv')
    const { agent } = hook(() => {})
    const m = await runAlerts(at(BURST, { webhook: HOOK + HOOK_PATH, dispatcher: agent }), ctx)
    expect(m.delivery.status).toBe('nothing-to-send')
  })
})

describe('flags and output', () => {
  it.each([
    [{ p: '2' }, /^--p: expected a probability between 0 and 1/],
    [{ min: '0' }, /^--min: expected a whole number/],
    [{ weeks: '1.5' }, /^--weeks: expected a whole number of weeks/],
    [{ window: '2d' }, /^--window: at most 24h/],
    [{ window: 'soon' }, /^--window: cannot read "soon" as a duration/],
    [{ at: 'yesterday-ish' }, /^--at: cannot read "yesterday-ish" as a date/],
    [{ webhook: 'ftp://example.com/hook' }, /^--webhook: expected an http\(s\) URL/],
    [{ cooldown: 'later' }, /^--cooldown: cannot read "later"/],
  ])('%j is a usage error', async (flags, message) => {
    const ctx = storeWith('burst.csv')
    const err = await runAlerts({ version: 'test', ...flags }, ctx).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UsageError)
    expect((err as Error).message).toMatch(message)
  })

  it('renders every format: one row per brand and kind', async () => {
    const ctx = storeWith('quiet.csv', 'burst.csv')
    const m = await runAlerts(at(BURST + 15 * 60_000, { dryRun: true }), ctx)
    const view = viewOf(m)
    const opts = { tz: 'Europe/Berlin', color: false }
    const csv = render(view, 'csv', opts).split('\r\n')
    expect(csv[0]).toBe('brand,kind,topic,status,count,expected,pShown,p,method,model,baseline,platforms,singlePlatform,authors,terms,cooldownUntil,cooldownUntil_local,alertId,warnings,examples')
    expect(csv.filter(Boolean)).toHaveLength(5)
    const lines = render(view, 'ndjson', opts).trim().split('\n').map((l) => JSON.parse(l) as { brand: string; kind: string; status: string })
    expect(lines.map((l) => `${l.brand}/${l.kind}`)).toEqual(['Acme Air/outage', 'Acme Air/complaint', 'Nordwind Mobile/outage', 'Nordwind Mobile/complaint'])
    expect(lines[2]!.status).toBe('fired')
    const table = render(view, 'table', opts)
    expect(table).toMatch(/^1 ALERT: outage and complaint posts per brand/)
    expect(table).toMatch(/Nordwind Mobile .*outage .*fired/)
    expect(JSON.parse(render(view, 'json', opts))).toMatchObject({ kind: 'alerts', fired: 1 })
  })
})
