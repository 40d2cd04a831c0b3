/**
 * The narrow interface every queue sits behind. An adapter turns its queue's messages into {@link Job}s, hands
 * them to the worker's consumer no more than `concurrency` at a time, and applies the {@link Settlement} the
 * consumer decides (ack, retry after a delay, dead-letter). One conformance suite proves each implementation.
 */
import type { Logger } from 'pino';
import type { WorkerConfig } from '../options.js';
import type { Job } from '../job/types.js';
import type { Settlement } from '../retry.js';

/** Applies a settlement to the delivery it belongs to (ack, nack with delay, dead-letter). */
export type Settle = (settlement: Settlement) => Promise<void>;

/** The worker side of an adapter. */
export interface AdapterConsumer {
  /** Upper bound of jobs in flight; adapters use it as prefetch / fetch size. */
  readonly concurrency: number;
  /** The retry policy's attempt budget (for queues with their own delivery limit). */
  readonly maxAttempts: number;
  /**
   * Runs one job to its settlement. Never rejects: failures become settlements. `settle` is called exactly once,
   * after the job's scope is disposed, and is awaited before the job stops counting as in flight.
   */
  process(job: Job, settle: Settle): Promise<void>;
  /** Reports a failure the adapter cannot recover from (connection lost): the worker stops and exits non-zero. */
  fail(error: unknown): void;
  readonly log: Logger;
}

/** The connection state reported on `/healthz`. */
export interface AdapterHealth {
  readonly connected: boolean;
  readonly detail?: string;
}

/** A started queue connection, as the worker drives it. */
export interface QueueAdapter {
  /** `bullmq`, `rabbitmq`, `jetstream`, `redis-stream`, `schedule`, or a custom adapter's kind. */
  readonly kind: string;
  /** Queue, stream or schedule name: the `queue` label of metrics and the job context. */
  readonly queue: string;
  /** Connects and starts delivering to `consumer`. */
  start(consumer: AdapterConsumer): Promise<void>;
  /**
   * Sets how many jobs the source may hold at once (the circuit breaker's throttle): 0 stops taking new jobs
   * while the jobs held run on and settle; 1 lets one through; the worker's concurrency is normal flow. Sources
   * without it cannot be used with `circuitBreaker`.
   */
  limit?(capacity: number): Promise<void>;
  /** Stops fetching. Jobs in flight keep running and their settlements still reach the queue. */
  stop(): Promise<void>;
  /**
   * Closes the connections. Deliveries not settled by then are abandoned to the queue's own redelivery (lock
   * expiry, channel close, ack wait, pending-entry claim), exactly as if the process had died.
   */
  close(): Promise<void>;
  health(): AdapterHealth;
}

/** What a source needs to build its adapter: the parsed configuration and a logger. */
export interface SourceContext {
  readonly config: WorkerConfig;
  readonly log: Logger;
}

/**
 * A job source as written in a worker definition (`bullmq({ queue })`, `schedule('0 * * * *')`, …). Nothing
 * connects, and no queue client is even imported, until the worker starts and calls `create`.
 */
export interface SourceSpec {
  readonly kind: string;
  create(context: SourceContext): Promise<QueueAdapter>;
}
