import { describe, expect, it } from 'vitest';
import * as store from '../../src/store/index.js';
import { random, tempDbPerTest } from './helpers.js';

const T0 = Date.UTC(2026, 2, 1);
const DAY = 86_400_000;

interface Period {
  startedAt: number;
  endedAt: number | null;
  cpu: number | null;
  memory: number | null;
}

/**
 * The report's rule written out the plain way, one period at a time, with no SQL and no shared helper: the part in
 * the window, rounded up to whole minutes with a minimum of one, on the UTC day the part starts.
 */
function byHand(
  periods: readonly Period[],
  w: { since: number; until: number; now: number },
): Map<string, number[]> {
  const sums = new Map<string, number[]>();
  for (const p of periods) {
    const end = p.endedAt ?? Math.max(w.now, p.startedAt);
    let from: number;
    let to: number;
    if (end <= p.startedAt) {
      if (p.startedAt < w.since || p.startedAt >= w.until) continue;
      from = to = p.startedAt;
    } else {
      from = Math.max(p.startedAt, w.since);
      to = Math.min(end, w.until);
      if (from >= to) continue;
    }
    const minutes = Math.max(1, Math.ceil((to - from) / 60_000));
    const key = `${new Date(from).toISOString().slice(0, 10)} ${p.cpu} ${p.memory}`;
    const sum = sums.get(key) ?? [0, 0];
    sums.set(key, [sum[0]! + 1, sum[1]! + minutes]);
  }
  return sums;
}

describe('the usage report by day', () => {
  const temp = tempDbPerTest('ns-usage-daily-');

  it('sums the same periods and minutes per day as a period-by-period computation, on random periods', () => {
    const db = temp.db();
    const rnd = random(20);
    const periods: Period[] = [];
    for (let i = 0; i < 2_000; i++) {
      // Starts anywhere in 60 days, often near midnight; lengths from none to several days; some still open.
      const midnight = T0 + Math.floor(rnd() * 60) * DAY;
      const startedAt =
        rnd() < 0.3 ? midnight - 90_000 + Math.floor(rnd() * 180_000) : midnight + Math.floor(rnd() * DAY);
      const length = [0, 1, 59_999, 60_000, 60_001, Math.floor(rnd() * 3 * DAY)][Math.floor(rnd() * 6)]!;
      const p: Period = {
        startedAt,
        endedAt: rnd() < 0.05 ? null : startedAt + length,
        cpu: [null, 0.25, 1.5][Math.floor(rnd() * 3)]!,
        memory: [null, 1024 ** 3][Math.floor(rnd() * 2)]!,
      };
      periods.push(p);
      const unit = { app: 'shop', kind: 'replica' as const, unit: `w.${i}`, pid: i };
      store.openPeriod(db, { ...unit, process: `w${i % 4}`, region: i % 2 ? 'eu' : 'us', ...p });
      if (p.endedAt !== null) store.closePeriod(db, unit, p.endedAt, 'stopped');
    }
    const windows = [
      { since: T0 - 5 * DAY, until: T0 + 70 * DAY, now: T0 + 65 * DAY },
      // Since inside a day and inside history: periods that started days before move to since's day.
      { since: T0 + 20 * DAY + 13 * 3_600_000, until: T0 + 41 * DAY + 7, now: T0 + 30 * DAY },
      { since: T0 + 10 * DAY - 1, until: T0 + 10 * DAY + 1, now: T0 + 90 * DAY },
    ];
    for (const w of windows) {
      const fast = new Map(
        store
          .usageGroups(db, 'shop', w, 'day')
          .map((g) => [`${g.key} ${g.cpu} ${g.memory}`, [g.periods, g.minutes]]),
      );
      const expected = byHand(periods, w);
      expect(expected.size).toBeGreaterThan(3);
      expect(fast).toEqual(expected);
    }
  });
});
