/**
 * `runWorker`: parses the configuration, builds the root container, connects the source and runs jobs until a
 * signal, a fatal error or `stop()`.
 *
 * Lifecycle of a running worker:
 * - `starting` → `running` once services exist, the telemetry servers listen and the source is connected;
 *   a failure on the way disposes what was created and rejects `runWorker` with a catalogued error.
 * - `running` → `draining` on SIGTERM/SIGINT, `stop()` or a fatal adapter error: nothing new is fetched; jobs in
 *   flight run on, and their signals fire only when `shutdownGrace` is over.
 * - `draining` → `closing` when no job is in flight: the source's connections close, then the root services
 *   are disposed newest first, then the servers.
 * - `closing` → `stopped`. `kill()` (and a second signal) jumps from any state straight to `stopped`,
 *   abandoning jobs in flight to the queue's redelivery, like a crash.
 */
import type { DestinationStream, Logger } from 'pino';
import { Registry } from 'prom-client';
import { createCircuit, type Circuit } from './circuit/circuit.js';
import { createWorkerContainer, type WorkerContainer } from './container/registry.js';
import { checkDefinition, isWorkerDefinition, type AnyWorkerDefinition } from './definition.js';
import { parseWorkerEnv } from './env.js';
import { describeError, isWorkerError, WorkerError } from './errors.js';
import { createJobRunner, shutdownError, type JobRunner } from './job/runner.js';
import { createRootLogger } from './logger.js';
import { parseWorkerConfig, type ConfigOverrides, type WorkerConfig } from './options.js';
import type { Job } from './job/types.js';
import type { QueueAdapter, Settle } from './sources/types.js';
import { startTelemetry, type HealthReport, type TelemetryServers } from './telemetry/http.js';
import { createQueueMetrics } from './telemetry/metrics.js';
import { loadTracing } from './telemetry/tracing.js';

/** Options of {@link runWorker}: overrides in code (they beat the environment) and process integration. */
export interface RunOptions extends ConfigOverrides {
  /** The environment to read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Stop gracefully on SIGTERM/SIGINT; a second signal exits at once (default true). */
  readonly handleSignals?: boolean;
  /** Exit the process when a signal or a fatal error stopped the worker: 0 after a clean stop (default: `handleSignals`). */
  readonly exit?: boolean;
  /** Where the root logger writes (default stdout). */
  readonly logDestination?: DestinationStream;
  /** Jitter source for backoff, in [0, 1) (default `Math.random`). */
  readonly random?: () => number;
}

/** The states of a running worker (see the module comment for the transitions). */
export type WorkerState = 'starting' | 'running' | 'draining' | 'closing' | 'stopped';

/** A started worker. */
export interface RunningWorker {
  readonly name: string;
  readonly queue: string;
  readonly state: WorkerState;
  readonly config: WorkerConfig;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly inFlight: number;
  /** Ports the telemetry servers are bound to, if any. */
  readonly metricsPort: number | undefined;
  readonly healthPort: number | undefined;
  /** The same report `/healthz` serves. */
  health(): HealthReport;
  /** Stops gracefully: no new jobs, in-flight jobs finish (signals fire after `shutdownGrace`), then cleanup. */
  stop(): Promise<void>;
  /** Stops at once, abandoning in-flight jobs to the queue's redelivery, as a crash would. */
  kill(): Promise<void>;
  /** Settles when the worker has stopped; rejects with the error if a fatal error stopped it. */
  readonly stopped: Promise<void>;
}

/**
 * Starts a worker and resolves once it is consuming.
 *
 * @example
 * import worker from './worker.js';
 * await runWorker(worker); // SIGTERM stops it gracefully and exits 0
 *
 * @example
 * // In tests: no signal handlers, no exit, a fixed environment.
 * const running = await runWorker(worker, { env: { REDIS_URL: url }, handleSignals: false });
 * await running.stop();
 */
export async function runWorker(def: AnyWorkerDefinition, options: RunOptions = {}): Promise<RunningWorker> {
  if (!isWorkerDefinition(def)) checkDefinition(def);
  const config = parseWorkerConfig(def, parseWorkerEnv(options.env ?? process.env), options);
  const logger = createRootLogger(config, options.logDestination);
  const registry = new Registry();
  const container = createWorkerContainer(def, { config, logger, registry });
  const reportDispose = (error: WorkerError): void =>
    logger.error({ err: error, code: error.code }, error.message);
  let adapter: QueueAdapter | undefined;
  let servers: TelemetryServers | undefined;
  try {
    container.init();
    adapter = await def.source.create({ config, log: logger });
    const metrics = createQueueMetrics(registry, adapter.queue);
    const runner = createJobRunner({
      def,
      config,
      container,
      logger,
      metrics,
      trace: await loadTracing(config.tracing),
      random: options.random ?? Math.random,
    });
    const circuit = startCircuit(config, adapter, logger, registry);
    const worker = new Worker({ config, logger, registry, container, adapter, runner, circuit, options });
    const started = adapter;
    servers = await startTelemetry({
      metricsPort: config.metricsPort,
      healthPort: config.healthPort,
      registry,
      health: {
        kind: started.kind,
        queue: started.queue,
        maxEventLoopDelayMs: config.maxEventLoopDelayMs,
        consumer: () => started.health(),
        state: () => worker.state,
        inFlight: () => runner.inFlight,
      },
    });
    await worker.start(servers);
    return worker;
  } catch (error) {
    logger.error(
      { err: error, code: isWorkerError(error) ? error.code : undefined },
      `worker "${def.name}" failed to start: ${describeError(error)}`,
    );
    await adapter?.close().catch(() => undefined);
    await servers?.close();
    await container.dispose(reportDispose);
    throw error;
  }
}

/** The circuit breaker for `config.circuitBreaker`; a source that cannot be throttled is a definition error. */
function startCircuit(
  config: WorkerConfig,
  adapter: QueueAdapter,
  logger: Logger,
  registry: Registry,
): Circuit | undefined {
  const policy = config.circuitBreaker;
  if (!policy) return undefined;
  const limit = adapter.limit?.bind(adapter);
  if (!limit) {
    throw new WorkerError(
      'NS_WORKER_DEFINITION_INVALID',
      `worker "${config.name}": the ${adapter.kind} source cannot pause, so "circuitBreaker" cannot be used with it`,
      'use the breaker with bullmq(), rabbitmq(), jetstream() or redisStream(), or remove circuitBreaker',
    );
  }
  return createCircuit({
    policy,
    concurrency: config.concurrency,
    queue: adapter.queue,
    limit,
    log: logger,
    registry,
  });
}

interface WorkerParts {
  readonly circuit: Circuit | undefined;
  readonly config: WorkerConfig;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly container: WorkerContainer;
  readonly adapter: QueueAdapter;
  readonly runner: JobRunner;
  readonly options: RunOptions;
}

/** Identity and lifecycle of one started worker. */
class Worker implements RunningWorker {
  #parts: WorkerParts;
  #state: WorkerState = 'starting';
  #servers: TelemetryServers | undefined;
  #stopping: Promise<void> | undefined;
  #signals = 0;
  #resolveStopped!: () => void;
  #rejectStopped!: (error: unknown) => void;
  #removeSignalHandlers: () => void = () => undefined;
  readonly stopped: Promise<void>;

  constructor(parts: WorkerParts) {
    this.#parts = parts;
    this.stopped = new Promise<void>((resolve, reject) => {
      this.#resolveStopped = resolve;
      this.#rejectStopped = reject;
    });
    // Callers that never await `stopped` must not get an unhandled rejection.
    this.stopped.catch(() => undefined);
  }

  get name(): string {
    return this.#parts.config.name;
  }
  get queue(): string {
    return this.#parts.adapter.queue;
  }
  get state(): WorkerState {
    return this.#state;
  }
  get config(): WorkerConfig {
    return this.#parts.config;
  }
  get registry(): Registry {
    return this.#parts.registry;
  }
  get logger(): Logger {
    return this.#parts.logger;
  }
  get inFlight(): number {
    return this.#parts.runner.inFlight;
  }
  get metricsPort(): number | undefined {
    return this.#servers?.metricsPort;
  }
  get healthPort(): number | undefined {
    return this.#servers?.healthPort;
  }

  health(): HealthReport {
    if (!this.#servers) throw new Error('the worker has not started');
    return this.#servers.health();
  }

  async start(servers: TelemetryServers): Promise<void> {
    this.#servers = servers;
    const { adapter, runner, circuit, config, logger, options } = this.#parts;
    const run = (job: Job, settle: Settle): Promise<void> => runner.process(job, settle);
    await adapter.start({
      concurrency: config.concurrency,
      maxAttempts: config.retry.attempts,
      log: logger,
      process: circuit ? (job, settle) => circuit.process(job, settle, run) : run,
      fail: (error) => this.#fail(error),
    });
    this.#state = 'running';
    if (options.handleSignals ?? true) this.#installSignalHandlers();
    logger.info(
      {
        kind: adapter.kind,
        queue: adapter.queue,
        concurrency: config.concurrency,
        metricsPort: this.metricsPort,
        healthPort: this.healthPort,
      },
      `worker started: ${adapter.kind} ${adapter.queue}, concurrency ${config.concurrency}`,
    );
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#drainAndClose();
    return this.#stopping;
  }

  async kill(): Promise<void> {
    const { adapter, runner, circuit, container, logger } = this.#parts;
    if (this.#state === 'stopped') return;
    circuit?.dispose();
    logger.warn({ inFlight: runner.inFlight }, 'worker killed: jobs in flight are left to the queue');
    this.#state = 'stopped';
    this.#removeSignalHandlers();
    runner.abortAll(shutdownError(0));
    await adapter.close().catch((error: unknown) => logger.warn({ err: error }, 'closing the source failed'));
    await this.#servers?.close();
    await container.dispose((error) => logger.error({ err: error, code: error.code }, error.message));
    this.#resolveStopped();
  }

  async #drainAndClose(): Promise<void> {
    const { adapter, runner, circuit, container, logger, config } = this.#parts;
    if (this.#state === 'stopped') return;
    this.#state = 'draining';
    // A cooldown ending now must not resume a source that is being stopped.
    circuit?.dispose();
    logger.info(
      { inFlight: runner.inFlight, graceMs: config.shutdownGraceMs },
      `stopping: no new jobs; waiting for ${runner.inFlight} in flight`,
    );
    const grace = setTimeout(() => {
      logger.warn(
        { inFlight: runner.inFlight },
        `shutdown grace of ${config.shutdownGraceMs} ms is over: aborting ${runner.inFlight} job(s)`,
      );
      runner.abortAll(shutdownError(config.shutdownGraceMs));
    }, config.shutdownGraceMs);
    try {
      await adapter
        .stop()
        .catch((error: unknown) =>
          logger.warn({ err: error }, `stopping the source failed: ${describeError(error)}`),
        );
      await runner.idle();
    } finally {
      clearTimeout(grace);
    }
    if (this.#state !== 'draining') return; // killed meanwhile
    this.#state = 'closing';
    await adapter
      .close()
      .catch((error: unknown) =>
        logger.warn({ err: error }, `closing the source failed: ${describeError(error)}`),
      );
    await container.dispose((error) => logger.error({ err: error, code: error.code }, error.message));
    await this.#servers?.close();
    this.#removeSignalHandlers();
    this.#state = 'stopped';
    logger.info('worker stopped');
    this.#resolveStopped();
  }

  #fail(error: unknown): void {
    const { logger, options } = this.#parts;
    if (this.#stopping || this.#state === 'stopped') return;
    logger.fatal(
      { err: error, code: isWorkerError(error) ? error.code : undefined },
      `worker failing: ${describeError(error)}`,
    );
    void this.stop().then(() => {
      this.#rejectStopped(error);
      if (options.exit ?? options.handleSignals ?? true) process.exit(1);
    });
  }

  #installSignalHandlers(): void {
    const { logger, options } = this.#parts;
    const exit = options.exit ?? true;
    const onSignal = (signal: NodeJS.Signals): void => {
      this.#signals += 1;
      if (this.#signals > 1) {
        logger.warn({ signal, inFlight: this.inFlight }, `second ${signal}: exiting now`);
        process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
      }
      logger.info({ signal }, `${signal} received: stopping gracefully (send it again to exit at once)`);
      this.stop().then(
        () => exit && process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, `graceful stop failed: ${describeError(error)}`);
          if (exit) process.exit(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    this.#removeSignalHandlers = () => {
      // Keep listening while the worker stops so a second signal still exits at once; drop only when stopped.
      if (this.#state !== 'stopped' && this.#state !== 'closing') return;
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    };
  }
}
