// predeploy: brings the schema up to date, once per release, before web starts (workers never run it).
// Each migration runs in a transaction with PRAGMA user_version, so a failed one leaves the previous schema
// and fails the deploy; running it again is a no-op.
const { dataDir, openDb } = require('./lib/db.js');

const MIGRATIONS = [
  `CREATE TABLE orders (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     item TEXT NOT NULL,
     qty INTEGER NOT NULL CHECK (qty > 0),
     status TEXT NOT NULL DEFAULT 'queued',
     created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     processed_at TEXT,
     processed_by TEXT
   );
   CREATE INDEX orders_status ON orders (status, created_at);`,
  `CREATE TABLE event_counts (type TEXT PRIMARY KEY, count INTEGER NOT NULL DEFAULT 0);
   CREATE TABLE reports (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     run_id TEXT,
     created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     body TEXT NOT NULL
   );`,
];

const db = openDb();
const from = db.prepare('PRAGMA user_version').get().user_version;
for (let version = from; version < MIGRATIONS.length; version++) {
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(MIGRATIONS[version]);
    db.exec(`PRAGMA user_version = ${version + 1}`);
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    console.error(`migration ${version + 1} failed: ${err.message}`);
    process.exit(1);
  }
}
const to = MIGRATIONS.length;
console.log(
  from === to
    ? `schema up to date (v${to}) in ${dataDir()}`
    : `migrated the schema from v${from} to v${to} in ${dataDir()}`,
);
db.close();
