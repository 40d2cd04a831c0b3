/** The shapes a handler sees: the job itself and its context. */

/** What started a run: a queue message, a schedule slot, or a person (`nightshift cron run`, tests). */
export type Trigger = 'queue' | 'schedule' | 'manual';

/** One delivery of a job, as every adapter presents it. */
export interface Job<Data = unknown> {
  /** Stable across retries and redeliveries of the same job. */
  readonly id: string;
  /** The job's name where the queue has one (BullMQ), else `undefined`. */
  readonly name: string | undefined;
  readonly data: Data;
  /** Queue, stream or schedule name. */
  readonly queue: string;
  /** 1 for the first run, 2 for the first retry, … */
  readonly attempt: number;
  readonly trigger: Trigger;
  /** When the producer enqueued the job, where the queue records it. */
  readonly enqueuedAt: Date | undefined;
}

/**
 * The job context registered in every job scope (as `ctx`): who and what this run is, and the signal that fires
 * when the worker shuts down (after its grace period) or the job times out.
 */
export interface JobContext {
  readonly jobId: string;
  readonly queue: string;
  readonly attempt: number;
  /** The attempt budget of the worker's retry policy. */
  readonly maxAttempts: number;
  readonly trigger: Trigger;
  /** From the definition's `context(job)` function, e.g. `job.data.workspaceId`. */
  readonly workspaceId: string | undefined;
  readonly enqueuedAt: Date | undefined;
  readonly signal: AbortSignal;
}
