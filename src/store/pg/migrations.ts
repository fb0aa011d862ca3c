// PostgreSQL schema: the same tables and meaning as SQLite's (src/store/migrations.ts), append-only,
// tracked in schema_migrations. Never edit a released entry: add a new one.
//
// mentions is partitioned by month on created_at (epoch ms, as in SQLite and the interface). A
// partitioned table's unique keys must contain the partition key, so the primary key is
// (source, id, created_at), and mention_keys holds the one created_at of each (source, id): its
// primary key keeps (source, id) unique across partitions, and it is the index that finds a
// mention by (source, id) without probing every month (reply chains, labels, re-fetches whose
// created_at moved). src/store/pg/ingest.ts keeps the two in step.
import { ExitError } from '../../models/errors.js'
import { describePgError, type PgHandle, withTransaction } from './connect.js'

/** First key of every advisory lock listen takes ('list'); the second is per schema and purpose. */
export const LOCK_CLASS = 0x6c697374

/** SQL for the second advisory-lock key: one per schema, so test schemas do not wait on each other. */
export const lockKey = (purpose: string) => `hashtext(current_schema() || ':${purpose}')`

export const pgMigrations: readonly string[] = [
  // 1: mentions and the rollup of customer posts per UTC quarter hour, brand and label, kept exact
  //    by statement-level triggers: one aggregate upsert per statement from the transition tables,
  //    instead of one rollup write per row (bench/pg.js measures both).
  `
  CREATE TABLE mentions (
    source       text    NOT NULL,
    id           text    NOT NULL,
    brand        text,
    created_at   bigint  NOT NULL,            -- epoch ms, UTC
    author       text,
    author_id    text,
    text         text    NOT NULL,
    url          text,
    lang         text,
    in_reply_to  text,
    thread_id    text,
    by_brand     boolean NOT NULL DEFAULT false,
    label        text CHECK (label IN ('outage', 'complaint', 'question', 'praise', 'other')),
    label_source text CHECK (label_source IN ('model', 'human', 'import')),
    scores       text,                        -- JSON {label: probability}, as SQLite stores it
    fetched_at   bigint  NOT NULL,
    raw          text,                        -- the platform item or imported row, JSON
    PRIMARY KEY (source, id, created_at)
  ) PARTITION BY RANGE (created_at);
  -- Months are created on demand (mentions_pYYYYMM); instants outside the plausible range land here.
  CREATE TABLE mentions_default PARTITION OF mentions DEFAULT;
  CREATE INDEX mentions_created ON mentions (created_at);
  CREATE INDEX mentions_reply ON mentions (source, in_reply_to) WHERE in_reply_to IS NOT NULL;

  CREATE TABLE mention_keys (
    source     text   NOT NULL,
    id         text   NOT NULL,
    created_at bigint NOT NULL,               -- the partition the mention lives in
    PRIMARY KEY (source, id)
  );

  CREATE TABLE mention_buckets (
    bucket bigint NOT NULL,                   -- created_at / 900000: UTC quarter hour
    brand  text   NOT NULL,                   -- '' when none
    label  text   NOT NULL,                   -- '' when untagged
    n      bigint NOT NULL,
    PRIMARY KEY (bucket, brand, label)
  );

  -- Sorted upserts: concurrent writers lock bucket rows in the same order and cannot deadlock there.
  CREATE FUNCTION mention_buckets_apply() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO mention_buckets (bucket, brand, label, n)
      SELECT created_at / 900000, coalesce(brand, ''), coalesce(label, ''), count(*)
      FROM new_rows WHERE NOT by_brand GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (bucket, brand, label) DO UPDATE SET n = mention_buckets.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
      UPDATE mention_buckets b SET n = b.n - d.n
      FROM (SELECT created_at / 900000 AS bucket, coalesce(brand, '') AS brand, coalesce(label, '') AS label, count(*) AS n
            FROM old_rows WHERE NOT by_brand GROUP BY 1, 2, 3) d
      WHERE b.bucket = d.bucket AND b.brand = d.brand AND b.label = d.label;
    ELSE
      INSERT INTO mention_buckets (bucket, brand, label, n)
      SELECT bucket, brand, label, sum(n) FROM (
        SELECT created_at / 900000 AS bucket, coalesce(brand, '') AS brand, coalesce(label, '') AS label, 1 AS n FROM new_rows WHERE NOT by_brand
        UNION ALL
        SELECT created_at / 900000, coalesce(brand, ''), coalesce(label, ''), -1 FROM old_rows WHERE NOT by_brand
      ) d GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
      ON CONFLICT (bucket, brand, label) DO UPDATE SET n = mention_buckets.n + excluded.n;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER mentions_buckets_insert AFTER INSERT ON mentions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mention_buckets_apply();
  CREATE TRIGGER mentions_buckets_update AFTER UPDATE ON mentions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mention_buckets_apply();
  CREATE TRIGGER mentions_buckets_delete AFTER DELETE ON mentions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mention_buckets_apply();
  `,
  // 2: fetch bookkeeping, as in SQLite: cursors, one fetch_runs row per source and run, locks.
  `
  CREATE TABLE cursors (
    source     text   NOT NULL,
    query_key  text   NOT NULL,
    cursor     text,
    updated_at bigint NOT NULL,
    PRIMARY KEY (source, query_key)
  );
  CREATE TABLE fetch_runs (
    id                 bigint  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    run_id             text    NOT NULL,
    source             text    NOT NULL,
    status             text    NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'deferred')),
    started_at         bigint  NOT NULL,
    finished_at        bigint,
    covered_from       bigint,
    covered_until      bigint,
    new_count          integer NOT NULL DEFAULT 0,
    updated_count      integer NOT NULL DEFAULT 0,
    pages              integer NOT NULL DEFAULT 0,
    requests           integer NOT NULL DEFAULT 0,
    rate_limit_waits   integer NOT NULL DEFAULT 0,
    rate_limit_wait_ms bigint  NOT NULL DEFAULT 0,
    next_allowed_at    bigint,
    error              text
  );
  CREATE INDEX fetch_runs_source_started ON fetch_runs (source, started_at);
  CREATE INDEX fetch_runs_covered ON fetch_runs (covered_until, covered_from);
  CREATE TABLE locks (
    name        text    PRIMARY KEY,
    pid         integer NOT NULL,
    host        text    NOT NULL,
    acquired_at bigint  NOT NULL
  );
  `,
  // 3: the tagger's models and human corrections.
  `
  CREATE TABLE models (
    version     integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    created_at  bigint  NOT NULL,
    action      text    NOT NULL CHECK (action IN ('train', 'reset')),
    based_on    integer,
    description text,
    examples    integer NOT NULL DEFAULT 0,
    model       text
  );
  CREATE TABLE labels (
    id          bigint  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    source      text    NOT NULL,
    mention_id  text    NOT NULL,
    old_label   text,
    old_source  text,
    new_label   text    NOT NULL CHECK (new_label IN ('outage', 'complaint', 'question', 'praise', 'other')),
    labelled_by text,
    labelled_at bigint  NOT NULL
  );
  CREATE INDEX labels_mention ON labels (source, mention_id);
  CREATE INDEX mentions_human ON mentions (source, id) WHERE label_source = 'human';
  `,
  // 4: alerts fired by listen alerts.
  `
  CREATE TABLE alerts (
    id           bigint  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    brand        text    NOT NULL,
    kind         text    NOT NULL CHECK (kind IN ('outage', 'complaint')),
    fired_at     bigint  NOT NULL,
    window_from  bigint  NOT NULL,
    count        integer NOT NULL,
    expected     double precision NOT NULL,
    p            double precision,
    method       text    NOT NULL,
    message      text    NOT NULL,
    delivery     text    NOT NULL CHECK (delivery IN ('none', 'delivered', 'failed')),
    attempts     integer NOT NULL DEFAULT 0,
    delivered_at bigint,
    error        text
  );
  CREATE INDEX alerts_cooldown ON alerts (brand, kind, fired_at);
  CREATE INDEX alerts_undelivered ON alerts (fired_at) WHERE delivery = 'failed';
  `,
  // 5 (pgstore): a number per mention for keyset paging (listen classify), as SQLite's rowid: on
  //    mention_keys, as a partitioned table cannot have an identity column spanning months; and
  //    the resume points of listen db migrate-to.
  `
  ALTER TABLE mention_keys ADD COLUMN rid bigint GENERATED BY DEFAULT AS IDENTITY;
  CREATE UNIQUE INDEX mention_keys_rid ON mention_keys (rid);
  -- listen db migrate-to: how far each table of an SQLite file was copied (keyset by its rowid), to resume.
  CREATE TABLE copy_progress (
    origin     text   NOT NULL,               -- the SQLite file's absolute path
    tbl        text   NOT NULL,
    last_rowid bigint NOT NULL,
    copied     bigint NOT NULL,
    updated_at bigint NOT NULL,
    PRIMARY KEY (origin, tbl)
  );
  `,
  // 6: care desk (issue 16): help-centre articles (`listen help-articles import`, the cached copy of a
  //    file, sitemap or feed) and the recheck state per mention (`listen recheck`): when it was last
  //    looked up, when next, and whether it vanished or was edited. The mention row itself is never
  //    deleted or overwritten by a recheck: an edit's text goes to last_text.
  `
  CREATE TABLE help_articles (
    id          text    PRIMARY KEY,            -- the export's id, else the url
    url         text    NOT NULL,
    title       text    NOT NULL,
    body        text    NOT NULL,
    lang        text,
    origin      text    NOT NULL,               -- file path or URL it was imported from
    imported_at bigint  NOT NULL
  );
  CREATE TABLE mention_checks (
    source          text    NOT NULL,
    mention_id      text    NOT NULL,
    checks          integer NOT NULL DEFAULT 0,
    checked_at      bigint  NOT NULL,
    next_check_at   bigint,                      -- NULL: not checked again (vanished, or too old)
    status          text    NOT NULL CHECK (status IN ('live', 'edited', 'vanished', 'unknown')),
    vanished_at     bigint,                      -- first check that found it gone (deleted or hidden)
    vanished_reason text,                       -- 'deleted', 'removed', 'hidden', 'not found'
    edited_at       bigint,                      -- first check that saw another text
    last_text       text,                       -- the newest text seen, when it differs from mentions.text
    PRIMARY KEY (source, mention_id)
  );
  CREATE INDEX mention_checks_due ON mention_checks (next_check_at) WHERE next_check_at IS NOT NULL;
  CREATE INDEX mention_checks_vanished ON mention_checks (vanished_at) WHERE vanished_at IS NOT NULL;
  `,
  // 7: personal data found at ingest, as in SQLite: kinds only ('' = none, NULL = not checked).
  `
  ALTER TABLE mentions ADD COLUMN pii text;
  CREATE INDEX mentions_pii ON mentions (created_at) WHERE pii <> '';
  `,
  // topics (caretopics): as SQLite's: mentions.topic and topic_source, alerts of kind 'topic-storm' with their topic.
  `
  ALTER TABLE mentions ADD COLUMN topic text;
  ALTER TABLE mentions ADD COLUMN topic_source text CHECK (topic_source IN ('keyword', 'model', 'human', 'import'));
  CREATE INDEX mentions_human_topic ON mentions (source, id) WHERE topic_source = 'human';
  ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check;
  ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check CHECK (kind IN ('outage', 'complaint', 'topic-storm'));
  ALTER TABLE alerts ADD COLUMN topic text;
  `,
]

export interface MigrateResult {
  /** Versions this call applied (empty when another process got there first or nothing was due). */
  applied: number[]
  version: number
}

/**
 * Applies the pending migrations, each in its own transaction under an advisory lock on the
 * schema, re-reading the version under the lock: two processes migrating at once apply each
 * migration exactly once, and the second one waits and then finds nothing to do.
 */
export async function migratePg(h: PgHandle, migrations: readonly string[] = pgMigrations): Promise<MigrateResult> {
  const applied: number[] = []
  // Up to date: no write at all, so read commands work on a standby or a read-only user.
  const current = await h.pool
    .query<{ v: number }>('SELECT coalesce(max(version), 0) AS v FROM schema_migrations')
    .then((r) => r.rows[0]!.v, () => null)
  if (current === migrations.length) return { applied, version: current }
  for (;;) {
    let applying = 0
    try {
      const version = await withTransaction(h, async (client) => {
        await client.query(`SELECT pg_advisory_xact_lock(${LOCK_CLASS}, ${lockKey('migrate')})`)
        // Index builds on a big table may outlast the pool's statement_timeout.
        await client.query('SET LOCAL statement_timeout = 0')
        await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
          version    integer     PRIMARY KEY,
          applied_at timestamptz NOT NULL DEFAULT now()
        )`)
        const current = (await client.query<{ v: number }>('SELECT coalesce(max(version), 0) AS v FROM schema_migrations')).rows[0]!.v
        if (current > migrations.length) {
          throw new ExitError(`PostgreSQL at ${h.url} has schema version ${current}, newer than this listen (${migrations.length}); upgrade listen`)
        }
        if (current === migrations.length) return current
        applying = current + 1
        await client.query(migrations[current]!)
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [applying])
        return null
      })
      if (version !== null) return { applied, version }
      applied.push(applying)
    } catch (e) {
      if (e instanceof ExitError && !applying) throw e
      const what = applying ? `migration ${applying} of ${migrations.length} failed (nothing of it was kept)` : 'cannot migrate the schema'
      throw new ExitError(`${what}: ${describePgError(e, h.url)}`, 1, { cause: e })
    }
  }
}
