/** Connection helpers shared by the adapters. */
import { redact } from '../env.js';
import { describeError, WorkerError } from '../errors.js';

/** How long an adapter waits for its first connection before start fails (ms). */
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Awaits `connecting`, failing with `NS_WORKER_CONNECT_FAILED` (credentials hidden) on error or after `timeoutMs`.
 */
export async function connectOrFail<T>(
  what: string,
  url: string,
  connecting: Promise<T>,
  timeoutMs = CONNECT_TIMEOUT_MS,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no connection after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([connecting, timeout]);
  } catch (error) {
    throw new WorkerError(
      'NS_WORKER_CONNECT_FAILED',
      `could not connect to ${what} at ${redact(url)}: ${describeError(error)}`,
      'check that the server runs and the URL (and its credentials) in the environment are right',
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
}

/** The error an adapter reports when its connection goes away while the worker runs. */
export function connectionLost(what: string, detail: string, cause?: unknown): WorkerError {
  return new WorkerError(
    'NS_WORKER_CONNECTION_LOST',
    `the connection to ${what} was lost: ${detail}`,
    'the worker stops and exits 1 so its supervisor restarts it; unacknowledged jobs are redelivered',
    { cause },
  );
}
