/**
 * The per-job pipeline every adapter feeds: build the context, run the handler (in a span when tracing is on),
 * classify the result, dispose the job scope, then settle with the queue. It also owns the set of jobs in flight,
 * so shutdown can wait for them and, after the grace period, fire their signals.
 */
import type { Logger } from 'pino';
import type { WorkerContainer, JobState } from '../container/registry.js';
import { createDisposalStack } from '../container/dispose.js';
import type { AnyWorkerDefinition, JobTools } from '../definition.js';
import { describeError, isWorkerError, WorkerError } from '../errors.js';
import type { WorkerConfig } from '../options.js';
import { classifyFailure, type Settlement } from '../retry.js';
import type { Settle } from '../sources/types.js';
import type { Outcome, QueueMetrics } from '../telemetry/metrics.js';
import type { TraceJob } from '../telemetry/tracing.js';
import type { Job, JobContext } from './types.js';

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
  const running = new Set<AbortController>();
  let idleWaiters: (() => void)[] = [];
  let aborted: { reason: unknown } | undefined;

  const finish = (controller: AbortController): void => {
    running.delete(controller);
    if (running.size === 0 && idleWaiters.length > 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
    }
  };

  return {
    async process(job, settle) {
      const controller = new AbortController();
      running.add(controller);
      if (aborted) controller.abort(aborted.reason);
      metrics.started();
      const started = performance.now();
      const timer = config.timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(timeoutError(job, config.timeoutMs!)), config.timeoutMs);
      let state: JobState | undefined;
      let settlement: Settlement;
      try {
        const extra = def.context ? (def.context(job) as Record<string, unknown> | undefined) : undefined;
        const ctx = createContext(job, extra, controller.signal, config.retry.attempts);
        let childLog: Logger | undefined;
        const jobState: JobState = {
          job,
          ctx,
          signal: controller.signal,
          log: () => (childLog ??= logger.child(bindingsOf(ctx))),
          stack: createDisposalStack(),
        };
        state = jobState;
        const tools = createTools(container, jobState);
        const handle = def.handle as (job: Job, tools: JobTools) => unknown;
        const value: unknown = trace ? await trace(job, () => Promise.resolve(handle(job, tools))) : await handle(job, tools);
        settlement = { kind: 'ack', value };
      } catch (error) {
        const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
        const released = isWorkerError(reason, 'NS_WORKER_SHUTDOWN');
        settlement = classifyFailure(error, job.attempt, config.retry, random(), released);
      } finally {
        if (timer !== undefined) clearTimeout(timer);
      }
      // The scope goes before the settlement: a job service that commits or flushes on dispose finishes before
      // the queue forgets the job.
      if (state && state.stack.size > 0) {
        await state.stack.disposeAll((error) => (state?.log() ?? logger).error({ err: error, code: error.code }, error.message));
      }
      const known = state;
      const jobLog = known ? () => known.log() : () => logger.child({ jobId: job.id, queue: job.queue, attempt: job.attempt });
      const outcome = report(jobLog, settlement, started);
      try {
        await settle(settlement);
      } catch (error) {
        logger.error({ err: error, jobId: job.id, queue: job.queue }, `settling job ${job.id} (${settlement.kind}) failed: ${describeError(error)}; the queue will deliver it again`);
      } finally {
        metrics.finished(outcome, (performance.now() - started) / 1000);
        finish(controller);
      }
    },
    get inFlight() {
      return running.size;
    },
    abortAll(reason) {
      aborted = { reason };
      for (const controller of running) controller.abort(reason);
    },
    idle() {
      if (running.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };

  function report(log: () => Logger, settlement: Settlement, started: number): Outcome {
    const durationMs = Math.round(performance.now() - started);
    if (settlement.kind === 'ack') {
      if (logger.isLevelEnabled('debug')) log().debug({ durationMs }, 'job completed');
      return 'completed';
    }
    if (settlement.kind === 'retry') {
      log().warn({ err: settlement.error, durationMs, retryInMs: settlement.delayMs }, `job failed, retrying in ${settlement.delayMs} ms: ${describeError(settlement.error)}`);
      return 'retried';
    }
    const why = settlement.reason === 'non-retriable' ? 'non-retriable error' : `attempts exhausted (${config.retry.attempts})`;
    log().error({ err: settlement.error, durationMs, reason: settlement.reason }, `job failed for good (${why}): ${describeError(settlement.error)}`);
    return 'failed';
  }
}

/** The handler's second argument. `log` and the job scope are created only if the handler uses them. */
function createTools(container: WorkerContainer, state: JobState): JobTools {
  let scope: ReturnType<WorkerContainer['createJobScope']> | undefined;
  return {
    ctx: state.ctx,
    signal: state.signal,
    get log() {
      return state.log();
    },
    resolve: ((name: string) => container.resolve((scope ??= container.createJobScope(state)), name)) as JobTools['resolve'],
  };
}

function createContext(job: Job, extra: Record<string, unknown> | undefined, signal: AbortSignal, maxAttempts: number): JobContext {
  const workspaceId = extra?.workspaceId;
  return {
    ...extra,
    jobId: job.id,
    queue: job.queue,
    attempt: job.attempt,
    maxAttempts,
    trigger: job.trigger,
    workspaceId: typeof workspaceId === 'string' ? workspaceId : typeof workspaceId === 'number' ? String(workspaceId) : undefined,
    enqueuedAt: job.enqueuedAt,
    signal,
  };
}

function bindingsOf(ctx: JobContext): Record<string, unknown> {
  const bindings: Record<string, unknown> = { jobId: ctx.jobId, queue: ctx.queue, attempt: ctx.attempt, trigger: ctx.trigger };
  if (ctx.workspaceId !== undefined) bindings.workspaceId = ctx.workspaceId;
  return bindings;
}

function timeoutError(job: Job, ms: number): WorkerError {
  return new WorkerError('NS_WORKER_JOB_TIMEOUT', `job ${job.id} on ${job.queue} ran longer than its timeout of ${ms} ms`, 'make the handler honour `signal`, or raise the worker\'s `timeout`');
}

/** The abort reason of jobs still running when the shutdown grace period ends. */
export function shutdownError(graceMs: number): WorkerError {
  return new WorkerError('NS_WORKER_SHUTDOWN', `the worker is shutting down and the grace period of ${graceMs} ms is over`, 'stop work when `signal` fires; the job goes back to the queue and runs again');
}
