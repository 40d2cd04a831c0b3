import { type Db, prepared } from './db.js';

/** Bounds set with `scale PROC --min/--max`, and the manifest's bounds they were set against. */
export interface StoredBounds {
  readonly app: string;
  readonly process: string;
  readonly min: number;
  readonly max: number;
  readonly againstMin: number;
  readonly againstMax: number;
}

interface RawBounds {
  app: string;
  process: string;
  min: number;
  max: number;
  against_min: number;
  against_max: number;
}

export function listAutoscaleBounds(db: Db): StoredBounds[] {
  const rows = prepared(db, 'SELECT * FROM autoscale_bounds').all() as unknown as RawBounds[];
  return rows.map((r) => ({
    app: r.app,
    process: r.process,
    min: r.min,
    max: r.max,
    againstMin: r.against_min,
    againstMax: r.against_max,
  }));
}

export function setAutoscaleBounds(db: Db, b: StoredBounds): void {
  prepared(
    db,
    `INSERT INTO autoscale_bounds (app, process, min, max, against_min, against_max) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (app, process) DO UPDATE SET min = excluded.min, max = excluded.max,
       against_min = excluded.against_min, against_max = excluded.against_max`,
  ).run(b.app, b.process, b.min, b.max, b.againstMin, b.againstMax);
}

export function deleteAutoscaleBounds(db: Db, app: string, process?: string): void {
  if (process === undefined) prepared(db, 'DELETE FROM autoscale_bounds WHERE app = ?').run(app);
  else prepared(db, 'DELETE FROM autoscale_bounds WHERE app = ? AND process = ?').run(app, process);
}
