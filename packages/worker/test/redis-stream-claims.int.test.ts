/**
 * Redis Streams specifics the shared suite cannot see: a job that runs longer than `claimIdle` is not taken over
 * by another consumer (nor by its own), while a dead consumer's entry is, with its delivery counted as an attempt.
 */
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineWorker } from '../src/definition.js';
import type { Job } from '../src/job/types.js';
import { runWorker, type RunningWorker } from '../src/run.js';
import { redisStream } from '../src/sources/redis-stream.js';
import { redisNamespace, REDIS_URL, type RedisNamespace } from './helpers/redis.js';
import { deferred, sleep, waitFor } from './helpers/wait.js';

describe('redis-stream claims', () => {
  let space: RedisNamespace;
  const workers: RunningWorker[] = [];

  beforeEach(async () => {
    space = await redisNamespace();
  });
  afterEach(async () => {
    for (const worker of workers.splice(0)) if (worker.state !== 'stopped') await worker.kill();
    await space.cleanup();
  });

  const start = async (consumerName: string, handle: (job: Job<{ n: number }>) => unknown) => {
    const worker = await runWorker(
      defineWorker({
        name: 'claims',
        source: redisStream({ stream: 'long', group: 'g', consumerName, claimIdle: 300, block: 100 }),
        concurrency: 2,
        handle,
      }),
      {
        env: { REDIS_URL, NIGHTSHIFT_REDIS_PREFIX: space.prefix },
        handleSignals: false,
        logDestination: new Writable({ write: (_c, _e, done) => done() }),
      },
    );
    workers.push(worker);
    return worker;
  };

  it('never hands a job that outlives claimIdle to another consumer', async () => {
    const runs: string[] = [];
    const a = await start('a', async (job) => {
      runs.push(`a:${job.data.n}`);
      await sleep(1200); // four times claimIdle
    });
    const b = await start('b', async (job) => {
      runs.push(`b:${job.data.n}`);
      await sleep(1200);
    });
    await space.redis.xadd(`${space.prefix}long`, '*', 'data', JSON.stringify({ n: 1 }));
    await waitFor('the job to start', () => runs.length === 1);
    await sleep(1500);
    await Promise.all([a.stop(), b.stop()]);
    expect(runs).toHaveLength(1);
    expect(await space.redis.xpending(`${space.prefix}long`, 'g')).toEqual([0, null, null, null]);
  });

  it("takes over a dead consumer's entry once idle, as its next attempt", async () => {
    const started = deferred();
    const doomed = await start('doomed', async () => {
      started.resolve();
      await new Promise(() => undefined);
    });
    await space.redis.xadd(`${space.prefix}long`, '*', 'data', JSON.stringify({ n: 2 }));
    await started.promise;
    await doomed.kill();
    const seen: Job<{ n: number }>[] = [];
    const heir = await start('heir', (job) => void seen.push(job));
    await waitFor('the claim', () => seen.length === 1, 5000);
    await heir.stop();
    expect(seen[0]).toMatchObject({ data: { n: 2 }, attempt: 2 });
  });
});
