import { type Db, prepared } from './db.js';

export interface DrainRow {
  readonly id: number;
  readonly app: string;
  readonly url: string;
  readonly createdAt: number;
  /** The id of the newest line delivered, as last checkpointed; null before the first. */
  readonly deliveredThrough: number | null;
}

interface RawDrain {
  id: number;
  app: string;
  url: string;
  created_at: number;
  delivered_through: number | null;
}

const toDrain = (r: RawDrain): DrainRow => ({
  id: r.id,
  app: r.app,
  url: r.url,
  createdAt: r.created_at,
  deliveredThrough: r.delivered_through,
});

export function listDrains(db: Db, app?: string): DrainRow[] {
  const rows =
    app === undefined
      ? prepared(db, 'SELECT * FROM drains ORDER BY id').all()
      : prepared(db, 'SELECT * FROM drains WHERE app = ? ORDER BY id').all(app);
  return (rows as unknown as RawDrain[]).map(toDrain);
}

/** Returns the new drain's id, or null when the app already drains to that URL. */
export function insertDrain(db: Db, app: string, url: string, now: number): number | null {
  const res = prepared(
    db,
    'INSERT INTO drains (app, url, created_at) VALUES (?, ?, ?) ON CONFLICT(app, url) DO NOTHING',
  ).run(app, url, now);
  return res.changes === 0 ? null : Number(res.lastInsertRowid);
}

/** Saves a drain's checkpoint (a row removed meanwhile is left removed). */
export function setDrainCheckpoint(db: Db, id: number, deliveredThrough: number): void {
  prepared(db, 'UPDATE drains SET delivered_through = ? WHERE id = ?').run(deliveredThrough, id);
}

export function deleteDrain(db: Db, app: string, id: number): boolean {
  return prepared(db, 'DELETE FROM drains WHERE app = ? AND id = ?').run(app, id).changes > 0;
}

export function deleteAppDrains(db: Db, app: string): void {
  prepared(db, 'DELETE FROM drains WHERE app = ?').run(app);
}
