import { type Db, prepared } from './db.js';

export interface AppRow {
  readonly name: string;
  readonly createdAt: number;
  readonly sourceDir: string | null;
  readonly liveRelease: number | null;
}

interface RawApp {
  name: string;
  created_at: number;
  source_dir: string | null;
  live_release: number | null;
}

const toApp = (r: RawApp): AppRow => ({
  name: r.name,
  createdAt: r.created_at,
  sourceDir: r.source_dir,
  liveRelease: r.live_release,
});

export function listApps(db: Db): AppRow[] {
  return (prepared(db, 'SELECT * FROM apps ORDER BY name').all() as unknown as RawApp[]).map(toApp);
}

export function getApp(db: Db, name: string): AppRow | null {
  const row = prepared(db, 'SELECT * FROM apps WHERE name = ?').get(name) as unknown as RawApp | undefined;
  return row ? toApp(row) : null;
}

export function ensureApp(db: Db, name: string, sourceDir: string, now: number): void {
  prepared(
    db,
    'INSERT INTO apps (name, created_at, source_dir) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET source_dir = excluded.source_dir',
  ).run(name, now, sourceDir);
}

export function setLiveRelease(db: Db, name: string, version: number | null): void {
  prepared(db, 'UPDATE apps SET live_release = ? WHERE name = ?').run(version, name);
}

export function deleteApp(db: Db, name: string): void {
  prepared(db, 'DELETE FROM apps WHERE name = ?').run(name);
  prepared(db, 'DELETE FROM events WHERE app = ?').run(name);
  prepared(db, 'DELETE FROM replica_metrics WHERE app = ?').run(name);
}
