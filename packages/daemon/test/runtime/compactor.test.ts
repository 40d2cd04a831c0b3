import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/events/index.js';
import { startCompactor } from '../../src/runtime/compactor.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stopped = {
  type: 'replica:stopped',
  app: 'shop',
  message: 'w.1 stopped',
  data: { code: 1, signal: null, killed: false },
} as const;

function world(intervalMs: number, quietMs: number, maxWaitMs = 1_000) {
  let id = 0;
  const bus = new EventBus(
    () => ++id,
    (err) => {
      throw err;
    },
  );
  const calls: number[] = [];
  const stop = startCompactor(bus, { intervalMs, quietMs, maxWaitMs, gc: () => calls.push(Date.now()) });
  return { bus, calls, stop };
}

describe('startCompactor', () => {
  it('compacts once a burst is followed by a quiet moment, never when idle', async () => {
    const { bus, calls, stop } = world(10_000, 40);
    try {
      await sleep(100);
      expect(calls).toEqual([]);
      bus.emit({
        type: 'deploy:finished',
        app: 'shop',
        message: 'v2 is live',
        data: { release: 'v2', previous: 'v1' },
      });
      // Events keep coming every 10 ms: no quiet moment yet, so no pause in the middle of them.
      for (let i = 0; i < 10; i++) {
        bus.emit(stopped);
        await sleep(10);
      }
      expect(calls).toEqual([]);
      await sleep(150);
      expect(calls).toHaveLength(1);
      await sleep(200);
      expect(calls).toHaveLength(1);
    } finally {
      stop();
    }
  });

  it('under events that never pause, compacts about once per interval anyway', async () => {
    const { bus, calls, stop } = world(100, 40, 100);
    try {
      const until = Date.now() + 650;
      while (Date.now() < until) {
        bus.emit(stopped);
        await sleep(5);
      }
      // Intervals at 100, 200, …: each wants a compaction and forces it 100 ms later at the latest.
      expect(calls.length).toBeGreaterThanOrEqual(2);
      expect(calls.length).toBeLessThanOrEqual(6);
    } finally {
      stop();
    }
  });

  it('compacts after work that emits no event (scrapes) at its own, longer interval', async () => {
    let scraped = false;
    const calls: number[] = [];
    const bus = new EventBus(
      () => 0,
      (err) => {
        throw err;
      },
    );
    const stop = startCompactor(bus, {
      intervalMs: 20,
      quietMs: 5,
      workedIntervalMs: 200,
      gc: () => calls.push(Date.now()),
      worked: () => {
        const was = scraped;
        scraped = false;
        return was;
      },
    });
    try {
      const t0 = Date.now();
      const until = t0 + 700;
      while (Date.now() < until) {
        scraped = true;
        await sleep(10);
      }
      // Asked every 20 ms with work each time, it compacts at most once per 200 ms: 3 times in 700 ms, not 35.
      expect(calls.length).toBeGreaterThanOrEqual(1);
      expect(calls.length).toBeLessThanOrEqual(3);
      expect(calls[0]! - t0).toBeGreaterThanOrEqual(200);
      // The last scrapes' compaction may still come; after it, no work means no compaction.
      await sleep(250);
      const before = calls.length;
      await sleep(300);
      expect(calls.length).toBe(before);
    } finally {
      stop();
    }
  });
});
