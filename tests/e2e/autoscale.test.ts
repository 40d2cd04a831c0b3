import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { procEnv, Sandbox, sleep, waitFor } from './helpers.js';

// The autoscaler on a real daemon: a CPU-bound worker in real time, and queue depth from the machine's Redis
// (BullMQ) and RabbitMQ. Periods are shortened with NIGHTSHIFT_AUTOSCALE_PERIOD_MS; the window with the
// manifest's `scale_down_after` (its 5-minute default is covered under an injected clock in the daemon's tests).

const REDIS = 'redis://127.0.0.1:6379';
const AMQP = 'amqp://guest:guest@127.0.0.1:5672';
const PERIOD_MS = 1_000;

interface Status {
  processes: {
    process: string;
    desired: number;
    min: number;
    max: number;
    boundsOverridden: boolean;
    last: { to: number } | null;
  }[];
}

describe('autoscale (real daemon)', () => {
  let sb: Sandbox;
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean();
    expect(await sb.cleanup()).toEqual([]);
  });

  const desired = async (proc: string) => {
    const res = await sb.cliOk(['autoscale', 'status', proc, '--json']);
    return (JSON.parse(res.stdout) as Status).processes[0]!.desired;
  };
  const reaches = (proc: string, count: number, ms: number) =>
    waitFor(async () => ((await desired(proc)) === count ? true : null), ms, `${proc} at ${count}`);

  it('a CPU-bound worker scales up in real time; manual scale is refused, --min/--max change the bounds', async () => {
    sb = new Sandbox('autocpu');
    Object.assign(sb.daemonEnv, { NIGHTSHIFT_AUTOSCALE_PERIOD_MS: String(PERIOD_MS) });
    sb.writeApp(`workers:
  - name: burn
    start: sh -c 'while :; do :; done'
    stop_grace: 1s
    resources: { cpu: 0.25 }
    autoscale: { min: 1, max: 2, cpu: 50 }
`);
    await sb.cliOk(['up']);
    // CPU % needs two samples of the replica (5 s apart), then one period.
    await reaches('burn', 2, 30_000);
    const events = await sb.cliOk(['events', '--json']);
    expect(events.stdout).toContain('process:autoscaled');
    expect((await sb.cliOk(['ps'])).stdout).toContain('burn: auto 2/1–2');

    const refused = await sb.cli(['scale', 'burn=1']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('NS_SCALE_AUTOSCALED');
    expect(refused.stderr).toContain('--min');
    await sb.cliOk(['scale', 'burn', '--max', '1']);
    await reaches('burn', 1, 10_000);
    const text = (await sb.cliOk(['autoscale', 'status'])).stdout;
    expect(text).toContain('burn: auto 1/1–1');
    expect(text).toContain('cpu');
  });

  it('--min/--max bounds survive a daemon restart and end when a deploy changes the manifest bounds', async () => {
    sb = new Sandbox('autobounds');
    Object.assign(sb.daemonEnv, { NIGHTSHIFT_AUTOSCALE_PERIOD_MS: String(PERIOD_MS) });
    // Idle: CPU recommends the minimum, and with no window the count follows at once.
    const manifest = (max: number) => `workers:
  - name: idle
    start: sleep 10000
    stop_grace: 1s
    resources: { cpu: 0.25 }
    autoscale: { min: 1, max: ${max}, cpu: 50, scale_down_after: 0s }
`;
    sb.writeApp(manifest(3));
    await sb.cliOk(['up']);
    await sb.cliOk(['scale', 'idle', '--min', '2', '--max', '2']);
    await reaches('idle', 2, 10_000);

    await sb.cliOk(['daemon', 'stop', '--timeout', '60']);
    sb.startDaemon();
    await waitFor(async () => ((await sb.cli(['ps'])).code === 0 ? true : null), 30_000, 'daemon back');
    const bounds = async () => {
      const res = await sb.cliOk(['autoscale', 'status', 'idle', '--json']);
      const p = (JSON.parse(res.stdout) as Status).processes[0]!;
      return { min: p.min, max: p.max, overridden: p.boundsOverridden };
    };
    expect(await bounds()).toEqual({ min: 2, max: 2, overridden: true });
    // Several periods after the restart, the restored minimum still holds the count at 2.
    await sleep(7 * PERIOD_MS);
    expect(await desired('idle')).toBe(2);
    expect((await sb.cliOk(['ps'])).stdout).toContain('idle: auto 2/2–2');

    sb.writeApp(manifest(4));
    await sb.cliOk(['deploy']);
    expect(await bounds()).toEqual({ min: 1, max: 4, overridden: false });
    await reaches('idle', 1, 30_000);
    expect((await sb.cliOk(['events', '--json'])).stdout).toContain('autoscale:bounds-cleared');
  });

  it('BullMQ: 1,000 jobs with target 100 reach max; an empty queue goes to 0 and one job brings 1', async () => {
    sb = new Sandbox('autobull');
    Object.assign(sb.daemonEnv, {
      NIGHTSHIFT_AUTOSCALE_PERIOD_MS: String(PERIOD_MS),
      NIGHTSHIFT_REDIS_ADMIN_URL: REDIS,
    });
    sb.writeApp(`redis: true
workers:
  - name: jobs
    start: sleep 10000
    stop_grace: 1s
    autoscale: { min: 0, max: 4, scale_down_after: 0s, queue: { kind: bullmq, name: jobs, target: 100 } }
`);
    await sb.cliOk(['up']);
    const connection = new Redis(REDIS, { maxRetriesPerRequest: null });
    const queue = new Queue('jobs', { connection, prefix: `${sb.app}:bull` });
    cleanups.push(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
      await sb.cli(['apps', 'destroy', sb.app, '--confirm', sb.app]);
    });
    await reaches('jobs', 0, 10_000);
    await queue.addBulk(Array.from({ length: 1000 }, (_, i) => ({ name: 'j', data: { i } })));
    // 0 → 1 → 2 → 4: at most doubling each period.
    await reaches('jobs', 4, 15_000);
    await queue.drain(true);
    await reaches('jobs', 0, 10_000);
    await queue.add('one', {});
    const t0 = Date.now();
    await reaches('jobs', 1, 10_000);
    // Within a period (plus the CLI's own round trips).
    expect(Date.now() - t0).toBeLessThan(PERIOD_MS + 3_000);
  });

  it('BullMQ in the managed Redis (redis: true): the daemon reads the queue as admin', async () => {
    sb = new Sandbox('automanaged');
    Object.assign(sb.daemonEnv, { NIGHTSHIFT_AUTOSCALE_PERIOD_MS: String(PERIOD_MS) });
    sb.writeApp(`redis: true
workers:
  - name: jobs
    start: sleep 10000
    stop_grace: 1s
    autoscale: { min: 1, max: 3, queue: { kind: bullmq, name: jobs, target: 100 } }
`);
    await sb.cliOk(['up']);
    const env = await waitFor(
      async () => {
        const pid = (await sb.ps()).find((r) => r.state === 'running')?.pid;
        return pid ? procEnv(pid) : null;
      },
      15_000,
      'a running worker',
    );
    // The app's own user and prefix, as its web process would enqueue.
    const connection = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
    const queue = new Queue('jobs', { connection, prefix: `${sb.app}:bull` });
    cleanups.push(async () => {
      await queue.close();
      connection.disconnect();
    });
    await queue.addBulk(Array.from({ length: 300 }, (_, i) => ({ name: 'j', data: { i } })));
    await reaches('jobs', 3, 15_000);
  });

  it('RabbitMQ: the ready count of a queue at AMQP_URL scales the worker, down to 0 when empty', async () => {
    sb = new Sandbox('autorabbit');
    Object.assign(sb.daemonEnv, { NIGHTSHIFT_AUTOSCALE_PERIOD_MS: String(PERIOD_MS) });
    const name = `${sb.app}-jobs`;
    sb.writeApp(`env: { AMQP_URL: "${AMQP}" }
workers:
  - name: jobs
    start: sleep 10000
    stop_grace: 1s
    autoscale: { min: 0, max: 3, scale_down_after: 0s, queue: { kind: rabbitmq, name: ${name}, target: 100 } }
`);
    const amqp = await import('amqplib');
    const conn = await amqp.connect(AMQP);
    const ch = await conn.createChannel();
    cleanups.push(async () => {
      await ch.deleteQueue(name);
      await conn.close();
    });
    await ch.assertQueue(name, { durable: false });
    await sb.cliOk(['up']);
    await reaches('jobs', 0, 10_000);
    for (let i = 0; i < 250; i++) ch.sendToQueue(name, Buffer.from(String(i)));
    await reaches('jobs', 3, 15_000);
    await ch.purgeQueue(name);
    await reaches('jobs', 0, 10_000);
  });
});
