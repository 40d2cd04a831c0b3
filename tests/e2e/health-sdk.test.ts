import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, Sandbox, waitFor } from './helpers.js';

// Issue 15, deliverable 5 (the health half): an SDK worker under the daemon, whose own /healthz drives restarts.

/** Blocks its event loop for `data.blockMs` per job: /healthz cannot answer meanwhile, and reports 503 after. */
const WORKER = (sdk: string) => `
const { defineWorker, bullmq } = require(${JSON.stringify(sdk)});
module.exports = defineWorker({
  name: 'blocker',
  source: bullmq({ queue: process.env.QUEUE_NAME }),
  async handle(job) {
    console.log('blocking for ' + job.data.blockMs + ' ms');
    const until = Date.now() + job.data.blockMs;
    while (Date.now() < until) {}
  },
});
`;

interface Ev {
  id: number;
  type: string;
  replica?: string;
  data: Record<string, unknown>;
}

describe('an SDK worker: its health drives restarts (real Redis)', () => {
  let sb: Sandbox;
  let queue: Queue | null = null;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
    await queue?.obliterate({ force: true });
    await queue?.close();
  });

  it('serves /healthz on HEALTH_PORT (healthy); a job that blocks its event loop gets it restarted', async () => {
    sb = new Sandbox('hsdk');
    const queueName = `q-${sb.app}`;
    const sdk = join(ROOT, 'packages', 'worker', 'dist', 'index.js');
    const cli = join(ROOT, 'packages', 'worker', 'bin', 'nightshift-worker.js');
    const port = 42000 + Math.floor(Math.random() * 2000);
    sb.writeApp(
      `env: { QUEUE_NAME: ${queueName}, REDIS_URL: "redis://127.0.0.1:6379", NODE_PATH: "${join(ROOT, 'node_modules')}" }\n` +
        `workers:\n  - name: blocker\n    start: ${process.execPath} ${cli} worker.cjs\n` +
        `    health: { port: ${port}, path: /healthz, interval: 1s, timeout: 500ms, failures: 2, start_period: 0s }\n` +
        `    stop_grace: 2s\n    restart: { backoff: 500ms }\n`,
      { 'worker.cjs': WORKER(sdk) },
    );
    await sb.cliOk(['up']);
    await waitFor(async () => (await sb.ps())[0]?.health === 'healthy', 20_000, 'the SDK worker healthy');
    queue = new Queue(queueName, { connection: { host: '127.0.0.1', port: 6379 } });
    await queue.add('block', { blockMs: 6_000 });
    const unhealthy = await waitFor(
      async () =>
        (JSON.parse((await sb.cliOk(['events', '--json', '-n', '200'])).stdout) as Ev[]).find(
          (e) => e.type === 'replica:unhealthy',
        ),
      20_000,
      'replica:unhealthy',
    );
    expect(unhealthy.replica).toBe('blocker.1');
    expect(String(unhealthy.data.error)).toMatch(/^(timeout after 500 ms|HTTP status 503)$/);
    expect((unhealthy.data.lastLines as string[]).join('\n')).toContain('blocking for 6000 ms');
    await waitFor(async () => (await sb.ps())[0]!.restarts >= 1, 15_000, 'restarted');
  }, 90_000);
});
