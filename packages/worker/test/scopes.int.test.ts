/** Scope lifetimes across many jobs of one running worker, on a real BullMQ queue. */
import { Queue } from 'bullmq';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineWorker } from '../src/definition.js';
import { runWorker } from '../src/run.js';
import { bullmq } from '../src/sources/bullmq.js';
import { redisNamespace, REDIS_URL, type RedisNamespace } from './helpers/redis.js';
import { uniqueSuffix, waitFor } from './helpers/wait.js';

describe('scopes in a running worker', () => {
  let space: RedisNamespace;
  let queue: Queue;
  let name: string;

  beforeEach(async () => {
    space = await redisNamespace();
    name = `scopes-${uniqueSuffix()}`;
    queue = new Queue(name, { connection: { url: REDIS_URL }, prefix: `${space.prefix}bull` });
  });
  afterEach(async () => {
    await queue.close();
    await space.cleanup();
  });

  it('creates root services once per process and job services once per job, disposing each job scope even when the job throws', async () => {
    const events: string[] = [];
    let rootsCreated = 0;
    let sessions = 0;
    const open = new Set<number>();
    const worker = defineWorker({
      name: 'scopes',
      source: bullmq({ queue: name }),
      concurrency: 4,
      retry: { attempts: 1 },
      services: {
        db: () => {
          rootsCreated += 1;
          return { close: () => void events.push(`close db with ${open.size} sessions open`) };
        },
      },
      jobServices: {
        session: ({ db, ctx }) => {
          const id = ++sessions;
          open.add(id);
          return { id, db, jobId: ctx.jobId, close: () => void open.delete(id) };
        },
      },
      handle: async (job: { data: { n: number } }, { resolve }) => {
        const session = resolve('session');
        expect(resolve('session')).toBe(session);
        await new Promise((r) => setTimeout(r, 5));
        if (job.data.n % 5 === 0) throw new Error(`job ${job.data.n} fails`);
      },
    });
    await queue.addBulk(Array.from({ length: 20 }, (_, n) => ({ name: 'job', data: { n } })));
    const running = await runWorker(worker, {
      env: { REDIS_URL, NIGHTSHIFT_REDIS_PREFIX: space.prefix },
      handleSignals: false,
      logDestination: new Writable({ write: (_c, _e, done) => done() }),
    });
    await waitFor('20 settled jobs', async () => {
      const counts = await queue.getJobCounts('completed', 'failed');
      return (counts.completed ?? 0) + (counts.failed ?? 0) === 20;
    });
    await running.stop();
    expect(rootsCreated).toBe(1);
    expect(sessions).toBe(20);
    expect(open.size).toBe(0);
    expect(events).toEqual(['close db with 0 sessions open']);
    expect(await queue.getJobCounts('completed', 'failed')).toMatchObject({ completed: 16, failed: 4 });
  });
});
