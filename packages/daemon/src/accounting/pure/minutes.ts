/** One billed minute; every period counts at least this much (issue 18: "a 60-second minimum"). */
export const MINUTE_MS = 60_000;

/**
 * The whole minutes a period of `ms` is billed for: rounded up, at least one. 61 s → 2, 5 s → 1, 60 s → 1.
 * A period of no length still ran (a process existed), so it counts the minimum too.
 */
export function billedMinutes(ms: number): number {
  return Math.max(1, Math.ceil(Math.max(0, ms) / MINUTE_MS));
}

/**
 * The part of a period inside the window `[since, until)`, or null when none is. `end` null means the period
 * still runs: it counts up to `now` (never past it, so a clock that stood still bills nothing extra).
 */
export function clip(
  start: number,
  end: number | null,
  window: { readonly since: number; readonly until: number },
  now: number,
): { readonly start: number; readonly end: number } | null {
  const stop = end ?? Math.max(now, start);
  // A period of no length (a crash at once) belongs to the window holding its moment.
  if (stop <= start) return start >= window.since && start < window.until ? { start, end: start } : null;
  const from = Math.max(start, window.since);
  const to = Math.min(stop, window.until);
  return from < to ? { start: from, end: to } : null;
}
