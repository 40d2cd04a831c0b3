/**
 * The circuit breaker's state machine, pure: no clock, no timer, no queue. The shell (`circuit.ts`) feeds it
 * events with the time they happened and applies the capacity it asks for.
 *
 * States and their exits:
 * - `closed`: jobs flow at full concurrency. A failure is remembered with its time; when `failures` of them fall
 *   within `windowMs`, → `open` (capacity 0).
 * - `open`: no new job is taken; jobs already held run on and their outcomes are ignored (they say nothing about
 *   the dependency now). A `tick` at or after `openedAt + cooldownMs` → `half-open` (capacity 1).
 * - `half-open`: the first job that starts is the trial; other outcomes are ignored. The trial's success →
 *   `closed` (full capacity, failures forgotten); its failure → `open` again for another cooldown.
 */

/** The breaker's settings, parsed from `circuitBreaker: { failures, window, cooldown }`. */
export interface BreakerPolicy {
  readonly failures: number;
  readonly windowMs: number;
  readonly cooldownMs: number;
}

/** A snapshot of the breaker. */
export type BreakerState =
  | { readonly name: 'closed'; readonly failedAt: readonly number[] }
  | { readonly name: 'open'; readonly openedAt: number }
  | { readonly name: 'half-open'; readonly trial: string | undefined };

/** What happened: a job started or settled (by id), or time passed. */
export type BreakerEvent =
  | { readonly type: 'started'; readonly job: string }
  | { readonly type: 'settled'; readonly job: string; readonly ok: boolean }
  | { readonly type: 'tick' };

/** How many jobs the source may hand out: none, one trial, or the worker's concurrency. */
export type Capacity = 'none' | 'trial' | 'full';

/** The next state, and the capacity to apply when it changed. */
export interface BreakerStep {
  readonly state: BreakerState;
  readonly capacity?: Capacity;
}

/** The state a worker starts in. */
export const CLOSED: BreakerState = Object.freeze({ name: 'closed', failedAt: Object.freeze([]) });

/**
 * The transition function.
 *
 * @example
 * const policy = { failures: 2, windowMs: 1000, cooldownMs: 5000 };
 * let step = transition(CLOSED, { type: 'settled', job: 'a', ok: false }, 0, policy);
 * step = transition(step.state, { type: 'settled', job: 'b', ok: false }, 10, policy);
 * step.capacity; // 'none': the breaker opened
 */
export function transition(
  state: BreakerState,
  event: BreakerEvent,
  now: number,
  policy: BreakerPolicy,
): BreakerStep {
  switch (state.name) {
    case 'closed': {
      if (event.type !== 'settled' || event.ok) return { state };
      const failedAt = [...state.failedAt.filter((at) => at > now - policy.windowMs), now];
      if (failedAt.length >= policy.failures)
        return { state: { name: 'open', openedAt: now }, capacity: 'none' };
      return { state: { name: 'closed', failedAt } };
    }
    case 'open': {
      if (event.type === 'tick' && now >= state.openedAt + policy.cooldownMs)
        return { state: { name: 'half-open', trial: undefined }, capacity: 'trial' };
      return { state };
    }
    case 'half-open': {
      if (event.type === 'started' && state.trial === undefined)
        return { state: { name: 'half-open', trial: event.job } };
      if (event.type !== 'settled' || event.job !== state.trial) return { state };
      return event.ok
        ? { state: CLOSED, capacity: 'full' }
        : { state: { name: 'open', openedAt: now }, capacity: 'none' };
    }
  }
}

/** When the shell should next send a `tick`, if at all. */
export function nextTick(state: BreakerState, policy: BreakerPolicy): number | undefined {
  return state.name === 'open' ? state.openedAt + policy.cooldownMs : undefined;
}
