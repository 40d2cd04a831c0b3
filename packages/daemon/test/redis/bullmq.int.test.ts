import { type Job, Queue, QueueEvents, Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { MACHINE_REDIS, uniqueApp, useRedisWorlds } from './helpers.js';

// BullMQ end to end under an app's user, with the prefix the SDK derives from NIGHTSHIFT_REDIS_PREFIX
// (`<name>:bull`): add, delayed, retries with backoff, a job scheduler, QueueEvents, getJobCounts.

const SERVERS = [
  ['managed redis-server', {}],
  ['the machine Redis as admin URL', { adminUrl: MACHINE_REDIS }],
] as const;

describe.each(SERVERS)('BullMQ on %s', (_name, config) => {
  const world = useRedisWorlds();
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('runs jobs, delays, retries, a scheduler and QueueEvents under the app user', async () => {
    const w = world(config);
    const app = uniqueApp();
    await w.service.provision(app);
    const env = w.service.environment(app)!;
    expect(env.prefix).toBe(`${app}:`);
    const connection = { url: env.url };
    const prefix = `${env.prefix}bull`;

    const queue = new Queue('emails', { connection, prefix });
    closers.push(() => queue.close());
    const events = new QueueEvents('emails', { connection, prefix });
    closers.push(() => events.close());
    await events.waitUntilReady();
    const completed: string[] = [];
    events.on('completed', ({ jobId }) => completed.push(jobId));

    const started = new Map<string, number>();
    const attempts = new Map<string, number>();
    const worker = new Worker(
      'emails',
      (job: Job) => {
        started.set(job.name, Date.now());
        attempts.set(job.name, (attempts.get(job.name) ?? 0) + 1);
        if (job.name === 'flaky' && job.attemptsMade < 2) return Promise.reject(new Error('try again'));
        return Promise.resolve({ ok: job.name });
      },
      { connection, prefix, concurrency: 2 },
    );
    closers.push(() => worker.close());
    const workerErrors: Error[] = [];
    worker.on('error', (err) => workerErrors.push(err));

    const addedAt = Date.now();
    await queue.add('plain', { to: 'a@example.com' });
    await queue.add('delayed', {}, { delay: 400 });
    await queue.add('flaky', {}, { attempts: 3, backoff: { type: 'exponential', delay: 50 } });
    await queue.upsertJobScheduler('tick', { every: 250 }, { name: 'tick' });

    await waitUntil(() => completed.length >= 5 && (attempts.get('tick') ?? 0) >= 2, 10_000);
    await queue.removeJobScheduler('tick');

    expect(started.get('delayed')! - addedAt).toBeGreaterThanOrEqual(400);
    expect(attempts.get('flaky')).toBe(3);
    const counts = await queue.getJobCounts('completed', 'failed', 'waiting', 'active');
    expect(counts.completed).toBeGreaterThanOrEqual(5);
    expect(counts.failed).toBe(0);
    expect(workerErrors).toEqual([]);
    // Every key BullMQ wrote is the app's: its key count (as admin, SCAN MATCH <name>:*) is all of them.
    const info = await w.service.info(app);
    expect(info.keys).toBeGreaterThan(0);
    await queue.obliterate({ force: true });
  });
});

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}
