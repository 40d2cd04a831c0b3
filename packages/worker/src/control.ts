/**
 * Control-flow errors a handler throws to tell the SDK what to do with a failed job. They are classified by
 * brand (`Symbol.for`), so a job thrown from another copy of the SDK, or a subclass, is still understood.
 */

const NON_RETRIABLE = Symbol.for('nightshift.worker.nonRetriable');
const RETRY_AFTER = Symbol.for('nightshift.worker.retryAfter');

/**
 * Fails the job at once, skipping any attempts left: it goes to the dead-letter queue (or BullMQ's failed set).
 * Throw it for inputs that can never succeed (a malformed payload, a deleted account).
 *
 * @example
 * if (!isEmail(job.data.to)) throw new NonRetriableError(`not an e-mail address: ${job.data.to}`);
 */
export class NonRetriableError extends Error {
  readonly code = 'NS_WORKER_NON_RETRIABLE';
  readonly [NON_RETRIABLE] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetriableError';
  }
}

/**
 * Fails this attempt and asks for the next one after `retryAfterMs` instead of the backoff policy's delay
 * (a rate limit's `Retry-After`, a lock held elsewhere). It still counts as an attempt.
 *
 * @example
 * if (res.status === 429) throw new RetryAfterError(Number(res.headers.get('retry-after')) * 1000, 'rate limited');
 */
export class RetryAfterError extends Error {
  readonly code = 'NS_WORKER_RETRY_AFTER';
  readonly retryAfterMs: number;
  readonly [RETRY_AFTER] = true;

  constructor(
    retryAfterMs: number,
    message = `retry after ${retryAfterMs} ms`,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RetryAfterError';
    // A negative or non-finite delay would make adapters behave differently (BullMQ clamps, AMQP rejects the
    // TTL): normalise here so every queue sees the same number.
    this.retryAfterMs = Number.isFinite(retryAfterMs) ? Math.max(0, Math.round(retryAfterMs)) : 0;
  }
}

/**
 * Whether `error` asks for no retry: a {@link NonRetriableError} from any copy of the SDK, or BullMQ's
 * `UnrecoverableError` (recognised by name, so handlers ported from BullMQ keep their meaning).
 */
export function isNonRetriableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as Record<symbol, unknown>)[NON_RETRIABLE] === true) return true;
  return (error as { name?: unknown }).name === 'UnrecoverableError';
}

/** The delay a {@link RetryAfterError} (from any copy of the SDK) asks for, or `undefined` for other errors. */
export function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if ((error as Record<symbol, unknown>)[RETRY_AFTER] !== true) return undefined;
  const ms = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof ms === 'number' && Number.isFinite(ms) ? Math.max(0, ms) : 0;
}
