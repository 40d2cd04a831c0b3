/** Shapes shared by the conformance suite and its targets. */

/** The source kinds a target can describe. */
export type SourceKind = 'bullmq' | 'rabbitmq' | 'jetstream' | 'redis-stream';

/** Delays the suite uses: fixed backoff and the RetryAfterError delay (targets clean up their retry queues). */
export const SUITE_BACKOFF_MS = 100;
export const SUITE_RETRY_AFTER_MS = 400;

/** A per-test namespace on the adapter's server. */
export interface ConformanceNamespace {
  /** The source bound to this namespace, as data, tuned so abandoned jobs come back within about a second. */
  readonly kind: SourceKind;
  readonly options: Record<string, unknown>;
  /** Environment for the worker (connection URLs, key prefix). */
  readonly env: Record<string, string>;
  /** Enqueues one job per item, in order. */
  enqueue(items: readonly JobData[]): Promise<void>;
  /**
   * Jobs the server holds for a consumer to take: waiting, or parked for a retry. Jobs delivered and not settled
   * may count too on some servers (JetStream's ack-pending, Redis' pending list), so read it when none is held.
   */
  backlog(): Promise<number>;
  /** The data of jobs the queue holds as dead-lettered / failed for good. */
  deadLetters(): Promise<JobData[]>;
  /** Removes everything the test created on the server. */
  cleanup(): Promise<void>;
}

/** An adapter under test. */
export interface ConformanceTarget {
  readonly name: string;
  namespace(): Promise<ConformanceNamespace>;
}

/** The payload the suite enqueues. */
export interface JobData {
  readonly n: number;
}
