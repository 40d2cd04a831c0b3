// Issue 16: what an app's ACL user costs BullMQ. The same no-op jobs on the same Redis, the same key prefix and
// the same Worker options, consumed once through the admin connection (no ACL rules to check) and once as the
// app's user `app-<name>` with DESIGN §8's rule, as REDIS_URL gives it. Queues are filled ahead (untimed); a run
// is worker start, JOBS jobs, close. Target: ≥ 0.97× of the baseline.
//
// The Redis is a private redis-server started here (REDIS_URL overrides it), so other clients of the machine's
// Redis do not land in the second metric: the server's own CPU time per 1,000 jobs, which is where ACL checks
// are paid and which wall time on a busy machine blurs.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { appPrefix, appRule, appUser } from '@nightshift/daemon';

const JOBS = 10_000;
const CONCURRENCY = 10;
const flag = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const RUNS = flag('runs', 7);
const WARMUP = flag('warmup', 1);
let ADMIN_URL = process.env.REDIS_URL;
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

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  return port;
}

async function privateRedis() {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await probe.connect();
      await probe.quit();
      return { url, child };
    } catch (err) {
      probe.disconnect();
      if (tries > 100 || child.exitCode !== null)
        throw new Error(`redis-server did not start on ${port}: ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function serverCpuMs(admin) {
  const info = await admin.info('cpu');
  const field = (name) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? NaN);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

function consume(label, url) {
  return async (ctx) => {
    const name = await ctx[label].take();
    const cpuBefore = await serverCpuMs(ctx.admin);
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
    const seconds = (performance.now() - started) / 1000;
    await worker.close();
    const cpu = (await serverCpuMs(ctx.admin)) - cpuBefore;
    return { metrics: { 'jobs/s': JOBS / seconds, 'redis CPU ms / 1k jobs': cpu / (JOBS / 1000) } };
  };
}

export default {
  title: `Redis ACL: ${JOBS.toLocaleString('en')} no-op BullMQ jobs, concurrency ${CONCURRENCY}, admin connection vs the app's user`,
  runs: RUNS,
  warmup: WARMUP,
  async setup() {
    const own = ADMIN_URL === undefined ? await privateRedis() : undefined;
    if (own) ADMIN_URL = own.url;
    const admin = new Redis(ADMIN_URL);
    const password = randomBytes(32).toString('hex');
    await admin.call('ACL', 'SETUSER', ...appRule(APP, [password]));
    const url = new URL(ADMIN_URL);
    url.username = appUser(APP);
    url.password = password;
    const ctx = {
      own,
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
    if (ctx.own) {
      ctx.own.child.kill('SIGTERM');
      await once(ctx.own.child, 'exit');
    }
  },
  baseline: { name: 'BullMQ Worker on the admin connection', run: consume('adminQueues', () => ADMIN_URL) },
  cases: [{ name: "BullMQ Worker as the app's ACL user", run: consume('appQueues', (ctx) => ctx.appUrl) }],
};
