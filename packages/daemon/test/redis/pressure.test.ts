import { describe, expect, it } from 'vitest';
import { oomRejections, parseInfo, supportsChannelRules } from '../../src/redis/facts.js';
import { Pressure } from '../../src/redis/monitor.js';

const MiB = 1024 * 1024;

describe('Pressure', () => {
  it('reports memory above 80 % once per crossing', () => {
    const p = new Pressure();
    expect(p.observe({ usedMemory: 70 * MiB, maxmemory: 100 * MiB, rejectedWrites: 0 }, 0)).toEqual([]);
    expect(p.observe({ usedMemory: 85 * MiB, maxmemory: 100 * MiB, rejectedWrites: 0 }, 1)).toEqual([
      { type: 'redis:memory-high', ratio: 0.85 },
    ]);
    expect(p.observe({ usedMemory: 90 * MiB, maxmemory: 100 * MiB, rejectedWrites: 0 }, 2)).toEqual([]);
    expect(p.warnings(2)[0]).toMatch(/^Redis memory is at 90 % of maxmemory/);
    p.observe({ usedMemory: 10 * MiB, maxmemory: 100 * MiB, rejectedWrites: 0 }, 3);
    expect(p.warnings(3)).toEqual([]);
    expect(p.observe({ usedMemory: 81 * MiB, maxmemory: 100 * MiB, rejectedWrites: 0 }, 4)).toHaveLength(1);
  });

  it('reports writes refused since the last sample and warns for a minute after', () => {
    const p = new Pressure();
    // The first sample is the baseline: refusals from before the daemon connected are not news.
    expect(p.observe({ usedMemory: 1, maxmemory: 0, rejectedWrites: 5 }, 0)).toEqual([]);
    expect(p.observe({ usedMemory: 1, maxmemory: 100, rejectedWrites: 12 }, 1000)).toEqual([
      { type: 'redis:rejecting', rejected: 7 },
    ]);
    expect(p.warnings(30_000).join()).toMatch(/refusing writes/);
    expect(p.warnings(61_001)).toEqual([]);
    // A restarted server counts from zero: no negative news.
    expect(p.observe({ usedMemory: 1, maxmemory: 100, rejectedWrites: 0 }, 62_000)).toEqual([]);
  });
});

describe('INFO facts', () => {
  it('reads versions, fields and the OOM error count', () => {
    expect(supportsChannelRules('6.0.16')).toBe(false);
    expect(supportsChannelRules('6.2.0')).toBe(true);
    expect(supportsChannelRules('7.0.15')).toBe(true);
    const info = parseInfo('# Errorstats\r\nerrorstat_NOPERM:count=3\r\nerrorstat_OOM:count=42\r\n');
    expect(oomRejections(info)).toBe(42);
    expect(oomRejections(parseInfo(''))).toBe(0);
  });
});
