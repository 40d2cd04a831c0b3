/**
 * The SDK's error catalogue. Every error the SDK raises itself carries a stable `code`, a message that says what
 * happened and where, and a `hint` that says how to fix it (listed in the project's `docs/errors.md`).
 *
 * Errors are recognised by a brand (`Symbol.for`), never by `instanceof`: an app that ends up with two copies of
 * the SDK (a nested `node_modules`) must still agree on what a Nightshift error is.
 */

/**
 * The codes this package can raise (the worker section of `docs/errors.md` lists the same, kept equal by a test).
 * `NS_WORKER_NON_RETRIABLE` and `NS_WORKER_RETRY_AFTER` are the codes of the control-flow errors handlers throw.
 */
export const WORKER_ERROR_CODES = [
  'NS_WORKER_DEFINITION_INVALID',
  'NS_WORKER_ENV_INVALID',
  'NS_WORKER_SCOPE_LEAK',
  'NS_WORKER_SERVICE_UNKNOWN',
  'NS_WORKER_SERVICE_FAILED',
  'NS_WORKER_ASYNC_FACTORY',
  'NS_WORKER_NOT_IN_JOB',
  'NS_WORKER_PEER_MISSING',
  'NS_WORKER_CONNECT_FAILED',
  'NS_WORKER_CONNECTION_LOST',
  'NS_WORKER_FILE_INVALID',
  'NS_WORKER_JOB_TIMEOUT',
  'NS_WORKER_SHUTDOWN',
  'NS_WORKER_DISPOSE_FAILED',
  'NS_WORKER_NON_RETRIABLE',
  'NS_WORKER_RETRY_AFTER',
] as const;

/** A code of {@link WORKER_ERROR_CODES}. */
export type WorkerErrorCode = (typeof WORKER_ERROR_CODES)[number];

const WORKER_ERROR = Symbol.for('nightshift.worker.error');

/** An error raised by the SDK itself: `code`, `message` (what, where) and `hint` (how to fix). */
export class WorkerError extends Error {
  readonly code: WorkerErrorCode;
  readonly hint: string;
  readonly [WORKER_ERROR] = true;

  constructor(code: WorkerErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WorkerError';
    this.code = code;
    this.hint = hint;
  }
}

/**
 * Whether `value` is an SDK error (from any copy of the SDK), optionally with the given code.
 *
 * @example
 * if (isWorkerError(err, 'NS_WORKER_ENV_INVALID')) console.error(err.hint);
 */
export function isWorkerError(value: unknown, code?: WorkerErrorCode): value is WorkerError {
  if (typeof value !== 'object' || value === null) return false;
  const branded = (value as Record<symbol, unknown>)[WORKER_ERROR] === true;
  return branded && (code === undefined || (value as { code?: unknown }).code === code);
}

/** A short, one-line description of any thrown value, for logs and dead-letter records. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
