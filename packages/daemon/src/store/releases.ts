import { type Db, prepared } from './db.js';

export type ReleaseStatus = 'building' | 'succeeded' | 'failed';

export interface ReleaseRow {
  readonly app: string;
  readonly version: number;
  readonly createdAt: number;
  readonly source: string;
  readonly status: ReleaseStatus;
  /** The compiled AppSpec as JSON; null until the manifest of the snapshot was read. */
  readonly specJson: string | null;
  readonly path: string;
}

interface RawRelease {
  app: string;
  version: number;
  created_at: number;
  source: string;
  status: ReleaseStatus;
  spec_json: string | null;
  path: string;
}

const toRelease = (r: RawRelease): ReleaseRow => ({
  app: r.app,
  version: r.version,
  createdAt: r.created_at,
  source: r.source,
  status: r.status,
  specJson: r.spec_json,
  path: r.path,
});

/** Reserves the next version number for an app (call inside a transaction). */
export function nextVersion(db: Db, app: string): number {
  const row = prepared(db, 'SELECT MAX(version) AS v FROM releases WHERE app = ?').get(app) as {
    v: number | null;
  };
  return (row.v ?? 0) + 1;
}

export function insertRelease(db: Db, r: Omit<ReleaseRow, 'specJson'> & { specJson?: string | null }): void {
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
