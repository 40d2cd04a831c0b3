// The shop's SQLite database (node:sqlite: built into Node, nothing to compile; without a flag since 22.13).
// It lives in a data folder outside the release, so it survives deploys and rollbacks; every process opens
// its own connection, and WAL lets web, the workers and cron runs read while one of them writes.
const { mkdirSync } = require('node:fs');
const { homedir } = require('node:os');
const { join } = require('node:path');
const { DatabaseSync } = require('node:sqlite');

/** SHOP_DATA_DIR (`npm run demo` sets it with `nightshift config set`), else a folder in the user's home. */
function dataDir() {
  return process.env.SHOP_DATA_DIR || join(homedir(), '.nightshift-shop');
}

/** Opens the database; the schema is the predeploy hook's job (migrate.js), not every process's. */
function openDb() {
  const dir = dataDir();
  mkdirSync(dir, { recursive: true });
  const db = new DatabaseSync(join(dir, 'shop.db'));
  db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
  return db;
}

/** The newest orders first, for GET / and GET /orders. */
function recentOrders(db, limit = 20) {
  return db
    .prepare(
      `SELECT id, item, qty, status, created_at AS createdAt, processed_at AS processedAt,
              processed_by AS processedBy FROM orders ORDER BY id DESC LIMIT ?`,
    )
    .all(limit);
}

/** How many events of each type the `events` worker has seen. */
function eventCounts(db) {
  return db.prepare('SELECT type, count FROM event_counts ORDER BY type').all();
}

module.exports = { dataDir, openDb, recentOrders, eventCounts };
