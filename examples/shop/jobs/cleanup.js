// cron `cleanup` (every 5 minutes): forgets processed orders older than SHOP_RETAIN_MINUTES (default 60) and
// trims the event stream. A short job that exits: the daemon records its run, exit code and logs.
const { Redis } = require('ioredis');
const { openDb } = require('../lib/db.js');
const { REDIS_URL, eventsKey } = require('../lib/redis.js');

async function main() {
  const minutes = Number(process.env.SHOP_RETAIN_MINUTES || 60);
  const db = openDb();
  const removed = db
    .prepare(
      `DELETE FROM orders WHERE status = 'processed'
       AND processed_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)`,
    )
    .run(`-${minutes} minutes`).changes;
  db.close();
  const redis = new Redis(REDIS_URL);
  const trimmed = await redis.xtrim(eventsKey(), 'MAXLEN', '~', 1000);
  await redis.quit();
  console.log(
    `cleanup (${process.env.NIGHTSHIFT_TRIGGER || 'manual'} run ${process.env.NIGHTSHIFT_RUN_ID || '-'}): ` +
      `removed ${removed} processed orders older than ${minutes} min, trimmed ${trimmed} events`,
  );
}

main().catch((err) => {
  console.error(err.stack);
  process.exit(1);
});
