import type { CronRunStatus } from '@nightshift/protocol';

/**
 * A run's life (DESIGN §5):
 * - `queued`      — waits for the runs ahead of it (queue_one, or the successor of a replaced run). → running;
 *                   → cancelled when the daemon stops first.
 * - `running`     — its row is written before the spawn. → succeeded (exit 0) | failed (other exit, a signal
 *                   from outside, or no spawn at all) | timed_out | cancelled (replaced) | interrupted (the daemon
 *                   stopped or died meanwhile; never re-run).
 * - `skipped`     — a slot that did not run: overlap, or the job is suspended. Final from the start.
 * Every status but queued and running is final.
 */
export type RunStatus = CronRunStatus;

/** Why the daemon ended a run itself; the run's final status says which. */
export type StopCause =
  | { readonly status: 'timed_out'; readonly reason: string }
  | { readonly status: 'cancelled'; readonly reason: string }
  | { readonly status: 'interrupted'; readonly reason: string };

/** A final status and why. */
export interface RunOutcome {
  readonly status: RunStatus;
  readonly reason: string | null;
}

/** The final status of a run whose process ended: the daemon's own stop wins over the exit it caused. */
export function finalStatus(
  exit: { readonly code: number | null; readonly signal: string | null },
  cause: StopCause | null,
): RunOutcome {
  if (cause) return { status: cause.status, reason: cause.reason };
  if (exit.code === 0) return { status: 'succeeded', reason: null };
  return { status: 'failed', reason: exit.signal ? `killed by ${exit.signal}` : null };
}
