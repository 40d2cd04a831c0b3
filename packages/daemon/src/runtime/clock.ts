/** Time as the daemon sees it; tests and `faketime`-style runs inject their own. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock shifted by a fixed offset (NIGHTSHIFT_CLOCK_OFFSET_MS): lets tests jump hours ahead. */
export function offsetClock(offsetMs: number): Clock {
  return { now: () => Date.now() + offsetMs };
}
