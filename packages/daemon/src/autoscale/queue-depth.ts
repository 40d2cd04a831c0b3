import type { QueueScaleSpec } from '@nightshift/manifest';
import { bullWaiting, type RedisCall } from '../redis/bull-depth.js';

/** Where the daemon reads an app's queues from; the app itself is never asked. */
export interface QueueSources {
  /** The admin connection's command for a `redis: true` app (the managed or configured Redis). */
  readonly adminCall: RedisCall | null;
  /** The app's environment (config vars and secrets): REDIS_URL, AMQP_URL, RABBITMQ_URL. */
  readonly env: (app: string) => Record<string, string> | null;
  readonly redisApp: (app: string) => boolean;
  readonly timeoutMs: number;
}

/** Rejects after `ms` so that one unreachable broker never stalls a period. */
export function withTimeout<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Waiting jobs of the queue a process scales on (throws when it cannot be read). */
export async function readQueueDepth(
  sources: QueueSources,
  app: string,
  queue: QueueScaleSpec,
  now: number,
): Promise<number> {
  if (queue.kind === 'bullmq') return readBull(sources, app, queue.name, now);
  return readRabbit(sources, app, queue.name);
}

async function readBull(sources: QueueSources, app: string, name: string, now: number): Promise<number> {
  // The SDK's prefix for BullMQ queues is `<app>:bull`, in the managed Redis as in the app's own.
  const keyPrefix = `${app}:bull:${name}`;
  const admin = sources.adminCall;
  if (sources.redisApp(app) && admin) {
    return withTimeout('Redis', sources.timeoutMs, bullWaiting(admin, keyPrefix, now));
  }
  const url = sources.env(app)?.REDIS_URL;
  if (!url) throw new Error('the app has no REDIS_URL (config var or secret) and no `redis: true`');
  // Its own short-lived connection: the app's Redis may be anywhere, and one slow server must stay its problem.
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: sources.timeoutMs,
    commandTimeout: sources.timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    connectionName: 'nightshift-autoscale',
  });
  client.on('error', () => {});
  try {
    await withTimeout('Redis', sources.timeoutMs, client.connect());
    return await bullWaiting((...args) => client.call(String(args[0]), ...args.slice(1)), keyPrefix, now);
  } finally {
    client.disconnect();
  }
}

async function readRabbit(sources: QueueSources, app: string, name: string): Promise<number> {
  const env = sources.env(app);
  const url = env?.AMQP_URL ?? env?.RABBITMQ_URL;
  if (!url) throw new Error('the app has no AMQP_URL or RABBITMQ_URL (config var or secret)');
  const amqp = await import('amqplib');
  const conn = await withTimeout(
    'RabbitMQ',
    sources.timeoutMs,
    amqp.connect(url, { timeout: sources.timeoutMs }),
  );
  conn.on('error', () => {});
  try {
    const channel = await conn.createChannel();
    channel.on('error', () => {});
    // A passive declare (checkQueue) reads the ready count without creating the queue.
    const ok = await withTimeout('RabbitMQ', sources.timeoutMs, channel.checkQueue(name));
    return ok.messageCount;
  } finally {
    await conn.close().catch(() => {});
  }
}
