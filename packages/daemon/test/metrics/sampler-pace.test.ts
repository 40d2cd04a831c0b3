import { describe, expect, it } from 'vitest';
import {
  MAX_SAMPLE_INTERVAL_MS,
  nextInterval,
  SAMPLER_DUTY,
  UsageSampler,
} from '../../src/metrics/sampler.js';
import type { Timers } from '../../src/runtime/timers.js';
import { openDb } from '../../src/store/db.js';

describe('the sampler keeps to its share of a core', () => {
  it('stretches the interval of a costly pass, within the freshness bound', () => {
    expect(nextInterval(5_000, 1)).toBe(5_000);
    expect(nextInterval(5_000, 50)).toBe(50 / SAMPLER_DUTY); // 20 s
    expect(nextInterval(5_000, 10_000)).toBe(MAX_SAMPLE_INTERVAL_MS);
    expect(nextInterval(90_000, 10_000)).toBe(90_000); // a configured interval above the bound stays
  });

  it('arms the next pass from the CPU time the last one cost', () => {
    let cpu = 0;
    const delays: number[] = [];
    let due: (() => void) | null = null;
    const timers: Timers = {
      after(ms, fn) {
        delays.push(ms);
        due = fn;
        return { cancel: () => (due = null) };
      },
    };
    let costMs = 2;
    const sampler = new UsageSampler({
      db: openDb(':memory:'),
      clock: { now: () => 1_700_000_000_000, monotonic: () => 0 },
      // Reading costs costMs of the daemon's (fake) CPU time.
      cpuTimeMs: () => cpu,
      reader: { read: () => ((cpu += costMs), new Map()) },
      targets: () => [],
      onError: (err) => {
        throw err;
      },
      timers,
    });
    sampler.start();
    (due as unknown as () => void)();
    costMs = 40;
    (due as unknown as () => void)();
    costMs = 1;
    (due as unknown as () => void)();
    sampler.stop();
    expect(delays).toEqual([5_000, 5_000, 40 / SAMPLER_DUTY, 5_000]);
  });
});
