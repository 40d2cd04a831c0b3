/**
 * Ordered disposal. awilix disposes a container's cache all at once (in parallel); a worker needs dependents
 * closed before what they depend on (a repository before its pool), so every created value is recorded here
 * in creation order and disposed in reverse, one at a time.
 */
import { describeError, WorkerError } from '../errors.js';

/** One created value and how to dispose of it. */
interface Entry {
  readonly name: string;
  readonly value: unknown;
  readonly disposer: ((value: unknown) => unknown) | undefined;
}

/** A failure while disposing: reported, never thrown, so one bad disposer cannot keep the others from running. */
export type DisposeFailure = (error: WorkerError) => void;

/** Values created in one scope, in creation order. */
export interface DisposalStack {
  push(name: string, value: unknown, disposer?: (value: unknown) => unknown): void;
  /** Disposes everything pushed so far, newest first; the stack is empty afterwards. */
  disposeAll(onFailure: DisposeFailure): Promise<void>;
  readonly size: number;
}

/** Creates an empty {@link DisposalStack}. */
export function createDisposalStack(): DisposalStack {
  const entries: Entry[] = [];
  return {
    push(name, value, disposer) {
      if (disposer !== undefined || hasDisposer(value)) entries.push({ name, value, disposer });
    },
    async disposeAll(onFailure) {
      while (entries.length > 0) {
        const entry = entries.pop()!;
        try {
          await (entry.disposer ? entry.disposer(entry.value) : disposeValue(entry.value));
        } catch (error) {
          onFailure(
            new WorkerError(
              'NS_WORKER_DISPOSE_FAILED',
              `disposing service "${entry.name}" failed: ${describeError(error)}`,
              'make its dispose()/close() idempotent and let it finish; the other services were still disposed',
              { cause: error },
            ),
          );
        }
      }
    },
    get size() {
      return entries.length;
    },
  };
}

/** Whether a value has something to call on disposal. */
export function hasDisposer(value: unknown): boolean {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const v = value as Record<string | symbol, unknown>;
  return (
    typeof v[Symbol.asyncDispose] === 'function' ||
    typeof v[Symbol.dispose] === 'function' ||
    typeof v.dispose === 'function' ||
    typeof v.close === 'function'
  );
}

/**
 * Calls the first of `Symbol.asyncDispose`, `Symbol.dispose`, `dispose()`, `close()` the value has: the explicit
 * resource-management protocol first, then the names clients conventionally use.
 */
export async function disposeValue(value: unknown): Promise<void> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return;
  const v = value as Record<string | symbol, unknown>;
  for (const key of [Symbol.asyncDispose, Symbol.dispose, 'dispose', 'close'] as const) {
    const method = v[key];
    if (typeof method === 'function') {
      await (method as () => unknown).call(value);
      return;
    }
  }
}
