/** The job context (`ctx`): plain fields, plus the job's signal created on first read. */
import type { JobAbort } from './abort.js';
import type { Job, JobContext, Trigger } from './types.js';

/** One job's context. Fields from the definition's `context(job)` are copied on, never over the SDK's own. */
class Context implements JobContext {
  readonly jobId: string;
  readonly queue: string;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly trigger: Trigger;
  readonly workspaceId: string | undefined;
  readonly enqueuedAt: Date | undefined;
  readonly #abort: JobAbort;

  constructor(job: Job, extra: Record<string, unknown> | undefined, abort: JobAbort, maxAttempts: number) {
    if (extra !== undefined) {
      for (const key of Object.keys(extra))
        if (key !== 'signal') (this as Record<string, unknown>)[key] = extra[key];
    }
    const workspaceId = extra?.workspaceId;
    this.jobId = job.id;
    this.queue = job.queue;
    this.attempt = job.attempt;
    this.maxAttempts = maxAttempts;
    this.trigger = job.trigger;
    this.workspaceId =
      typeof workspaceId === 'string'
        ? workspaceId
        : typeof workspaceId === 'number'
          ? String(workspaceId)
          : undefined;
    this.enqueuedAt = job.enqueuedAt;
    this.#abort = abort;
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }
}

/** Builds the context of `job`. */
export function createContext(
  job: Job,
  extra: Record<string, unknown> | undefined,
  abort: JobAbort,
  maxAttempts: number,
): JobContext {
  return new Context(job, extra, abort, maxAttempts);
}
