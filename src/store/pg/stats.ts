// Planner statistics of the mentions table. A table just filled has none until autovacuum comes
// by (about a minute for a new month partition; never for the partitioned parent:
// https://www.postgresql.org/docs/15/routine-vacuuming.html#VACUUM-FOR-STATISTICS), and the
// audit's reply walk planned without them had not returned its first page after 240 s on 533,000
// fresh mentions, against 3.3 s once analyzed.
import { type PgHandle, withClient } from './connect.js'

/** Rows inserted before the parent's statistics are refreshed at close: this many, or this share of the table. */
const MIN_ROWS = 10_000
const SHARE = 0.1

/**
 * Whether the parent's statistics are missing or behind: this session inserted `inserted` rows,
 * or the partitions (which autovacuum keeps current) hold more rows than the parent knows of.
 */
export function statsStale(parentRows: number, partitionRows: number, inserted: number): boolean {
  const known = Math.max(parentRows, 0)
  if (inserted >= MIN_ROWS && inserted >= SHARE * known) return true
  return partitionRows >= MIN_ROWS && partitionRows > (1 + SHARE) * known
}

/** Runs ANALYZE on the parent when statsStale says so; true when it ran. */
export async function refreshPlannerStats(h: PgHandle, inserted: number): Promise<boolean> {
  return withClient(h, async (client) => {
    const { parent, partitions } = (
      await client.query<{ parent: number; partitions: number }>(`SELECT p.reltuples::float8 AS parent,
        (SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::float8 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = p.oid) AS partitions
        FROM pg_class p WHERE p.oid = 'mentions'::regclass`)
    ).rows[0]!
    if (!statsStale(parent, partitions, inserted)) return false
    await client.query('ANALYZE mentions')
    return true
  })
}
