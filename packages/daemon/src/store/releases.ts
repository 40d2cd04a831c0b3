import { type Db, prepared } from './db.js';

export type ReleaseStatus = 'building' | 'succeeded' | 'failed';
/** Why a release is `failed`, when more than a build can be the cause. */
export type ReleaseOutcome = 'failed build' | 'failed to start' | 'rolled back by guard';
/** `failed`: tripped, but nothing could be restored (the release stays live). */
export type GuardState = 'watching' | 'kept' | 'rolled-back' | 'failed' | 'superseded';

export interface ReleaseRow {
  readonly app: string;
  readonly version: number;
  readonly createdAt: number;
  readonly source: string;
  readonly status: ReleaseStatus;
  /** The compiled AppSpec as JSON; null until the manifest of the snapshot was read. */
  readonly specJson: string | null;
  readonly path: string;
  readonly outcome: ReleaseOutcome | null;
  readonly guard: GuardState | null;
  /** The release that was live before this one was switched to (what the guard restores). */
  readonly guardPrevious: number | null;
  /** Wall-clock end of the guard's window. */
  readonly guardUntil: number | null;
  readonly guardEvidence: string | null;
  /** Why the guard rolled it back. */
  readonly guardReason: string | null;
}

interface RawRelease {
  app: string;
  version: number;
  created_at: number;
  source: string;
  status: ReleaseStatus;
  spec_json: string | null;
  path: string;
  outcome: ReleaseOutcome | null;
  guard: GuardState | null;
  guard_previous: number | null;
  guard_until: number | null;
  guard_evidence: string | null;
  guard_reason: string | null;
}

const toRelease = (r: RawRelease): ReleaseRow => ({
  app: r.app,
  version: r.version,
  createdAt: r.created_at,
  source: r.source,
  status: r.status,
  specJson: r.spec_json,
  path: r.path,
  outcome: r.outcome,
  guard: r.guard,
  guardPrevious: r.guard_previous,
  guardUntil: r.guard_until,
  guardEvidence: r.guard_evidence,
  guardReason: r.guard_reason,
});

/** Reserves the next version number for an app (call inside a transaction). */
export function nextVersion(db: Db, app: string): number {
  const row = prepared(db, 'SELECT MAX(version) AS v FROM releases WHERE app = ?').get(app) as {
    v: number | null;
  };
  return (row.v ?? 0) + 1;
}

type NewRelease = Pick<ReleaseRow, 'app' | 'version' | 'createdAt' | 'source' | 'status' | 'path'>;

export function insertRelease(db: Db, r: NewRelease & { specJson?: string | null }): void {
  prepared(
    db,
    'INSERT INTO releases (app, version, created_at, source, status, spec_json, path) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(r.app, r.version, r.createdAt, r.source, r.status, r.specJson ?? null, r.path);
}

export function finishRelease(
  db: Db,
  app: string,
  version: number,
  status: ReleaseStatus,
  specJson: string | null,
): void {
  prepared(
    db,
    'UPDATE releases SET status = ?, spec_json = COALESCE(?, spec_json) WHERE app = ? AND version = ?',
  ).run(status, specJson, app, version);
}

/** Marks a release failed and says why (`releases` shows it). */
export function failRelease(db: Db, app: string, version: number, outcome: ReleaseOutcome): void {
  prepared(db, "UPDATE releases SET status = 'failed', outcome = ? WHERE app = ? AND version = ?").run(
    outcome,
    app,
    version,
  );
}

/**
 * Starts the guard's watch of a release (window until `until`, nothing observed yet). Any other release of the
 * app still watched is superseded: only the live release is ever watched.
 */
export function startGuard(
  db: Db,
  app: string,
  version: number,
  previous: number | null,
  until: number,
): void {
  supersedeGuards(db, app, version);
  prepared(
    db,
    "UPDATE releases SET guard = 'watching', guard_previous = ?, guard_until = ?, guard_evidence = NULL, guard_reason = NULL WHERE app = ? AND version = ?",
  ).run(previous, until, app, version);
}

/** Ends the watch of every release of the app but `version` (another release went live). */
export function supersedeGuards(db: Db, app: string, version: number): void {
  prepared(
    db,
    "UPDATE releases SET guard = 'superseded' WHERE app = ? AND guard = 'watching' AND version != ?",
  ).run(app, version);
}

export function setGuardUntil(db: Db, app: string, version: number, until: number): void {
  prepared(db, 'UPDATE releases SET guard_until = ? WHERE app = ? AND version = ?').run(until, app, version);
}

export function setGuardEvidence(db: Db, app: string, version: number, evidence: string): void {
  prepared(db, 'UPDATE releases SET guard_evidence = ? WHERE app = ? AND version = ?').run(
    evidence,
    app,
    version,
  );
}

/** Ends a watch with its verdict; NULL `guard` forgets it (the switch it was set up for failed). */
export function endGuard(
  db: Db,
  app: string,
  version: number,
  guard: Exclude<GuardState, 'watching'> | null,
  reason: string | null,
): void {
  prepared(db, 'UPDATE releases SET guard = ?, guard_reason = ? WHERE app = ? AND version = ?').run(
    guard,
    reason,
    app,
    version,
  );
}

/** Every release a guard still watches (at daemon start: windows a stopped daemon left open). */
export function listWatched(db: Db): ReleaseRow[] {
  return (
    prepared(
      db,
      "SELECT * FROM releases WHERE guard = 'watching' ORDER BY app, version",
    ).all() as unknown as RawRelease[]
  ).map(toRelease);
}

export function getRelease(db: Db, app: string, version: number): ReleaseRow | null {
  const row = prepared(db, 'SELECT * FROM releases WHERE app = ? AND version = ?').get(
    app,
    version,
  ) as unknown as RawRelease | undefined;
  return row ? toRelease(row) : null;
}

export function listReleases(db: Db, app: string): ReleaseRow[] {
  return (
    prepared(db, 'SELECT * FROM releases WHERE app = ? ORDER BY version DESC').all(
      app,
    ) as unknown as RawRelease[]
  ).map(toRelease);
}

/** Builds left `building` by a daemon that died mid-build are failed, not resumed. */
export function failUnfinishedBuilds(db: Db): void {
  prepared(db, "UPDATE releases SET status = 'failed' WHERE status = 'building'").run();
}

export function deleteRelease(db: Db, app: string, version: number): void {
  prepared(db, 'DELETE FROM releases WHERE app = ? AND version = ?').run(app, version);
}
