import { type Db, prepared } from './db.js';

export * from './cron-runs.js';

/** A cron job as stored: its durable cursor and switches. */
export interface CronJobRow {
  readonly app: string;
  readonly name: string;
  readonly schedule: string;
  readonly command: string;
  /** The cursor (`last_slot`): ms since the epoch; only ever moves forward. */
  readonly cursor: number;
  readonly enabled: boolean;
  readonly suspended: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

interface RawJob {
  app: string;
  name: string;
  schedule: string;
  command: string;
  last_slot: number;
  enabled: number;
  suspended: number;
  created_at: number;
  updated_at: number;
}

const toJob = (r: RawJob): CronJobRow => ({
  app: r.app,
  name: r.name,
  schedule: r.schedule,
  command: r.command,
  cursor: r.last_slot,
  enabled: r.enabled === 1,
  suspended: r.suspended === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Every stored job of an app, removed ones included. */
export function listCronJobs(db: Db, app: string): CronJobRow[] {
  return (
    prepared(db, 'SELECT * FROM cron_jobs WHERE app = ? ORDER BY name').all(app) as unknown as RawJob[]
  ).map(toJob);
}

/** One stored job, or null. */
export function getCronJob(db: Db, app: string, name: string): CronJobRow | null {
  const row = prepared(db, 'SELECT * FROM cron_jobs WHERE app = ? AND name = ?').get(app, name) as unknown as
    RawJob | undefined;
  return row ? toJob(row) : null;
}

/** Stores a new job with its first cursor. */
export function insertCronJob(
  db: Db,
  j: { app: string; name: string; schedule: string; command: string; cursor: number; now: number },
): void {
  prepared(
    db,
    `INSERT INTO cron_jobs (app, name, schedule, command, last_slot, enabled, suspended, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 1, 0, ?, ?)`,
  ).run(j.app, j.name, j.schedule, j.command, j.cursor, j.now, j.now);
}

/**
 * Rewrites a job's declaration. The cursor only moves forward here too: `MAX(last_slot, cursor)` keeps a
 * concurrent fire by another instance from being undone.
 */
export function updateCronJob(
  db: Db,
  j: {
    app: string;
    name: string;
    schedule: string;
    command: string;
    cursor: number;
    enabled: boolean;
    now: number;
  },
): void {
  prepared(
    db,
    `UPDATE cron_jobs SET schedule = ?, command = ?, last_slot = MAX(last_slot, ?), enabled = ?, updated_at = ?
     WHERE app = ? AND name = ?`,
  ).run(j.schedule, j.command, j.cursor, j.enabled ? 1 : 0, j.now, j.app, j.name);
}

/** Marks a job gone from the manifest; its runs stay. */
export function disableCronJob(db: Db, app: string, name: string, now: number): void {
  prepared(db, 'UPDATE cron_jobs SET enabled = 0, updated_at = ? WHERE app = ? AND name = ?').run(
    now,
    app,
    name,
  );
}

/** Suspends or resumes; resuming moves the cursor to at least `now`, so nothing paused fires afterwards. */
export function setCronSuspended(db: Db, app: string, name: string, suspended: boolean, now: number): void {
  prepared(
    db,
    `UPDATE cron_jobs SET suspended = ?, last_slot = CASE WHEN ? THEN last_slot ELSE MAX(last_slot, ?) END, updated_at = ?
     WHERE app = ? AND name = ?`,
  ).run(suspended ? 1 : 0, suspended ? 1 : 0, now, now, app, name);
}

/**
 * Compare-and-set of the cursor: moves it from `expected` to `next` only if no one moved it meanwhile. Returns
 * the job's row as it was when the claim won (its `suspended` switch decides the slot), or null when it lost.
 */
export function claimCursor(
  db: Db,
  app: string,
  name: string,
  expected: number,
  next: number,
): CronJobRow | null {
  const res = prepared(
    db,
    'UPDATE cron_jobs SET last_slot = ? WHERE app = ? AND name = ? AND last_slot = ? AND enabled = 1 AND ? > last_slot',
  ).run(next, app, name, expected, next);
  if (res.changes !== 1) return null;
  return getCronJob(db, app, name);
}
