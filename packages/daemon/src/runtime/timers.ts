/**
 * Timers that hold any delay. Node keeps a timer's delay in a signed 32-bit field: anything above
 * 2^31−1 ms (24.8 days) is replaced by 1 ms, so a `stop_grace` or a cron `timeout` of 25 days would fire
 * at once. Long delays are cut into slices that each fit.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface Timer {
  cancel(): void;
}

/** Calls `fn` once after `ms` (negative or NaN count as 0). `unref` lets the process exit while it waits. */
export function after(ms: number, fn: () => void, opts: { unref?: boolean } = {}): Timer {
  let left = Number.isFinite(ms) ? Math.max(0, ms) : ms > 0 ? Infinity : 0;
  let handle: NodeJS.Timeout | null = null;
  const arm = () => {
    const slice = Math.min(left, MAX_TIMER_MS);
    left -= slice;
    handle = setTimeout(() => {
      if (left > 0) arm();
      else {
        handle = null;
        fn();
      }
    }, slice);
    if (opts.unref) handle.unref();
  };
  arm();
  return {
    cancel() {
      if (handle) clearTimeout(handle);
      handle = null;
    },
  };
}

/** Where a component's timers come from: the system's by default, a test's own in simulations. */
export interface Timers {
  after(ms: number, fn: () => void): Timer;
}

export const systemTimers: Timers = { after: (ms, fn) => after(ms, fn) };
