/**
 * A counter of free job slots for adapters that pull (JetStream, Redis Streams): they fetch only as many
 * messages as slots are free, so a fetched message never waits in the client while its ack timer runs.
 */
export interface Slots {
  readonly free: number;
  take(): void;
  release(): void;
  /** Resolves when at least one slot is free, or at once after `interrupt()`. */
  whenFree(): Promise<void>;
  /** Wakes every waiter (used by stop). */
  interrupt(): void;
}

/** Creates `size` slots. */
export function createSlots(size: number): Slots {
  let free = size;
  let waiters: (() => void)[] = [];
  const wake = (): void => {
    const woken = waiters;
    waiters = [];
    for (const resolve of woken) resolve();
  };
  return {
    get free() {
      return free;
    },
    take() {
      free -= 1;
    },
    release() {
      free += 1;
      wake();
    },
    whenFree() {
      if (free > 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    interrupt: wake,
  };
}
