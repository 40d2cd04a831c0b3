import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/events/index.js';
import { startCompactor } from '../../src/runtime/compactor.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startCompactor', () => {
  it('compacts right after a burst, then at most once per interval while events come, never when idle', async () => {
    let id = 0;
    const bus = new EventBus(() => ++id, (err) => { throw err; });
    const calls: unknown[] = [];
    const stop = startCompactor(bus, { intervalMs: 60, gc: (o) => calls.push(o) });
    try {
      await sleep(150);
      expect(calls).toEqual([]);

      bus.emit({ type: 'deploy:finished', app: 'shop', message: 'v2 is live', data: { release: 'v2', previous: 'v1' } });
      bus.emit({ type: 'app:destroyed', app: 'blog', message: 'blog destroyed', data: {} });
      await new Promise((r) => setImmediate(r));
      expect(calls).toEqual([{ type: 'major', execution: 'sync', flavor: 'last-resort' }]);

      // A crash loop: many small events, one collection per interval.
      for (let i = 0; i < 20; i++) {
        bus.emit({ type: 'replica:stopped', app: 'shop', message: 'w.1 stopped', data: { code: 1, signal: null, killed: false } });
        await sleep(5);
      }
      const during = calls.length;
      expect(during).toBeGreaterThanOrEqual(2);
      expect(during).toBeLessThanOrEqual(4);
      await sleep(200);
      expect(calls.length).toBeLessThanOrEqual(during + 1);
    } finally {
      stop();
    }
  });
});
