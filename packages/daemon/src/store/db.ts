import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { migrations } from './migrations.js';

/** The daemon's state database. All SQL lives under `store/`. */
export type Db = DatabaseSync;

const statements = new WeakMap<Db, Map<string, StatementSync>>();

/**
 * The compiled statement for `sql`, kept per connection: compiling costs more than running a small statement,
 * and the supervisor writes a replica row on every state change (hundreds per `up` of 50 replicas).
 */
export function prepared(db: Db, sql: string): StatementSync {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map<string, StatementSync>()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}

/** Opens `state.db` in WAL mode and brings its schema up to date. */
export function openDb(file: string): Db {
  const db = new DatabaseSync(file, { timeout: 5000 });
  db.exec(
    'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -512;',
  );
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  let current = row?.version ?? 0;
  if (!row) db.prepare('INSERT INTO schema_version (version) VALUES (0)').run();
  // A newer daemon's schema: running on it would write rows an older code does not understand (and the newer
  // one would never migrate them again), so an older daemon refuses instead of downgrading.
  if (current > migrations.length) {
    db.close();
    throw new NightshiftError(
      ErrorCodes.stateTooNew,
      `state.db has schema version ${current}, written by a newer nightshift; this one knows up to ${migrations.length}`,
    );
  }
  for (const [index, sql] of migrations.entries()) {
    const version = index + 1;
    if (version <= current) continue;
    transaction(db, () => {
      db.exec(sql);
      db.prepare('UPDATE schema_version SET version = ?').run(version);
    });
    current = version;
  }
}

/**
 * Runs `fn` inside a savepoint of the open transaction: a throw undoes only what `fn` wrote, so one failing
 * step of a batch does not take the others with it.
 */
export function savepoint<T>(db: Db, fn: () => T): T {
  db.exec('SAVEPOINT step');
  try {
    const result = fn();
    db.exec('RELEASE step');
    return result;
  } catch (err) {
    db.exec('ROLLBACK TO step; RELEASE step');
    throw err;
  }
}

/** Runs `fn` inside BEGIN IMMEDIATE … COMMIT, rolling back on any throw. */
export function transaction<T>(db: Db, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}
