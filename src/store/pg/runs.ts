// Fetch bookkeeping on PostgreSQL: cursors, fetch_runs, and the fetch lock as an advisory lock.
// Session-level advisory locks live as long as their connection, so each held lock keeps one
// connection of its own (outside the pool): a worker that dies, or whose machine does, releases it
// when the server sees the connection go. The locks table only says who holds it, for messages.
import { hostname } from 'node:os'
import pg from 'pg'
import type { MentionInput, UpsertCounts } from '../../models/mention.js'
import type { RunProgress, RunRecord, RunStatus } from '../../models/runs.js'
import type { FetchRepo, LockResult } from '../types.js'
import { isTransient, pgError, type PgHandle, reconnecting } from './connect.js'
import type { PgMentionWriter } from './ingest.js'
import { LOCK_CLASS } from './migrations.js'
import { run } from './sql.js'

const PUT_CURSOR = `INSERT INTO cursors (source, query_key, cursor, updated_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (source, query_key) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`
const UPDATE_RUN = `UPDATE fetch_runs SET status = $2, finished_at = $3, covered_from = $4, covered_until = $5, new_count = $6,
  updated_count = $7, pages = $8, requests = $9, rate_limit_waits = $10, rate_limit_wait_ms = $11, next_allowed_at = $12, error = $13
  WHERE id = $1`
const runParams = (id: number, p: RunProgress) => [
  id, p.status, p.finishedAt ?? null, p.coveredFrom ?? null, p.coveredUntil ?? null, p.newCount, p.updatedCount, p.pages,
  p.requests, p.rateLimitWaits, p.rateLimitWaitMs, p.nextAllowedAt ?? null, p.error ?? null,
]

export class PgFetchRuns implements FetchRepo {
  private readonly held = new Map<string, pg.Client>()
  private readonly lost = new WeakSet<pg.Client>()

  constructor(
    readonly handle: PgHandle,
    private readonly writer: PgMentionWriter,
    /** Opens the connection a held lock lives on (the store's URL and password). */
    private readonly connect: () => Promise<pg.Client>,
  ) {}

  async cursor(source: string, key: string): Promise<string | null> {
    return (await run<{ cursor: string | null }>(this.handle, 'SELECT cursor FROM cursors WHERE source = $1 AND query_key = $2', [source, key])).rows[0]?.cursor ?? null
  }

  async cursors(source: string): Promise<Array<{ queryKey: string; cursor: string | null; updatedAt: number }>> {
    return (await run<{ queryKey: string; cursor: string | null; updatedAt: number }>(this.handle,
      'SELECT query_key AS "queryKey", cursor, updated_at AS "updatedAt" FROM cursors WHERE source = $1 ORDER BY query_key COLLATE "C"', [source])).rows
  }

  async startRun(runId: string, source: string, startedAt: number): Promise<number> {
    // Idempotent (a run has one row per source), so it may be sent again after a lost connection.
    return (await run<{ id: number }>(this.handle, `WITH found AS (SELECT id FROM fetch_runs WHERE run_id = $1 AND source = $2),
        made AS (INSERT INTO fetch_runs (run_id, source, status, started_at) SELECT $1, $2, 'running', $3 WHERE NOT EXISTS (SELECT 1 FROM found) RETURNING id)
      SELECT id FROM made UNION ALL SELECT id FROM found`, [runId, source, startedAt], { idempotent: true })).rows[0]!.id
  }

  async saveRun(id: number, progress: RunProgress): Promise<void> {
    await run(this.handle, UPDATE_RUN, runParams(id, progress), { idempotent: true })
  }

  savePage(mentions: readonly MentionInput[], fetchedAt: number): Promise<UpsertCounts> {
    return this.writer.upsertMentions(mentions, fetchedAt)
  }

  /** The last page, the cursor and the run record in the page's transaction (a crash before COMMIT keeps the old cursor). */
  saveWalkEnd(
    mentions: readonly MentionInput[],
    fetchedAt: number,
    cursor: { source: string; key: string; value: string | null },
    runInfo: { id: number; progress: (counts: UpsertCounts) => RunProgress },
  ): Promise<UpsertCounts> {
    return this.writer.upsertMentions(mentions, fetchedAt, {
      withinTransaction: async (client, counts) => {
        await client.query(PUT_CURSOR, [cursor.source, cursor.key, cursor.value, fetchedAt])
        await client.query(UPDATE_RUN, runParams(runInfo.id, runInfo.progress(counts)))
      },
    })
  }

  async lastCoveredUntil(source: string): Promise<number | null> {
    return (await run<{ t: number | null }>(this.handle, `SELECT max(covered_until) AS t FROM fetch_runs WHERE source = $1 AND status = 'ok'`, [source])).rows[0]!.t
  }

  async latestRuns(): Promise<RunRecord[]> {
    const r = await run(this.handle, `SELECT * FROM fetch_runs f WHERE id = (SELECT max(id) FROM fetch_runs WHERE source = f.source) ORDER BY id`)
    return r.rows.map(fromRunRow)
  }

  /**
   * pg_try_advisory_lock on a connection of the lock's own. `isAlive` is not needed: a dead
   * holder's session is gone, and with it the lock.
   */
  async tryLock(name: string, pid: number, now: number): Promise<LockResult> {
    if (this.held.has(name)) return { ok: true }
    // A failed attempt ends its connection, and with it any lock it took: safe to try again.
    return reconnecting(this.handle, () => this.tryLockOnce(name, pid, now)).catch((e: unknown) => {
      throw pgError(e, this.handle.url)
    })
  }

  private async tryLockOnce(name: string, pid: number, now: number): Promise<LockResult> {
    const client = await this.connect()
    try {
      const got = (await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${LOCK_CLASS}, hashtext(current_schema() || ':fetch:' || $1)) AS ok`, [name])).rows[0]!.ok
      if (!got) {
        const who = (await client.query<{ pid: number; host: string; since: number }>('SELECT pid, host, acquired_at AS since FROM locks WHERE name = $1', [name])).rows[0]
        await client.end().catch(() => {})
        return { ok: false, pid: who?.pid ?? 0, host: who?.host ?? 'another machine', since: who ? Number(who.since) : now }
      }
      await client.query(`INSERT INTO locks (name, pid, host, acquired_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (name) DO UPDATE SET pid = excluded.pid, host = excluded.host, acquired_at = excluded.acquired_at`, [name, pid, hostname(), now])
      // A lost lock connection (server restart) lost the lock with it; unlock() then has nothing to do.
      client.on('error', () => this.lost.add(client))
      this.held.set(name, client)
      return { ok: true }
    } catch (e) {
      await client.end().catch(() => {})
      throw e
    }
  }

  /**
   * Runs marked running whose worker is gone. On a shared server other workers' runs are live, so
   * only when no other session holds a fetch lock of this schema are they taken as interrupted.
   */
  async markInterrupted(currentRunId: string, now: number): Promise<number> {
    const r = await run(this.handle, `UPDATE fetch_runs SET status = 'failed', finished_at = $1,
        error = 'interrupted: the process ended before the walk completed (pages saved so far were kept)'
      WHERE status = 'running' AND run_id <> $2
        AND NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.classid = ${LOCK_CLASS}
          AND l.granted AND l.pid <> pg_backend_pid() AND l.pid NOT IN (${this.heldPids()}))`, [now, currentRunId], { idempotent: true })
    return r.rowCount ?? 0
  }

  private heldPids(): string {
    const pids = [...this.held.values()].map((c) => (c as unknown as { processID?: number }).processID).filter((p): p is number => typeof p === 'number')
    return pids.length ? pids.join(', ') : '-1'
  }

  async unlock(name: string, pid: number): Promise<void> {
    const client = this.held.get(name)
    if (!client) return
    this.held.delete(name)
    try {
      if (this.lost.has(client)) return
      await client.query('DELETE FROM locks WHERE name = $1 AND pid = $2 AND host = $3', [name, pid, hostname()])
      await client.query(`SELECT pg_advisory_unlock(${LOCK_CLASS}, hashtext(current_schema() || ':fetch:' || $1))`, [name])
    } catch (e) {
      // The session is gone and took the lock with it; the stale locks row only names a holder and is replaced on the next lock.
      if (!isTransient(e)) throw pgError(e, this.handle.url)
    } finally {
      await client.end().catch(() => {})
    }
  }

  /** Ends every held lock's connection (the store closes). */
  async releaseAll(): Promise<void> {
    for (const c of this.held.values()) await c.end().catch(() => {})
    this.held.clear()
  }
}

function fromRunRow(r: Record<string, unknown>): RunRecord {
  return {
    id: r.id as number,
    runId: r.run_id as string,
    source: r.source as string,
    status: r.status as RunStatus,
    startedAt: r.started_at as number,
    finishedAt: (r.finished_at as number | null) ?? null,
    coveredFrom: (r.covered_from as number | null) ?? null,
    coveredUntil: (r.covered_until as number | null) ?? null,
    newCount: r.new_count as number,
    updatedCount: r.updated_count as number,
    pages: r.pages as number,
    requests: r.requests as number,
    rateLimitWaits: r.rate_limit_waits as number,
    rateLimitWaitMs: r.rate_limit_wait_ms as number,
    nextAllowedAt: (r.next_allowed_at as number | null) ?? null,
    error: (r.error as string | null) ?? null,
  }
}
