/** Backoff and failure classification: pure functions, the same for every adapter. */
import { describe, expect, it } from 'vitest';
import { NonRetriableError, RetryAfterError, isNonRetriableError, retryAfterOf } from '../src/control.js';
import { backoffFunction, classifyFailure, type RetryPolicy } from '../src/retry.js';

const policy = (attempts: number, delay = 100): RetryPolicy => ({
  attempts,
  delayAfter: backoffFunction({ type: 'fixed', delay }),
});

describe('backoff', () => {
  it('grows exponentially from the base delay and stops at the cap', () => {
    const delay = backoffFunction({ type: 'exponential', delay: 1000, maxDelay: 5000 });
    expect([1, 2, 3, 4, 5].map((attempt) => delay(attempt, undefined, 0))).toEqual([
      1000, 2000, 4000, 5000, 5000,
    ]);
  });

  it('takes up to `jitter` off the delay, never adding to it', () => {
    const delay = backoffFunction({ type: 'exponential', delay: 1000, jitter: 0.2 });
    expect(delay(1, undefined, 0)).toBe(1000);
    expect(delay(1, undefined, 0.5)).toBe(900);
    expect(delay(2, undefined, 0.999)).toBeGreaterThanOrEqual(1600);
  });

  it('calls a custom function with the attempt and error, clamping bad answers to 0', () => {
    const seen: unknown[] = [];
    const delay = backoffFunction((attempt, error) => {
      seen.push([attempt, error]);
      return attempt === 1 ? -5 : Number.NaN;
    });
    expect(delay(1, 'e1', 0)).toBe(0);
    expect(delay(2, 'e2', 0)).toBe(0);
    expect(seen).toEqual([
      [1, 'e1'],
      [2, 'e2'],
    ]);
  });
});

describe('classifyFailure', () => {
  it('retries with the policy delay while attempts remain, then fails for good', () => {
    const error = new Error('x');
    expect(classifyFailure(error, 1, policy(3), 0, false)).toEqual({ kind: 'retry', delayMs: 100, error });
    expect(classifyFailure(error, 2, policy(3), 0, false)).toEqual({ kind: 'retry', delayMs: 100, error });
    expect(classifyFailure(error, 3, policy(3), 0, false)).toEqual({
      kind: 'dead',
      reason: 'exhausted',
      error,
    });
  });

  it('fails a non-retriable error at once, even on the first of many attempts', () => {
    const error = new NonRetriableError('bad input');
    expect(classifyFailure(error, 1, policy(10), 0, false)).toEqual({
      kind: 'dead',
      reason: 'non-retriable',
      error,
    });
  });

  it('uses the RetryAfterError delay instead of the backoff, within the attempt budget', () => {
    const error = new RetryAfterError(2500);
    expect(classifyFailure(error, 1, policy(3), 0, false)).toEqual({ kind: 'retry', delayMs: 2500, error });
    expect(classifyFailure(error, 3, policy(3), 0, false).kind).toBe('dead');
  });

  it('releases a job stopped by shutdown at once, even on its last attempt', () => {
    expect(classifyFailure(new Error('aborted'), 3, policy(3), 0, true)).toMatchObject({
      kind: 'retry',
      delayMs: 0,
    });
  });
});

describe('control-flow errors', () => {
  it("are recognised by brand, not by class: another copy of the SDK or BullMQ's UnrecoverableError counts", () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('nightshift.worker.nonRetriable')]: true });
    const bull = Object.assign(new Error('y'), { name: 'UnrecoverableError' });
    expect([foreign, bull, new NonRetriableError('z')].every(isNonRetriableError)).toBe(true);
    expect(isNonRetriableError(new Error('plain'))).toBe(false);
    const later = Object.assign(new Error('x'), {
      [Symbol.for('nightshift.worker.retryAfter')]: true,
      retryAfterMs: 700,
    });
    expect(retryAfterOf(later)).toBe(700);
    expect(retryAfterOf(new Error('plain'))).toBeUndefined();
  });

  it('normalises a RetryAfterError delay to a whole, non-negative number', () => {
    expect(new RetryAfterError(-10).retryAfterMs).toBe(0);
    expect(new RetryAfterError(Number.NaN).retryAfterMs).toBe(0);
    expect(new RetryAfterError(12.6).retryAfterMs).toBe(13);
  });
});
