// Both stores behind one interface, for tests that must hold on either: describe.each(BACKENDS).
// SQLite on a fresh file; PostgreSQL on a fresh schema of LISTEN_TEST_PG (skipped without it,
// failing under CI=true, as describeWithPg).
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe } from 'vitest'
import { openStore } from '../../src/store/open.js'
import type { Store } from '../../src/store/types.js'
import { pgTestUrl, usePgSchemas } from './pg.js'
import { useTempDir } from './tmp.js'

export type Backend = 'sqlite' | 'postgres'
export const BACKENDS: Backend[] = ['sqlite', 'postgres']

/**
 * describe() once per backend; `fresh()` inside opens a new, empty store of that backend (closed
 * after the test), `location()` a new location to open yourself.
 */
export function describeBackends(name: string, body: (b: { backend: Backend; fresh: () => Promise<Store>; location: () => Promise<string> }) => void): void {
  for (const backend of BACKENDS) {
    const skip = backend === 'postgres' && !pgTestUrl() && !process.env.CI
    describe.skipIf(skip)(`${name} [${backend}]`, () => {
      const tmp = useTempDir()
      const pgs = backend === 'postgres' ? usePgSchemas() : null
      const open: Store[] = []
      beforeAll(() => {
        if (backend === 'postgres' && !pgTestUrl()) throw new Error('LISTEN_TEST_PG is not set: start a server with `scripts/pg-test-cluster.sh start` and export its URL')
      })
      afterEach(async () => {
        for (const s of open.splice(0)) await s.close().catch(() => {})
      })
      afterAll(async () => {
        for (const s of open.splice(0)) await s.close().catch(() => {})
      })
      const location = async () => (pgs ? (await pgs.fresh()).url : join(tmp(), 'listen.db'))
      body({
        backend,
        location,
        fresh: async () => {
          const s = await openStore(await location(), { create: true })
          open.push(s)
          return s
        },
      })
    })
  }
}
