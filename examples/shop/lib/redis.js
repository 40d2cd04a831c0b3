// Names the web process, the workers and the cron jobs share. Under Nightshift every key must start with
// NIGHTSHIFT_REDIS_PREFIX (`shop:`): the app's Redis user may touch nothing else.
const { bullmqPrefix } = require('@nightshift/worker');

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const ORDERS_QUEUE = 'orders';
/** The stream name as the SDK's redisStream() takes it; the key adds the prefix. */
const EVENTS_STREAM = 'events';
const eventsKey = () => `${process.env.NIGHTSHIFT_REDIS_PREFIX || ''}${EVENTS_STREAM}`;

/** Appends one event for the `events` worker; MAXLEN keeps the stream from growing without bound. */
async function publishEvent(redis, type, data) {
  await redis.xadd(eventsKey(), 'MAXLEN', '~', '10000', '*', 'name', type, 'data', JSON.stringify(data));
}

/** BullMQ's options for producers: the same prefix (`shop:bull`) the SDK's bullmq() source uses. */
const queueOptions = () => ({ connection: { url: REDIS_URL }, prefix: bullmqPrefix() });

module.exports = { REDIS_URL, ORDERS_QUEUE, EVENTS_STREAM, eventsKey, publishEvent, queueOptions };
