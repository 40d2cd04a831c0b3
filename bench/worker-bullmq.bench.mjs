// Jobs per second through BullMQ: a bare BullMQ `Worker` against the same queue consumed through
// @nightshift/worker (root container, job scope on demand, context, metrics, settlement), both with
// concurrency 10, a no-op handler and 20,000 jobs. Each run drains its own queue, filled before timing starts
// (in setup), so the wall time is consumption only: worker start, 20,000 jobs, graceful close.
import { Queue, Worker } from 'bullmq';
import { Writable } from 'node:stream';
import { bullmq, defineWorker, runWorker } from '@nightshift/worker';

const JOBS = 20_000;
const CONCURRENCY = 10;
// Queues are filled in setup, one per run; read the harness's --runs/--warmup so every run finds its queue.
const flag = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const RUNS = flag('runs', 7);
const WARMUP = flag('warmup', 1);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `nsbench${process.pid}:bull`;
const connection = { url: REDIS_URL };
// Same retention on both sides, so Redis does the same work.
const removeOnComplete = { count: 0 };
const devNull = () => new Writable({ write: (_chunk, _encoding, done) => done() });

async function fill(name) {
  const queue = new Queue(name, { connection, prefix: PREFIX });
  for (let i = 0; i < JOBS; i += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, JOBS - i) }, (_, k) => ({ name: 'noop', data: { n: i + k } })),
    );
  }
  await queue.close();
  return name;
}

/** Queues for every run of one entry, filled ahead; a run beyond them (more --runs) fills its own, timed. */
function queuesFor(label) {
  const ready = [];
  let next = 0;
  return {
    async prepare(count) {
      for (let i = 0; i < count; i++) ready.push(await fill(`${label}-${next++}`));
    },
    async take() {
      return ready.shift() ?? (await fill(`${label}-${next++}`));
    },
  };
}

function untilCount(target) {
  let count = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  return { tick: () => ++count === target && done(), finished };
}

async function bare(ctx) {
  const name = await ctx.bare.take();
  const counter = untilCount(JOBS);
  const started = performance.now();
  const worker = new Worker(name, async () => void counter.tick(), {
    connection,
    prefix: PREFIX,
    concurrency: CONCURRENCY,
    removeOnComplete,
  });
  await counter.finished;
  await worker.close();
  return { metrics: { 'jobs/s': JOBS / ((performance.now() - started) / 1000) } };
}

function sdk(label, options) {
  return async (ctx) => {
    const name = await ctx[label].take();
    const counter = untilCount(JOBS);
    const started = performance.now();
    const worker = await runWorker(
      defineWorker({
        name: 'bench',
        source: bullmq({ queue: name, prefix: PREFIX, workerOptions: { removeOnComplete } }),
        concurrency: CONCURRENCY,
        handle: async () => void counter.tick(),
      }),
      { env: { REDIS_URL }, handleSignals: false, logDestination: devNull(), ...options },
    );
    await counter.finished;
    await worker.stop();
    return { metrics: { 'jobs/s': JOBS / ((performance.now() - started) / 1000) } };
  };
}

export default {
  title: `worker: ${JOBS.toLocaleString('en')} no-op jobs through BullMQ, concurrency ${CONCURRENCY}`,
  runs: RUNS,
  warmup: WARMUP,
  async setup() {
    const ctx = { bare: queuesFor('bare'), sdk: queuesFor('sdk'), sdkNoTrace: queuesFor('sdk-notrace') };
    // Interleaved, so no entry always gets the oldest (or newest) queues.
    for (let round = 0; round < RUNS + WARMUP; round++)
      for (const entry of [ctx.bare, ctx.sdk, ctx.sdkNoTrace]) await entry.prepare(1);
    return ctx;
  },
  async teardown() {
    const { Redis } = await import('ioredis');
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
    await redis.quit();
  },
  baseline: { name: 'bare BullMQ Worker', run: bare },
  cases: [
    {
      name: '@nightshift/worker (defaults; @opentelemetry/api installed, no SDK registered)',
      run: sdk('sdk', {}),
    },
    { name: '@nightshift/worker, tracing off', run: sdk('sdkNoTrace', { tracing: false }) },
  ],
};
