/**
 * Retry policy and failure classification: pure functions of their inputs (the random number is passed in), so
 * every adapter settles a failed job the same way and the rules are unit-tested without a queue.
 */
import { isNonRetriableError, retryAfterOf } from './control.js';

/**
 * How long to wait before the next attempt: a fixed delay, exponential growth (`delay · 2^(attempt-1)`, capped
 * at `maxDelay`, minus up to `jitter` of itself so replicas do not retry in lockstep), or your own function.
 */
export type BackoffOptions =
  | { readonly type: 'fixed'; readonly delay: number }
  | {
      readonly type: 'exponential';
      readonly delay: number;
      readonly maxDelay?: number;
      readonly jitter?: number;
    }
  | ((attempt: number, error: unknown) => number);

/** Retry options of a worker definition: at most `attempts` runs per job, spaced by `backoff`. */
export interface RetryOptions {
  /** Total runs per job, the first included (default 3). `1` disables retries. */
  readonly attempts?: number;
  /** Delay between runs (default: exponential from 1 s, capped at 5 min, 20 % jitter). */
  readonly backoff?: BackoffOptions;
}

/** A complete retry policy, as parsed from {@link RetryOptions}. */
export interface RetryPolicy {
  readonly attempts: number;
  /** Milliseconds to wait after `attempt` (1-based) failed with `error`; `random` is in [0, 1). */
  delayAfter(attempt: number, error: unknown, random: number): number;
}

/** What to do with a job once its handler has returned or thrown. */
export type Settlement =
  | { readonly kind: 'ack'; readonly value: unknown }
  | { readonly kind: 'retry'; readonly delayMs: number; readonly error: unknown }
  | { readonly kind: 'dead'; readonly reason: 'non-retriable' | 'exhausted'; readonly error: unknown };

/** The policy used when a definition gives no `retry`. */
export const DEFAULT_BACKOFF = { type: 'exponential', delay: 1000, maxDelay: 300_000, jitter: 0.2 } as const;
export const DEFAULT_ATTEMPTS = 3;

/** Builds the delay function of a backoff option (validated beforehand by the options parser). */
export function backoffFunction(backoff: BackoffOptions): RetryPolicy['delayAfter'] {
  if (typeof backoff === 'function') {
    return (attempt, error) => {
      const ms = backoff(attempt, error);
      return Number.isFinite(ms) ? Math.max(0, Math.round(ms)) : 0;
    };
  }
  if (backoff.type === 'fixed') return () => backoff.delay;
  const cap = backoff.maxDelay ?? Number.POSITIVE_INFINITY;
  const jitter = backoff.jitter ?? 0;
  return (attempt, _error, random) => {
    const grown = Math.min(cap, backoff.delay * 2 ** Math.max(0, attempt - 1));
    return Math.round(grown - grown * jitter * random);
  };
}

/**
 * Classifies a failed run. Order matters: a non-retriable error wins over everything; a job released because the
 * worker is shutting down goes back at once without judging it; otherwise the attempt budget decides, and a
 * `RetryAfterError` only replaces the delay.
 */
export function classifyFailure(
  error: unknown,
  attempt: number,
  policy: RetryPolicy,
  random: number,
  releasedByShutdown: boolean,
): Settlement {
  if (isNonRetriableError(error)) return { kind: 'dead', reason: 'non-retriable', error };
  if (releasedByShutdown) return { kind: 'retry', delayMs: 0, error };
  if (attempt >= policy.attempts) return { kind: 'dead', reason: 'exhausted', error };
  const asked = retryAfterOf(error);
  const delayMs = asked ?? policy.delayAfter(attempt, error, random);
  return { kind: 'retry', delayMs, error };
}
