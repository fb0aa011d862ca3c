// Issue 3: five sources of four pages each behind local servers answering every response after
// 300 ms. Goal: all five fetched together take ≤1.2× the slowest single source. Baselines from the
// same run: each source alone (slowest = the floor) and their sum (= fetching one after another).
// Each source gets its own 127.0.0.1 port, i.e. its own host for the client's per-host limit, and
// its server pages exactly like the real API the adapter talks to.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT, figure, line, tempDir, timeMsAsync } from './lib.js'
import { loadRealPosts } from './realtext.js'

const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href)

const LATENCY_MS = 300
const PAGES = 4
const PER_PAGE = 25
const GOAL = 1.2
const BRAND = { name: 'Acme Air', query: 'Acme Air' }
/** The servers close themselves after this long even if a run hangs. */
const WATCHDOG_MS = 120_000

// Post texts are real (bench/realtext.js), so tagging on the way in costs what it costs in use.
let REAL = ['Acme Air lost my bag']
const real = (i) => REAL[(i * 7) % REAL.length]
const html = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

const json = (body, headers = {}) => ({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) })
const refuse = (why) => ({ status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: `bench emulator: ${why}` }) })

/** `n` posts, newest first, spaced a minute apart ending a minute before `now`. */
function posts(now, n) {
  return Array.from({ length: n }, (_, i) => ({ i, at: now - (i + 1) * 60_000 }))
}

/** Page `p` (1-based) of a newest-first list. */
const slice = (list, p) => list.slice((p - 1) * PER_PAGE, p * PER_PAGE)

// Each emulator: { name, pages with data, answer(url, base) } where base is "http://127.0.0.1:<port>".
// They check what the adapter asks for, so a changed adapter fails here instead of timing nonsense.
const emulators = {
  // Algolia: page is 0-based, nbPages says when to stop. https://hn.algolia.com/api
  hackernews: (now) => {
    const all = posts(now, PAGES * PER_PAGE)
    return {
      baseUrl: (base) => `${base}/api/v1`,
      expectedNew: all.length,
      answer(url) {
        if (url.pathname !== '/api/v1/search_by_date') return refuse(`unexpected path ${url.pathname}`)
        if (url.searchParams.get('query') !== BRAND.query) return refuse('query= missing')
        if (!/^created_at_i>=\d+$/.test(url.searchParams.get('numericFilters') ?? '')) return refuse('numericFilters missing')
        const page = Number(url.searchParams.get('page'))
        const hits = slice(all, page + 1).map(({ i, at }) => ({
          objectID: String(40_000_000 + i),
          created_at_i: Math.floor(at / 1000),
          author: `hn_user_${i % 17}`,
          title: null,
          comment_text: `<p>${html(real(i))}</p>`,
          story_id: 39_000_000,
          parent_id: 39_000_000,
          _tags: ['comment', `author_hn_user_${i % 17}`],
        }))
        return json({ hits, page, nbPages: PAGES, hitsPerPage: PER_PAGE, nbHits: all.length })
      },
    }
  },
  // /2.3/search/advanced: page is 1-based, has_more says when to stop. https://api.stackexchange.com/docs/advanced-search
  stackexchange: (now) => {
    const all = posts(now, PAGES * PER_PAGE)
    return {
      baseUrl: (base) => `${base}/2.3`,
      expectedNew: all.length,
      answer(url) {
        if (url.pathname !== '/2.3/search/advanced') return refuse(`unexpected path ${url.pathname}`)
        if (url.searchParams.get('q') !== BRAND.query || !url.searchParams.get('fromdate')) return refuse('q= or fromdate= missing')
        const page = Number(url.searchParams.get('page'))
        const items = slice(all, page).map(({ i, at }) => ({
          question_id: 70_000_000 + i,
          creation_date: Math.floor(at / 1000),
          title: `Acme Air booking API question ${i}`,
          body: `<p>${html(real(i + 1000))}</p>`,
          link: `https://stackoverflow.com/q/${70_000_000 + i}`,
          owner: { user_id: 1000 + (i % 13), display_name: `dev${i % 13}` },
        }))
        return json({ items, has_more: page < PAGES, quota_max: 10_000, quota_remaining: 9_000 })
      },
    }
  },
  // /search/issues: the next page is the Link header's rel="next". https://docs.github.com/en/rest/search/search
  github: (now) => {
    const all = posts(now, PAGES * PER_PAGE)
    return {
      baseUrl: (base) => base,
      expectedNew: all.length,
      answer(url, base) {
        if (url.pathname !== '/search/issues') return refuse(`unexpected path ${url.pathname}`)
        if (!/created:>=\S+Z$/.test(url.searchParams.get('q') ?? '')) return refuse('q= lacks created:>=')
        const page = Number(url.searchParams.get('page') ?? '1')
        const items = slice(all, page).map(({ i, at }) => ({
          id: 2_000_000_000 + i,
          number: 100 + i,
          title: `Acme Air app crashes at check-in (${i})`,
          body: real(i + 2000),
          html_url: `https://github.com/acme-fans/tracker/issues/${100 + i}`,
          created_at: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          user: { login: `gh_user_${i % 11}`, id: 500 + (i % 11) },
        }))
        const next = new URL(url.pathname + url.search, base)
        next.searchParams.set('page', String(page + 1))
        return json({ total_count: all.length, incomplete_results: false, items }, page < PAGES ? { link: `<${next}>; rel="next"` } : {})
      },
    }
  },
  // Hashtag timeline without a token, walked forward with min_id and the Link header's rel="prev";
  // a real instance ends that walk with an empty page, so three pages carry data and the fourth is [].
  // https://docs.joinmastodon.org/methods/timelines/#tag
  mastodon: (now, { mastodonIdAt }) => {
    const all = posts(now, (PAGES - 1) * PER_PAGE).map((p) => ({ ...p, id: (BigInt(mastodonIdAt(p.at)) + BigInt(p.i)).toString() }))
    const ascending = [...all].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
    return {
      baseUrl: (base) => base,
      expectedNew: all.length,
      answer(url, base) {
        if (url.pathname !== '/api/v1/timelines/tag/AcmeAir') return refuse(`unexpected path ${url.pathname}`)
        const minId = url.searchParams.get('min_id')
        if (!minId) return refuse('min_id= missing')
        const page = ascending.filter((s) => BigInt(s.id) > BigInt(minId)).slice(0, PER_PAGE).reverse()
        const statuses = page.map(({ i, at, id }) => ({
          id,
          created_at: new Date(at).toISOString(),
          content: `<p>${html(real(i + 3000))} <a href="https://mastodon.example/tags/AcmeAir">#AcmeAir</a></p>`,
          spoiler_text: '',
          url: `https://mastodon.example/@traveller${i % 7}/${id}`,
          uri: `https://mastodon.example/users/traveller${i % 7}/statuses/${id}`,
          language: 'en',
          in_reply_to_id: null,
          reblog: null,
          account: { id: String(900 + (i % 7)), acct: `traveller${i % 7}`, username: `traveller${i % 7}` },
        }))
        const link = statuses.length
          ? { link: `<${base}/api/v1/timelines/tag/AcmeAir?max_id=${page.at(-1).id}>; rel="next", <${base}/api/v1/timelines/tag/AcmeAir?min_id=${page[0].id}>; rel="prev"` }
          : {}
        return json(statuses, link)
      },
    }
  },
  // v2 recent search: meta.next_token until the last page. https://docs.x.com/x-api/posts/search-recent-posts
  x: (now) => {
    const all = posts(now, PAGES * PER_PAGE)
    const snowflake = (at, i) => (((BigInt(at) - 1288834974657n) << 22n) + BigInt(i)).toString()
    return {
      baseUrl: (base) => base,
      expectedNew: all.length,
      answer(url, _base, headers) {
        if (url.pathname !== '/2/tweets/search/recent') return refuse(`unexpected path ${url.pathname}`)
        if (headers.authorization !== 'Bearer bench-dummy-token') return { status: 401, headers: { 'content-type': 'application/json' }, body: '{"title":"Unauthorized"}' }
        if (url.searchParams.get('expansions') !== 'author_id') return refuse('expansions=author_id missing')
        const token = url.searchParams.get('next_token')
        const page = token ? Number(token.replace('page', '')) : 1
        const data = slice(all, page).map(({ i, at }) => ({
          id: snowflake(at, i),
          text: real(i + 4000),
          created_at: new Date(at).toISOString(),
          author_id: String(7000 + (i % 19)),
          conversation_id: snowflake(at, i),
          lang: 'en',
        }))
        const users = [...new Set(data.map((t) => t.author_id))].map((id) => ({ id, username: `flyer${id}` }))
        const meta = { result_count: data.length, newest_id: data[0]?.id, oldest_id: data.at(-1)?.id, ...(page < PAGES ? { next_token: `page${page + 1}` } : {}) }
        return json({ data, includes: { users }, meta })
      },
    }
  },
}

/** One HTTP server per source on 127.0.0.1, each answering after LATENCY_MS. */
async function startServers(now, helpers) {
  const servers = []
  for (const [name, make] of Object.entries(emulators)) {
    const emu = make(now, helpers)
    const entry = { name, emu, requests: 0, server: null, baseUrl: '' }
    const server = createServer((req, res) => {
      const started = Date.now()
      const base = `http://${req.headers.host}`
      let answer
      try {
        answer = emu.answer(new URL(req.url, base), base, req.headers)
      } catch (e) {
        answer = { status: 500, headers: { 'content-type': 'text/plain' }, body: `bench emulator crashed: ${e.stack}` }
      }
      entry.requests++
      setTimeout(() => {
        res.writeHead(answer.status, answer.headers)
        res.end(answer.body)
      }, Math.max(0, LATENCY_MS - (Date.now() - started)))
    })
    await new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', resolve)
    })
    entry.server = server
    entry.baseUrl = emu.baseUrl(`http://127.0.0.1:${server.address().port}`)
    servers.push(entry)
  }
  const stop = () =>
    Promise.all(
      servers.map(
        ({ server }) =>
          new Promise((resolve) => {
            server.close(() => resolve())
            server.closeAllConnections()
          }),
      ),
    )
  const watchdog = setTimeout(() => {
    console.error(`fetch bench: still running after ${WATCHDOG_MS / 1000} s; closing the local servers`)
    void stop()
  }, WATCHDOG_MS)
  watchdog.unref()
  return {
    servers,
    stop: async () => {
      clearTimeout(watchdog)
      await stop()
    },
  }
}

export async function run() {
  const { runFetch } = await dist('commands/fetch.js')
  const { parseFetchFlags } = await dist('cli/commands/fetch.js')
  const { configSchema } = await dist('config/schema.js')
  const { mastodonIdAt } = await dist('sources/mastodon.js')
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  const { dir, cleanup } = tempDir('listen-bench-fetch-')
  REAL = loadRealPosts().map((p) => p.text)
  const now = Date.now()
  const { servers, stop } = await startServers(now, { mastodonIdAt })
  const names = servers.map((s) => s.name)
  const problems = []
  let dbNo = 0

  /** One `listen fetch` in-process on a fresh database; checks every source it ran walked its four pages. */
  async function fetchOnce(label, only, extra = {}) {
    const warnings = []
    const ctx = {
      config: {
        ...configSchema.parse({}),
        path: join(dir, 'listen.config.json'),
        database: join(dir, `run-${++dbNo}.db`),
        timezone: 'UTC',
        brands: [BRAND],
        sources: Object.fromEntries(servers.map((s) => [s.name, { enabled: true, baseUrl: s.baseUrl }])),
      },
      timezone: 'UTC',
      now: Date.now(),
      env: { X_BEARER_TOKEN: 'bench-dummy-token' },
      log: { warn: (m) => warnings.push(m), info() {}, debug() {} },
      root: ROOT,
    }
    const before = new Map(servers.map((s) => [s.name, s.requests]))
    const { ms, result } = await timeMsAsync(() => runFetch({ ...parseFetchFlags({ since: '2d', source: only, ...extra }), version }, ctx))
    for (const s of result.sources) {
      const server = servers.find((x) => x.name === s.source)
      const requests = server.requests - before.get(s.source)
      if (s.status !== 'ok') problems.push(`${label}: ${s.source} ${s.status}: ${s.error}`)
      if (s.pages !== PAGES || requests !== PAGES) problems.push(`${label}: ${s.source} walked ${s.pages} pages in ${requests} requests, expected ${PAGES}`)
      if (s.new !== server.emu.expectedNew) problems.push(`${label}: ${s.source} saved ${s.new} new mentions, expected ${server.emu.expectedNew}`)
    }
    if (result.sources.length !== (only ?? names).length) problems.push(`${label}: ran ${result.sources.length} sources`)
    for (const w of warnings) problems.push(`${label}: warning: ${w}`)
    return { ms, result }
  }

  try {
    await fetchOnce('warm-up', undefined) // module loading, JIT, first connections
    const single = {}
    for (const name of names) single[name] = (await fetchOnce(`${name} alone`, [name])).ms
    const together = await fetchOnce('all five', undefined)
    const wide = await fetchOnce(`all five, --concurrency ${names.length}`, undefined, { concurrency: names.length })
    const [slowestName, slowest] = Object.entries(single).sort((a, b) => b[1] - a[1])[0]
    const sequential = Object.values(single).reduce((a, b) => a + b, 0)
    const ratio = together.ms / slowest
    const wideRatio = wide.ms / slowest
    const total = together.result.totals.new

    console.log(`\nfetch: ${names.length} sources × ${PAGES} pages, ${LATENCY_MS} ms per response, local servers (${total} new mentions)`)
    figure('fetch', 'all five together (default --concurrency) / the slowest alone', problems.length ? NaN : ratio, { unit: '×', digits: 2, goal: { op: '<=', value: GOAL, text: `≤${GOAL}×` }, extra: { ms: together.ms, slowestMs: slowest } })
    line('', `${fmt(together.ms)}${problems.length ? '  INVALID (see below)' : ''}`)
    line(`all five together (--concurrency ${names.length})`, `${fmt(wide.ms)}  ${wideRatio.toFixed(2)}× the slowest`)
    line(`slowest single source (${slowestName})`, fmt(slowest))
    line('sequential (sum of the five single runs)', `${fmt(sequential)}  (${(sequential / together.ms).toFixed(1)}× the together run)`)
    line('single runs', names.map((n) => `${n} ${fmt(single[n])}`).join(', '))
    line(`floor: ${PAGES} pages × ${LATENCY_MS} ms`, fmt(PAGES * LATENCY_MS))
    if (problems.length) {
      console.log('  BENCH INVALID: the emulated walks did not go as expected:')
      for (const p of problems) console.log(`    - ${p}`)
    }
    return { ok: ratio <= GOAL && problems.length === 0, ratio, togetherMs: together.ms, slowestMs: slowest, sequentialMs: sequential, problems }
  } finally {
    await stop()
    cleanup()
  }
}

function fmt(ms) {
  return `${(ms / 1000).toFixed(2)} s`
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await run()
  if (!r.ok) process.exitCode = 1
}
