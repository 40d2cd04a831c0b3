/**
 * `@nightshift/worker/testing`: run one handler with an in-memory job scope, no queue. The job goes through the
 * same pipeline as in production (root container in strict mode, job scope, context, classification, disposal),
 * with services replaceable by name, logs and metrics captured, and the abort signal in the test's hands.
 */
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { createWorkerContainer } from './container/registry.js';
import { checkDefinition, type AnyWorkerDefinition, type Registration } from './definition.js';
import { parseWorkerEnv } from './env.js';
import { WorkerError } from './errors.js';
import { createJobRunner, shutdownError } from './job/runner.js';
import type { Job, JobContext, Trigger } from './job/types.js';
import { createRootLogger } from './logger.js';
import { parseWorkerConfig, type ConfigOverrides } from './options.js';
import type { Settlement } from './retry.js';
import { createQueueMetrics, type Outcome } from './telemetry/metrics.js';

/** The job to run and how to run it. */
export interface TestJobOptions<Data = unknown> {
  readonly data: Data;
  readonly id?: string;
  readonly name?: string;
  /** Default `test`. */
  readonly queue?: string;
  /** Default 1. Set it to the last attempt to see a failure dead-lettered instead of retried. */
  readonly attempt?: number;
  /** Default `manual`. */
  readonly trigger?: Trigger;
  readonly enqueuedAt?: Date;
  /** Replacements for services or job services, by name (a fake mailer, an in-memory repository). */
  readonly overrides?: Readonly<Record<string, Registration<unknown, never>>>;
  /** The environment the worker sees (default: empty, so tests do not depend on the machine's). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly config?: ConfigOverrides;
  /** Jitter source for the backoff (default: no jitter, so delays are exact). */
  readonly random?: () => number;
}

/** One captured log line (pino's JSON object). */
export interface LogRecord {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** How the run ended. */
export interface TestJobResult {
  /** `completed`, `retried` (the queue would run it again) or `failed` (dead-lettered). */
  readonly outcome: Outcome;
  readonly settlement: Settlement;
  /** The handler's return value, when it completed. */
  readonly value: unknown;
  /** What the handler threw, when it did not complete. */
  readonly error: unknown;
  /** The delay before the next attempt, when retried. */
  readonly retryDelayMs: number | undefined;
  /** The job context the handler saw. */
  readonly ctx: JobContext | undefined;
  readonly logs: readonly LogRecord[];
  readonly metrics: {
    readonly completed: number;
    readonly retried: number;
    readonly failed: number;
    readonly text: string;
  };
}

/** A job run in progress. */
export interface TestJobRun {
  /** Fires the job's signal; by default with the shutdown reason, so the job is released as on SIGTERM. */
  abort(reason?: unknown): void;
  /** Log lines so far (live). */
  readonly logs: readonly LogRecord[];
  /** Settles when the job and both scopes are disposed. */
  readonly done: Promise<TestJobResult>;
}

/**
 * Starts one job through the worker's handler, for tests that need to act while it runs (abort it, look at logs).
 *
 * @example
 * const run = startTestJob(worker, { data: { to: 'a@example.com' }, overrides: { mailer: () => fakeMailer } });
 * run.abort();
 * expect((await run.done).outcome).toBe('retried');
 */
export function startTestJob<Data>(def: AnyWorkerDefinition, options: TestJobOptions<Data>): TestJobRun {
  checkDefinition(def);
  const logs: LogRecord[] = [];
  let ctx: JobContext | undefined;
  // The context is built inside the runner; the wrapped handler keeps the one the real handler saw.
  const effective: AnyWorkerDefinition = {
    ...withOverrides(def, options.overrides ?? {}),
    handle: (job: Job, tools: { ctx: JobContext }): unknown => {
      ctx = tools.ctx;
      return (def.handle as (job: Job, tools: unknown) => unknown)(job, tools);
    },
  };
  const config = parseWorkerConfig(effective, parseWorkerEnv(options.env ?? {}), {
    tracing: false,
    ...options.config,
  });
  const logger = createRootLogger(
    { ...config, logLevel: options.config?.logLevel ?? 'trace' },
    capture(logs),
  );
  const registry = new Registry();
  const container = createWorkerContainer(effective, { config, logger, registry });
  const queue = options.queue ?? 'test';
  const metrics = createQueueMetrics(registry, queue);
  const runner = createJobRunner({
    def: effective,
    config,
    container,
    logger,
    metrics,
    trace: undefined,
    random: options.random ?? (() => 0),
  });
  const job: Job = {
    id: options.id ?? 'test-job-1',
    name: options.name,
    data: options.data,
    queue,
    attempt: options.attempt ?? 1,
    trigger: options.trigger ?? 'manual',
    enqueuedAt: options.enqueuedAt ?? new Date(),
  };
  const done = (async (): Promise<TestJobResult> => {
    container.init();
    let settlement: Settlement | undefined;
    try {
      await runner.process(job, (decided) => {
        settlement = decided;
        return Promise.resolve();
      });
    } finally {
      await container.dispose((error) => logger.error({ err: error, code: error.code }, error.message));
    }
    const final = settlement!;
    const count = async (outcome: Outcome): Promise<number> =>
      (await registry.getSingleMetric('nightshift_jobs_total')!.get()).values.find(
        (v) => v.labels.outcome === outcome,
      )?.value ?? 0;
    return {
      outcome: final.kind === 'ack' ? 'completed' : final.kind === 'retry' ? 'retried' : 'failed',
      settlement: final,
      value: final.kind === 'ack' ? final.value : undefined,
      error: final.kind === 'ack' ? undefined : final.error,
      retryDelayMs: final.kind === 'retry' ? final.delayMs : undefined,
      ctx,
      logs,
      metrics: {
        completed: await count('completed'),
        retried: await count('retried'),
        failed: await count('failed'),
        text: await registry.metrics(),
      },
    };
  })();
  return {
    abort: (reason) => runner.abortAll(reason === undefined ? shutdownError(0) : reason),
    logs,
    done,
  };
}

/**
 * Runs one job through the worker's handler and returns how it ended.
 *
 * @example
 * const result = await runTestJob(worker, { data: { to: 'a@example.com' }, overrides: { mailer: () => fake } });
 * expect(result.outcome).toBe('completed');
 * expect(result.logs.some((line) => line.msg === 'sent')).toBe(true);
 */
export function runTestJob<Data>(
  def: AnyWorkerDefinition,
  options: TestJobOptions<Data>,
): Promise<TestJobResult> {
  return startTestJob(def, options).done;
}

function withOverrides(
  def: AnyWorkerDefinition,
  overrides: Readonly<Record<string, Registration<unknown, never>>>,
): AnyWorkerDefinition {
  type Any = Registration<unknown, never>;
  const services: Record<string, Any> = { ...(def.services as Record<string, Any> | undefined) };
  const jobServices: Record<string, Any> = { ...(def.jobServices as Record<string, Any> | undefined) };
  for (const [name, registration] of Object.entries(overrides)) {
    if (name in jobServices) jobServices[name] = registration;
    else if (name in services) services[name] = registration;
    else {
      throw new WorkerError(
        'NS_WORKER_DEFINITION_INVALID',
        `worker "${def.name}": override "${name}" replaces nothing`,
        `overrides replace services or job services by name; the names are ${[...Object.keys(services), ...Object.keys(jobServices)].join(', ') || '(none)'}`,
      );
    }
  }
  return {
    ...def,
    services: services as AnyWorkerDefinition['services'],
    jobServices: jobServices as AnyWorkerDefinition['jobServices'],
  };
}

function capture(into: LogRecord[]): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      for (const line of chunk.toString().split('\n'))
        if (line.trim() !== '') into.push(JSON.parse(line) as LogRecord);
      done();
    },
  });
}
