/**
 * The worker's two scopes on awilix (strict mode): a root container for process-lived services and a child scope
 * per job. Job services and the job built-ins are registered once, at the root, with the SCOPED lifetime, so each
 * job scope caches its own instances; strict mode then makes "a singleton that depends on a job-scoped value" a
 * resolution error, and the SDK creates every singleton at start so that error surfaces before the first job.
 */
import {
  createContainer,
  InjectionMode,
  Lifetime,
  type AwilixContainer,
  type LifetimeType,
  type Resolver,
} from 'awilix';
import type { Logger } from 'pino';
import type { AnyWorkerDefinition, Registration, RootBuiltins } from '../definition.js';
import { describeError, isWorkerError, WorkerError } from '../errors.js';
import type { Job, JobContext } from '../job/types.js';
import { createDisposalStack, type DisposalStack, type DisposeFailure } from './dispose.js';

/** Per-job values the scope serves as `job`, `ctx`, `log` and `signal`. */
export interface JobState {
  readonly job: Job;
  readonly ctx: JobContext;
  readonly signal: AbortSignal;
  /** The job's child logger (created on first use). */
  readonly log: Logger;
  /** Job services created in this scope, for disposal in reverse (created on first use). */
  readonly stack: DisposalStack;
}

/** The root container and the operations the worker needs on it. */
export interface WorkerContainer {
  readonly root: AwilixContainer;
  /** Creates every root singleton now, in declaration order. Throws catalogued errors (scope leak, unknown name). */
  init(): void;
  /** A child scope for one job. */
  createJobScope(state: JobState): AwilixContainer;
  /** Resolves `name` in `scope`, mapping awilix's errors to the catalogue. */
  resolve(scope: AwilixContainer, name: string): unknown;
  /** Disposes root singletons, newest first. */
  dispose(onFailure: DisposeFailure): Promise<void>;
}

type DisposableRegistration = Resolver<unknown> & {
  dispose?: (value: unknown) => unknown;
  isLeakSafe?: boolean;
};

/**
 * Builds the root container of a definition.
 *
 * @example
 * const container = createWorkerContainer(def, { config, logger, registry });
 * container.init(); // creates singletons, or throws NS_WORKER_SCOPE_LEAK
 */
export function createWorkerContainer(def: AnyWorkerDefinition, builtins: RootBuiltins): WorkerContainer {
  const root = createContainer({ injectionMode: InjectionMode.PROXY, strict: true });
  const rootStack = createDisposalStack();
  const states = new WeakMap<AwilixContainer, JobState>();
  const stackOf = (container: AwilixContainer): DisposalStack => states.get(container)?.stack ?? rootStack;

  const jobValue = (name: keyof Omit<JobState, 'stack'>): Resolver<unknown> => ({
    lifetime: Lifetime.SCOPED,
    resolve(container) {
      const state = states.get(container);
      if (!state) {
        throw new WorkerError(
          'NS_WORKER_NOT_IN_JOB',
          `"${name}" was resolved outside a job`,
          'resolve job values from a handler or a job service, never from a root service',
        );
      }
      return state[name];
    },
  });

  const track = (
    name: string,
    registration: Registration<unknown, never>,
    fallback: LifetimeType,
  ): Resolver<unknown> => {
    const isFactory = typeof registration === 'function';
    const resolver = registration as DisposableRegistration;
    const lifetime = isFactory ? fallback : (resolver.lifetime ?? Lifetime.TRANSIENT);
    const build = isFactory
      ? (container: AwilixContainer) => (registration as (deps: unknown) => unknown)(container.cradle)
      : (container: AwilixContainer) => resolver.resolve(container);
    return {
      lifetime,
      isLeakSafe: !isFactory && resolver.isLeakSafe === true,
      resolve(container) {
        const value = build(container);
        if (isThenable(value)) {
          throw new WorkerError(
            'NS_WORKER_ASYNC_FACTORY',
            `service "${name}" returned a promise`,
            'factories must return the value itself: create clients synchronously and let them connect lazily (most do)',
          );
        }
        // Only cached values have an owner that outlives the call; transients are the caller's to dispose.
        if (lifetime === Lifetime.SINGLETON) rootStack.push(name, value, resolver.dispose);
        else if (lifetime === Lifetime.SCOPED) stackOf(container).push(name, value, resolver.dispose);
        return value;
      },
    };
  };

  root.register({
    config: { resolve: () => builtins.config, lifetime: Lifetime.SINGLETON },
    logger: { resolve: () => builtins.logger, lifetime: Lifetime.SINGLETON },
    registry: { resolve: () => builtins.registry, lifetime: Lifetime.SINGLETON },
    job: jobValue('job'),
    ctx: jobValue('ctx'),
    log: jobValue('log'),
    signal: jobValue('signal'),
  });
  const services = Object.entries((def.services ?? {}) as Record<string, Registration<unknown, never>>);
  for (const [name, registration] of services)
    root.register(name, track(name, registration, Lifetime.SINGLETON));
  for (const [name, registration] of Object.entries(
    (def.jobServices ?? {}) as Record<string, Registration<unknown, never>>,
  )) {
    root.register(name, track(name, registration, Lifetime.SCOPED));
  }

  return {
    root,
    init() {
      for (const [name, registration] of services) {
        const lifetime = typeof registration === 'function' ? Lifetime.SINGLETON : registration.lifetime;
        if (lifetime !== Lifetime.SINGLETON) continue;
        try {
          root.resolve(name);
        } catch (error) {
          throw startError(def.name, name, error);
        }
      }
    },
    createJobScope(state) {
      const scope = root.createScope();
      states.set(scope, state);
      return scope;
    },
    resolve(scope, name) {
      try {
        return scope.resolve(name);
      } catch (error) {
        throw jobResolveError(name, error);
      }
    },
    dispose: (onFailure) => rootStack.disposeAll(onFailure),
  };
}

function isThenable(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}

/** The awilix resolution path ("a -> b -> c"), if the error carries one. */
function resolutionPath(error: unknown): string | undefined {
  return /Resolution path: (.+)$/m.exec(error instanceof Error ? error.message : '')?.[1]?.trim();
}

function startError(worker: string, service: string, error: unknown): WorkerError {
  if (isWorkerError(error)) return error;
  const message = error instanceof Error ? error.message : '';
  const path = resolutionPath(error);
  if ((error as { name?: unknown }).name === 'AwilixResolutionError') {
    const leak = /Dependency '([^']+)' has a shorter lifetime than its ancestor: '([^']+)'/.exec(message);
    if (leak) {
      return new WorkerError(
        'NS_WORKER_SCOPE_LEAK',
        `worker "${worker}": root service "${leak[2]}" depends on job-scoped "${leak[1]}" (${path ?? service})`,
        `a singleton would keep the first job's "${leak[1]}" forever: move "${leak[2]}" to jobServices, or pass the value as a method argument`,
        { cause: error },
      );
    }
    const missing = /Could not resolve '([^']+)'/.exec(message)?.[1];
    if (missing && !/Cyclic/.test(message)) {
      return new WorkerError(
        'NS_WORKER_SERVICE_UNKNOWN',
        `worker "${worker}": service "${service}" needs "${missing}", which is not registered (${path ?? service})`,
        `register "${missing}" in services or jobServices, or fix the name`,
        { cause: error },
      );
    }
  }
  return new WorkerError(
    'NS_WORKER_SERVICE_FAILED',
    `worker "${worker}": creating root service "${service}" failed: ${describeError(error).split('\n')[0]}`,
    'fix the factory (the cause is attached); root services are created at start so such errors never wait for a job',
    { cause: error },
  );
}

function jobResolveError(name: string, error: unknown): unknown {
  if (isWorkerError(error) || (error as { name?: unknown }).name !== 'AwilixResolutionError') return error;
  const message = error instanceof Error ? error.message : '';
  const missing = /Could not resolve '([^']+)'\.\s*$/m.exec(message.split('\n')[0] ?? '')?.[1];
  if (missing) {
    return new WorkerError(
      'NS_WORKER_SERVICE_UNKNOWN',
      `resolve("${name}"): "${missing}" is not registered (${resolutionPath(error) ?? name})`,
      `register "${missing}" in services or jobServices, or fix the name`,
      { cause: error },
    );
  }
  return error;
}
