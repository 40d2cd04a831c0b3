/**
 * Time as the daemon sees it; tests and `faketime`-style runs inject their own.
 *
 * Two readings, for two jobs: `now()` is the wall clock (what is shown and stored: it may step backwards or
 * jump when the machine's time is set), `monotonic()` only ever moves forward at the rate of real time and is
 * what every delay and timer is computed from.
 */
export interface Clock {
  /** Milliseconds since the epoch, for display and the store. */
  now(): number;
  /** Milliseconds from an arbitrary origin that never steps: for durations and timers. */
  monotonic(): number;
}

export const systemClock: Clock = { now: () => Date.now(), monotonic: () => performance.now() };

/** A clock shifted by a fixed offset (NIGHTSHIFT_CLOCK_OFFSET_MS): lets tests jump hours ahead. */
export function offsetClock(offsetMs: number): Clock {
  return { now: () => Date.now() + offsetMs, monotonic: () => performance.now() };
}
