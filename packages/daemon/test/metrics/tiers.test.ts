import { describe, expect, it } from 'vitest';
import { cpuPercent, POINTS_PER_REPLICA, tierFor } from '../../src/metrics/pure/tiers.js';

const HOUR = 3_600_000;

describe('usage tiers', () => {
  it('reads the finest tier that still covers the window, or the one of a coarser step asked for', () => {
    expect(tierFor(HOUR, null).stepMs).toBe(5_000);
    // `--since 1h` reaches a little further back by the time the daemon reads it.
    expect(tierFor(HOUR + 2_000, null).stepMs).toBe(5_000);
    expect(tierFor(6 * HOUR, null).stepMs).toBe(60_000);
    expect(tierFor(7 * 24 * HOUR, null).stepMs).toBe(600_000);
    expect(tierFor(90 * 24 * HOUR, null).stepMs).toBe(600_000);
    expect(tierFor(HOUR, 60_000).stepMs).toBe(60_000);
    expect(tierFor(HOUR, 30_000).stepMs).toBe(5_000);
    expect(tierFor(24 * HOUR, 5_000).stepMs).toBe(60_000);
  });

  it('bounds the points of one replica slot', () => {
    expect(POINTS_PER_REPLICA).toBe(720 + 1 + 1_440 + 1 + 4_320 + 1);
  });

  it('measures CPU over an interval, and says nothing for a first reading or a counter that went down', () => {
    expect(cpuPercent(undefined, { cpuSeconds: 3, at: 5_000 })).toBeNull();
    expect(cpuPercent({ cpuSeconds: 1, at: 0 }, { cpuSeconds: 3.5, at: 5_000 })).toBeCloseTo(50);
    expect(cpuPercent({ cpuSeconds: 4, at: 0 }, { cpuSeconds: 3, at: 5_000 })).toBeNull();
    expect(cpuPercent({ cpuSeconds: 1, at: 5_000 }, { cpuSeconds: 2, at: 5_000 })).toBeNull();
  });
});
