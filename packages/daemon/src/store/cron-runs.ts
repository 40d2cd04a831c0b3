import type { CronRunStatus } from '@nightshift/protocol';
import { type Db, prepared } from './db.js';

/** What started a run. */
export type CronTrigger = 'schedule' | 'manual';
/** A run's status (scheduler/pure/status.ts describes each). */
export type { CronRunStatus };

/** One run, or one skipped slot. */
export interface CronRunRow {
  readonly id: number;
  readonly app: string;
  readonly job: string;
  readonly trigger: CronTrigger;
  readonly slot: number | null;
  readonly coalesced: number;
  readonly status: CronRunStatus;
  readonly reason: string | null;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly release: number | null;
  readonly pid: number | null;
  readonly procStart: string | null;
  readonly logPath: string | null;
}

interface RawRun {
  id: number;
  app: string;
  job: string;
  trigger: CronTrigger;
  slot: number | null;
  coalesced: number;
  status: CronRunStatus;
  reason: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  exit_code: number | null;
  signal: string | null;
  release: number | null;
  pid: number | null;
  proc_start: string | null;
  log_path: string | null;
}

const toRun = (r: RawRun): CronRunRow => ({
  id: r.id,
  app: r.app,
  job: r.job,
  trigger: r.trigger,
  slot: r.slot,
  coalesced: r.coalesced,
  status: r.status,
  reason: r.reason,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  exitCode: r.exit_code,
  signal: r.signal,
  release: r.release,
  pid: r.pid,
  procStart: r.proc_start,
  logPath: r.log_path,
});

/** The runs holding the job's overlap lock: running ones (oldest first) and the queued one. */
export function activeRuns(db: Db, app: string, job: string): CronRunRow[] {
  return (
    prepared(
      db,
      "SELECT * FROM cron_runs WHERE app = ? AND job = ? AND status IN ('queued', 'running') ORDER BY id",
    ).all(app, job) as unknown as RawRun[]
  ).map(toRun);
}

/** Every queued or running run of every app (recovery at start, shutdown). */
export function listActiveRuns(db: Db): CronRunRow[] {
  return (
    prepared(
      db,
      "SELECT * FROM cron_runs WHERE status IN ('queued', 'running') ORDER BY id",
    ).all() as unknown as RawRun[]
  ).map(toRun);
}

/** A run row to insert. */
export type NewRun = Pick<
  CronRunRow,
  'app' | 'job' | 'trigger' | 'slot' | 'coalesced' | 'status' | 'reason'
> & {
  readonly now: number;
};

/** Inserts a run; throws on a second row for the same slot (UNIQUE), which a claim transaction never reaches. */
export function insertRun(db: Db, r: NewRun): number {
  const res = prepared(
    db,
    'INSERT INTO cron_runs (app, job, trigger, slot, coalesced, status, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(r.app, r.job, r.trigger, r.slot, r.coalesced, r.status, r.reason, r.now);
  return Number(res.lastInsertRowid);
}

/** Folds a newer slot into the queued run: it now stands for `slot`, and for `add` more coalesced slots. */
export function mergeIntoQueued(db: Db, id: number, slot: number, add: number): boolean {
  return (
    prepared(
      db,
      "UPDATE cron_runs SET slot = ?, coalesced = coalesced + ? WHERE id = ? AND status = 'queued'",
    ).run(slot, add, id).changes === 1
  );
}

/** queued → running; false when it is no longer queued. */
export function promoteQueued(db: Db, id: number): boolean {
  return (
    prepared(db, "UPDATE cron_runs SET status = 'running' WHERE id = ? AND status = 'queued'").run(id)
      .changes === 1
  );
}

/** Records the process of a running run as soon as it exists. */
export function markRunSpawned(
  db: Db,
  id: number,
  p: { pid: number; procStart: string; release: number; startedAt: number; logPath: string },
): void {
  prepared(
    db,
    'UPDATE cron_runs SET pid = ?, proc_start = ?, release = ?, started_at = ?, log_path = ? WHERE id = ?',
  ).run(p.pid, p.procStart, p.release, p.startedAt, p.logPath, id);
}

/** Ends an active run; false when it had ended already (its first ending stays). */
export function finishRun(
  db: Db,
  id: number,
  f: {
    status: CronRunStatus;
    reason: string | null;
    exitCode: number | null;
    signal: string | null;
    finishedAt: number;
  },
): boolean {
  return (
    prepared(
      db,
      `UPDATE cron_runs SET status = ?, reason = ?, exit_code = ?, signal = ?, finished_at = ?
         WHERE id = ? AND status IN ('queued', 'running')`,
    ).run(f.status, f.reason, f.exitCode, f.signal, f.finishedAt, id).changes === 1
  );
}

/** One run by id, or null. */
export function getRun(db: Db, id: number): CronRunRow | null {
  const row = prepared(db, 'SELECT * FROM cron_runs WHERE id = ?').get(id) as unknown as RawRun | undefined;
  return row ? toRun(row) : null;
}

/** Newest first. */
export function listRuns(db: Db, app: string, job: string, limit: number): CronRunRow[] {
  return (
    prepared(db, 'SELECT * FROM cron_runs WHERE app = ? AND job = ? ORDER BY id DESC LIMIT ?').all(
      app,
      job,
      limit,
    ) as unknown as RawRun[]
  ).map(toRun);
}

/** The newest run that actually ran or runs (skips left out), per job of the app. */
export function lastRuns(db: Db, app: string): Map<string, CronRunRow> {
  const rows = prepared(
    db,
    `SELECT r.* FROM cron_runs r
       JOIN (SELECT job, MAX(id) AS id FROM cron_runs WHERE app = ? AND status NOT IN ('skipped', 'queued') GROUP BY job) last
       ON r.id = last.id`,
  ).all(app) as unknown as RawRun[];
  return new Map(rows.map((r) => [r.job, toRun(r)]));
}

/**
 * Deletes up to `batch` finished runs of a job that are beyond the newest `keep` or older than `before`,
 * returning them (their log files go next). Small batches keep retention off the tick's critical path.
 */
export function pruneRuns(
  db: Db,
  app: string,
  job: string,
  keep: number,
  before: number,
  batch: number,
): CronRunRow[] {
  const rows = prepared(
    db,
    `SELECT * FROM cron_runs WHERE app = ? AND job = ? AND status NOT IN ('queued', 'running')
       AND (created_at < ? OR id < COALESCE((SELECT id FROM cron_runs WHERE app = ? AND job = ? ORDER BY id DESC LIMIT 1 OFFSET ?), -1))
       ORDER BY id LIMIT ?`,
  ).all(app, job, before, app, job, keep - 1, batch) as unknown as RawRun[];
  const del = prepared(db, 'DELETE FROM cron_runs WHERE id = ?');
  for (const r of rows) del.run(r.id);
  return rows.map(toRun);
}
