// Fetch bookkeeping: cursors per (source, brand query), one fetch_runs row per source and run, and
// the lock that keeps two cron runs from fetching at once.
import { hostname } from 'node:os'
import type { MentionInput, UpsertCounts } from '../../models/mention.js'
import type { RunProgress, RunRecord, RunStatus } from '../../models/runs.js'
import type { Db } from './db.js'
import { MentionStore } from './mentions.js'

export class FetchStore {
  readonly mentions: MentionStore
  private readonly getCursor
  private readonly putCursor
  private readonly insertRun
  private readonly updateRun
  private readonly lastRuns
  private readonly lastOk
  private readonly cursorsOf
  private readonly lockGet
  private readonly lockPut
  private readonly lockDel
  private readonly interrupt

  constructor(readonly db: Db) {
    this.mentions = new MentionStore(db)
    this.getCursor = db.prepare('SELECT cursor FROM cursors WHERE source = ? AND query_key = ?').pluck()
    this.putCursor = db.prepare(`INSERT INTO cursors (source, query_key, cursor, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (source, query_key) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`)
    this.insertRun = db.prepare(`INSERT INTO fetch_runs (run_id, source, status, started_at) VALUES (?, ?, 'running', ?)`)
    this.updateRun = db.prepare(`UPDATE fetch_runs SET status = @status, finished_at = @finishedAt,
      covered_from = @coveredFrom, covered_until = @coveredUntil, new_count = @newCount, updated_count = @updatedCount,
      pages = @pages, requests = @requests, rate_limit_waits = @rateLimitWaits, rate_limit_wait_ms = @rateLimitWaitMs,
      next_allowed_at = @nextAllowedAt, error = @error WHERE id = @id`)
    this.lastRuns = db.prepare(`SELECT * FROM fetch_runs f WHERE id = (SELECT max(id) FROM fetch_runs WHERE source = f.source)`)
    this.lastOk = db.prepare(`SELECT max(covered_until) FROM fetch_runs WHERE source = ? AND status = 'ok'`).pluck()
    this.cursorsOf = db.prepare('SELECT query_key AS queryKey, cursor, updated_at AS updatedAt FROM cursors WHERE source = ?')
    this.lockGet = db.prepare('SELECT pid, host, acquired_at AS since FROM locks WHERE name = ?')
    this.lockPut = db.prepare('INSERT OR REPLACE INTO locks (name, pid, host, acquired_at) VALUES (?, ?, ?, ?)')
    this.lockDel = db.prepare('DELETE FROM locks WHERE name = ? AND pid = ? AND host = ?')
    this.interrupt = db.prepare(`UPDATE fetch_runs SET status = 'failed', finished_at = ?,
      error = 'interrupted: the process ended before the walk completed (pages saved so far were kept)'
      WHERE status = 'running' AND run_id <> ?`)
  }

  cursor(source: string, key: string): string | null {
    return (this.getCursor.get(source, key) as string | null | undefined) ?? null
  }

  cursors(source: string): Array<{ queryKey: string; cursor: string | null; updatedAt: number }> {
    return this.cursorsOf.all(source) as Array<{ queryKey: string; cursor: string | null; updatedAt: number }>
  }

  startRun(runId: string, source: string, startedAt: number): number {
    return Number(this.insertRun.run(runId, source, startedAt).lastInsertRowid)
  }

  saveRun(id: number, p: RunProgress): void {
    this.updateRun.run({
      id,
      status: p.status,
      finishedAt: p.finishedAt ?? null,
      coveredFrom: p.coveredFrom ?? null,
      coveredUntil: p.coveredUntil ?? null,
      newCount: p.newCount,
      updatedCount: p.updatedCount,
      pages: p.pages,
      requests: p.requests,
      rateLimitWaits: p.rateLimitWaits,
      rateLimitWaitMs: p.rateLimitWaitMs,
      nextAllowedAt: p.nextAllowedAt ?? null,
      error: p.error ?? null,
    })
  }

  /** One page in its own transaction. */
  savePage(mentions: readonly MentionInput[], fetchedAt: number): UpsertCounts {
    return this.mentions.upsertMentions(mentions, fetchedAt)
  }

  /**
   * The end of a walk: the last page, the new cursor and the run record commit together, so a crash
   * before this point leaves the old cursor and the next run re-walks the same range.
   */
  saveWalkEnd(
    mentions: readonly MentionInput[],
    fetchedAt: number,
    cursor: { source: string; key: string; value: string | null },
    run: { id: number; progress: (counts: UpsertCounts) => RunProgress },
  ): UpsertCounts {
    return this.db.transaction(() => {
      const counts = this.mentions.upsertMentions(mentions, fetchedAt)
      this.putCursor.run(cursor.source, cursor.key, cursor.value, fetchedAt)
      this.saveRun(run.id, run.progress(counts))
      return counts
    }).immediate()
  }

  /** The covered_until of the newest successful run of a source: where an incremental run starts. */
  lastCoveredUntil(source: string): number | null {
    return (this.lastOk.get(source) as number | null | undefined) ?? null
  }

  latestRuns(): RunRecord[] {
    return (this.lastRuns.all() as Record<string, unknown>[]).map(fromRunRow)
  }

  /**
   * Takes the named lock. A lock held by a process that no longer exists on this host is taken
   * over; otherwise returns the holder.
   */
  tryLock(name: string, pid: number, now: number, isAlive: (pid: number) => boolean): { ok: true } | { ok: false; pid: number; host: string; since: number } {
    const host = hostname()
    return this.db.transaction(() => {
      const row = this.lockGet.get(name) as
        | { pid: number; host: string; since: number }
        | undefined
      if (row && !(row.host === host && !isAlive(row.pid))) return { ok: false as const, ...row }
      this.lockPut.run(name, pid, host, now)
      return { ok: true as const }
    }).immediate()
  }

  /** Called by the lock holder: any other run still marked running died mid-walk. */
  markInterrupted(currentRunId: string, now: number): number {
    return this.interrupt.run(now, currentRunId).changes
  }

  unlock(name: string, pid: number): void {
    this.lockDel.run(name, pid, hostname())
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
