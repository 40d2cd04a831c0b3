/**
 * Schema migrations, applied in order, each once. Never edit a shipped entry: append a new one.
 * Times are integer milliseconds since the epoch (UTC).
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE apps (
    name TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    source_dir TEXT,
    live_release INTEGER
  );
  CREATE TABLE releases (
    app TEXT NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    spec_json TEXT,
    path TEXT NOT NULL,
    PRIMARY KEY (app, version)
  );
  -- A count set with scale survives until the manifest's count for that process changes.
  CREATE TABLE formation (
    app TEXT NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
    process TEXT NOT NULL,
    scaled INTEGER,
    scaled_against INTEGER,
    stopped INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (app, process)
  );
  -- One row per replica slot; pid/pgid/proc_start identify the live process group across daemon restarts.
  CREATE TABLE replicas (
    app TEXT NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
    process TEXT NOT NULL,
    idx INTEGER NOT NULL,
    pid INTEGER,
    proc_start TEXT,
    started_at INTEGER,
    restarts INTEGER NOT NULL DEFAULT 0,
    last_exit_code INTEGER,
    last_exit_signal TEXT,
    last_exit_at INTEGER,
    release INTEGER,
    PRIMARY KEY (app, process, idx)
  );
  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time INTEGER NOT NULL,
    type TEXT NOT NULL,
    app TEXT NOT NULL,
    process TEXT,
    replica TEXT,
    message TEXT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX events_app_id ON events (app, id);
  `,
  `
  -- Secrets and config vars may be set before an app's first deploy, so they do not reference apps.
  -- A secret is AES-256-GCM ciphertext only (app and name are its associated data); digest is a keyed HMAC.
  CREATE TABLE secrets (
    app TEXT NOT NULL,
    name TEXT NOT NULL,
    nonce BLOB NOT NULL,
    ciphertext BLOB NOT NULL,
    tag BLOB NOT NULL,
    digest TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (app, name)
  );
  CREATE TABLE config_vars (
    app TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (app, name)
  );
  -- The fingerprint of the master key every secret is encrypted under (one row).
  CREATE TABLE secrets_key (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    rotated_at INTEGER
  );
  `,
  `
  -- Cron: one row per job an app's manifest declared. last_slot is the durable cursor: the newest instant a
  -- scheduling decision was committed for; it only moves forward, by compare-and-set.
  CREATE TABLE cron_jobs (
    app TEXT NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
    name TEXT NOT NULL,
    schedule TEXT NOT NULL,
    command TEXT NOT NULL,
    last_slot INTEGER NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    suspended INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (app, name)
  );
  -- One row per run, and per skipped slot. UNIQUE (app, job, slot): at most one row per slot, even with two
  -- daemons on one file (manual runs have no slot; NULLs never collide). pid/proc_start find the run's process
  -- group after a daemon crash.
  CREATE TABLE cron_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    app TEXT NOT NULL,
    job TEXT NOT NULL,
    trigger TEXT NOT NULL,
    slot INTEGER,
    coalesced INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    reason TEXT,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    exit_code INTEGER,
    signal TEXT,
    release INTEGER,
    pid INTEGER,
    proc_start TEXT,
    log_path TEXT,
    UNIQUE (app, job, slot),
    FOREIGN KEY (app, job) REFERENCES cron_jobs (app, name) ON DELETE CASCADE
  );
  CREATE INDEX cron_runs_job_id ON cron_runs (app, job, id);
  CREATE INDEX cron_runs_active ON cron_runs (status) WHERE status IN ('queued', 'running');
  `,
  `
  -- Log drains: every line of the app is forwarded to each of its drains.
  CREATE TABLE drains (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    app TEXT NOT NULL,
    url TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (app, url)
  );
  `,
  `
  -- The other process group of a replica slot while a rolling switch runs two (the successor until it takes
  -- the slot, then the old one until it is gone): a daemon that dies in that moment must reap both. No
  -- reference to apps: the row goes when the group does, not when the app's rows do.
  CREATE TABLE overlap_groups (
    app TEXT NOT NULL,
    process TEXT NOT NULL,
    idx INTEGER NOT NULL,
    pid INTEGER NOT NULL,
    proc_start TEXT NOT NULL,
    PRIMARY KEY (app, process, idx)
  );
  `,
  `
  -- Repeats folded into one timeline entry (events/coalesce.ts): how many, and when the last one was.
  ALTER TABLE events ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE events ADD COLUMN last_time INTEGER;
  `,
  `
  -- Replica usage (metrics/): one point per replica, tier and bucket start t (metrics/pure/tiers.ts). Sums and
  -- counts, so a bucket's averages stay exact as samples arrive; old points go in the pass that writes new ones.
  CREATE TABLE replica_metrics (
    app TEXT NOT NULL,
    process TEXT NOT NULL,
    idx INTEGER NOT NULL,
    tier INTEGER NOT NULL,
    t INTEGER NOT NULL,
    samples INTEGER NOT NULL,
    cpu_samples INTEGER NOT NULL,
    cpu_percent_sum REAL NOT NULL,
    memory_sum REAL NOT NULL,
    memory_max INTEGER NOT NULL,
    cpu_seconds REAL NOT NULL,
    processes INTEGER NOT NULL,
    PRIMARY KEY (app, process, idx, tier, t)
  ) WITHOUT ROWID;
  CREATE INDEX replica_metrics_age ON replica_metrics (tier, t);
  `,
  `
  -- Usage accounting (accounting/, issue 18): one row per runtime period of a replica or a cron run. No reference
  -- to apps: what ran stays billed after the app is destroyed. cpu/memory are what the process requested (NULL:
  -- unset; the report applies its documented defaults). ended_at NULL: the period still runs.
  CREATE TABLE IF NOT EXISTS usage_periods (
    id INTEGER PRIMARY KEY,
    app TEXT NOT NULL,
    kind TEXT NOT NULL,
    process TEXT NOT NULL,
    unit TEXT NOT NULL,
    -- The process group's leader: a rolling switch runs two groups under one unit name for a while.
    pid INTEGER,
    region TEXT NOT NULL,
    cpu REAL,
    memory INTEGER,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    end_reason TEXT
  );
  -- Covers the report in the order it sums (store/usage.ts usageGroups): a year of periods is summed as the index
  -- is read, without a sort and without the table.
  CREATE INDEX IF NOT EXISTS usage_periods_group
    ON usage_periods (app, process, region, cpu, memory, started_at, ended_at);
  CREATE INDEX IF NOT EXISTS usage_periods_open ON usage_periods (app, kind, unit) WHERE ended_at IS NULL;
  -- The last moment the daemon was known alive: periods a kill -9 left open end here at the next start.
  CREATE TABLE IF NOT EXISTS usage_heartbeat (id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL);
  `,
  `
  -- The usage report by day (store/usage.ts dailyGroups) sums in the order of this index: keyed by the UTC day a
  -- period started (the same expression as the query's GROUP BY, so SQLite sees the order), without a sort.
  CREATE INDEX IF NOT EXISTS usage_periods_day
    ON usage_periods (app, started_at / 86400000, cpu, memory, started_at, ended_at);
  `,
  `
  -- Bounds set with \`scale PROC --min/--max\` (autoscale/bounds.ts): they outlive a daemon restart and hold
  -- until a deploy changes the manifest's bounds, which are kept beside them (against_*) to tell.
  CREATE TABLE autoscale_bounds (
    app TEXT NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
    process TEXT NOT NULL,
    min INTEGER NOT NULL,
    max INTEGER NOT NULL,
    against_min INTEGER NOT NULL,
    against_max INTEGER NOT NULL,
    PRIMARY KEY (app, process)
  );
  `,
  `
  -- Each autoscaled process's stabilisation window (autoscale/windows.ts): its recent recommendations as JSON
  -- [[wall ms, replicas], …], so a restarted daemon holds a scale-down as the previous one would have.
  CREATE TABLE autoscale_window (
    app TEXT NOT NULL,
    process TEXT NOT NULL,
    history TEXT NOT NULL,
    PRIMARY KEY (app, process)
  );
  `,
  `
  -- The usage report by process or region (store/usage.ts) sums in the order of this index: resources before
  -- the region, so a report by process groups by three keys (process, cpu, memory), a sixth less work a row than
  -- four; by region it still reads in order. It replaces usage_periods_group (same columns, other order).
  DROP INDEX IF EXISTS usage_periods_group;
  CREATE INDEX usage_periods_sums
    ON usage_periods (app, process, cpu, memory, region, started_at, ended_at);
  `,
  `
  -- Deploy guard (apps/guard.ts, issue 21). outcome: why a release is not good ('failed build', 'failed to
  -- start', 'rolled back by guard'); NULL reads from status. guard: 'watching', 'kept', 'rolled-back',
  -- 'superseded' or NULL (never watched). While watching, guard_until (wall clock) ends the window and
  -- guard_evidence (JSON) holds what was seen, so the next daemon resumes or decides a window a kill -9 cut.
  ALTER TABLE releases ADD COLUMN outcome TEXT;
  ALTER TABLE releases ADD COLUMN guard TEXT;
  ALTER TABLE releases ADD COLUMN guard_previous INTEGER;
  ALTER TABLE releases ADD COLUMN guard_until INTEGER;
  ALTER TABLE releases ADD COLUMN guard_evidence TEXT;
  ALTER TABLE releases ADD COLUMN guard_reason TEXT;
  `,
  `
  -- Each drain's checkpoint (drains/manager.ts): the id of the newest line it delivered, saved every few seconds
  -- and at daemon stop, so the next daemon's drain resumes from the stored lines after it. NULL: start live.
  ALTER TABLE drains ADD COLUMN delivered_through INTEGER;
  `,
];
