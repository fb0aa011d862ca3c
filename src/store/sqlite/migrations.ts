// Append-only. user_version = number of migrations applied; each runs in its own transaction.
// Never edit a released entry: add a new one.

export const migrations: readonly string[] = [
  // 1: mentions, plus a rollup of customer posts per UTC quarter hour, brand and label kept exact by
  //    triggers: a by-hour report over 90 days reads ~10^5 rollup rows instead of every mention.
  `
  CREATE TABLE mentions (
    source       TEXT    NOT NULL,
    id           TEXT    NOT NULL,
    brand        TEXT,
    created_at   INTEGER NOT NULL,            -- epoch ms, UTC
    author       TEXT,
    author_id    TEXT,
    text         TEXT    NOT NULL,
    url          TEXT,
    lang         TEXT,
    in_reply_to  TEXT,
    thread_id    TEXT,
    by_brand     INTEGER NOT NULL DEFAULT 0 CHECK (by_brand IN (0, 1)),
    label        TEXT CHECK (label IN ('outage', 'complaint', 'question', 'praise', 'other')),
    label_source TEXT CHECK (label_source IN ('model', 'human', 'import')),
    scores       TEXT,                        -- JSON {label: probability}
    fetched_at   INTEGER NOT NULL,
    raw          TEXT,                        -- the platform item or imported row, JSON
    PRIMARY KEY (source, id)
  );
  -- Windows (mentions, audits, edge quarter hours of reports) and reply chains (audits).
  CREATE INDEX mentions_created ON mentions (created_at);
  CREATE INDEX mentions_reply ON mentions (source, in_reply_to) WHERE in_reply_to IS NOT NULL;

  CREATE TABLE mention_buckets (
    bucket INTEGER NOT NULL,                  -- created_at / 900000: UTC quarter hour
    brand  TEXT    NOT NULL,                  -- '' when none
    label  TEXT    NOT NULL,                  -- '' when untagged
    n      INTEGER NOT NULL,
    PRIMARY KEY (bucket, brand, label)
  ) WITHOUT ROWID;

  CREATE TRIGGER mentions_bucket_insert AFTER INSERT ON mentions WHEN new.by_brand = 0 BEGIN
    INSERT INTO mention_buckets (bucket, brand, label, n)
    VALUES (new.created_at / 900000, coalesce(new.brand, ''), coalesce(new.label, ''), 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER mentions_bucket_delete AFTER DELETE ON mentions WHEN old.by_brand = 0 BEGIN
    UPDATE mention_buckets SET n = n - 1
    WHERE bucket = old.created_at / 900000 AND brand = coalesce(old.brand, '') AND label = coalesce(old.label, '');
  END;
  CREATE TRIGGER mentions_bucket_update_old AFTER UPDATE OF created_at, brand, label, by_brand ON mentions
  WHEN old.by_brand = 0 AND (old.created_at / 900000 IS NOT new.created_at / 900000 OR old.brand IS NOT new.brand
    OR old.label IS NOT new.label OR new.by_brand = 1)
  BEGIN
    UPDATE mention_buckets SET n = n - 1
    WHERE bucket = old.created_at / 900000 AND brand = coalesce(old.brand, '') AND label = coalesce(old.label, '');
  END;
  CREATE TRIGGER mentions_bucket_update_new AFTER UPDATE OF created_at, brand, label, by_brand ON mentions
  WHEN new.by_brand = 0 AND (old.created_at / 900000 IS NOT new.created_at / 900000 OR old.brand IS NOT new.brand
    OR old.label IS NOT new.label OR old.by_brand = 1)
  BEGIN
    INSERT INTO mention_buckets (bucket, brand, label, n)
    VALUES (new.created_at / 900000, coalesce(new.brand, ''), coalesce(new.label, ''), 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
  END;
  `,
  // 2: fetch bookkeeping. A cursor per (source, brand query); a run row per source and run, whose
  //    covered span [covered_from, covered_until) feeds every report's completeness figure.
  `
  CREATE TABLE cursors (
    source     TEXT    NOT NULL,
    query_key  TEXT    NOT NULL,                -- brand name + query
    cursor     TEXT,                            -- opaque high-water mark of the last completed walk
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (source, query_key)
  );
  CREATE TABLE fetch_runs (
    id                 INTEGER PRIMARY KEY,
    run_id             TEXT    NOT NULL,        -- one listen fetch invocation
    source             TEXT    NOT NULL,
    status             TEXT    NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'deferred')),
    started_at         INTEGER NOT NULL,
    finished_at        INTEGER,
    covered_from       INTEGER,                 -- instants this run looked at, oldest …
    covered_until      INTEGER,                 -- … to newest (the run's start)
    new_count          INTEGER NOT NULL DEFAULT 0,
    updated_count      INTEGER NOT NULL DEFAULT 0,
    pages              INTEGER NOT NULL DEFAULT 0,
    requests           INTEGER NOT NULL DEFAULT 0,
    rate_limit_waits   INTEGER NOT NULL DEFAULT 0,
    rate_limit_wait_ms INTEGER NOT NULL DEFAULT 0,
    next_allowed_at    INTEGER,                 -- deferred: the earliest next attempt
    error              TEXT
  );
  CREATE INDEX fetch_runs_source_started ON fetch_runs (source, started_at);
  CREATE INDEX fetch_runs_covered ON fetch_runs (covered_until, covered_from);
  CREATE TABLE locks (
    name        TEXT    PRIMARY KEY,
    pid         INTEGER NOT NULL,
    host        TEXT    NOT NULL,
    acquired_at INTEGER NOT NULL
  );
  `,
  // 3: the tagger's models and human corrections. `listen train` adds a version (the newest is the
  //    active one; model NULL = the built-in model, e.g. after --reset). `listen label` sets
  //    label_source = 'human' on the mention and keeps the history of corrections in labels.
  `
  CREATE TABLE models (
    version     INTEGER PRIMARY KEY,            -- 1, 2, … in training order
    created_at  INTEGER NOT NULL,
    action      TEXT    NOT NULL CHECK (action IN ('train', 'reset')),
    based_on    INTEGER,                        -- version trained on top of; NULL = the built-in model
    description TEXT,                           -- input files
    examples    INTEGER NOT NULL DEFAULT 0,     -- examples this version added
    model       TEXT                            -- the model JSON; NULL = the built-in model
  );
  CREATE TABLE labels (
    id          INTEGER PRIMARY KEY,
    source      TEXT    NOT NULL,
    mention_id  TEXT    NOT NULL,
    old_label   TEXT,
    old_source  TEXT,
    new_label   TEXT    NOT NULL CHECK (new_label IN ('outage', 'complaint', 'question', 'praise', 'other')),
    labelled_by TEXT,
    labelled_at INTEGER NOT NULL
  );
  CREATE INDEX labels_mention ON labels (source, mention_id);
  -- Human-labelled mentions are training examples, read every time the tagger is built.
  CREATE INDEX mentions_human ON mentions (source, id) WHERE label_source = 'human';
  `,
  // 4: alerts fired by `listen alerts`: the cooldown per (brand, kind) and the webhook delivery
  //    state, so an alert whose post failed is retried on the next run instead of being lost.
  `
  CREATE TABLE alerts (
    id           INTEGER PRIMARY KEY,
    brand        TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('outage', 'complaint')),
    fired_at     INTEGER NOT NULL,              -- the evaluated instant (now, or --at)
    window_from  INTEGER NOT NULL,
    count        INTEGER NOT NULL,
    expected     REAL    NOT NULL,
    p            REAL,
    method       TEXT    NOT NULL,
    message      TEXT    NOT NULL,              -- JSON: what the webhook posts about this alert
    delivery     TEXT    NOT NULL CHECK (delivery IN ('none', 'delivered', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    delivered_at INTEGER,
    error        TEXT
  );
  CREATE INDEX alerts_cooldown ON alerts (brand, kind, fired_at);
  CREATE INDEX alerts_undelivered ON alerts (fired_at) WHERE delivery = 'failed';
  `,
  // 5: batch rollup: MentionStore.upsertRows adds each batch's inserted customer posts to
  //    mention_buckets itself, one upsert per quarter hour, brand and label, in the batch's
  //    transaction; the per-row insert trigger cost more than the insert on real imports. Updates
  //    and deletes keep their triggers (rare, and exact per row).
  `
  DROP TRIGGER mentions_bucket_insert;
  `,
  // 6: care desk (issue 16): help-centre articles (`listen help-articles import`, the cached copy of a
  //    file, sitemap or feed) and the recheck state per mention (`listen recheck`): when it was last
  //    looked up, when next, and whether it vanished or was edited. The mention row itself is never
  //    deleted or overwritten by a recheck: an edit's text goes to last_text.
  `
  CREATE TABLE help_articles (
    id          TEXT    PRIMARY KEY,            -- the export's id, else the url
    url         TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    lang        TEXT,
    origin      TEXT    NOT NULL,               -- file path or URL it was imported from
    imported_at INTEGER NOT NULL
  );
  CREATE TABLE mention_checks (
    source          TEXT    NOT NULL,
    mention_id      TEXT    NOT NULL,
    checks          INTEGER NOT NULL DEFAULT 0,
    checked_at      INTEGER NOT NULL,
    next_check_at   INTEGER,                    -- NULL: not checked again (vanished, or too old)
    status          TEXT    NOT NULL CHECK (status IN ('live', 'edited', 'vanished', 'unknown')),
    vanished_at     INTEGER,                    -- first check that found it gone (deleted or hidden)
    vanished_reason TEXT,                       -- 'deleted', 'removed', 'hidden', 'not found'
    edited_at       INTEGER,                    -- first check that saw another text
    last_text       TEXT,                       -- the newest text seen, when it differs from mentions.text
    PRIMARY KEY (source, mention_id)
  );
  CREATE INDEX mention_checks_due ON mention_checks (next_check_at) WHERE next_check_at IS NOT NULL;
  CREATE INDEX mention_checks_vanished ON mention_checks (vanished_at) WHERE vanished_at IS NOT NULL;
  `,
  // 7: personal data found at ingest: the kinds only (comma-joined, '' = none, NULL = not checked
  //    yet, e.g. rows from before this migration until `listen classify --all`), never the values.
  `
  ALTER TABLE mentions ADD COLUMN pii TEXT;
  CREATE INDEX mentions_pii ON mentions (created_at) WHERE pii <> '';
  `,
  // topics (caretopics): each mention's topic and how it got it (a human correction wins over
  //    re-tagging), and alerts of kind 'topic-storm' naming their topic (cooldown per brand and topic).
  //    SQLite cannot change a CHECK in place, so alerts is rebuilt with its rows.
  `
  ALTER TABLE mentions ADD COLUMN topic TEXT;
  ALTER TABLE mentions ADD COLUMN topic_source TEXT CHECK (topic_source IN ('keyword', 'model', 'human', 'import'));
  CREATE INDEX mentions_human_topic ON mentions (source, id) WHERE topic_source = 'human';
  CREATE TABLE alerts_new (
    id           INTEGER PRIMARY KEY,
    brand        TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('outage', 'complaint', 'topic-storm')),
    fired_at     INTEGER NOT NULL,
    window_from  INTEGER NOT NULL,
    count        INTEGER NOT NULL,
    expected     REAL    NOT NULL,
    p            REAL,
    method       TEXT    NOT NULL,
    message      TEXT    NOT NULL,
    delivery     TEXT    NOT NULL CHECK (delivery IN ('none', 'delivered', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    delivered_at INTEGER,
    error        TEXT,
    topic        TEXT                           -- the topic of a 'topic-storm'; NULL for the others
  );
  INSERT INTO alerts_new (id, brand, kind, fired_at, window_from, count, expected, p, method, message, delivery, attempts, delivered_at, error)
    SELECT id, brand, kind, fired_at, window_from, count, expected, p, method, message, delivery, attempts, delivered_at, error FROM alerts;
  DROP TABLE alerts;
  ALTER TABLE alerts_new RENAME TO alerts;
  CREATE INDEX alerts_cooldown ON alerts (brand, kind, fired_at);
  CREATE INDEX alerts_undelivered ON alerts (fired_at) WHERE delivery = 'failed';
  `,
]

