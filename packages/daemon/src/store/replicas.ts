import { type Db, prepared } from './db.js';

/** What survives a daemon restart about one replica slot. */
export interface ReplicaRow {
  readonly app: string;
  readonly process: string;
  readonly idx: number;
  readonly pid: number | null;
  /** `/proc/<pid>/stat` start time (clock ticks since boot), guarding against PID reuse. */
  readonly procStart: string | null;
  readonly startedAt: number | null;
  readonly restarts: number;
  readonly lastExitCode: number | null;
  readonly lastExitSignal: string | null;
  readonly lastExitAt: number | null;
  readonly release: number | null;
}

interface RawReplica {
  app: string;
  process: string;
  idx: number;
  pid: number | null;
  proc_start: string | null;
  started_at: number | null;
  restarts: number;
  last_exit_code: number | null;
  last_exit_signal: string | null;
  last_exit_at: number | null;
  release: number | null;
}

const toReplica = (r: RawReplica): ReplicaRow => ({
  app: r.app,
  process: r.process,
  idx: r.idx,
  pid: r.pid,
  procStart: r.proc_start,
  startedAt: r.started_at,
  restarts: r.restarts,
  lastExitCode: r.last_exit_code,
  lastExitSignal: r.last_exit_signal,
  lastExitAt: r.last_exit_at,
  release: r.release,
});

export function listReplicas(db: Db, app?: string): ReplicaRow[] {
  const rows = app
    ? prepared(db, 'SELECT * FROM replicas WHERE app = ? ORDER BY process, idx').all(app)
    : prepared(db, 'SELECT * FROM replicas ORDER BY app, process, idx').all();
  return (rows as unknown as RawReplica[]).map(toReplica);
}

export function upsertReplica(db: Db, r: ReplicaRow): void {
  prepared(
    db,
    `INSERT INTO replicas (app, process, idx, pid, proc_start, started_at, restarts, last_exit_code, last_exit_signal, last_exit_at, release)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(app, process, idx) DO UPDATE SET pid = excluded.pid, proc_start = excluded.proc_start,
       started_at = excluded.started_at, restarts = excluded.restarts, last_exit_code = excluded.last_exit_code,
       last_exit_signal = excluded.last_exit_signal, last_exit_at = excluded.last_exit_at, release = excluded.release`,
  ).run(
    r.app,
    r.process,
    r.idx,
    r.pid,
    r.procStart,
    r.startedAt,
    r.restarts,
    r.lastExitCode,
    r.lastExitSignal,
    r.lastExitAt,
    r.release,
  );
}

export function deleteReplica(db: Db, app: string, process: string, idx: number): void {
  prepared(db, 'DELETE FROM replicas WHERE app = ? AND process = ? AND idx = ?').run(app, process, idx);
}

/** The second process group of a slot during a rolling switch (see the overlap_groups table). */
export interface OverlapGroup {
  readonly app: string;
  readonly process: string;
  readonly idx: number;
  readonly pid: number;
  readonly procStart: string;
}

export function setOverlapGroup(db: Db, g: OverlapGroup): void {
  prepared(
    db,
    `INSERT INTO overlap_groups (app, process, idx, pid, proc_start) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(app, process, idx) DO UPDATE SET pid = excluded.pid, proc_start = excluded.proc_start`,
  ).run(g.app, g.process, g.idx, g.pid, g.procStart);
}

export function clearOverlapGroup(db: Db, app: string, process: string, idx: number): void {
  prepared(db, 'DELETE FROM overlap_groups WHERE app = ? AND process = ? AND idx = ?').run(app, process, idx);
}

export function listOverlapGroups(db: Db): OverlapGroup[] {
  const rows = prepared(
    db,
    'SELECT app, process, idx, pid, proc_start FROM overlap_groups',
  ).all() as unknown as {
    app: string;
    process: string;
    idx: number;
    pid: number;
    proc_start: string;
  }[];
  return rows.map((r) => ({
    app: r.app,
    process: r.process,
    idx: r.idx,
    pid: r.pid,
    procStart: r.proc_start,
  }));
}

export function clearOverlapGroups(db: Db): void {
  prepared(db, 'DELETE FROM overlap_groups').run();
}
