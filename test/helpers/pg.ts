// PostgreSQL for tests: the server named by LISTEN_TEST_PG (scripts/pg-test-cluster.sh start prints
// one; .ci/run exports it). Without it the pg tests are skipped locally and fail under CI. Every
// schema handed out is fresh and dropped afterwards, so test files can run in parallel.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe } from 'vitest'

export function pgTestUrl(): string | undefined {
  return process.env.LISTEN_TEST_PG || undefined
}

const HAVE_PG = pgTestUrl() !== undefined

/** describe() for tests that need the server: skipped without LISTEN_TEST_PG, except under CI, where it fails. */
export function describeWithPg(name: string, body: () => void): void {
  describe.skipIf(!HAVE_PG && !process.env.CI)(name, () => {
    beforeAll(() => {
      if (!HAVE_PG) {
        throw new Error('LISTEN_TEST_PG is not set: start a server with `scripts/pg-test-cluster.sh start` and export its URL (.ci/run does this)')
      }
    })
    body()
  })
}

/** The URL with search_path set to `schema` (through the startup `options`, so every pool opened from it uses the schema). */
export function urlWithSchema(url: string, schema: string): string {
  const u = new URL(url)
  u.searchParams.set('options', `-c search_path=${schema}`)
  return u.toString()
}

/**
 * Hands out fresh schemas (`CREATE SCHEMA t_<random>`) as URLs whose search_path is that schema;
 * all of them are dropped after the file's tests.
 */
export function usePgSchemas(): { fresh: () => Promise<{ url: string; schema: string }>; admin: () => pg.Pool } {
  let admin: pg.Pool | undefined
  const schemas: string[] = []
  const pool = () => (admin ??= new pg.Pool({ connectionString: pgTestUrl(), max: 2 }))
  afterAll(async () => {
    if (!admin) return
    for (const s of schemas.splice(0)) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`)
    await admin.end()
  })
  return {
    admin: pool,
    fresh: async () => {
      const schema = `t_${randomBytes(6).toString('hex')}`
      await pool().query(`CREATE SCHEMA ${schema}`)
      schemas.push(schema)
      return { url: urlWithSchema(pgTestUrl()!, schema), schema }
    },
  }
}

/** The role scripts/pg-test-cluster.sh makes give a password (scram-sha-256); every other role is trusted. */
export const PASSWORD_ROLE = 'listen_password_test'

/**
 * A fresh schema owned by PASSWORD_ROLE: `url` names the role without the password. Dropped by
 * `drop()`. One password for every test file: files run at once, and each setting it anew would
 * lock the others out.
 */
export async function passwordRoleSchema(admin: pg.Pool): Promise<{ url: string; password: string; drop: () => Promise<void> }> {
  const password = 'pw-listen-never-printed-4f1c'
  const schema = `t_${randomBytes(6).toString('hex')}`
  await admin.query(`DO $$ BEGIN CREATE ROLE ${PASSWORD_ROLE} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`)
  await admin.query(`ALTER ROLE ${PASSWORD_ROLE} PASSWORD '${password}'`)
  await admin.query(`CREATE SCHEMA ${schema} AUTHORIZATION ${PASSWORD_ROLE}`)
  const u = new URL(urlWithSchema(pgTestUrl()!, schema))
  u.username = PASSWORD_ROLE
  return { url: u.toString(), password, drop: async () => void (await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)) }
}
