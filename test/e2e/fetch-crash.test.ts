// SIGKILL a real `listen fetch` at random pages against a local server, rerun it, and check the
// database holds exactly the expected mentions: nothing lost, nothing twice.
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { BIN } from '../helpers/cli.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const NOW_S = Math.floor(Date.now() / 1000)
// 730 stories over the last 20 days, newest first as Algolia's search_by_date returns them.
const HITS = Array.from({ length: 730 }, (_, i) => ({
  objectID: String(900_000 + i),
  created_at_i: NOW_S - 3600 - i * 2300,
  author: `user${i % 37}`,
  title: `Nordwind Mobile post ${i}`,
  story_text: i % 3 ? 'kein Netz seit heute morgen' : 'works fine for me',
  _tags: ['story'],
}))

let server: Server | undefined
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())))

/** Emulates Algolia's search_by_date paging; calls onRequest before answering each request. */
function startServer(onRequest: () => void): Promise<string> {
  server = createServer((req, res) => {
    onRequest()
    const url = new URL(req.url!, 'http://x')
    const floor = Number(/created_at_i>=(\d+)/.exec(url.searchParams.get('numericFilters') ?? '')?.[1] ?? 0)
    const per = Number(url.searchParams.get('hitsPerPage') ?? 100)
    const page = Number(url.searchParams.get('page') ?? 0)
    const matching = HITS.filter((h) => h.created_at_i >= floor)
    const body = { hits: matching.slice(page * per, page * per + per), page, nbPages: Math.ceil(matching.length / per), hitsPerPage: per }
    // A little latency so a kill can land between the save of one page and the next request.
    setTimeout(() => {
      if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    }, 15)
  })
  return new Promise((resolve) => server!.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`)))
}

function run(cwd: string, onChild: (c: ChildProcess) => void = () => {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'fetch', '--since', '30d', '--max-pages', '50', '--format', 'json'], {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd },
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

describe('listen fetch under SIGKILL', () => {
  const seed = 1 + (Date.now() % 997)
  it(`loses nothing and stores nothing twice (kill points from seed ${seed})`, async () => {
    const dir = tmp()
    let child: ChildProcess | undefined
    let served = 0
    let killAt = -1
    const base = await startServer(() => {
      served++
      if (served === killAt) child?.kill('SIGKILL')
    })
    writeFileSync(
      join(dir, 'listen.config.json'),
      JSON.stringify({ brands: [{ name: 'Nordwind Mobile', query: 'Nordwind Mobile' }], sources: { hackernews: { baseUrl: `${base}/api/v1` } } }),
    )
    let rnd = seed
    const random = () => (rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648
    const pages = Math.ceil(HITS.length / 100)
    for (let attempt = 0; attempt < 3; attempt++) {
      served = 0
      killAt = 1 + Math.floor(random() * pages)
      const r = await run(dir, (c) => (child = c))
      expect(r.signal, `run ${attempt} should have been killed at page ${killAt}`).toBe('SIGKILL')
    }
    served = 0
    killAt = -1
    const done = await run(dir)
    expect(done.stderr).toMatch(/^warning: 1 earlier run\(s\) had been interrupted mid-walk/)
    expect(done.code).toBe(0)
    expect(JSON.parse(done.stdout).sources[0]).toMatchObject({ source: 'hackernews', status: 'ok' })

    const db = new Database(join(dir, 'listen.db'), { readonly: true })
    const ids = (db.prepare("SELECT id FROM mentions WHERE source = 'hackernews' ORDER BY id").pluck().all() as string[])
    expect(ids).toEqual(HITS.map((h) => h.objectID).sort())
    expect(db.prepare('SELECT count(*) FROM mentions').pluck().get()).toBe(HITS.length)
    const rollup = db.prepare('SELECT sum(n) FROM mention_buckets').pluck().get()
    expect(rollup).toBe(HITS.length)
    const statuses = db.prepare('SELECT status FROM fetch_runs ORDER BY id').pluck().all()
    expect(statuses).toEqual(['failed', 'failed', 'failed', 'ok'])
    db.close()

    // And an incremental rerun finds nothing new.
    const again = await run(dir)
    expect(JSON.parse(again.stdout).totals).toMatchObject({ new: 0, failed: 0 })
  }, 60_000)
})
