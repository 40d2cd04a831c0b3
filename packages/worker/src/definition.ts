/**
 * `defineWorker`: the one object a worker file exports. It is checked here, when the file is imported, so a typo
 * fails before any connection is opened; configuration that depends on the environment is parsed at start.
 */
import type { Resolver } from 'awilix';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { parseCircuitBreaker, type CircuitBreakerOptions } from './circuit/options.js';
import { WorkerError } from './errors.js';
import type { Job, JobContext } from './job/types.js';
import type { WorkerConfig } from './options.js';
import type { RetryOptions } from './retry.js';
import type { SourceSpec } from './sources/types.js';

/** Registered in the root container by the SDK: the parsed configuration, the root logger, the metrics registry. */
export interface RootBuiltins {
  readonly config: WorkerConfig;
  readonly logger: Logger;
  readonly registry: Registry;
}

/** Registered in every job scope by the SDK: the job, its context, a logger bound to it, its abort signal. */
export interface JobBuiltins {
  readonly job: Job;
  readonly ctx: JobContext;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

/** The names the SDK registers itself; services may not reuse them. */
export const BUILTIN_NAMES: readonly string[] = [
  'config',
  'logger',
  'registry',
  'job',
  'ctx',
  'log',
  'signal',
];

/**
 * What a root service's factory receives: every root registration by name (awilix's cradle). Root services
 * cannot see job values; asking for one is an error at start.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the cradle is untyped by nature; values are typed at `resolve`
export type RootDeps = RootBuiltins & { readonly [name: string]: any };

/** What a job service's factory receives: root and job registrations by name, `ctx`, `log` and `signal` included. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export type JobDeps = RootBuiltins & JobBuiltins & { readonly [name: string]: any };

/** A plain factory `(deps) => value`. The value's `dispose()`, `close()` or `Symbol.asyncDispose` runs with its scope. */
export type Factory<T = unknown, D = JobDeps> = (deps: D) => T;

/** A factory, or an awilix resolver for full control (its lifetime and disposer are respected). */
export type Registration<T = unknown, D = JobDeps> = Factory<T, D> | Resolver<T>;

/** Root services: names to registrations of the value types in `S`. */
export type Services<S> = { readonly [K in keyof S]: Registration<S[K], RootDeps> };

/** Job services: names to registrations of the value types in `J`. */
export type JobServices<J> = { readonly [K in keyof J]: Registration<J[K], JobDeps> };

/** Everything `resolve` can reach from a job: built-ins, root services and job services. */
export type Resolvable<S, J> = RootBuiltins & JobBuiltins & S & J;

/** The second argument of a handler. */
export interface JobTools<S = Record<never, never>, J = Record<never, never>, X = Record<never, never>> {
  readonly ctx: JobContext & X;
  /** A pino child logger bound to jobId, queue, attempt, trigger and workspaceId. */
  readonly log: Logger;
  /** Fires when the worker shuts down (after `shutdownGrace`) or the job exceeds `timeout`. */
  readonly signal: AbortSignal;
  /** Resolves a registration from the job scope or, failing that, the root container (safe to destructure). */
  readonly resolve: <K extends keyof Resolvable<S, J> & string>(name: K) => Resolvable<S, J>[K];
}

/** The options of {@link defineWorker}. */
export interface WorkerOptions<
  Data = unknown,
  Result = unknown,
  S = Record<never, never>,
  J = Record<never, never>,
  X extends object = Record<never, never>,
> {
  /** The worker's name: the logger's `service` field. */
  readonly name: string;
  /** Where jobs come from: `bullmq()`, `rabbitmq()`, `jetstream()`, `redisStream()` or `schedule()`. */
  readonly source: SourceSpec;
  /** Jobs run at once (default 1). `WORKER_CONCURRENCY` overrides it. */
  readonly concurrency?: number;
  readonly retry?: RetryOptions;
  /**
   * Stop taking jobs while a dependency is down: after `failures` failed jobs within `window` the worker takes no
   * new job for `cooldown`, then lets one trial through; its success resumes the flow, its failure waits again.
   */
  readonly circuitBreaker?: CircuitBreakerOptions;
  /** Milliseconds after which the job's signal fires and the attempt counts as failed. */
  readonly timeout?: number;
  /** Milliseconds jobs may keep running after SIGTERM before their signals fire (default 20 000). */
  readonly shutdownGrace?: number;
  /** Root singletons: created once at start (in this order), disposed at shutdown in reverse. */
  readonly services?: Services<S>;
  /** Job-scoped services: created at most once per job, disposed when the job ends, even if it throws. */
  readonly jobServices?: JobServices<J>;
  /** Extra context fields from the job, e.g. `(job) => ({ workspaceId: job.data.workspaceId })`. */
  readonly context?: (job: Job<Data>) => X;
  readonly handle: (job: Job<Data>, tools: JobTools<S, J, X>) => Result | Promise<Result>;
}

const DEFINITION = Symbol.for('nightshift.worker.definition');

/** A checked worker definition, as returned by {@link defineWorker}. */
export type WorkerDefinition<
  Data = unknown,
  Result = unknown,
  S = Record<string, unknown>,
  J = Record<string, unknown>,
  X extends object = object,
> = WorkerOptions<Data, Result, S, J, X> & { readonly [DEFINITION]: true };

/** Any worker definition, whatever its type parameters. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the erased form every generic definition fits
export type AnyWorkerDefinition = WorkerDefinition<any, any, any, any, any>;

const KEYS = [
  'name',
  'source',
  'concurrency',
  'retry',
  'circuitBreaker',
  'timeout',
  'shutdownGrace',
  'services',
  'jobServices',
  'context',
  'handle',
];

/**
 * Declares a worker: its source, its services, its handler. Export it from a file and run it with
 * `nightshift-worker FILE`, or call {@link runWorker} yourself.
 *
 * @example
 * export default defineWorker({
 *   name: 'emails',
 *   source: bullmq({ queue: 'email-dispatch' }),
 *   concurrency: 5,
 *   services: { mailer: ({ config }) => createMailer(config) },
 *   jobServices: { audit: ({ ctx, db }) => new AuditTrail(db, ctx.jobId) },
 *   context: (job) => ({ workspaceId: job.data.workspaceId }),
 *   async handle(job: Job<Email>, { resolve, log }) {
 *     await resolve('mailer').send(job.data);
 *     log.info('sent');
 *   },
 * });
 */
export function defineWorker<
  Data = unknown,
  Result = unknown,
  S = Record<never, never>,
  J = Record<never, never>,
  X extends object = Record<never, never>,
>(options: WorkerOptions<Data, Result, S, J, X>): WorkerDefinition<Data, Result, S, J, X> {
  checkDefinition(options);
  return Object.freeze({ ...options, [DEFINITION]: true as const });
}

/** Whether `value` was made by {@link defineWorker} (from any copy of the SDK). */
export function isWorkerDefinition(value: unknown): value is AnyWorkerDefinition {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DEFINITION] === true
  );
}

/** Checks the shape of a definition; throws `NS_WORKER_DEFINITION_INVALID` naming the worker and the key. */
export function checkDefinition(options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw invalid(
      '(unnamed)',
      'the definition must be an object',
      'pass defineWorker({ name, source, handle })',
    );
  }
  const def = options as Record<string, unknown>;
  const name = typeof def.name === 'string' ? def.name : '(unnamed)';
  for (const key of Object.keys(def)) {
    if (!KEYS.includes(key)) {
      const near = closest(key, KEYS);
      throw invalid(
        name,
        `unknown key "${key}"`,
        near ? `did you mean "${near}"?` : `the keys are ${KEYS.join(', ')}`,
      );
    }
  }
  if (typeof def.name !== 'string' || !/^[A-Za-z0-9][\w.-]{0,62}$/.test(def.name)) {
    throw invalid(
      name,
      '"name" must be a short identifier',
      'use letters, digits, "-", "_" or "." (e.g. "emails")',
    );
  }
  const source = def.source as { create?: unknown } | undefined;
  if (typeof source !== 'object' || source === null || typeof source.create !== 'function') {
    throw invalid(
      name,
      '"source" is missing or not a source',
      'use bullmq(), rabbitmq(), jetstream(), redisStream() or schedule()',
    );
  }
  if (typeof def.handle !== 'function') {
    throw invalid(
      name,
      '"handle" must be a function',
      'add handle(job, { ctx, log, resolve, signal }) { … }',
    );
  }
  if (def.context !== undefined && typeof def.context !== 'function') {
    throw invalid(
      name,
      '"context" must be a function of the job',
      'e.g. context: (job) => ({ workspaceId: job.data.workspaceId })',
    );
  }
  checkCount(name, 'concurrency', def.concurrency, 1);
  checkCount(name, 'timeout', def.timeout, 1);
  checkCount(name, 'shutdownGrace', def.shutdownGrace, 0);
  checkRetry(name, def.retry);
  parseCircuitBreaker(name, def.circuitBreaker);
  const seen = new Set<string>();
  for (const group of ['services', 'jobServices'] as const) {
    const map = def[group];
    if (map === undefined) continue;
    if (typeof map !== 'object' || map === null)
      throw invalid(name, `"${group}" must be an object of factories`, 'e.g. { db: () => createPool() }');
    for (const [key, value] of Object.entries(map)) {
      if (BUILTIN_NAMES.includes(key)) {
        throw invalid(
          name,
          `${group}.${key} reuses a name the SDK registers`,
          `rename it; reserved: ${BUILTIN_NAMES.join(', ')}`,
        );
      }
      if (seen.has(key))
        throw invalid(name, `"${key}" is both a service and a job service`, 'give one of them another name');
      seen.add(key);
      const isResolver =
        typeof value === 'object' &&
        value !== null &&
        typeof (value as { resolve?: unknown }).resolve === 'function';
      if (typeof value !== 'function' && !isResolver) {
        throw invalid(
          name,
          `${group}.${key} must be a factory (deps) => value or an awilix resolver`,
          `e.g. ${key}: (deps) => create${key}(deps)`,
        );
      }
    }
  }
}

function checkCount(name: string, key: string, value: unknown, min: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalid(
      name,
      `"${key}" must be a whole number ≥ ${min}, got ${JSON.stringify(value)}`,
      `set ${key} to an integer, or leave it out for the default`,
    );
  }
}

function checkRetry(name: string, retry: unknown): void {
  if (retry === undefined) return;
  if (typeof retry !== 'object' || retry === null)
    throw invalid(name, '"retry" must be an object', 'e.g. retry: { attempts: 5 }');
  const { attempts, backoff, ...rest } = retry as { attempts?: unknown; backoff?: unknown };
  const extra = Object.keys(rest)[0];
  if (extra !== undefined)
    throw invalid(name, `unknown key "retry.${extra}"`, 'the keys are attempts and backoff');
  checkCount(name, 'retry.attempts', attempts, 1);
  if (backoff === undefined || typeof backoff === 'function') return;
  const b = backoff as Partial<Record<string, unknown>>;
  const okDelay = typeof b.delay === 'number' && Number.isFinite(b.delay) && b.delay >= 0;
  const okType = b.type === 'fixed' || b.type === 'exponential';
  const okJitter = b.jitter === undefined || (typeof b.jitter === 'number' && b.jitter >= 0 && b.jitter <= 1);
  const okMax = b.maxDelay === undefined || (typeof b.maxDelay === 'number' && b.maxDelay >= 0);
  if (!okType || !okDelay || !okJitter || !okMax) {
    throw invalid(
      name,
      `"retry.backoff" is not a backoff: ${JSON.stringify(backoff)}`,
      "use { type: 'fixed', delay: ms }, { type: 'exponential', delay: ms, maxDelay?, jitter? (0..1) } or (attempt, error) => ms",
    );
  }
}

function invalid(worker: string, what: string, hint: string): WorkerError {
  return new WorkerError('NS_WORKER_DEFINITION_INVALID', `worker "${worker}": ${what}`, hint);
}

/** The candidate within edit distance 2 of `word`, if any (for "did you mean"). */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { word: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { word: candidate, distance };
  }
  return best?.word;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
