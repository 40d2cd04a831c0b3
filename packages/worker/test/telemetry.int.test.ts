/** Telemetry of a running worker on a real BullMQ queue: /metrics, /healthz, OpenTelemetry spans. */
import { trace } from '@opentelemetry/api';
import { Queue } from 'bullmq';
import { Writable } from 'node:stream';
// @ts-expect-error -- the parser ships no type declarations
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NonRetriableError } from '../src/control.js';
import { defineWorker } from '../src/definition.js';
import { runWorker, type RunningWorker } from '../src/run.js';
import { bullmq } from '../src/sources/bullmq.js';
import { redisNamespace, REDIS_URL, type RedisNamespace } from './helpers/redis.js';
import { deferred, uniqueSuffix, waitFor } from './helpers/wait.js';

interface Family {
  name: string;
  type: string;
  metrics: {
    value?: string;
    labels?: Record<string, string>;
    buckets?: Record<string, string>;
    count?: string;
  }[];
}
const parse = parsePrometheusTextFormat as (text: string) => Family[];
const quiet = () => new Writable({ write: (_c, _e, done) => done() });

describe('telemetry', () => {
  let space: RedisNamespace;
  let queue: Queue;
  let name: string;
  let worker: RunningWorker | undefined;

  beforeEach(async () => {
    space = await redisNamespace();
    name = `telemetry-${uniqueSuffix()}`;
    queue = new Queue(name, { connection: { url: REDIS_URL }, prefix: `${space.prefix}bull` });
  });
  afterEach(async () => {
    if (worker && worker.state !== 'stopped') await worker.kill();
    worker = undefined;
    trace.disable();
    await queue.close();
    await space.cleanup();
  });

  const start = (handle: (job: { data: { n: number } }) => unknown, env: Record<string, string> = {}) =>
    runWorker(
      defineWorker({
        name: 'telemetry',
        source: bullmq({ queue: name }),
        concurrency: 2,
        retry: { attempts: 2, backoff: { type: 'fixed', delay: 10 } },
        handle,
      }),
      {
        env: { REDIS_URL, NIGHTSHIFT_REDIS_PREFIX: space.prefix, ...env },
        handleSignals: false,
        logDestination: quiet(),
      },
    );

  it('serves job counters by outcome, the duration histogram and in-flight gauge on METRICS_PORT', async () => {
    worker = await start(
      (job) => {
        if (job.data.n === 3) throw new NonRetriableError('no');
        if (job.data.n === 4) throw new Error('flaky');
      },
      { METRICS_PORT: '0' },
    );
    await queue.addBulk([0, 1, 2, 3, 4].map((n) => ({ name: 'job', data: { n } })));
    await waitFor('5 settled', async () => {
      const counts = await queue.getJobCounts('completed', 'failed');
      return counts.completed! + counts.failed! === 5;
    });
    const res = await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`);
    expect(res.status).toBe(200);
    const families = parse(await res.text());
    const jobs = families.find((f) => f.name === 'nightshift_jobs_total')!;
    const count = (outcome: string) =>
      Number(jobs.metrics.find((m) => m.labels?.outcome === outcome && m.labels.queue === name)?.value);
    expect({ completed: count('completed'), retried: count('retried'), failed: count('failed') }).toEqual({
      completed: 3,
      retried: 1,
      failed: 2,
    });
    const duration = families.find((f) => f.name === 'nightshift_job_duration_seconds')!;
    expect(duration.type).toBe('HISTOGRAM');
    expect(Number(duration.metrics[0]!.buckets!['+Inf'])).toBe(6); // every run observed, retries included
    const inFlight = families.find((f) => f.name === 'nightshift_jobs_in_flight')!;
    expect(Number(inFlight.metrics[0]!.value)).toBe(0);
    expect((await fetch(`http://127.0.0.1:${worker.metricsPort}/nope`)).status).toBe(404);
    const port = worker.metricsPort!;
    await worker.stop();
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });

  it('answers /healthz with the consumer connection and event-loop delay, 503 once draining', async () => {
    const gate = deferred();
    let running = 0;
    worker = await start(
      async () => {
        running += 1;
        await gate.promise;
      },
      { HEALTH_PORT: '0' },
    );
    const res = await fetch(`http://127.0.0.1:${worker.healthPort}/healthz`);
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      state: 'running',
      consumer: { kind: 'bullmq', queue: name, connected: true },
      inFlight: 0,
    });
    expect(body.eventLoopDelayMs).toEqual({ p99: expect.any(Number), max: expect.any(Number) });

    await queue.add('job', { n: 1 });
    await waitFor('the job in flight', () => running === 1);
    const stopping = worker.stop();
    const draining = await fetch(`http://127.0.0.1:${worker.healthPort}/healthz`);
    expect(draining.status).toBe(503);
    expect(await draining.json()).toMatchObject({ status: 'unhealthy', state: 'draining', inFlight: 1 });
    gate.resolve();
    await stopping;
  });

  it('serves both paths from one server when METRICS_PORT equals HEALTH_PORT', async () => {
    const probe = await runWorker(
      defineWorker({
        name: 'port-probe',
        source: bullmq({ queue: `${name}-probe` }),
        handle: () => undefined,
      }),
      {
        env: { REDIS_URL, NIGHTSHIFT_REDIS_PREFIX: space.prefix, METRICS_PORT: '0' },
        handleSignals: false,
        logDestination: quiet(),
      },
    );
    const port = probe.metricsPort!;
    await probe.stop();
    worker = await start(() => undefined, { METRICS_PORT: String(port), HEALTH_PORT: String(port) });
    expect(worker.healthPort).toBe(port);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it('runs each job in a CONSUMER span once an OpenTelemetry SDK is registered, recording failures', async () => {
    const spans: {
      name: string;
      kind: number;
      attributes: Record<string, unknown>;
      exception?: unknown;
      status?: number;
      ended: boolean;
    }[] = [];
    const tracer = {
      startActiveSpan(
        spanName: string,
        options: { kind: number; attributes: Record<string, unknown> },
        fn: (span: unknown) => unknown,
      ) {
        const record: (typeof spans)[number] = {
          name: spanName,
          kind: options.kind,
          attributes: options.attributes,
          ended: false,
        };
        spans.push(record);
        return fn({
          setAttribute: () => undefined,
          recordException: (exception: unknown) => (record.exception = exception),
          setStatus: (status: { code: number }) => (record.status = status.code),
          end: () => (record.ended = true),
        });
      },
    };
    worker = await start((job) => {
      if (job.data.n === 2) throw new NonRetriableError('broken');
    });
    await queue.add('job', { n: 1 });
    await waitFor('the untraced job', async () => (await queue.getJobCounts('completed')).completed === 1);
    expect(spans).toEqual([]); // no SDK yet: no span

    trace.setGlobalTracerProvider({ getTracer: () => tracer } as never);
    await queue.addBulk([
      { name: 'job', data: { n: 2 } },
      { name: 'job', data: { n: 3 } },
    ]);
    await waitFor('two traced jobs', () => spans.filter((s) => s.ended).length === 2);
    const failed = spans.find((s) => s.exception)!;
    expect(failed).toMatchObject({
      name: `${name} process`,
      kind: 4,
      status: 2,
      ended: true,
      attributes: {
        'messaging.destination.name': name,
        'nightshift.job.attempt': 1,
        'nightshift.job.trigger': 'queue',
      },
    });
    expect((failed.exception as Error).message).toBe('broken');
    expect(spans.filter((s) => !s.exception)).toHaveLength(1);
  });
});
