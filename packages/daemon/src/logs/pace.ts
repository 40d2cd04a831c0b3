/** Length of the window the read rate is measured over. */
const WINDOW_MS = 250;
/** Bytes read within a window above which capture counts as a flood: 10 MB/s. */
const BUSY_BYTES = 2_500_000;

/**
 * How fast the pipes are read lately, to tell a flood from ordinary logging: compression waits a flood out
 * (logs/retention.ts), because on a small machine its CPU is taken from the producers and the capture loop.
 * Measured on a monotonic clock of its own: the service's clock is the one lines are stamped with, which tests
 * stop.
 */
export class ReadPace {
  #windowStart = -Infinity;
  #inWindow = 0;
  #previous = 0;

  /** Called with each chunk read. */
  add(bytes: number): void {
    const now = performance.now();
    if (now - this.#windowStart >= WINDOW_MS) {
      this.#previous = now - this.#windowStart < 2 * WINDOW_MS ? this.#inWindow : 0;
      this.#inWindow = 0;
      this.#windowStart = now;
    }
    this.#inWindow += bytes;
  }

  /** True while the last full window, or the one going on, read at flood rate. */
  busy(): boolean {
    const age = performance.now() - this.#windowStart;
    if (age >= 2 * WINDOW_MS) return false;
    const recent = age >= WINDOW_MS ? this.#inWindow : Math.max(this.#inWindow, this.#previous);
    return recent >= BUSY_BYTES;
  }
}
