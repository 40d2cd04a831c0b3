import { type Db, prepared } from './db.js';

/** A plain config var of an app (`nightshift config set`): not secret, shown with its value. */
export interface ConfigVarRow {
  readonly app: string;
  readonly name: string;
  readonly value: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

interface RawConfigVar {
  app: string;
  name: string;
  value: string;
  created_at: number;
  updated_at: number;
}

export function listConfigVars(db: Db, app: string): ConfigVarRow[] {
  return (
    prepared(db, 'SELECT * FROM config_vars WHERE app = ? ORDER BY name').all(
      app,
    ) as unknown as RawConfigVar[]
  ).map((r) => ({
    app: r.app,
    name: r.name,
    value: r.value,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/** Inserts or updates a config var; `createdAt` of an existing one is kept. */
export function upsertConfigVar(db: Db, app: string, name: string, value: string, now: number): void {
  prepared(
    db,
    `INSERT INTO config_vars (app, name, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(app, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(app, name, value, now, now);
}

export function deleteConfigVar(db: Db, app: string, name: string): void {
  prepared(db, 'DELETE FROM config_vars WHERE app = ? AND name = ?').run(app, name);
}

export function deleteAppConfigVars(db: Db, app: string): void {
  prepared(db, 'DELETE FROM config_vars WHERE app = ?').run(app);
}
