import { type Db, prepared } from './db.js';

export interface FormationRow {
  readonly app: string;
  readonly process: string;
  /** Count set with `scale`, or null. */
  readonly scaled: number | null;
  /** The manifest's count when `scale` was used; when the manifest's count changes, the manifest wins. */
  readonly scaledAgainst: number | null;
  readonly stopped: boolean;
}

interface RawFormation {
  app: string;
  process: string;
  scaled: number | null;
  scaled_against: number | null;
  stopped: number;
}

export function listFormation(db: Db, app: string): FormationRow[] {
  return (prepared(db, 'SELECT * FROM formation WHERE app = ?').all(app) as unknown as RawFormation[]).map(
    (r) => ({
      app: r.app,
      process: r.process,
      scaled: r.scaled,
      scaledAgainst: r.scaled_against,
      stopped: r.stopped === 1,
    }),
  );
}

export function setScaled(db: Db, app: string, process: string, count: number, manifestCount: number): void {
  prepared(
    db,
    `INSERT INTO formation (app, process, scaled, scaled_against) VALUES (?, ?, ?, ?)
     ON CONFLICT(app, process) DO UPDATE SET scaled = excluded.scaled, scaled_against = excluded.scaled_against`,
  ).run(app, process, count, manifestCount);
}

export function clearScaled(db: Db, app: string, process: string): void {
  prepared(db, 'UPDATE formation SET scaled = NULL, scaled_against = NULL WHERE app = ? AND process = ?').run(
    app,
    process,
  );
}

export function setStopped(db: Db, app: string, process: string, stopped: boolean): void {
  prepared(
    db,
    `INSERT INTO formation (app, process, stopped) VALUES (?, ?, ?)
     ON CONFLICT(app, process) DO UPDATE SET stopped = excluded.stopped`,
  ).run(app, process, stopped ? 1 : 0);
}
