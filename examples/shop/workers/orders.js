// The `orders` worker, built with @nightshift/worker: a root container per process (the data folder, a Redis
// client, a metric) and a scope per job (its context, its logger and a unit of work that commits or rolls back).
const { setTimeout: sleep } = require('node:timers/promises');
const { Redis } = require('ioredis');
const { Counter } = require('prom-client');
const { bullmq, defineWorker, NonRetriableError, runWorker } = require('@nightshift/worker');
const { openDb } = require('../lib/db.js');
const { ORDERS_QUEUE, publishEvent } = require('../lib/redis.js');

/**
 * One transaction per job on a connection of its own (jobs run concurrently; one SQLite connection holds one
 * transaction at a time). The handler calls commit(); the scope's disposal rolls back whatever was not
 * committed, also when the handler threw, and closes the connection.
 */
function unitOfWork() {
  const db = openDb();
  db.exec('BEGIN IMMEDIATE');
  let open = true;
  return {
    db,
    commit() {
      db.exec('COMMIT');
      open = false;
    },
    dispose() {
      if (open) db.exec('ROLLBACK');
      db.close();
    },
  };
}

const worker = defineWorker({
  name: 'orders',
  source: bullmq({ queue: ORDERS_QUEUE }),
  concurrency: 4,
  retry: { attempts: 5, backoff: { type: 'exponential', delay: 1_000, maxDelay: 30_000 } },
  services: {
    // Root services: created at start, disposed at shutdown (after the last job).
    redis: ({ config }) => new Redis(config.redis.url),
    processed: ({ registry }) =>
      new Counter({
        name: 'shop_orders_processed_total',
        help: 'Orders the orders worker has processed',
        labelNames: ['item'],
        registers: [registry],
      }),
  },
  jobServices: {
    // Job services: created on first resolve, disposed when the job ends, before it is acked.
    uow: () => unitOfWork(),
  },
  // Every log line of the job carries the order's id.
  context: (job) => ({ orderId: job.data.orderId }),
  async handle(job, { ctx, log, resolve, signal }) {
    await sleep(150 + Math.floor(Math.random() * 300), undefined, { signal }); // packing takes a moment
    const uow = resolve('uow');
    const order = uow.db.prepare('SELECT id, item, qty, status FROM orders WHERE id = ?').get(ctx.orderId);
    if (!order) throw new NonRetriableError(`no order ${ctx.orderId}`);
    if (order.status === 'processed') return log.info('already processed'); // a redelivery: nothing to do
    uow.db
      .prepare(
        `UPDATE orders SET status = 'processed', processed_by = ?,
         processed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`,
      )
      .run(process.env.NIGHTSHIFT_REPLICA || 'local', order.id);
    uow.commit();
    resolve('processed').inc({ item: order.item });
    await publishEvent(resolve('redis'), 'order.processed', { orderId: order.id, attempt: ctx.attempt });
    log.info({ orderId: order.id, item: order.item, qty: order.qty }, 'order processed');
    return { orderId: order.id };
  },
});

module.exports = worker;
// `node workers/orders.js` runs it; `npx nightshift-worker workers/orders.js` does the same.
if (require.main === module) runWorker(worker);
