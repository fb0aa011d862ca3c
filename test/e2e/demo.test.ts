// listen demo goes through the real adapters: the recorded fixtures in fixtures/demo/replay are
// fetched by runFetch (replay dispatcher, HTTP client, adapters, store), not imported.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runDemoCare, runDemoFetch } from '../../src/commands/demo.js'
import { openDb } from '../../src/store/sqlite/db.js'
import { runCli } from '../helpers/cli.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const ROOT = join(import.meta.dirname, '../..')
const quiet = { warn: (m: string) => expect.fail(`unexpected warning: ${m}`), info() {}, debug() {} }

interface Row {
  source: string
  id: string
  brand: string
  author: string | null
  in_reply_to: string | null
  thread_id: string | null
  by_brand: number
  created_at: number
}

describe('listen demo', () => {
  it('fetches every platform through its adapter, with the care teams’ replies chained to the posts they answer', async () => {
    const database = join(tmp(), 'demo.db')
    const { fetch, report } = await runDemoFetch({ heatmap: false, timezone: 'Europe/Berlin', root: ROOT, log: quiet }, database)

    // [source, mentions, of which brand replies] as scripts/make-demo-fixtures.mjs wrote them.
    const expected = [
      ['bluesky', 478, 187],
      ['facebook', 468, 178],
      ['mastodon', 666, 254],
      ['reddit', 474, 173],
    ] as const
    expect(fetch.sources.map((s) => [s.source, s.status, s.new, s.error])).toEqual(
      expect.arrayContaining(expected.map(([source, n]) => [source, 'ok', n, null])),
    )
    expect(fetch.sources).toHaveLength(4)
    // Paging was walked, not one page per query: on Mastodon 18 pages of statuses, the empty page
    // that ends each of the 4 forward walks, and 2 account lookups.
    expect(fetch.sources.find((s) => s.source === 'mastodon')).toMatchObject({ requests: 24, pages: 22 })

    const db = openDb(database, { create: false, readonly: true })
    try {
      const rows = db.prepare('SELECT source, id, brand, author, in_reply_to, thread_id, by_brand, created_at FROM mentions').all() as Row[]
      for (const [source, n, replies] of expected) {
        const mine = rows.filter((r) => r.source === source)
        expect(mine, source).toHaveLength(n)
        expect(mine.filter((r) => r.by_brand === 1), source).toHaveLength(replies)
      }
      // Every brand reply answers a customer post of the same source and brand, and comes after it.
      const byKey = new Map(rows.map((r) => [`${r.source}\u0000${r.id}`, r]))
      for (const reply of rows.filter((r) => r.by_brand === 1)) {
        expect(reply.in_reply_to, `${reply.source} ${reply.id}`).not.toBeNull()
        const parent = byKey.get(`${reply.source}\u0000${reply.in_reply_to}`)
        expect(parent, `${reply.source} ${reply.id} → ${reply.in_reply_to}`).toBeDefined()
        expect(parent).toMatchObject({ by_brand: 0, brand: reply.brand })
        expect(reply.created_at).toBeGreaterThan(parent!.created_at)
      }
      // Concrete chains, one per platform, as each adapter keeps them.
      const reply = (source: string, author: string) => rows.find((r) => r.source === source && r.by_brand === 1 && r.author === author)!
      expect(reply('mastodon', 'nordwind')).toMatchObject({ brand: 'Nordwind Mobile', thread_id: null })
      expect(reply('reddit', 'AcmeAir_Support').in_reply_to).toMatch(/^t3_[a-z0-9]+$/)
      expect(reply('reddit', 'AcmeAir_Support').thread_id).toBe(reply('reddit', 'AcmeAir_Support').in_reply_to)
      expect(reply('bluesky', 'nordwind-hilfe.bsky.social').in_reply_to).toMatch(/^at:\/\/did:plc:[a-z2-7]{24}\/app\.bsky\.feed\.post\//)
      const fb = rows.find((r) => r.source === 'facebook' && r.by_brand === 1 && r.brand === 'Acme Air')!
      expect(fb.in_reply_to).toMatch(/^100064712345002_\d+$/)
      expect(fb.thread_id).toBe(fb.in_reply_to)
      // Runs were recorded per source, so completeness can vouch for the whole window.
      const runs = db.prepare("SELECT source, status FROM fetch_runs WHERE status = 'ok'").all()
      expect(runs).toHaveLength(4)
    } finally {
      db.close()
    }
    expect(report).toMatchObject({ kind: 'by-hour', timezone: 'Europe/Berlin', days: 28, total: 1294 })
  })

  it('gives a kept database the demo help centre and a recheck as of the window’s end, once', async () => {
    const database = join(tmp(), 'demo.db')
    const o = { heatmap: false, timezone: 'Europe/Berlin', root: ROOT, log: quiet }
    await runDemoFetch(o, database, true)
    const first = await runDemoCare(o, database)
    expect(first.articles.counts).toEqual({ inserted: 12, updated: 0, unchanged: 0 })
    expect(first.recheck.sources).toEqual([expect.objectContaining({ source: 'mastodon', status: 'checked', checked: 185, vanished: 1, edited: 1 })])
    const second = await runDemoCare(o, database)
    expect(second.articles.counts).toEqual({ inserted: 0, updated: 0, unchanged: 12 })
    expect([second.recheck.due, second.recheck.sources[0]!.checked]).toEqual([0, 0])
  }, 60_000)

  it('prints only the report on a pipe: JSON on stdout, nothing on stderr', async () => {
    const r = await runCli(['demo'], { cwd: tmp() })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'by-hour', total: 1294 })
  })
})
