import { describe, expect, it } from 'vitest';
import { groupedReport, usageReport } from '../../src/accounting/pure/report.js';
import * as store from '../../src/store/index.js';
import { random, tempDbPerTest } from './helpers.js';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const DAY = 86_400_000;

describe('the usage sums of the store', () => {
  const temp = tempDbPerTest('ns-usage-store-');

  it('clip and round every period exactly as the pure report does, for every grouping and window', () => {
    const db = temp.db();
    const rnd = random(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    // Lengths around the rounding's edges, none, and long ones; some still running.
    const lengths = [0, 1, 5_000, 59_999, 60_000, 60_001, 61_000, 119_999, 3 * 3_600_000, 2 * DAY];
    for (let i = 0; i < 600; i++) {
      const unit = `w${i % 7}.${i % 3}`;
      const startedAt = T0 + Math.floor(rnd() * 10 * DAY);
      store.openPeriod(db, {
        app: 'shop',
        kind: i % 5 === 0 ? 'cron' : 'replica',
        process: `w${i % 7}`,
        unit: i % 5 === 0 ? `run ${i}` : unit,
        pid: i,
        region: pick(['eu-west', 'us-east']),
        cpu: pick([null, 0.25, 2]),
        memory: pick([null, 256 * 1024 ** 2, 1024 ** 3]),
        startedAt,
      });
      if (rnd() < 0.95) {
        store.closePeriod(
          db,
          {
            app: 'shop',
            kind: i % 5 === 0 ? 'cron' : 'replica',
            unit: i % 5 === 0 ? `run ${i}` : unit,
            pid: i,
          },
          startedAt + pick(lengths),
          'stopped',
        );
      }
    }
    const windows = [
      { since: T0, until: T0 + 30 * DAY, now: T0 + 12 * DAY },
      { since: T0 + 2 * DAY + 30_000, until: T0 + 5 * DAY + 7 * MIN, now: T0 + 4 * DAY },
      { since: T0 + 3 * DAY, until: T0 + 3 * DAY + MIN, now: T0 + 20 * DAY },
    ];
    for (const w of windows) {
      for (const by of ['process', 'day', 'region'] as const) {
        const options = {
          app: 'shop',
          ...w,
          by,
          defaults: { cpu: 1, memoryBytes: 512 * 1024 ** 2 },
          prices: { vcpuMinute: 0.0004, gibMinute: 0.0001 },
          withPeriods: false,
        };
        const fromRows = usageReport(store.periodsBetween(db, 'shop', w.since, w.until), options);
        const fromSums = groupedReport(store.usageGroups(db, 'shop', w, by), options);
        expect(fromSums.totals.periods, `${by} ${JSON.stringify(w)}`).toBeGreaterThan(0);
        expect(fromSums.lines.map((l) => [l.key, l.periods, l.replicaMinutes])).toEqual(
          fromRows.lines.map((l) => [l.key, l.periods, l.replicaMinutes]),
        );
        for (const field of ['vcpuMinutes', 'gibMinutes', 'cost'] as const) {
          expect(fromSums.totals[field]).toBeCloseTo(fromRows.totals[field]!, 5);
        }
      }
    }
  });

  it('never ends a period before its start, and ends only the group it is told', () => {
    const db = temp.db();
    const unit = { app: 'shop', kind: 'replica' as const, unit: 'w.1' };
    const base = { ...unit, process: 'w', region: 'local', cpu: null, memory: null };
    store.openPeriod(db, { ...base, pid: 1, startedAt: T0 });
    store.openPeriod(db, { ...base, pid: 2, startedAt: T0 + MIN });
    store.closePeriod(db, { ...unit, pid: 2 }, T0, 'crashed');
    const [first, second] = store.periodsBetween(db, 'shop', T0 - DAY, T0 + DAY);
    expect(first).toMatchObject({ pid: 1, endedAt: null });
    expect(second).toMatchObject({ pid: 2, endedAt: T0 + MIN, endReason: 'crashed' });
    expect(store.closeOpenPeriods(db, T0 - DAY, 'daemon-lost')).toBe(1);
    expect(store.periodsBetween(db, 'shop', T0 - DAY, T0 + DAY)[0]).toMatchObject({ endedAt: T0 });
  });
});
