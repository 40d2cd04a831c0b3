/**
 * A counter of free job slots for adapters that pull (JetStream, Redis Streams): they fetch only as many
 * messages as slots are free, so a fetched message never waits in the client while its ack timer runs. The
 * number of slots can change while jobs run (the circuit breaker's throttle): `free` is never below zero, and a
 * slot released while the size is lowered does not become free.
 */
export interface Slots {
  readonly free: number;
  take(): void;
  release(): void;
  /** Changes the number of slots; jobs held beyond the new size keep running. */
  resize(size: number): void;
  /** Resolves when at least one slot is free, or at once after `interrupt()`. */
  whenFree(): Promise<void>;
  /** Wakes every waiter (used by stop). */
  interrupt(): void;
}

/** Creates `size` slots. */
export function createSlots(initial: number): Slots {
  let size = initial;
  let held = 0;
  let waiters: (() => void)[] = [];
  const free = (): number => Math.max(0, size - held);
  const wake = (): void => {
    if (free() === 0) return;
    const woken = waiters;
    waiters = [];
    for (const resolve of woken) resolve();
  };
  return {
    get free() {
      return free();
    },
    take() {
      held += 1;
    },
    release() {
      held -= 1;
      wake();
    },
    resize(next) {
      size = next;
      wake();
    },
    whenFree() {
      if (free() > 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    interrupt() {
      const woken = waiters;
      waiters = [];
      for (const resolve of woken) resolve();
    },
  };
}
