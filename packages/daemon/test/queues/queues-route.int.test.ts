import { Queue, Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorBody, QueueCancelResult, QueueList, QueueSummary } from '@nightshift/protocol';
import { createApi } from '../../src/api/app.js';
import type { ApiServices } from '../../src/api/services.js';
import { QueueOps, type QueueSourcesDeps } from '../../src/queues/index.js';
import { useInject } from '../api/inject.js';
import { MACHINE_REDIS, uniqueApp, useRedisWorlds } from '../redis/helpers.js';

/**
 * The queue routes in process over the machine's Redis as the daemon's admin URL: a provisioned app (its own ACL
 * user, `<app>:bull` prefix) with real BullMQ queues; the app's keys are removed after each test.
 */
describe('/apps/:app/queues', () => {
  const world = useRedisWorlds();
  const serve = useInject();
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function setup(deps: Partial<QueueSourcesDeps> = {}) {
    const w = world({ adminUrl: MACHINE_REDIS });
    const app = uniqueApp();
    await w.service.provision(app);
    const env = w.service.environment(app)!;
    const queues = new QueueOps({
      redisApp: () => true,
      redisEnvironment: (name) => w.service.environment(name),
      adminCall: (...args) => w.service.adminCall(...args),
      env: () => null,
      timeoutMs: 3000,
      ...deps,
    });
    const api = await serve(
      createApi({ apps: { known: (name: string) => name }, queues } as unknown as ApiServices),
    );
    const producer = (name: string) => {
      const queue = new Queue(name, { connection: { url: env.url }, prefix: `${app}:bull` });
      closers.push(() => queue.close());
      return queue;
    };
    const post = async (path: string, body: unknown) =>
      api.request(`/api/v1/apps/${app}/queues/${path}`, { method: 'POST', body: JSON.stringify(body) });
    const list = async () => (await (await api.request(`/api/v1/apps/${app}/queues`)).json()) as QueueList;
    return { app, url: env.url, api, producer, post, list };
  }

  it('cancel --waiting --match data.tenant=acme removes exactly the matching waiting jobs of 10,000', async () => {
    const { producer, post, list } = await setup();
    const emails = producer('emails');
    // Every third job is acme's; "acme-corp" and a tenant under another field must not match.
    const tenantOf = (i: number) => (i % 3 === 0 ? 'acme' : i % 3 === 1 ? 'acme-corp' : 'globex');
    for (let start = 0; start < 10_000; start += 1000) {
      await emails.addBulk(
        Array.from({ length: 1000 }, (_, k) => {
          const i = start + k;
          return {
            name: 'send',
            data: { i, tenant: tenantOf(i), meta: { tenant: 'acme' } },
            opts: { jobId: `j${i}` },
          };
        }),
      );
    }
    // Acme jobs that are not waiting stay: delayed ones are out of --waiting's reach.
    await emails.addBulk(
      Array.from({ length: 20 }, (_, i) => ({
        name: 'send',
        data: { i: 20_000 + i, tenant: 'acme' },
        opts: { delay: 3_600_000, jobId: `d${i}` },
      })),
    );
    const acme = Array.from({ length: 10_000 }, (_, i) => i).filter((i) => tenantOf(i) === 'acme');
    expect(acme).toHaveLength(3334);

    const dry = await post('emails/cancel', {
      state: 'waiting',
      match: { path: 'data.tenant', value: 'acme' },
      dryRun: true,
    });
    expect(dry.status).toBe(200);
    expect((await dry.json()) as QueueCancelResult).toMatchObject({
      matched: 3334,
      removed: 0,
      dryRun: true,
    });
    expect((await list()).queues.find((q) => q.name === 'emails')?.counts.waiting).toBe(10_000);

    const started = Date.now();
    const res = await post('emails/cancel', {
      state: 'waiting',
      match: { path: 'data.tenant', value: 'acme' },
    });
    const took = Date.now() - started;
    expect((await res.json()) as QueueCancelResult).toMatchObject({
      matched: 3334,
      removed: 3334,
      dryRun: false,
    });
    console.log(`cancel of 3,334 matching out of 10,000 waiting: ${took} ms`);

    const left = await emails.getJobs(['waiting'], 0, -1, true);
    expect(left).toHaveLength(6666);
    expect(left.filter((job) => job.data.tenant === 'acme')).toEqual([]);
    const expected = Array.from({ length: 10_000 }, (_, i) => i).filter((i) => tenantOf(i) !== 'acme');
    expect(left.map((job) => job.data.i as number).sort((a, b) => a - b)).toEqual(expected);
    expect(await emails.getDelayedCount()).toBe(20);
  });

  it('lists each queue with counts by state, pauses and resumes one', async () => {
    const { producer, post, list } = await setup();
    const reports = producer('reports');
    await reports.addBulk([1, 2, 3].map((n) => ({ name: 'r', data: { n } })));
    await reports.add('later', {}, { delay: 3_600_000 });
    await producer('emails').add('e', {});

    const before = await list();
    expect(before.where).toBe('managed');
    expect(before.queues.map((q) => q.name)).toEqual(['emails', 'reports']);
    expect(before.queues[1]).toEqual({
      name: 'reports',
      paused: false,
      counts: { waiting: 3, active: 0, delayed: 1, failed: 0, completed: 0, paused: 0, prioritized: 0 },
    });

    const paused = (await (await post('reports/pause', {})).json()) as QueueSummary;
    expect(paused).toMatchObject({ name: 'reports', paused: true, counts: { waiting: 3, paused: 3 } });
    expect(await reports.isPaused()).toBe(true);
    const resumed = (await (await post('reports/resume', {})).json()) as QueueSummary;
    expect(resumed.paused).toBe(false);
    expect(await reports.isPaused()).toBe(false);
  });

  it('retries failed jobs up to --limit, and cleans finished jobs older than the age given', async () => {
    const { url, app, producer, post } = await setup();
    const jobs = producer('jobs');
    await jobs.addBulk([1, 2, 3, 4, 5].map((n) => ({ name: 'j', data: { n } })));
    const worker = new Worker('jobs', () => Promise.reject(new Error('dependency down')), {
      connection: { url },
      prefix: `${app}:bull`,
    });
    closers.push(() => worker.close());
    await waitUntil(async () => (await jobs.getFailedCount()) === 5);
    await worker.close();

    const retried = await post('jobs/retry', { state: 'failed', limit: 2 });
    expect(await retried.json()).toEqual({ app, queue: 'jobs', retried: 2 });
    expect(await jobs.getJobCounts('failed', 'waiting')).toEqual({ failed: 3, waiting: 2 });

    const day = 86_400_000;
    const young = await post('jobs/clean', { state: 'failed', olderThanMs: day });
    expect(await young.json()).toEqual({ app, queue: 'jobs', removed: 0 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const old = await post('jobs/clean', { state: 'failed', olderThanMs: 10 });
    expect(await old.json()).toEqual({ app, queue: 'jobs', removed: 3 });
    expect(await jobs.getJobCounts('failed', 'waiting')).toEqual({ failed: 0, waiting: 2 });

    const all = await post('jobs/retry', { state: 'failed' });
    expect(await all.json()).toEqual({ app, queue: 'jobs', retried: 0 });
  });

  it('answers 404 for a queue the app does not have, 400 for a bad --match path', async () => {
    const { post } = await setup();
    const missing = await post('nope/pause', {});
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorBody).error.code).toBe('NS_QUEUE_NOT_FOUND');
    const bad = await post('nope/cancel', { state: 'waiting', match: { path: 'data..x', value: '1' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.code).toBe('NS_QUEUE_MATCH_INVALID');
  });

  it('says clearly that an app without Redis has no queues', async () => {
    const { api, app } = await setup({ redisApp: () => false, env: () => ({ LOG_LEVEL: 'info' }) });
    const res = await api.request(`/api/v1/apps/${app}/queues`);
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe('NS_QUEUE_NO_REDIS');
    expect(error.message).toContain('has no Redis');
    expect(error.hint).toContain('redis: true');
  });
});

async function waitUntil(done: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('/apps/:app/queues without `redis: true`', () => {
  const serve = useInject();
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it("finds the queues in the Redis of the app's REDIS_URL, under <app>:bull", async () => {
    const app = uniqueApp();
    const queues = new QueueOps({
      redisApp: () => false,
      redisEnvironment: () => null,
      adminCall: () => Promise.reject(new Error('no admin connection for this app')),
      env: () => ({ REDIS_URL: MACHINE_REDIS }),
      timeoutMs: 3000,
    });
    const api = await serve(
      createApi({ apps: { known: (name: string) => name }, queues } as unknown as ApiServices),
    );
    const mail = new Queue('mail', { connection: { url: MACHINE_REDIS }, prefix: `${app}:bull` });
    closers.push(() => mail.close());
    closers.push(() => mail.obliterate({ force: true }));
    await mail.addBulk([
      { name: 'm', data: { tenant: 'acme' } },
      { name: 'm', data: { tenant: 'globex' } },
    ]);

    const list = (await (await api.request(`/api/v1/apps/${app}/queues`)).json()) as QueueList;
    expect(list).toEqual({
      app,
      where: 'app',
      queues: [
        {
          name: 'mail',
          paused: false,
          counts: { waiting: 2, active: 0, delayed: 0, failed: 0, completed: 0, paused: 0, prioritized: 0 },
        },
      ],
    });
    const res = await api.request(`/api/v1/apps/${app}/queues/mail/cancel`, {
      method: 'POST',
      body: JSON.stringify({ state: 'waiting' }),
    });
    expect(await res.json()).toMatchObject({ matched: 2, removed: 2 });
    expect(await mail.getWaitingCount()).toBe(0);
  });
});
