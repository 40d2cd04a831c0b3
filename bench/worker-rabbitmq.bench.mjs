// Jobs per second through RabbitMQ: a bare amqplib consumer (prefetch 10, manual ack) against the same queue
// consumed through @nightshift/worker (concurrency 10 = prefetch 10), both with a no-op handler and 20,000
// messages. Each run drains its own queue, published before timing starts (in setup), so the wall time is
// consumption only: connect, 20,000 messages, graceful close.
import amqp from 'amqplib';
import { Writable } from 'node:stream';
import { defineWorker, rabbitmq, runWorker } from '@nightshift/worker';

const JOBS = 20_000;
const CONCURRENCY = 10;
// Queues are filled in setup, one per run; read the harness's --runs/--warmup so every run finds its queue.
const flag = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const RUNS = flag('runs', 7);
const WARMUP = flag('warmup', 1);
const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const PREFIX = `nsbench.${process.pid}`;
const devNull = () => new Writable({ write: (_chunk, _encoding, done) => done() });
const created = [];

async function fill(name) {
  const connection = await amqp.connect(AMQP_URL);
  const channel = await connection.createConfirmChannel();
  await channel.assertQueue(name, { durable: true });
  await channel.assertQueue(`${name}.dead`, { durable: true });
  created.push(name, `${name}.dead`);
  for (let n = 0; n < JOBS; n++) {
    const body = Buffer.from(JSON.stringify({ n }));
    if (
      !channel.sendToQueue(name, body, {
        contentType: 'application/json',
        messageId: `m${n}`,
        persistent: true,
      })
    ) {
      await new Promise((resolve) => channel.once('drain', resolve));
    }
    if (n % 2000 === 1999) await channel.waitForConfirms();
  }
  await channel.waitForConfirms();
  await connection.close();
  return name;
}

function queuesFor(label) {
  const ready = [];
  let next = 0;
  return {
    async prepare(count) {
      for (let i = 0; i < count; i++) ready.push(await fill(`${PREFIX}.${label}-${next++}`));
    },
    async take() {
      return ready.shift() ?? (await fill(`${PREFIX}.${label}-${next++}`));
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
  const connection = await amqp.connect(AMQP_URL);
  const channel = await connection.createConfirmChannel();
  await channel.prefetch(CONCURRENCY);
  const { consumerTag } = await channel.consume(name, (message) => {
    // The same async hop a handler gets, then the ack.
    void Promise.resolve().then(() => {
      channel.ack(message);
      counter.tick();
    });
  });
  await counter.finished;
  await channel.cancel(consumerTag);
  await channel.close();
  await connection.close();
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
        source: rabbitmq({ queue: name }),
        concurrency: CONCURRENCY,
        handle: async () => void counter.tick(),
      }),
      { env: { AMQP_URL }, handleSignals: false, logDestination: devNull(), ...options },
    );
    await counter.finished;
    await worker.stop();
    return { metrics: { 'jobs/s': JOBS / ((performance.now() - started) / 1000) } };
  };
}

export default {
  title: `worker: ${JOBS.toLocaleString('en')} no-op jobs through RabbitMQ, concurrency ${CONCURRENCY}`,
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
    const connection = await amqp.connect(AMQP_URL);
    for (const name of created) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await channel.deleteQueue(name).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
    await connection.close();
  },
  baseline: { name: 'bare amqplib consumer, prefetch 10', run: bare },
  cases: [
    {
      name: '@nightshift/worker (defaults; @opentelemetry/api installed, no SDK registered)',
      run: sdk('sdk', {}),
    },
    { name: '@nightshift/worker, tracing off', run: sdk('sdkNoTrace', { tracing: false }) },
  ],
};
