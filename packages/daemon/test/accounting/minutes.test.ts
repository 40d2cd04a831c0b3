import { describe, expect, it } from 'vitest';
import { billedMinutes, clip } from '../../src/accounting/pure/minutes.js';
import { type PeriodInput, usageReport } from '../../src/accounting/pure/report.js';

const S = 1000;
const MIN = 60 * S;
const T0 = Date.UTC(2026, 11, 6, 10, 0, 0);

describe('billed minutes', () => {
  it('rounds every period up to whole minutes with a 60 s minimum', () => {
    expect(billedMinutes(61 * S)).toBe(2);
    expect(billedMinutes(5 * S)).toBe(1);
    expect(billedMinutes(0)).toBe(1);
    expect(billedMinutes(1)).toBe(1);
    expect(billedMinutes(60 * S)).toBe(1);
    expect(billedMinutes(60 * S + 1)).toBe(2);
    expect(billedMinutes(120 * S)).toBe(2);
    expect(billedMinutes(-5)).toBe(1);
  });

  it('clips a period to the window and lets a running one count up to now', () => {
    const w = { since: T0, until: T0 + 10 * MIN };
    expect(clip(T0 - MIN, T0 + MIN, w, T0 + 20 * MIN)).toEqual({ start: T0, end: T0 + MIN });
    expect(clip(T0 + MIN, null, w, T0 + 2 * MIN)).toEqual({ start: T0 + MIN, end: T0 + 2 * MIN });
    expect(clip(T0 + MIN, null, w, T0 + 20 * MIN)).toEqual({ start: T0 + MIN, end: T0 + 10 * MIN });
    // Ended exactly where the window starts: nothing of it inside.
    expect(clip(T0 - MIN, T0, w, T0)).toBeNull();
    expect(clip(T0 + 10 * MIN, T0 + 11 * MIN, w, T0)).toBeNull();
    // No length: it belongs to the window holding its moment.
    expect(clip(T0 + MIN, T0 + MIN, w, T0)).toEqual({ start: T0 + MIN, end: T0 + MIN });
    expect(clip(T0 + 10 * MIN, T0 + 10 * MIN, w, T0)).toBeNull();
    // A clock that stands before a running period's start bills no negative time.
    expect(clip(T0 + MIN, null, w, T0)).toEqual({ start: T0 + MIN, end: T0 + MIN });
  });
});

const period = (over: Partial<PeriodInput> & { startedAt: number }): PeriodInput => ({
  kind: 'replica',
  process: 'emails',
  unit: 'emails.1',
  region: 'local',
  cpu: null,
  memory: null,
  endedAt: null,
  endReason: null,
  ...over,
});

const options = {
  app: 'shop',
  since: T0,
  until: T0 + 2 * 86_400_000,
  now: T0 + 86_400_000,
  by: 'process' as const,
  defaults: { cpu: 1, memoryBytes: 512 * 1024 ** 2 },
  prices: null,
  withPeriods: true,
};

describe('the usage report', () => {
  const periods = [
    period({ startedAt: T0, endedAt: T0 + 61 * S, cpu: 0.25, memory: 1024 ** 3 }),
    period({ startedAt: T0 + 2 * MIN, endedAt: T0 + 2 * MIN + 5 * S, cpu: 0.25, memory: 1024 ** 3 }),
    period({ unit: 'emails.2', startedAt: T0, endedAt: T0 + 10 * MIN }),
    period({
      kind: 'cron',
      process: 'nightly',
      unit: 'run 1',
      startedAt: T0 + 5 * MIN,
      endedAt: T0 + 6 * MIN,
    }),
  ];

  it('weights each period by what it requested, and the defaults where nothing was', () => {
    const r = usageReport(periods, options);
    expect(r.periods!.map((p) => p.replicaMinutes)).toEqual([2, 1, 10, 1]);
    expect(r.periods!.map((p) => p.vcpuMinutes)).toEqual([0.5, 0.25, 10, 1]);
    expect(r.periods!.map((p) => p.gibMinutes)).toEqual([2, 1, 5, 0.5]);
    expect(r.lines.map((l) => [l.key, l.replicaMinutes, l.periods])).toEqual([
      ['emails', 13, 3],
      ['nightly', 1, 1],
    ]);
    expect(r.totals).toEqual({
      replicaMinutes: 14,
      vcpuMinutes: 11.75,
      gibMinutes: 8.5,
      cost: null,
      periods: 4,
    });
  });

  it('has totals that are the sum of its periods and of its lines, whatever the grouping', () => {
    for (const by of ['process', 'day', 'region'] as const) {
      const r = usageReport(periods, { ...options, by });
      for (const field of ['replicaMinutes', 'vcpuMinutes', 'gibMinutes', 'periods'] as const) {
        const sum = (xs: readonly { [k in typeof field]: number }[]) => xs.reduce((a, x) => a + x[field], 0);
        expect(sum(r.periods!)).toBeCloseTo(r.totals[field], 6);
        expect(sum(r.lines)).toBeCloseTo(r.totals[field], 6);
      }
    }
  });

  it('adds a cost with a price table', () => {
    const prices = { vcpuMinute: 0.0004, gibMinute: 0.0001 };
    const r = usageReport(periods, { ...options, prices });
    expect(r.totals.cost).toBeCloseTo(11.75 * 0.0004 + 8.5 * 0.0001, 9);
    expect(r.prices).toEqual(prices);
  });

  it('counts a running period up to now, and groups by the UTC day a period starts in', () => {
    const running = [period({ startedAt: T0 + 86_400_000 - 90 * S })];
    const r = usageReport(running, { ...options, by: 'day' });
    expect(r.totals.replicaMinutes).toBe(2);
    expect(r.lines.map((l) => l.key)).toEqual(['2026-12-07']);
    expect(r.periods![0]!.endedAt).toBeNull();
  });

  it('leaves periods out of the answer unless asked', () => {
    expect(usageReport(periods, { ...options, withPeriods: false }).periods).toBeUndefined();
  });
});
