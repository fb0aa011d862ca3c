// Stand-ins for two platforms on 127.0.0.1 that answer like the real APIs (Algolia's Hacker News
// search, a Mastodon hashtag timeline) from a fixed set of posts, and fail on demand: each request
// asks `plan` which fault, if any, to play.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export type Fault =
  | 'ok'
  | '500'
  | 'reset-mid-body'
  | 'stall-headers'
  | 'stall-body'
  | 'malformed-json'
  | 'html'
  | 'missing-field'
  | '429-short'
  | '429-long'
  /** The right answer, 300 ms late. */
  | 'slow'
  /** The right answer when release() is called. */
  | 'held'

/** Which fault the n-th request (1-based) plays. */
export type Plan = (n: number, url: URL) => Fault

export interface FaultServer {
  url: string
  /** Requests answered so far. */
  requests(): number
  setPlan(plan: Plan): void
  /** Answers the requests held so far. */
  release(): void
  close(): Promise<void>
}

const json = { 'content-type': 'application/json; charset=utf-8' }

async function serve(answer: (url: URL) => { headers?: Record<string, string>; body: string }, onRequest?: () => void): Promise<FaultServer> {
  let plan: Plan = () => 'ok'
  let n = 0
  const held: Array<() => void> = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    n++
    onRequest?.()
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const fault = plan(n, url)
    const ok = () => answer(url)
    switch (fault) {
      case '500':
        return void res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream hiccup')
      case 'malformed-json':
        return void res.writeHead(200, json).end('{"hits": [')
      case 'html':
        return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body><h1>Wartungsarbeiten</h1></body></html>')
      case 'missing-field':
        return void res.writeHead(200, json).end('{"unexpected": true}')
      case '429-short':
        return void res.writeHead(429, { ...json, 'retry-after': '1' }).end('{"message":"slow down"}')
      case '429-long':
        return void res.writeHead(429, { ...json, 'retry-after': '3600' }).end('{"message":"come back in an hour"}')
      case 'stall-headers':
        return // never answers
      case 'reset-mid-body':
      case 'stall-body': {
        const { headers, body } = ok()
        res.writeHead(200, { ...json, ...headers, 'content-length': String(Buffer.byteLength(body)) })
        res.write(body.slice(0, Math.floor(body.length / 2)), () => {
          if (fault === 'reset-mid-body') setTimeout(() => req.socket.destroy(), 5)
        })
        return
      }
      case 'slow':
      case 'held':
      case 'ok': {
        const { headers, body } = ok()
        const send = () => !res.destroyed && res.writeHead(200, { ...json, ...headers }).end(body)
        if (fault === 'held') return void held.push(send)
        return void (fault === 'slow' ? setTimeout(send, 300) : send())
      }
    }
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => n,
    setPlan: (p) => void (plan = p),
    release: () => held.splice(0).forEach((send) => send()),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy()
        server.close(() => r())
      }),
  }
}

export interface HnStory {
  objectID: string
  created_at_i: number
  author: string
  title: string
  story_text: string
  _tags: string[]
}

/** `count` stories about the brand, one every `stepS` seconds back from an hour ago, newest first. */
export function hnStories(count: number, nowS: number, stepS = 1700): HnStory[] {
  return Array.from({ length: count }, (_, i) => ({
    objectID: String(700_000 + i),
    created_at_i: nowS - 3600 - i * stepS,
    author: `user${i % 23}`,
    title: `Nordwind Mobile ${i % 3 ? 'kein Netz in Kiel' : 'works fine here'} (${i})`,
    story_text: i % 4 ? 'Seit heute Morgen geht nichts mehr.' : '',
    _tags: ['story'],
  }))
}

/** Algolia's search_by_date: created_at_i>= filter, newest first, page / hitsPerPage / nbPages. */
export function hackerNewsServer(stories: () => readonly HnStory[], onRequest?: () => void): Promise<FaultServer> {
  return serve((url) => {
    const floor = Number(/created_at_i>=(\d+)/.exec(url.searchParams.get('numericFilters') ?? '')?.[1] ?? 0)
    const per = Number(url.searchParams.get('hitsPerPage') ?? 100)
    const page = Number(url.searchParams.get('page') ?? 0)
    const matching = url.searchParams.get('tags')?.includes('author_') ? [] : stories().filter((h) => h.created_at_i >= floor)
    return { body: JSON.stringify({ hits: matching.slice(page * per, page * per + per), page, nbPages: Math.ceil(matching.length / per), hitsPerPage: per }) }
  }, onRequest)
}

export interface MastodonStatus {
  id: string
  created_at: string
  content: string
  url: string
  uri: string
  language: string
  account: { id: string; acct: string; username: string }
}

/** `count` statuses with #NordwindMobile, one every `stepMs` back from an hour ago; ids are time-based as on Mastodon. */
export function mastodonStatuses(count: number, nowMs: number, stepMs = 1_900_000): MastodonStatus[] {
  return Array.from({ length: count }, (_, i) => {
    const at = nowMs - 3_600_000 - i * stepMs
    const id = ((BigInt(at) << 16n) + BigInt(i)).toString()
    return {
      id,
      created_at: new Date(at).toISOString(),
      content: `<p>#NordwindMobile ${i % 2 ? 'Störung im Netz seit heute früh' : 'danke für die schnelle Hilfe'} (${i})</p>`,
      url: `https://social.example/@kunde${i}/${id}`,
      uri: `https://social.example/users/kunde${i}/statuses/${id}`,
      language: 'de',
      account: { id: String(5000 + (i % 17)), acct: `kunde${i % 17}`, username: `kunde${i % 17}` },
    }
  })
}

/**
 * /api/v1/timelines/tag/:tag with min_id: the `limit` statuses right after min_id, newest first,
 * and a Link rel="prev" to the next newer page (https://docs.joinmastodon.org/api/guidelines/#pagination).
 */
export function mastodonServer(statuses: () => readonly MastodonStatus[], onRequest?: () => void): Promise<FaultServer> {
  let base = ''
  const server = serve((url) => {
    const minId = BigInt(url.searchParams.get('min_id') ?? '0')
    const limit = Number(url.searchParams.get('limit') ?? 20)
    const after = statuses().filter((s) => BigInt(s.id) > minId).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)).slice(0, limit)
    const page = [...after].reverse()
    const headers: Record<string, string> = page.length ? { link: `<${base}${url.pathname}?min_id=${page[0]!.id}&limit=${limit}>; rel="prev"` } : {}
    return { headers, body: JSON.stringify(page) }
  }, onRequest)
  return server.then((s) => {
    base = s.url
    return s
  })
}
