import { Queue, Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { managedAdminUrl, uniqueApp, useClients, useRedisWorlds } from './helpers.js';

// Back-pressure under `noeviction`: a full Redis refuses writes loudly at the caller, loses nothing already
// queued, lets workers drain, and the daemon reports it (events, ps warnings).

describe('a full managed Redis', () => {
  const world = useRedisWorlds();
  const client = useClients();
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('fails Queue.add with the OOM error, keeps every queued job, lets workers drain, and says so', async () => {
    const w = world({ sampleMs: 100 });
    const app = uniqueApp();
    await w.service.provision(app);
    const env = w.service.environment(app)!;
    const admin = client(managedAdminUrl(w));
    const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
    await admin.config('SET', 'maxmemory', String(used + 2 * 1024 * 1024));

    const connection = { url: env.url };
    const prefix = `${env.prefix}bull`;
    const queue = new Queue('fill', { connection, prefix });
    closers.push(() => queue.close());
    const payload = 'x'.repeat(1024);

    // Workers already run (slower than the producer), as in production when memory runs out.
    const processed = new Map<number, number>();
    let corrupt = 0;
    const worker = new Worker(
      'fill',
      async (job) => {
        const n = job.data.n as number;
        processed.set(n, (processed.get(n) ?? 0) + 1);
        if (job.data.payload !== payload) corrupt++;
        await new Promise((r) => setTimeout(r, 3));
      },
      { connection, prefix, concurrency: 1, removeOnComplete: { count: 0 } },
    );
    worker.on('error', () => undefined);
    closers.push(() => worker.close());

    let accepted = 0;
    let refusal: Error | null = null;
    while (refusal === null && accepted < 50_000) {
      try {
        await queue.add('fill', { n: accepted, payload });
        accepted++;
      } catch (err) {
        refusal = err as Error;
      }
    }
    // The caller of Queue.add gets Redis's error at once; match on the prefix, never the script's sha or line.
    expect(refusal?.message).toMatch(/^OOM command not allowed when used memory > 'maxmemory'/);
    expect(accepted).toBeGreaterThan(100);
    const backlog = (await queue.getJobCounts('waiting')).waiting;
    expect(backlog).toBeGreaterThan(0);
    // A plain write of the app fails the same way while the backlog is large.
    const direct = await client(env.url)
      .set(`${app}:more`, payload)
      .then(
        () => 'OK',
        (err: Error) => err.message,
      );

    // The daemon saw it: refused writes and memory above 80 % are events and ps warnings.
    await waitUntil(() => w.events.some((e) => e.type === 'redis:rejecting'), 5_000);
    expect(w.events.some((e) => e.type === 'redis:memory-high')).toBe(true);
    expect(w.service.warnings().join('\n')).toMatch(/refusing writes/);
    expect((await w.service.info(app)).rejectedWrites).toBeGreaterThan(0);

    // Workers keep draining: every accepted job runs exactly once with its payload; nothing failed or was lost.
    await waitUntil(() => processed.size === accepted, 60_000);
    expect([...processed.values()].every((times) => times === 1)).toBe(true);
    expect([...processed.keys()].sort((a, b) => a - b)).toEqual([...Array(accepted).keys()]);
    expect(corrupt).toBe(0);
    expect((await queue.getJobCounts('failed')).failed).toBe(0);
    console.log(
      `back-pressure: ${accepted} jobs accepted before the first OOM, backlog ${backlog}; direct SET then: ${direct.slice(0, 40)}`,
    );
  }, 90_000);
});

async function waitUntil(ok: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
