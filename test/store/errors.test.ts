// Storage failures are named: the database and the cause, as a StoreError (exit 1), never as a bad input.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { StoreError } from '../../src/models/errors.js'
import { storeErrorOf } from '../../src/store/sqlite/errors.js'
import { openSqliteStore } from '../../src/store/sqlite/index.js'
import { storeMention } from '../helpers/mentions.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()

describe('SqliteStore storage failures', () => {
  it('a full database (max_page_count reached) rejects with "disk full", naming the file; the batch is not half saved', async () => {
    const path = join(tmp(), 'full.db')
    const store = openSqliteStore(path, { create: true })
    await store.mentions.upsertMentions([storeMention('first')])
    const pages = store.db.pragma('page_count', { simple: true }) as number
    store.db.pragma(`max_page_count = ${pages + 2}`)
    const big = Array.from({ length: 2000 }, (_, i) => storeMention(String(i), { text: `a long enough post body number ${i} `.repeat(5) }))
    const err = await store.mentions.upsertMentions(big).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StoreError)
    expect(err).toMatchObject({ fault: 'disk-full', exitCode: 1, location: path })
    expect((err as Error).message).toBe(`database ${path}: disk full (database or disk is full, SQLITE_FULL)`)
    expect(await store.mentions.count()).toBe(1)
    await store.close()
  })

  it('a read-only connection (query_only) rejects with "read-only"', async () => {
    const path = join(tmp(), 'ro.db')
    const store = openSqliteStore(path, { create: true })
    store.db.pragma('query_only = 1')
    const err = await store.mentions.upsertMentions([storeMention('1')]).catch((e: unknown) => e)
    expect(err).toMatchObject({ fault: 'read-only', exitCode: 1 })
    expect((err as Error).message).toMatch(new RegExp(`^database ${path}: read-only \\(attempt to write a readonly database, SQLITE_READONLY\\)$`))
    await store.close()
  })

  it.each([
    ['SQLITE_FULL', 'disk-full', 'disk full'],
    ['ENOSPC', 'disk-full', 'disk full'],
    ['SQLITE_READONLY_DBMOVED', 'read-only', 'read-only'],
    ['EROFS', 'read-only', 'read-only'],
    ['EACCES', 'read-only', 'read-only for this user (permission denied)'],
    ['SQLITE_BUSY', 'locked', 'locked by another process'],
    ['SQLITE_IOERR_WRITE', 'io', 'disk I/O error (is the disk full?)'],
    ['SQLITE_CANTOPEN', 'cannot-open', 'cannot be opened'],
  ])('%s → %s', (code, fault, words) => {
    const e = storeErrorOf(Object.assign(new Error('boom'), { code }), '/x/listen.db')
    expect(e).toMatchObject({ fault, message: `database /x/listen.db: ${words} (boom, ${code})` })
  })

  it('leaves other errors alone', () => {
    const e = new TypeError('not a store problem')
    expect(storeErrorOf(e, '/x')).toBe(e)
    const constraint = Object.assign(new Error('UNIQUE'), { code: 'SQLITE_CONSTRAINT_UNIQUE' })
    expect(storeErrorOf(constraint, '/x')).toBe(constraint)
  })
})
