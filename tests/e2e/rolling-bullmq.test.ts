import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, Sandbox, sleep, waitFor } from './helpers.js';

// A plain BullMQ worker that shuts down gracefully: on SIGTERM it stops taking jobs and finishes the ones it has.
const WORKER = `
const { Worker } = require('bullmq');
const { Redis } = require('ioredis');
const connection = { host: '127.0.0.1', port: 6379 };
const redis = new Redis(connection);
const worker = new Worker(process.env.QUEUE_NAME, async (job) => {
  await new Promise((r) => setTimeout(r, 3));
  await redis.hincrby(process.env.DONE_KEY, job.id, 1);
  await redis.hincrby(process.env.DONE_KEY + ':release', process.env.NIGHTSHIFT_RELEASE, 1);
}, { connection, concurrency: 10, prefix: process.env.BULL_PREFIX });
let closing = false;
process.on('SIGTERM', async () => {
  if (closing) return;
  closing = true;
  await worker.close();
  await redis.quit();
  process.exit(0);
});
`;

describe('rolling deploy under load (real Redis, BullMQ)', () => {
  let sb: Sandbox;
  const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  let queue: Queue | null = null;
  let prefix = '';

  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
    if (queue) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('every one of 5,000 jobs completes exactly once while the workers switch v1 → v2', async () => {
    sb = new Sandbox('rolling');
    prefix = `ns-test-${sb.app}`;
    const queueName = 'jobs';
    const doneKey = `${prefix}:done`;
    sb.writeApp(
      `env: { QUEUE_NAME: ${queueName}, DONE_KEY: "${doneKey}", BULL_PREFIX: "${prefix}:bull", NODE_PATH: "${join(ROOT, 'node_modules')}" }
workers:
  - name: jobs
    start: node worker.cjs
    replicas: 2
    stop_grace: 20s
    min_ready: 500ms
`,
      { 'worker.cjs': WORKER, 'v.txt': '1' },
    );
    await redis.connect();
    await sb.cliOk(['up']);
    queue = new Queue(queueName, { connection: { host: '127.0.0.1', port: 6379 }, prefix: `${prefix}:bull` });

    const produce = (async () => {
      for (let batch = 0; batch < 50; batch++) {
        await queue.addBulk(
          Array.from({ length: 100 }, (_, i) => ({
            name: 'job',
            data: { n: batch * 100 + i },
            opts: { jobId: `j${batch * 100 + i}` },
          })),
        );
        await sleep(50);
      }
    })();
    await sleep(300);
    const deploy = sb.cliOk(['deploy', '--quiet'], {});
    await Promise.all([produce, deploy]);

    await waitFor(async () => (await redis.hlen(doneKey)) === 5000, 60_000, 'all 5,000 jobs done');
    await sleep(500); // a late duplicate would show up here
    const counts = Object.values(await redis.hgetall(doneKey)).map(Number);
    expect(counts).toHaveLength(5000);
    expect(counts.every((c) => c === 1)).toBe(true);
    const byRelease = await redis.hgetall(`${doneKey}:release`);
    expect(Number(byRelease.v1 ?? 0) + Number(byRelease.v2 ?? 0)).toBe(5000);
    expect(Number(byRelease.v1 ?? 0)).toBeGreaterThan(0); // the switch happened under load
    expect(Number(byRelease.v2 ?? 0)).toBeGreaterThan(0);
    expect(await queue.getFailedCount()).toBe(0);
    expect((await sb.ps()).every((r) => r.release === 'v2')).toBe(true);
  });
});
