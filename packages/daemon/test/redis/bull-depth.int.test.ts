import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { readQueueDepth } from '../../src/autoscale/index.js';
import { bullWaiting } from '../../src/redis/bull-depth.js';
import { MACHINE_REDIS, uniqueApp } from './helpers.js';

// The autoscaler's BullMQ depth on the machine's Redis, in a prefix of its own: waiting, prioritized and
// delayed jobs that are due count; delayed jobs still in the future and active ones do not.

describe('BullMQ queue depth (real Redis, real BullMQ)', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('counts waiting + prioritized + delayed-due under <app>:bull:<name>', async () => {
    const app = uniqueApp();
    const connection = new Redis(MACHINE_REDIS, { maxRetriesPerRequest: null });
    const queue = new Queue('jobs', { connection, prefix: `${app}:bull` });
    closers.push(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    });
    await queue.addBulk([1, 2, 3].map((i) => ({ name: 'w', data: { i } })));
    await queue.add('p', {}, { priority: 5 });
    await queue.add('soon', {}, { delay: 500 });
    await queue.add('later', {}, { delay: 3_600_000 });

    const call = (...args: (string | number)[]) => connection.call(String(args[0]), ...args.slice(1));
    expect(await bullWaiting(call, `${app}:bull:jobs`, Date.now())).toBe(4);
    // A second on, the 500 ms delay has passed (no worker promoted it yet): due, so waiting.
    expect(await bullWaiting(call, `${app}:bull:jobs`, Date.now() + 1_000)).toBe(5);
    expect(await bullWaiting(call, `${app}:bull:jobs`, Date.now() + 7_200_000)).toBe(6);

    // Without `redis: true`: its own connection to the app's REDIS_URL.
    const sources = {
      adminCall: null,
      env: () => ({ REDIS_URL: MACHINE_REDIS }),
      redisApp: () => false,
      timeoutMs: 2_000,
    };
    expect(await readQueueDepth(sources, app, { kind: 'bullmq', name: 'jobs', target: 10 }, Date.now())).toBe(
      4,
    );
  });

  it('fails within its timeout on an unreachable Redis, and says what is missing without a URL', async () => {
    const spec = { kind: 'bullmq', name: 'jobs', target: 10 } as const;
    const dead = {
      adminCall: null,
      env: () => ({ REDIS_URL: 'redis://127.0.0.1:1' }),
      redisApp: () => false,
      timeoutMs: 500,
    };
    const t0 = Date.now();
    await expect(readQueueDepth(dead, 'a', spec, Date.now())).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(2_000);
    const none = { ...dead, env: () => ({}) };
    await expect(readQueueDepth(none, 'a', spec, Date.now())).rejects.toThrow(/REDIS_URL/);
  });
});
