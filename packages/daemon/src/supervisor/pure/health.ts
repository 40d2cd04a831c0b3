/**
 * The health of one running replica as its probe results come in: a pure counter, fed monotonic times.
 *
 * States: `starting` until the first probe succeeds (failures inside `startPeriodMs` of the start do not count;
 * after it they do), `healthy` after a success, `unhealthy` while failures are counted but fewer than
 * `failures`. The result that reaches `failures` consecutive counted failures says `restart`; the shell then
 * restarts the replica and starts over with a fresh `HealthState` for the next process.
 */
export interface HealthPolicy {
  readonly failures: number;
  readonly startPeriodMs: number;
}

export interface HealthState {
  readonly status: 'starting' | 'healthy' | 'unhealthy';
  /** Consecutive counted failures. */
  readonly failed: number;
  /** Monotonic start of the process probed. */
  readonly since: number;
  /** The last probe's error, for `ps` and the event; null after a success. */
  readonly lastError: string | null;
}

export type ProbeResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

export function initialHealth(since: number): HealthState {
  return { status: 'starting', failed: 0, since, lastError: null };
}

export function recordProbe(
  state: HealthState,
  result: ProbeResult,
  now: number,
  policy: HealthPolicy,
): { readonly state: HealthState; readonly restart: boolean } {
  if (result.ok)
    return { state: { ...state, status: 'healthy', failed: 0, lastError: null }, restart: false };
  const inGrace = state.status === 'starting' && now - state.since < policy.startPeriodMs;
  if (inGrace) return { state: { ...state, lastError: result.error }, restart: false };
  const failed = state.failed + 1;
  return {
    state: { ...state, status: 'unhealthy', failed, lastError: result.error },
    restart: failed >= policy.failures,
  };
}

/** What `ps` shows: `healthy`, `starting`, or `unhealthy (2/3)`. */
export function healthLabel(state: HealthState, policy: HealthPolicy): string {
  return state.status === 'unhealthy' ? `unhealthy (${state.failed}/${policy.failures})` : state.status;
}
