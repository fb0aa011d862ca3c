// A TCP proxy on 127.0.0.1 in front of the test PostgreSQL server, for faults the shared cluster
// must not suffer: restart() drops every connection and refuses new ones for a while, as a server
// restart does, without touching the server other test files are using.
import { createServer, connect, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

export interface TcpProxy {
  /** The target URL with host and port replaced by the proxy's. */
  url(target: string): string
  /** Drops every connection, refuses new ones for `downMs`, then accepts again. */
  restart(downMs: number): Promise<void>
  /** Resolves once `n` more bytes have gone from the server to the clients: a fault in the middle of a long answer. */
  afterServerBytes(n: number): Promise<void>
  close(): Promise<void>
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl)
  const host = target.hostname || '127.0.0.1'
  const port = Number(target.port || 5432)
  const sockets = new Set<Socket>()
  const waiting: Array<{ left: number; done: () => void }> = []
  const handle = (client: Socket) => {
    const upstream = connect(port, host)
    upstream.on('data', (chunk: Buffer) => {
      for (const w of [...waiting]) {
        if ((w.left -= chunk.length) <= 0) {
          waiting.splice(waiting.indexOf(w), 1)
          w.done()
        }
      }
    })
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => {})
    }
    client.pipe(upstream)
    upstream.pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  }
  let server: Server = createServer(handle)
  const listen = (p: number) => new Promise<void>((resolve, reject) => server.once('error', reject).listen(p, '127.0.0.1', () => resolve()))
  await listen(0)
  const own = (server.address() as AddressInfo).port
  const stop = () => new Promise<void>((resolve) => {
    server.close(() => resolve())
    for (const s of sockets) s.destroy()
  })
  return {
    url: (t) => {
      const u = new URL(t)
      u.hostname = '127.0.0.1'
      u.port = String(own)
      return u.toString()
    },
    restart: async (downMs) => {
      await stop()
      await new Promise((r) => setTimeout(r, downMs))
      server = createServer(handle)
      await listen(own)
    },
    afterServerBytes: (n) => new Promise<void>((done) => waiting.push({ left: n, done })),
    close: stop,
  }
}
