// listen fetch on PostgreSQL against a local stand-in for Algolia's HN search: a worker killed
// mid-walk leaves no gap and no duplicate, and two workers started together split the brand
// queries (an advisory lock per source and query) and store every mention exactly once.
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import pg from 'pg'
import { afterEach, expect, it } from 'vitest'
import { openPgStore } from '../../src/store/pg/index.js'
import { BIN } from '../helpers/cli.js'
import { describeWithPg, passwordRoleSchema, usePgSchemas } from '../helpers/pg.js'
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const pgs = usePgSchemas()
const NOW_S = Math.floor(Date.now() / 1000)
const BRANDS = ['Alpha', 'Bravo', 'Charlie', 'Delta']
const PER_BRAND = 330
const HITS = new Map(
  BRANDS.map((b, k) => [
    b,
    Array.from({ length: PER_BRAND }, (_, i) => ({
      objectID: String(100_000 * (k + 1) + i),
      created_at_i: NOW_S - 3600 - i * 4100,
      author: `user${i % 37}`,
      title: `${b} post ${i}`,
      story_text: i % 3 ? 'kein Netz seit heute morgen' : 'works fine for me',
      _tags: ['story'],
    })),
  ]),
)

let server: Server | undefined
let proxy: TcpProxy | undefined
afterEach(async () => {
  await proxy?.close()
  proxy = undefined
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
})

function startServer(onRequest: (query: string) => void, latencyMs: (query: string) => number = () => 40): Promise<string> {
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x')
    const query = url.searchParams.get('query') ?? ''
    onRequest(query)
    const floor = Number(/created_at_i>=(\d+)/.exec(url.searchParams.get('numericFilters') ?? '')?.[1] ?? 0)
    const per = Number(url.searchParams.get('hitsPerPage') ?? 100)
    const page = Number(url.searchParams.get('page') ?? 0)
    const matching = (HITS.get(query) ?? []).filter((h) => h.created_at_i >= floor)
    const body = { hits: matching.slice(page * per, page * per + per), page, nbPages: Math.ceil(matching.length / per), hitsPerPage: per }
    setTimeout(() => {
      if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    }, latencyMs(query))
  })
  return new Promise((resolve) => server!.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`)))
}

type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function run(cwd: string, db: string, onChild: (c: ChildProcess) => void = () => {}): Promise<Run> {
  return runFetch(cwd, db, {}, onChild)
}

function runFetch(cwd: string, db: string, env: NodeJS.ProcessEnv, onChild: (c: ChildProcess) => void = () => {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'fetch', '--since', '30d', '--max-pages', '50', '--format', 'json', '--db', db], {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (d) => (stdout += d))
    child.stderr!.on('data', (d) => (stderr += d))
    onChild(child)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

async function stored(url: string): Promise<{ ids: string[]; keys: number; rollup: number }> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    const ids = (await c.query<{ id: string }>("SELECT id FROM mentions WHERE source = 'hackernews' ORDER BY id")).rows.map((r) => r.id)
    const keys = Number((await c.query('SELECT count(*) AS n FROM mention_keys')).rows[0].n)
    const rollup = Number((await c.query('SELECT coalesce(sum(n), 0) AS n FROM mention_buckets')).rows[0].n)
    return { ids, keys, rollup }
  } finally {
    await c.end()
  }
}

const allIds = () => [...HITS.values()].flat().map((h) => h.objectID).sort()

/** Every mention stored exactly once: the ids, one key each, and the rollup counting each once. */
async function expectEveryMentionOnce(url: string): Promise<void> {
  const s = await stored(url)
  expect(s.ids).toEqual(allIds())
  expect(s.keys).toBe(allIds().length)
  expect(s.rollup).toBe(allIds().length)
}

function config(dir: string, base: string, extra: Record<string, unknown> = {}): void {
  writeFileSync(
    join(dir, 'listen.config.json'),
    JSON.stringify({ brands: BRANDS.map((name) => ({ name, query: name })), sources: { hackernews: { baseUrl: `${base}/api/v1` } }, ...extra }),
  )
}

/**
 * A fresh, migrated schema behind a TCP proxy that can play a server restart: `direct` reaches the
 * server itself (for checking what was stored), `url` goes through the proxy and carries a password
 * that must never be printed.
 */
async function proxiedSchema(): Promise<{ direct: string; url: string; proxy: TcpProxy }> {
  const { url: direct } = await pgs.fresh()
  await (await openPgStore(direct, { create: true })).close()
  proxy = await startTcpProxy(direct)
  const u = new URL(proxy.url(direct))
  u.password = 'pw-never-shown'
  return { direct, url: u.toString(), proxy }
}

describeWithPg('listen fetch on PostgreSQL', () => {
  it('a worker killed mid-walk leaves no gap and no duplicate', { timeout: 120_000 }, async () => {
    const dir = tmp()
    const { url } = await pgs.fresh()
    let child: ChildProcess | undefined
    let served = 0
    let killAt = -1
    config(dir, await startServer(() => {
      served++
      if (served === killAt) child?.kill('SIGKILL')
    }))
    for (const at of [3, 7]) {
      served = 0
      killAt = at
      const r = await run(dir, url, (c) => (child = c))
      expect(r.signal).toBe('SIGKILL')
    }
    killAt = -1
    const done = await run(dir, url)
    expect(done.code, done.stderr).toBe(0)
    expect(done.stderr).toMatch(/earlier run\(s\) had been interrupted mid-walk/)
    await expectEveryMentionOnce(url)
    const again = await run(dir, url)
    expect(JSON.parse(again.stdout).totals).toMatchObject({ new: 0, failed: 0 })
  })

  it('two workers at once split the brand queries and store each mention once', { timeout: 120_000 }, async () => {
    const dir = tmp()
    const { url } = await pgs.fresh()
    const requests = new Map<string, number>()
    config(dir, await startServer((q) => requests.set(q, (requests.get(q) ?? 0) + 1)))
    // Migrate first, so the two workers race on the fetch, not on the schema (that race has its own test).
    await (await openPgStore(url, { create: true })).close()
    const [a, b] = await Promise.all([run(dir, url), run(dir, url)])
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0])
    const news = [a, b].map((r) => JSON.parse(r.stdout).totals.new as number)
    expect(news[0]! + news[1]!).toBe(allIds().length)
    expect(news.every((n) => n > 0), `both workers fetched: ${news.join(' + ')}`).toBe(true)
    // Split, not repeated: a query walked by one worker costs the other at most one incremental request.
    const total = [...requests.values()].reduce((x, y) => x + y, 0)
    const single = BRANDS.length * Math.ceil(PER_BRAND / 100)
    expect(total).toBeLessThanOrEqual(single + BRANDS.length)
    const s = await stored(url)
    expect(s.ids).toEqual(allIds())
    expect(s.keys).toBe(allIds().length)
  })

  it('a worker busy with a slow query leaves the ones another worker walked meanwhile: every page asked once', { timeout: 120_000 }, async () => {
    const dir = tmp()
    const { url } = await pgs.fresh()
    const requests = new Map<string, number>()
    // Alpha answers slowly: the worker that takes it is still on it while the other walks the rest.
    config(dir, await startServer((q) => requests.set(q, (requests.get(q) ?? 0) + 1), (q) => (q === 'Alpha' ? 400 : 20)))
    await (await openPgStore(url, { create: true })).close()
    const [a, b] = await Promise.all([run(dir, url), run(dir, url)])
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0])
    const pages = Math.ceil(PER_BRAND / 100)
    expect(Object.fromEntries(requests)).toEqual(Object.fromEntries(BRANDS.map((q) => [q, pages])))
    await expectEveryMentionOnce(url)
  })

  it('a role that must give its password fetches with it from the variable the config names, lock connections included', { timeout: 120_000 }, async () => {
    const dir = tmp()
    const { url, password, drop } = await passwordRoleSchema(pgs.admin())
    try {
      config(dir, await startServer(() => {}), { databasePasswordEnv: 'LISTEN_PG_PW' })
      const r = await runFetch(dir, url, { LISTEN_PG_PW: password })
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout + r.stderr).not.toContain(password)
      expect(JSON.parse(r.stdout).totals.new).toBe(allIds().length)
    } finally {
      await drop()
    }
  })

  it('a server restart mid-fetch is waited out: every mention once, no gap, and the run says so', { timeout: 120_000 }, async () => {
    const dir = tmp()
    const { direct, url, proxy: p } = await proxiedSchema()
    let served = 0
    config(dir, await startServer(() => {
      // Mid-walk of the second brand: pages saved, one in hand, the cursor not yet written.
      if (++served === 6) void p.restart(1500)
    }))
    const r = await run(dir, url)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/lost the connection to PostgreSQL at postgres:\/\/\S+: Connection terminated unexpectedly/)
    expect(r.stderr).toMatch(/PostgreSQL at postgres:\/\/\S+: .*; trying again for up to 30 s/)
    expect(r.stderr).toMatch(/reconnected to PostgreSQL at postgres:\/\/\S+ after \d+\.\d s/)
    expect(r.stderr).not.toContain('pw-never-shown')
    await expectEveryMentionOnce(direct)
    const again = await run(dir, url)
    expect(again.code, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout).totals).toMatchObject({ new: 0, failed: 0 })
  })

  it('a server down past the reconnect window fails the run with one error; the next run fills the gap', { timeout: 120_000 }, async () => {
    const dir = tmp()
    const { direct, url, proxy: p } = await proxiedSchema()
    let served = 0
    let down: Promise<void> | undefined
    config(dir, await startServer(() => {
      if (++served === 6) down = p.restart(4000)
    }), { databaseReconnect: '1s' })
    const r = await run(dir, url)
    expect(r.code, r.stderr).toBe(1)
    expect(r.stdout).toBe('')
    const errors = r.stderr.split('\n').filter((l) => /^listen: /.test(l))
    expect(errors, r.stderr).toHaveLength(1)
    expect(errors[0]).toMatch(/PostgreSQL at postgres:\/\/\S+:\*\*\*@127\.0\.0\.1:\d+\//)
    expect(r.stderr).not.toContain('pw-never-shown')
    await down
    const partial = await stored(direct)
    expect(partial.ids.length).toBeLessThan(allIds().length)
    const done = await run(dir, url)
    expect(done.code, done.stderr).toBe(0)
    expect(done.stderr).toMatch(/earlier run\(s\) had been interrupted mid-walk/)
    await expectEveryMentionOnce(direct)
  })
})
