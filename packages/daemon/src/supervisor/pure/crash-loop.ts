import type { ReplicaState } from './lifecycle.js';

/** A run shorter than this that ends in a crash counts towards a crash loop (Kubernetes' CrashLoopBackOff). */
export const CRASH_LOOP_RUN_MS = 10_000;
/** Consecutive short crashes that make a crash loop. */
export const CRASH_LOOP_CRASHES = 3;

/**
 * A replica in backoff after at least 3 crashes in a row that each ran under 10 s: shown as `crash-loop`, so a
 * process that cannot start is told apart from one that crashed once after days.
 */
export function isCrashLoop(state: ReplicaState): boolean {
  return state.status === 'backoff' && state.quickCrashes >= CRASH_LOOP_CRASHES;
}

/** The short-crash count after a crash that ran `ranMs` (a longer run breaks the loop). */
export function nextQuickCrashes(state: ReplicaState, ranMs: number): number {
  return ranMs < CRASH_LOOP_RUN_MS ? state.quickCrashes + 1 : 0;
}
