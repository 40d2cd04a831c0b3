// The `events` worker: follows the shop's event stream (`shop:events`, Redis Streams) through a consumer group
// and counts each type of event in SQLite. GET / shows the counts.
const { defineWorker, redisStream, runWorker } = require('@nightshift/worker');
const { openDb } = require('../lib/db.js');
const { EVENTS_STREAM } = require('../lib/redis.js');

const worker = defineWorker({
  name: 'events',
  // The key is NIGHTSHIFT_REDIS_PREFIX + stream (`shop:events`); the group is created at start if missing.
  source: redisStream({ stream: EVENTS_STREAM, group: 'counters', block: 500 }),
  concurrency: 1, // one writer keeps the counts simple
  services: {
    // One connection for the process; closed at shutdown (`close()` is one of the names the SDK calls).
    db: () => openDb(),
  },
  context: (job) => ({ eventType: job.name }),
  handle(job, { ctx, log, resolve }) {
    resolve('db')
      .prepare(
        'INSERT INTO event_counts (type, count) VALUES (?, 1) ON CONFLICT (type) DO UPDATE SET count = count + 1',
      )
      .run(ctx.eventType);
    log.info({ data: job.data }, `event ${ctx.eventType}`);
  },
});

module.exports = worker;
if (require.main === module) runWorker(worker);
