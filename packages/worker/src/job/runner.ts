/**
 * The per-job pipeline every adapter feeds: build the context, run the handler (in a span when tracing is on),
 * classify the result, dispose the job scope, then settle with the queue. It also owns the set of jobs in flight,
 * so shutdown can wait for them and, after the grace period, fire their signals.
 */
import type { Logger } from 'pino';
import type { WorkerContainer } from '../container/registry.js';
import type { AnyWorkerDefinition, JobTools } from '../definition.js';
import { describeError, isWorkerError, WorkerError } from '../errors.js';
import type { WorkerConfig } from '../options.js';
import { classifyFailure, type Settlement } from '../retry.js';
import type { Settle } from '../sources/types.js';
import type { Outcome, QueueMetrics } from '../telemetry/metrics.js';
import type { TraceJob } from '../telemetry/tracing.js';
import { JobAbort } from './abort.js';
import { createContext } from './context.js';
import { JobScope } from './scope.js';
import type { Job } from './types.js';

/** What the runner is built from. */
export interface RunnerParts {
  readonly def: AnyWorkerDefinition;
  readonly config: WorkerConfig;
  readonly container: WorkerContainer;
  readonly logger: Logger;
  readonly metrics: QueueMetrics;
  readonly trace: TraceJob | undefined;
  /** Source of jitter for backoff; injectable so tests are deterministic. */
  readonly random: () => number;
}

/** Runs jobs and tracks those in flight. */
export interface JobRunner {
  /** Runs one job to its settlement; never rejects. */
  process(job: Job, settle: Settle): Promise<void>;
  readonly inFlight: number;
  /**
   * Fires the signal of every job in flight, and of any job that starts later, with `reason`. Jobs that fail
   * because of the SDK's shutdown reason are released (retried at once), not judged.
   */
  abortAll(reason: unknown): void;
  /** Resolves when no job is in flight. */
  idle(): Promise<void>;
}

/**
 * Creates the runner of one worker.
 *
 * @example
 * const runner = createJobRunner(parts);
 * await runner.process(job, async (settlement) => { if (settlement.kind === 'ack') channel.ack(msg); });
 */
export function createJobRunner(parts: RunnerParts): JobRunner {
  const { def, config, container, logger, metrics, trace, random } = parts;
  const running = new Set<JobAbort>();
  let idleWaiters: (() => void)[] = [];
  let aborted: { reason: unknown } | undefined;

  const finish = (abort: JobAbort): void => {
    running.delete(abort);
    if (running.size === 0 && idleWaiters.length > 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
    }
  };

  const handle = def.handle as (job: Job, tools: JobTools) => unknown;
  // Completed jobs are logged at debug only: without it, a completion costs no logger at all.
  const debug = logger.isLevelEnabled('debug');
  const attempts = config.retry.attempts;
  const timeoutMs = config.timeoutMs;
  const reportDisposeFailure = (scope: JobScope) => (error: WorkerError) =>
    scope.log.error({ err: error, code: error.code }, error.message);

  return {
    async process(job, settle) {
      const abort = new JobAbort();
      running.add(abort);
      if (aborted) abort.abort(aborted.reason);
      metrics.started();
      const started = performance.now();
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => abort.abort(timeoutError(job, timeoutMs)), timeoutMs);
      let scope: JobScope | undefined;
      let settlement: Settlement;
      try {
        const extra = def.context ? (def.context(job) as Record<string, unknown> | undefined) : undefined;
        const jobScope = new JobScope(job, createContext(job, extra, abort, attempts), container, logger);
        scope = jobScope;
        const value: unknown = trace?.enabled()
          ? await trace.span(job, () => handle(job, jobScope))
          : await handle(job, jobScope);
        settlement = { kind: 'ack', value };
      } catch (error) {
        // A job that fails once the shutdown grace is over is released, not judged (whether it read the signal or not).
        const released = isWorkerError(abort.reason, 'NS_WORKER_SHUTDOWN');
        settlement = classifyFailure(error, job.attempt, config.retry, random(), released);
      } finally {
        if (timer !== undefined) clearTimeout(timer);
      }
      // The scope goes before the settlement: a job service that commits or flushes on dispose finishes before
      // the queue forgets the job.
      if (scope?.hasDisposables) await scope.dispose(reportDisposeFailure(scope));
      const outcome =
        settlement.kind === 'ack' && !debug
          ? 'completed'
          : report(scope, job, settlement, performance.now() - started);
      try {
        await settle(settlement);
      } catch (error) {
        logger.error(
          { err: error, jobId: job.id, queue: job.queue },
          `settling job ${job.id} (${settlement.kind}) failed: ${describeError(error)}; the queue will deliver it again`,
        );
      } finally {
        metrics.finished(outcome, (performance.now() - started) / 1000);
        finish(abort);
      }
    },
    get inFlight() {
      return running.size;
    },
    abortAll(reason) {
      aborted = { reason };
      for (const abort of running) abort.abort(reason);
    },
    idle() {
      if (running.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };

  function report(scope: JobScope | undefined, job: Job, settlement: Settlement, elapsedMs: number): Outcome {
    const durationMs = Math.round(elapsedMs);
    const log = (): Logger =>
      scope?.log ?? logger.child({ jobId: job.id, queue: job.queue, attempt: job.attempt });
    if (settlement.kind === 'ack') {
      log().debug({ durationMs }, 'job completed');
      return 'completed';
    }
    if (settlement.kind === 'retry') {
      log().warn(
        { err: settlement.error, durationMs, retryInMs: settlement.delayMs },
        `job failed, retrying in ${settlement.delayMs} ms: ${describeError(settlement.error)}`,
      );
      return 'retried';
    }
    const why =
      settlement.reason === 'non-retriable'
        ? 'non-retriable error'
        : `attempts exhausted (${config.retry.attempts})`;
    log().error(
      { err: settlement.error, durationMs, reason: settlement.reason },
      `job failed for good (${why}): ${describeError(settlement.error)}`,
    );
    return 'failed';
  }
}

function timeoutError(job: Job, ms: number): WorkerError {
  return new WorkerError(
    'NS_WORKER_JOB_TIMEOUT',
    `job ${job.id} on ${job.queue} ran longer than its timeout of ${ms} ms`,
    "make the handler honour `signal`, or raise the worker's `timeout`",
  );
}

/** The abort reason of jobs still running when the shutdown grace period ends. */
export function shutdownError(graceMs: number): WorkerError {
  return new WorkerError(
    'NS_WORKER_SHUTDOWN',
    `the worker is shutting down and the grace period of ${graceMs} ms is over`,
    'stop work when `signal` fires; the job goes back to the queue and runs again',
  );
}
