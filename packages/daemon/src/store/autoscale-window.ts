import { type Db, prepared } from './db.js';

/** One stored recommendation of an autoscale window: wall-clock ms (monotonic time does not outlive a daemon). */
export interface StoredRecommendation {
  readonly at: number;
  readonly replicas: number;
}

export function listAutoscaleWindows(
  db: Db,
): { app: string; process: string; history: StoredRecommendation[] }[] {
  const rows = prepared(db, 'SELECT app, process, history FROM autoscale_window').all() as unknown as {
    app: string;
    process: string;
    history: string;
  }[];
  return rows.map((r) => ({ app: r.app, process: r.process, history: parseHistory(r.history) }));
}

/** A row written by an older or damaged daemon reads as an empty window rather than stopping this one. */
function parseHistory(text: string): StoredRecommendation[] {
  try {
    const value = JSON.parse(text) as unknown;
    if (!Array.isArray(value)) return [];
    return value.flatMap((pair) =>
      Array.isArray(pair) && typeof pair[0] === 'number' && typeof pair[1] === 'number'
        ? [{ at: pair[0], replicas: pair[1] }]
        : [],
    );
  } catch {
    return [];
  }
}

export function saveAutoscaleWindow(
  db: Db,
  app: string,
  process: string,
  history: readonly StoredRecommendation[],
): void {
  prepared(
    db,
    `INSERT INTO autoscale_window (app, process, history) VALUES (?, ?, ?)
     ON CONFLICT (app, process) DO UPDATE SET history = excluded.history`,
  ).run(app, process, JSON.stringify(history.map((h) => [h.at, h.replicas])));
}

export function deleteAutoscaleWindows(db: Db, app: string): void {
  prepared(db, 'DELETE FROM autoscale_window WHERE app = ?').run(app);
}
