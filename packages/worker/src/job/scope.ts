/**
 * One job's scope: its values (`job`, `ctx`, `signal`, the bound logger), the awilix child container and the
 * job services created in it. It is also the handler's second argument. Everything costly (the child logger,
 * the child container, the disposal stack) is created on first use: a handler that only reads `ctx` pays for
 * none of it, which matters at thousands of jobs per second.
 */
import type { AwilixContainer } from 'awilix';
import type { Logger } from 'pino';
import { createDisposalStack, type DisposalStack, type DisposeFailure } from '../container/dispose.js';
import type { JobState, WorkerContainer } from '../container/registry.js';
import type { JobTools } from '../definition.js';
import type { Job, JobContext } from './types.js';

/** The scope of one job (identity: one per run; lifecycle: created, used, disposed). */
export class JobScope implements JobState, JobTools {
  readonly job: Job;
  readonly ctx: JobContext;
  /** An own property (not a method) so handlers can destructure it. */
  readonly resolve: JobTools['resolve'];
  #root: Logger;
  #log: Logger | undefined;
  #stack: DisposalStack | undefined;
  #container: AwilixContainer | undefined;

  constructor(job: Job, ctx: JobContext, container: WorkerContainer, root: Logger) {
    this.job = job;
    this.ctx = ctx;
    this.#root = root;
    this.resolve = ((name: string) =>
      container.resolve((this.#container ??= container.createJobScope(this)), name)) as JobTools['resolve'];
  }

  /** The job's signal (the context's, created on first read). */
  get signal(): AbortSignal {
    return this.ctx.signal;
  }

  get log(): Logger {
    return (this.#log ??= this.#root.child(bindingsOf(this.ctx)));
  }

  get stack(): DisposalStack {
    return (this.#stack ??= createDisposalStack());
  }

  /** Whether any job service with a disposer was created (checked first, so most jobs skip `dispose`). */
  get hasDisposables(): boolean {
    return this.#stack !== undefined && this.#stack.size > 0;
  }

  /** Disposes the job services created in this scope, newest first. */
  async dispose(onFailure: DisposeFailure): Promise<void> {
    if (this.#stack !== undefined && this.#stack.size > 0) await this.#stack.disposeAll(onFailure);
  }
}

/** The fields every line of a job's logger carries. */
export function bindingsOf(ctx: JobContext): Record<string, unknown> {
  const bindings: Record<string, unknown> = {
    jobId: ctx.jobId,
    queue: ctx.queue,
    attempt: ctx.attempt,
    trigger: ctx.trigger,
  };
  if (ctx.workspaceId !== undefined) bindings.workspaceId = ctx.workspaceId;
  return bindings;
}
