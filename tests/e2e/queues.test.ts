import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import type { QueueList } from '@nightshift/protocol';
import { procEnv, Sandbox, waitFor } from './helpers.js';

// `nightshift queues` on a real daemon whose Redis is the machine's (NIGHTSHIFT_REDIS_ADMIN_URL): an app with
// `redis: true` and a BullMQ queue of 10,000 waiting jobs, and an app without Redis.

const WORKER = `redis: true
workers:
  - name: w
    start: sleep 10000
    stop_grace: 2s
`;

describe('nightshift queues (real daemon)', () => {
  let sb: Sandbox;
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean();
    expect(await sb.cleanup()).toEqual([]);
  });

  it('queues cancel emails --waiting --match data.tenant=acme removes exactly the matching waiting jobs of 10,000', async () => {
    sb = new Sandbox('queues');
    Object.assign(sb.daemonEnv, { NIGHTSHIFT_REDIS_ADMIN_URL: 'redis://127.0.0.1:6379' });
    sb.writeApp(WORKER);
    await sb.cliOk(['up']);
    const env = await waitFor(
      async () => {
        const pid = (await sb.ps()).find((r) => r.state === 'running')?.pid;
        return pid ? procEnv(pid) : null;
      },
      15_000,
      'a running worker',
    );
    // The producer is the app: its own user and the prefix the SDK derives (`<app>:bull`).
    const emails = new Queue('emails', { connection: { url: env.REDIS_URL! }, prefix: `${sb.app}:bull` });
    cleanups.push(() => sb.cli(['apps', 'destroy', sb.app, '--confirm', sb.app]));
    cleanups.push(() => emails.close());
    const tenantOf = (i: number) => ['acme', 'globex', 'acme-corp'][i % 3]!;
    for (let start = 0; start < 10_000; start += 1000)
      await emails.addBulk(
        Array.from({ length: 1000 }, (_, k) => ({
          name: 'send',
          data: { i: start + k, tenant: tenantOf(start + k) },
        })),
      );

    const listed = JSON.parse((await sb.cliOk(['queues', '--json'])).stdout) as QueueList;
    expect(listed.queues).toEqual([
      {
        name: 'emails',
        paused: false,
        counts: {
          waiting: 10_000,
          active: 0,
          delayed: 0,
          failed: 0,
          completed: 0,
          paused: 0,
          prioritized: 0,
        },
      },
    ]);
    const table = (await sb.cliOk(['queues'])).stdout;
    expect(table).toMatch(/^QUEUE\s+STATE\s+WAITING\s+ACTIVE\s+DELAYED\s+FAILED\s+COMPLETED\s+PAUSED$/m);
    expect(table).toMatch(/^emails\s+running\s+10000\s+0\s+0\s+0\s+0\s+0$/m);

    // No terminal and no --yes: the count is shown, nothing is removed, and the command says how to go on.
    const refused = await sb.cli(['queues', 'cancel', 'emails', '--waiting', '--match', 'data.tenant=acme']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('emails: 3334 waiting job(s) matching data.tenant=acme');
    expect(refused.stderr).toContain('--yes');
    expect(await emails.getWaitingCount()).toBe(10_000);

    const done = await sb.cliOk([
      'queues',
      'cancel',
      'emails',
      '--waiting',
      '--match',
      'data.tenant=acme',
      '--yes',
    ]);
    expect(done.stderr).toContain('emails: removed 3334 waiting job(s) matching data.tenant=acme');
    const left = await emails.getJobs(['waiting'], 0, -1, true);
    expect(left).toHaveLength(6666);
    expect(left.some((job) => job.data.tenant === 'acme')).toBe(false);
    expect(new Set(left.map((job) => job.data.i as number)).size).toBe(6666);

    await sb.cliOk(['queues', 'pause', 'emails']);
    expect(await emails.isPaused()).toBe(true);
    expect((await sb.cliOk(['queues'])).stdout).toMatch(/^emails\s+paused\s+6666\s+0\s+0\s+0\s+0\s+6666$/m);
  });

  it('queues on an app without Redis says so', async () => {
    sb = new Sandbox('noqueues');
    sb.writeApp(`workers:\n  - name: w\n    start: sleep 10000\n    stop_grace: 2s\n`);
    await sb.cliOk(['up']);
    const res = await sb.cli(['queues']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('NS_QUEUE_NO_REDIS');
    expect(res.stderr).toContain('has no Redis');
    expect(res.stderr).toContain('redis: true');
  });
});
