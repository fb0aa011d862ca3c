// The Store interface on both backends: the same calls give the same answers on SQLite and PostgreSQL.
import { describe, expect, it } from 'vitest'
import { UsageError } from '../../src/models/errors.js'
import { NO_HANDLES } from '../../src/models/scope.js'
import { openStore } from '../../src/store/open.js'
import { describeBackends } from '../helpers/backends.js'
import { storeMention as mention } from '../helpers/mentions.js'

const T0 = Date.parse('2026-11-02T09:00:00Z')
const SCORES = { outage: 1, complaint: 0, question: 0, praise: 0, other: 0 }

describeBackends('Store', ({ fresh, location }) => {
  describe('mentions', () => {
    it('upserts idempotently and counts new / updated / unchanged', async () => {
      const s = await fresh()
      expect(await s.mentions.upsertMentions([mention('1'), mention('2')], 5)).toEqual({ inserted: 2, updated: 0, unchanged: 0 })
      expect(await s.mentions.upsertMentions([mention('1'), mention('2')], 6)).toEqual({ inserted: 0, updated: 0, unchanged: 2 })
      expect(await s.mentions.upsertMentions([mention('1', { text: 'edited' })], 7)).toEqual({ inserted: 0, updated: 1, unchanged: 0 })
      expect(await s.mentions.count()).toBe(2)
      expect((await s.mentions.listMentions({ search: 'EDIT' })).map((m) => [m.id, m.fetchedAt])).toEqual([['1', 7]])
      expect((await s.mentions.listMentions({ search: 'post' })).map((m) => m.fetchedAt)).toEqual([5])
    })

    it('never replaces a human label', async () => {
      const s = await fresh()
      await s.mentions.upsertMentions([mention('1', { label: 'praise', labelSource: 'human' })])
      await s.mentions.upsertMentions([mention('1', { label: 'complaint', labelSource: 'model', scores: { complaint: 0.9 } })])
      const [m] = await s.mentions.listMentions({})
      expect([m!.label, m!.labelSource, m!.scores]).toEqual(['praise', 'human', null])
    })

    it('filters, orders newest first (ties by source and id, byte order) and limits', async () => {
      const s = await fresh()
      await s.mentions.upsertMentions([
        mention('b', { createdAt: T0, label: 'outage' }),
        mention('B', { createdAt: T0, label: null }),
        mention('a', { createdAt: T0 + 1, source: 'y', brand: 'Other', byBrand: true }),
        mention('c', { createdAt: T0 - 1, label: 'praise' }),
      ])
      expect((await s.mentions.listMentions({})).map((m) => `${m.source}:${m.id}`)).toEqual(['y:a', 'x:B', 'x:b', 'x:c'])
      expect((await s.mentions.listMentions({ labels: ['outage', 'untagged'] })).map((m) => m.id)).toEqual(['a', 'B', 'b'])
      expect((await s.mentions.listMentions({ labels: ['untagged'] })).map((m) => m.id)).toEqual(['a', 'B'])
      expect((await s.mentions.listMentions({ sources: ['y'] })).map((m) => [m.id, m.byBrand, m.brand])).toEqual([['a', true, 'Other']])
      expect((await s.mentions.listMentions({ byBrand: false, from: T0, until: T0 + 1 })).map((m) => m.id)).toEqual(['B', 'b'])
      expect((await s.mentions.listMentions({ limit: 1 })).map((m) => m.id)).toEqual(['a'])
      expect(await s.mentions.count({ brands: ['Acme Air'] })).toBe(3)
      expect(await s.mentions.span()).toEqual({ first: T0 - 1, last: T0 + 1, count: 4 })
      expect(await s.reports.storedSources()).toEqual(['x', 'y'])
    })

    it('counts customer posts per quarter hour exactly, edges and source filters included', async () => {
      const s = await fresh()
      const labels = ['outage', 'complaint', 'question', 'praise', 'other', null] as const
      await s.mentions.upsertMentions(
        Array.from({ length: 300 }, (_, i) => mention(String(i), { createdAt: T0 + i * 61_000, label: labels[i % 6]!, byBrand: i % 7 === 0, source: i % 2 ? 'x' : 'y' })),
      )
      const rows = await s.mentions.countByQuarterHour({ from: T0 + 123_456, until: T0 + 250 * 61_000 })
      const total = rows.reduce((n, r) => n + r.counts.reduce((a, b) => a + b, 0), 0)
      let expected = 0
      for (let i = 0; i < 300; i++) if (i % 7 && T0 + i * 61_000 >= T0 + 123_456 && T0 + i * 61_000 < T0 + 250 * 61_000) expected++
      expect(total).toBe(expected)
      const onlyX = await s.mentions.countByQuarterHour({ from: T0, until: T0 + 86_400_000, sources: ['x'] })
      expect(onlyX.reduce((n, r) => n + r.counts.reduce((a, b) => a + b, 0), 0)).toBe(Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 7 && i % 2).length)
      expect(await s.mentions.countByQuarterHour({ from: T0, until: T0 + 86_400_000, brands: ['nobody'] })).toEqual([])
    })
  })

  describe('reports and audit', () => {
    it('groups, ranks authors and finds first answers through reply chains', async () => {
      const s = await fresh()
      await s.mentions.upsertMentions([
        mention('q1', { createdAt: T0, label: 'complaint', author: 'ann' }),
        mention('q1r', { createdAt: T0 + 60_000, author: 'ann', inReplyTo: 'q1', label: 'question' }),
        mention('a1', { createdAt: T0 + 600_000, author: 'AcmeHelp', inReplyTo: 'q1r' }),
        mention('q2', { createdAt: T0 + 1000, label: 'outage', author: 'bob' }),
        mention('q3', { createdAt: T0 + 2000, label: 'praise', author: 'ann' }),
        mention('a3', { createdAt: T0 + 3000, byBrand: true, inReplyTo: 'q3' }),
      ])
      const brand = { bySource: new Map([['x', ['acmehelp']]]), anySource: [], nonNumeric: false }
      const scope = { from: T0, until: T0 + 86_400_000, brand }
      const groups = (await s.reports.groupCounts(scope)).map((g) => `${g.label}:${g.n}`).sort()
      expect(groups).toEqual(['complaint:1', 'outage:1', 'praise:1', 'question:1'])
      expect(await s.reports.topAuthors(scope, 1)).toEqual([{ author: 'ann', source: 'x', n: 3, labelled: 3, negative: 1 }])
      expect((await s.reports.texts(scope, 2)).map(([l]) => l)).toEqual(['question', 'praise'])
      expect(await s.audit.hasBrandPosts(T0, brand)).toBe(true)
      expect(await s.audit.hasBrandPosts(T0, NO_HANDLES, ['nowhere'])).toBe(false)
      expect(await s.audit.computeAnswers(T0, brand)).toBe(3)
      const audit = { ...scope, labels: ['complaint', 'outage', 'praise', 'question'], includeUntagged: false }
      const seen: Array<[string, number, string, number | null]> = []
      expect(await s.audit.scanAudit(audit, (src, at, label, answered) => seen.push([src, at, label, answered]))).toBe(4)
      expect(seen.sort((a, b) => a[1] - b[1])).toEqual([
        ['x', T0, 'complaint', T0 + 600_000],
        ['x', T0 + 1000, 'outage', null],
        ['x', T0 + 2000, 'praise', T0 + 3000],
        ['x', T0 + 60_000, 'question', T0 + 600_000],
      ])
      expect(await s.audit.answeredCount(audit)).toEqual({ total: 4, answered: 3 })
      expect((await s.audit.ledger(audit, 0)).map((r) => [r.id, r.createdAt, r.label])).toEqual([['q2', T0 + 1000, 'outage']])
    })
  })

  describe('fetch bookkeeping', () => {
    it('commits the last page, the cursor and the run together', async () => {
      const s = await fresh()
      const id = await s.runs.startRun('r1', 'x', T0)
      await s.runs.savePage([mention('1')], T0)
      const progress = (c: { inserted: number; updated: number }) => ({
        status: 'ok' as const, finishedAt: T0 + 5, coveredFrom: T0 - 100, coveredUntil: T0, newCount: 1 + c.inserted, updatedCount: c.updated,
        pages: 2, requests: 2, rateLimitWaits: 0, rateLimitWaitMs: 0, nextAllowedAt: null, error: null,
      })
      expect(await s.runs.saveWalkEnd([mention('2')], T0 + 1, { source: 'x', key: 'Acme', value: 'c9' }, { id, progress })).toEqual({ inserted: 1, updated: 0, unchanged: 0 })
      expect(await s.runs.cursor('x', 'Acme')).toBe('c9')
      expect(await s.runs.cursor('x', 'none')).toBeNull()
      expect((await s.runs.cursors('x')).map((c) => [c.queryKey, c.cursor, c.updatedAt])).toEqual([['Acme', 'c9', T0 + 1]])
      expect(await s.runs.lastCoveredUntil('x')).toBe(T0)
      expect((await s.runs.latestRuns()).map((r) => [r.runId, r.status, r.newCount, r.pages])).toEqual([['r1', 'ok', 2, 2]])
      expect(await s.reports.fetchedSources()).toEqual(new Set(['x']))
      expect((await s.reports.fetchRuns(T0 - 50, T0 + 50)).map((r) => [r.source, r.status, r.coveredFrom, r.coveredUntil])).toEqual([['x', 'ok', T0 - 100, T0]])
    })

    it('a held lock stops a second store, and is free again after unlock or close', async () => {
      const where = await location()
      const a = await openStore(where, { create: true })
      const b = await openStore(where, { create: true })
      try {
        expect(await a.runs.tryLock('fetch', 111, T0, () => true)).toEqual({ ok: true })
        expect(await b.runs.tryLock('fetch', 222, T0 + 1, () => true)).toMatchObject({ ok: false, pid: 111, since: T0 })
        await a.runs.unlock('fetch', 111)
        expect(await b.runs.tryLock('fetch', 222, T0 + 2, () => true)).toEqual({ ok: true })
        await b.runs.unlock('fetch', 222)
        expect(await a.runs.tryLock('fetch', 111, T0 + 3, () => true)).toEqual({ ok: true })
      } finally {
        await a.close()
        await b.close()
      }
    })
  })

  describe('models and labels', () => {
    it('versions, human labels with history, scopes and model labels', async () => {
      const s = await fresh()
      expect(await s.models.usesBuiltin()).toBe(true)
      const stamp0 = await s.models.stamp()
      await s.mentions.upsertMentions([
        mention('1', { label: 'other', labelSource: 'import' }),
        mention('2', { label: 'other', labelSource: 'model' }),
        mention('3'),
        mention('4'),
      ])
      expect((await s.models.saveHumanLabel('x', '4', 'praise', 'sam', 10)).previous).toEqual({ label: null, labelSource: null })
      await s.models.saveHumanLabel('x', '4', 'question', 'kim', 20)
      expect(await s.models.labelHistory('x', '4')).toEqual([
        { oldLabel: null, newLabel: 'praise', by: 'sam', at: 10 },
        { oldLabel: 'praise', newLabel: 'question', by: 'kim', at: 20 },
      ])
      await expect(s.models.saveHumanLabel('x', 'nope', 'other', null, 1)).rejects.toThrow(UsageError)
      expect(await s.models.stamp()).not.toBe(stamp0)
      expect(await s.models.countHumanLabels()).toBe(1)
      expect(await s.models.humanExamples()).toEqual([{ followUp: false, text: 'post 4', label: 'question', lang: 'en' }])
      for (const [scope, ids] of [['untagged', ['3']], ['model', ['2', '3']], ['all', ['1', '2', '3']]] as const) {
        const rows = await s.models.mentionsToTag(scope, 0, 10)
        expect(rows.map((r) => r.text)).toEqual(ids.map((i) => `post ${i}`))
        expect(await s.models.countToTag(scope)).toBe(ids.length)
      }
      const all = await s.models.mentionsToTag('all', 0, 10)
      expect((await s.models.mentionsToTag('all', all[0]!.rowid, 10)).length).toBe(2)
      const human = await s.models.mentionsToTag('all', 0, 10)
      const changed = await s.models.saveModelLabels([...human, { rowid: 999_999 }].map((r) => ({ rowid: r.rowid, label: 'outage' as const, scores: SCORES })))
      expect(changed).toBe(3)
      expect(await s.models.saveModelLabels(human.map((r) => ({ rowid: r.rowid, label: 'outage' as const, scores: SCORES })))).toBe(0)
      expect((await s.mentions.listMentions({ labels: ['outage'] })).length).toBe(3)
      expect((await s.mentions.listMentions({ labels: ['question'] })).map((m) => m.labelSource)).toEqual(['human'])
      const rows = await s.mentions.countByQuarterHour({ from: T0, until: T0 + 3_600_000 })
      expect(rows.map((r) => r.counts.reduce((a, b) => a + b, 0))).toEqual([4])

      const v1 = await s.models.saveModelVersion({ action: 'train', basedOn: null, description: 'a.jsonl', examples: 1, model: { m: 1 } as never, createdAt: 1000 })
      const v2 = await s.models.saveModelVersion({ action: 'reset', basedOn: v1.version, description: null, examples: 0, model: null, createdAt: 2000 })
      expect([v1.version, v2.version]).toEqual([1, 2])
      expect((await s.models.listVersions()).map((v) => [v.version, v.action, v.builtin])).toEqual([[1, 'train', false], [2, 'reset', true]])
      expect(await s.models.activeModel()).toMatchObject({ version: { version: 2 }, json: null })
    })
  })

  describe('alerts', () => {
    it('saves alerts, records deliveries and lists the undelivered', async () => {
      const s = await fresh()
      expect(await s.alerts.firstMentionAt()).toBeNull()
      await s.mentions.upsertMentions([mention('1', { createdAt: T0, label: 'outage' }), mention('2', { createdAt: T0 + 1, label: 'outage', author: 'AcmeHelp' })])
      expect(await s.alerts.firstMentionAt()).toBe(T0)
      const matcher = { bySource: new Map(), anySource: ['acmehelp'], nonNumeric: false }
      expect((await s.alerts.windowPosts({ from: T0, until: T0 + 10, brand: 'Acme Air', kind: 'outage', matcher, limit: 5 })).map((p) => p.text)).toEqual(['post 1'])
      const base = { brand: 'Acme Air', kind: 'outage' as const, windowFrom: T0, count: 3, expected: 0.5, p: 0.001, method: 'poisson', message: '{}', delivery: 'failed' as const, error: 'HTTP 500' }
      const a = await s.alerts.saveAlert({ ...base, firedAt: T0 + 100 })
      const b = await s.alerts.saveAlert({ ...base, firedAt: T0 + 200 })
      expect(await s.alerts.lastFiredAt('Acme Air', 'outage', T0, T0 + 150)).toBe(T0 + 100)
      expect(await s.alerts.lastFiredAt('Acme Air', 'complaint', T0, T0 + 150)).toBeNull()
      await s.alerts.markDelivery([a], true, T0 + 300, null)
      await s.alerts.markDelivery([b], false, T0 + 300, 'HTTP 502')
      expect(await s.alerts.undelivered(10)).toEqual({
        total: 1,
        alerts: [{ id: b, brand: 'Acme Air', kind: 'outage', firedAt: T0 + 200, count: 3, message: '{}', attempts: 1, error: 'HTTP 502' }],
      })
    })
  })

  describe('query', () => {
    it('runs one read-only statement and refuses writes', async () => {
      const where = await location()
      const w = await openStore(where, { create: true })
      await w.mentions.upsertMentions([mention('1')])
      await w.close()
      const r = await openStore(where, { create: false, readonly: true })
      try {
        expect(await r.query('SELECT id, text FROM mentions')).toEqual({ columns: ['id', 'text'], rows: [['1', 'post 1']] })
        await expect(r.query("DELETE FROM mentions WHERE id = '1'")).rejects.toThrow(UsageError)
      } finally {
        await r.close()
      }
    })
  })
})

describe('openStore', () => {
  it('an unknown URL scheme is a usage error naming it, password redacted', async () => {
    await expect(openStore('mysql://u:hunter2@h/db', { create: true })).rejects.toThrow(/"mysql:\/\/" is not a database listen can open/)
    await expect(openStore('mysql://u:hunter2@h/db', { create: true })).rejects.not.toThrow(/hunter2/)
    await expect(openStore('mysql://u:hunter2@h/db', { create: true })).rejects.toBeInstanceOf(UsageError)
  })

  it('a refused connection is one sentence naming the redacted URL', async () => {
    const e = await openStore('postgres://listen:s3cret@127.0.0.1:1/listen', { create: true }).then(() => new Error("opened"), (x: unknown) => x as Error)
    expect(e.message).toMatch(/cannot connect to PostgreSQL at postgres:\/\/listen:\*\*\*@127\.0\.0\.1:1\/listen: connection refused/)
    expect(e.message).not.toContain('s3cret')
  })

  it('names a password variable that is not set', async () => {
    const e = await openStore('postgres://listen@127.0.0.1:1/listen', { create: true, passwordEnv: 'LISTEN_PG_PASSWORD', env: {} }).then(() => new Error("opened"), (x: unknown) => x as Error)
    expect(e.message).toMatch(/environment variable LISTEN_PG_PASSWORD .* is not set/)
  })
})
