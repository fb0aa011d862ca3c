// listen db migrate-to's copy (store/pg/migrate.ts): everything arrives once, a rerun writes
// nothing, and a run stopped in the middle goes on from its last committed batch.
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { openStore } from '../../src/store/open.js'
import { copySqliteToPg } from '../../src/store/pg/migrate.js'
import { openPgStore, type PgStore } from '../../src/store/pg/index.js'
import type { Store } from '../../src/store/types.js'
import { storeMention as mention } from '../helpers/mentions.js'
import { describeWithPg, usePgSchemas } from '../helpers/pg.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const pgs = usePgSchemas()
const T0 = Date.parse('2026-09-30T23:00:00Z')

async function seed(path: string): Promise<void> {
  const s = await openStore(path, { create: true })
  // 12,000 mentions over two months: three batches, two partitions.
  await s.mentions.upsertMentions(Array.from({ length: 12_000 }, (_, i) => mention(String(i), { createdAt: T0 + i * 600_000, label: i % 3 ? 'complaint' : null, inReplyTo: i % 5 ? null : String(i - 1) })), 77)
  await s.models.saveHumanLabel('x', '7', 'praise', 'sam', 5)
  await s.models.saveModelVersion({ action: 'train', basedOn: null, description: 'a.jsonl', examples: 1, model: { m: 1 } as never, createdAt: 9 })
  const id = await s.runs.startRun('r1', 'x', T0)
  await s.runs.saveWalkEnd([], T0 + 1, { source: 'x', key: 'Acme', value: 'c42' }, {
    id,
    progress: () => ({ status: 'ok', finishedAt: T0 + 2, coveredFrom: T0 - 10, coveredUntil: T0, newCount: 0, updatedCount: 0, pages: 1, requests: 1, rateLimitWaits: 0, rateLimitWaitMs: 0, nextAllowedAt: null, error: null }),
  })
  await s.alerts.saveAlert({ brand: 'Acme Air', kind: 'outage', firedAt: T0, windowFrom: T0 - 1, count: 9, expected: 1.5, p: 0.001, method: 'poisson', message: '{}', delivery: 'failed', error: 'HTTP 500' })
  await s.articles.saveArticles([{ id: 'a1', url: 'https://help.example/a1', title: 'Refunds', body: 'How a refund works', lang: 'en' }], 'help.jsonl', 11)
  await s.recheck.saveChecks([{ source: 'x', id: '4', checkedAt: T0 + 5, nextCheckAt: null, status: 'vanished', vanishedReason: 'deleted' }])
  await s.close()
}

async function snapshot(s: Store) {
  return {
    mentions: await s.mentions.listMentions({}),
    history: await s.models.labelHistory('x', '7'),
    versions: await s.models.listVersions(),
    cursors: await s.runs.cursors('x'),
    runs: (await s.runs.latestRuns()).map(({ id: _, ...r }) => r),
    alerts: (await s.alerts.undelivered(10)).alerts.map(({ id: _, ...a }) => a),
    articles: await s.articles.listArticles(),
    vanished: await s.recheck.vanished({ from: T0, until: T0 + 12_000 * 600_000, labels: ['complaint'], brand: { bySource: new Map(), anySource: [], nonNumeric: false } }),
    buckets: await s.mentions.countByQuarterHour({ from: T0, until: T0 + 12_000 * 600_000 }),
  }
}

describeWithPg('db migrate-to (copySqliteToPg)', () => {
  it('copies every table once; a rerun writes nothing; a stopped run resumes without gaps or duplicates', { timeout: 120_000 }, async () => {
    const path = join(tmp(), 'listen.db')
    await seed(path)
    const { url } = await pgs.fresh()
    const pg = (await openPgStore(url, { create: true })) as PgStore
    try {
      // Stop after the first mentions batch.
      await expect(
        copySqliteToPg(path, pg, (table, done) => {
          if (table === 'mentions' && done >= 5000) throw new Error('killed')
        }),
      ).rejects.toThrow('killed')
      expect(await pg.mentions.count()).toBe(5000)
      const resumed = await copySqliteToPg(path, pg)
      expect(resumed.resumed).toBe(true)
      expect(resumed.tables.find((t) => t.table === 'mentions')).toEqual({ table: 'mentions', rows: 12_000, read: 7000, written: 7000, unchanged: 0 })
      const lite = await openStore(path, { create: false, readonly: true })
      const want = await snapshot(lite)
      await lite.close()
      expect(await snapshot(pg)).toEqual(want)
      expect(await pg.mentions.count()).toBe(12_000)

      const again = await copySqliteToPg(path, pg)
      expect(again.tables.every((t) => t.read === 0 && t.written === 0)).toBe(true)
      // Without the resume points every row is read again and found as it is.
      await pg.handle.pool.query('DELETE FROM copy_progress')
      const full = await copySqliteToPg(path, pg)
      expect(full.tables.map((t) => [t.table, t.read, t.written])).toEqual([
        ['models', 1, 0], ['mentions', 12_000, 0], ['labels', 1, 0], ['cursors', 1, 0], ['fetch_runs', 1, 0], ['alerts', 1, 0],
        ['help_articles', 1, 0], ['mention_checks', 1, 0],
      ])
      expect(await snapshot(pg)).toEqual(want)
      // New versions on PostgreSQL number on after the copied ones.
      expect((await pg.models.saveModelVersion({ action: 'reset', basedOn: 1, description: null, examples: 0, model: null, createdAt: 10 })).version).toBe(2)
    } finally {
      await pg.close()
    }
  })
})
