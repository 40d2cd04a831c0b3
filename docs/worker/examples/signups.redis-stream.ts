// Redis Streams: react to sign-up events with a consumer group. The stream key is the app's namespace plus the
// stream name (`shop:signups` under Nightshift), so it works under the app's Redis ACL user. This example also
// shows an awilix resolver where a plain factory would not say enough (a custom disposer).
import { asFunction } from 'awilix';
import { Redis } from 'ioredis';
import { defineWorker, redisStream, type Job } from '@nightshift/worker';

export interface Signup {
  workspaceId: string;
  userId: string;
  email: string;
}

/** Producer side: one field `data` holding JSON; MAXLEN keeps the stream from growing without bound. */
export async function recordSignup(redis: Redis, signup: Signup): Promise<void> {
  const key = `${process.env.NIGHTSHIFT_REDIS_PREFIX ?? ''}signups`;
  await redis.xadd(key, 'MAXLEN', '~', '100000', '*', 'data', JSON.stringify(signup));
}

export default defineWorker({
  name: 'signups',
  source: redisStream({ stream: 'signups', group: 'welcome', claimIdle: 5 * 60_000 }),
  concurrency: 10,
  services: {
    // The app's own Redis connection for counters; `quit()` is not one of the names the SDK calls, so say it.
    redis: asFunction(({ config }: { config: { redis: { url: string } } }) => new Redis(config.redis.url))
      .singleton()
      .disposer((redis) => redis.quit().then(() => undefined)),
  },
  context: (job: Job<Signup>) => ({ workspaceId: job.data.workspaceId }),
  async handle(job: Job<Signup>, { resolve, ctx, log }) {
    const redis = resolve('redis');
    const prefix = process.env.NIGHTSHIFT_REDIS_PREFIX ?? '';
    // Idempotent on redelivery (at-least-once): the SET NX decides who sends.
    const first = await redis.set(`${prefix}welcomed:${job.data.userId}`, job.id, 'EX', 7 * 86_400, 'NX');
    if (first === null) return log.info('already welcomed');
    await redis.hincrby(`${prefix}signups-by-workspace`, ctx.workspaceId, 1);
    log.info({ email: job.data.email }, 'welcome queued');
  },
});
