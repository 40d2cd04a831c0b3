// Issue 16: what an app's ACL user costs BullMQ. The same no-op jobs on the same Redis (the machine's, 6379 or
// REDIS_URL), the same key prefix and the same Worker options, consumed once through the admin connection
// (no ACL rules to check) and once as the app's user `app-<name>` with DESIGN §8's rule, as REDIS_URL gives it.
// Queues are filled ahead (untimed); a run is worker start, JOBS jobs, close. Target: ≥ 0.97× of the baseline.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { appPrefix, appRule, appUser } from '@nightshift/daemon';

const JOBS = 10_000;
const CONCURRENCY = 10;
const flag = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const RUNS = flag('runs', 7);
const WARMUP = flag('warmup', 1);
const ADMIN_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const APP = `nsbench${process.pid}`;
const PREFIX = `${appPrefix(APP)}bull`;
const removeOnComplete = { count: 0 };

async function fill(name) {
  const queue = new Queue(name, { connection: { url: ADMIN_URL }, prefix: PREFIX });
  for (let i = 0; i < JOBS; i += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, JOBS - i) }, (_, k) => ({ name: 'noop', data: { n: i + k } })),
    );
  }
  await queue.close();
  return name;
}

function queuesFor(label) {
  const ready = [];
  let next = 0;
  return {
    async prepare() {
      ready.push(await fill(`${label}-${next++}`));
    },
    async take() {
      return ready.shift() ?? (await fill(`${label}-${next++}`));
    },
  };
}

function consume(label, url) {
  return async (ctx) => {
    const name = await ctx[label].take();
    let count = 0;
    let done;
    const finished = new Promise((resolve) => (done = resolve));
    const started = performance.now();
    const worker = new Worker(name, async () => void (++count === JOBS && done()), {
      connection: { url: url(ctx) },
      prefix: PREFIX,
      concurrency: CONCURRENCY,
      removeOnComplete,
    });
    await finished;
    await worker.close();
    return { metrics: { 'jobs/s': JOBS / ((performance.now() - started) / 1000) } };
  };
}

export default {
  title: `Redis ACL: ${JOBS.toLocaleString('en')} no-op BullMQ jobs, concurrency ${CONCURRENCY}, admin connection vs the app's user`,
  runs: RUNS,
  warmup: WARMUP,
  async setup() {
    const admin = new Redis(ADMIN_URL);
    const password = randomBytes(32).toString('hex');
    await admin.call('ACL', 'SETUSER', ...appRule(APP, [password]));
    const url = new URL(ADMIN_URL);
    url.username = appUser(APP);
    url.password = password;
    const ctx = {
      admin,
      appUrl: url.toString(),
      adminQueues: queuesFor('admin'),
      appQueues: queuesFor('app'),
    };
    for (let round = 0; round < RUNS + WARMUP; round++) {
      await ctx.adminQueues.prepare();
      await ctx.appQueues.prepare();
    }
    return ctx;
  },
  async teardown(ctx) {
    await ctx.admin.call('ACL', 'DELUSER', appUser(APP));
    let cursor = '0';
    do {
      const [next, keys] = await ctx.admin.scan(cursor, 'MATCH', `${appPrefix(APP)}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await ctx.admin.unlink(...keys);
    } while (cursor !== '0');
    await ctx.admin.quit();
  },
  baseline: { name: 'BullMQ Worker on the admin connection', run: consume('adminQueues', () => ADMIN_URL) },
  cases: [{ name: "BullMQ Worker as the app's ACL user", run: consume('appQueues', (ctx) => ctx.appUrl) }],
};
