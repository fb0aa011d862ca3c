import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDb } from '../../src/store/sqlite/db.js'
import { MentionStore } from '../../src/store/sqlite/mentions.js'
import { migrations } from '../../src/store/sqlite/migrations.js'
import { storeMention } from '../helpers/mentions.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()

const mention = storeMention

function naiveBuckets(store: MentionStore) {
  return store.db
    .prepare(
      `SELECT created_at / 900000 AS bucket, coalesce(brand, '') AS brand, coalesce(label, '') AS label, count(*) AS n
       FROM mentions WHERE by_brand = 0 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    )
    .all()
}
function rollup(store: MentionStore) {
  return store.db
    .prepare('SELECT bucket, brand, label, n FROM mention_buckets WHERE n > 0 ORDER BY 1, 2, 3')
    .all()
}

describe('MentionStore', () => {
  it('migrates a new file to the latest user_version with WAL', () => {
    const db = openDb(join(tmp(), 'a.db'), { create: true })
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    db.close()
  })

  it('upserts idempotently and reports new / updated / unchanged', () => {
    const store = new MentionStore(openDb(join(tmp(), 'a.db'), { create: true }))
    expect(store.upsertMentions([mention('1'), mention('2')])).toEqual({ inserted: 2, updated: 0, unchanged: 0 })
    expect(store.upsertMentions([mention('1'), mention('2')])).toEqual({ inserted: 0, updated: 0, unchanged: 2 })
    expect(store.upsertMentions([mention('1', { text: 'edited' })])).toEqual({ inserted: 0, updated: 1, unchanged: 0 })
    expect(store.count()).toBe(2)
    expect(store.listMentions({ search: 'EDIT' }).map((m) => m.id)).toEqual(['1'])
  })

  it('writes a batch in time order, except that a key given twice keeps file order (the later row wins)', () => {
    const store = new MentionStore(openDb(join(tmp(), 'a.db'), { create: true }))
    const t = Date.parse('2026-11-02T09:00:00Z')
    expect(store.upsertMentions([mention('a', { createdAt: t + 2 }), mention('b', { createdAt: t })])).toEqual({ inserted: 2, updated: 0, unchanged: 0 })
    expect(store.db.prepare('SELECT id FROM mentions ORDER BY rowid').pluck().all()).toEqual(['b', 'a'])
    expect(store.upsertMentions([mention('c', { createdAt: t + 9, text: 'first' }), mention('c', { createdAt: t + 1, text: 'second' })])).toEqual({ inserted: 1, updated: 1, unchanged: 0 })
    expect(store.listMentions({}).find((m) => m.id === 'c')!.text).toBe('second')
    expect(rollup(store)).toEqual(naiveBuckets(store))
  })

  it('never overwrites a human label', () => {
    const store = new MentionStore(openDb(join(tmp(), 'a.db'), { create: true }))
    store.upsertMentions([mention('1', { label: 'praise', labelSource: 'human' })])
    store.upsertMentions([mention('1', { label: 'complaint', labelSource: 'model', scores: { complaint: 0.9 } })])
    const [m] = store.listMentions({})
    expect([m!.label, m!.labelSource]).toEqual(['praise', 'human'])
  })

  it('keeps the quarter-hour rollup equal to a recount through inserts, updates and deletes', () => {
    const store = new MentionStore(openDb(join(tmp(), 'a.db'), { create: true }))
    const base = Date.parse('2026-11-02T00:00:00Z')
    const labels = ['outage', 'complaint', 'question', 'praise', 'other', null] as const
    const batch = Array.from({ length: 500 }, (_, i) =>
      mention(String(i), { createdAt: base + i * 97_000, label: labels[i % 6]!, byBrand: i % 7 === 0, brand: i % 3 ? 'Acme Air' : null }),
    )
    store.upsertMentions(batch)
    store.upsertMentions(batch.slice(0, 100).map((m, i) => ({ ...m, createdAt: m.createdAt + 3_600_000, label: labels[(i + 1) % 5]! })))
    store.upsertMentions(batch.slice(100, 160).map((m) => ({ ...m, byBrand: !m.byBrand })))
    store.db.prepare("DELETE FROM mentions WHERE id IN ('5', '6', '7')").run()
    expect(rollup(store)).toEqual(naiveBuckets(store))
  })

  it('counts partial edge quarter hours exactly', () => {
    const store = new MentionStore(openDb(join(tmp(), 'a.db'), { create: true }))
    const t = Date.parse('2026-11-02T09:00:00Z')
    store.upsertMentions([mention('a', { createdAt: t + 60_000 }), mention('b', { createdAt: t + 600_000 }), mention('c', { createdAt: t + 1_000_000 })])
    const total = (from: number, until: number) => store.countByQuarterHour({ from, until }).reduce((s, b) => s + b.counts.reduce((a, c) => a + c, 0), 0)
    expect(total(t + 120_000, t + 3_600_000)).toBe(2)
    expect(total(t, t + 900_000)).toBe(2)
    expect(total(t + 300_000, t + 700_000)).toBe(1)
    expect(total(t - 3_600_000, t + 7_200_000)).toBe(3)
    const bySource = (from: number, until: number, sources: string[]) =>
      store.countByQuarterHour({ from, until, sources }).reduce((s, b) => s + b.counts.reduce((a, c) => a + c, 0), 0)
    expect(bySource(t - 3_600_000, t + 7_200_000, ['x'])).toBe(3)
    expect(bySource(t - 3_600_000, t + 7_200_000, ['reddit'])).toBe(0)
  })

  it('refuses a missing database for reads and names a corrupt one', () => {
    const dir = tmp()
    expect(() => openDb(join(dir, 'none.db'), { create: false })).toThrow(/no database at .*none\.db/)
    const bad = join(dir, 'bad.db')
    writeFileSync(bad, 'this is not sqlite at all, just some text that is long enough to look like a header'.repeat(20))
    expect(() => openDb(bad, { create: false })).toThrow(/bad\.db is not a SQLite database or is corrupt/)
  })
})
