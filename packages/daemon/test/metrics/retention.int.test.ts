import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageSampler, UsageViews, type UsageReader } from '../../src/metrics/index.js';
import { POINTS_PER_REPLICA, TIERS } from '../../src/metrics/pure/tiers.js';
import { openDb, usageRowCounts, type Db } from '../../src/store/index.js';
import type { ReplicaTarget } from '../../src/supervisor/targets.js';

const DAY = 86_400_000;
const REPLICAS = 3;

/** A clock a test moves by hand (wall and monotonic together). */
function handClock(start: number) {
  let at = start;
  return { now: () => at, monotonic: () => at - start, advance: (ms: number) => (at += ms) };
}

const target = (idx: number): ReplicaTarget => ({
  app: 'shop',
  process: 'emails',
  idx,
  replica: `emails.${idx}`,
  pgid: 1000 + idx,
  restarts: 0,
  resources: null,
  metrics: null,
});

/** Every group burns a quarter of a core and holds 100 MB plus its index in MB. */
function steadyReader(clock: { monotonic(): number }): UsageReader {
  return {
    read: (pgids) =>
      new Map(
        pgids.map((pgid) => [
          pgid,
          {
            cpuSeconds: clock.monotonic() / 4000,
            memoryBytes: (100 + (pgid - 1000)) * 2 ** 20,
            processes: 2,
          },
        ]),
      ),
  };
}

describe('stored replica usage', () => {
  let dir: string;
  let db: Db | null = null;
  afterEach(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stays under its bound through 30 simulated days, keeping each resolution for its window', () => {
    dir = mkdtempSync(join(tmpdir(), 'ns-metrics-'));
    db = openDb(join(dir, 'state.db'));
    const start = Date.UTC(2026, 0, 1);
    const clock = handClock(start);
    const sampler = new UsageSampler({
      db,
      clock,
      reader: steadyReader(clock),
      targets: () => [1, 2, 3].map(target),
      onError: (err) => {
        throw err;
      },
    });
    const bound = REPLICAS * POINTS_PER_REPLICA;
    // 31 days: coarse passes (every 5 min) for 30 days keep the test quick; the last day samples every
    // minute and the last hour every 5 s, as the daemon does, so every tier ends full.
    const phases = [
      { until: start + 30 * DAY, every: 300_000 },
      { until: start + 31 * DAY - 3_600_000, every: 60_000 },
      { until: start + 31 * DAY, every: 5_000 },
    ];
    let maxRows = 0;
    for (const phase of phases) {
      while (clock.now() < phase.until) {
        clock.advance(phase.every);
        sampler.pass();
        let rows = 0;
        if (clock.now() % (6 * 3_600_000) === 0 || phase.every === 5_000) {
          for (const n of usageRowCounts(db).values()) rows += n;
          maxRows = Math.max(maxRows, rows);
        }
      }
    }
    const counts = usageRowCounts(db);
    for (const tier of TIERS) {
      // Full windows, never more: each replica has one point per step of the window, plus the open bucket.
      expect(counts.get(tier.id)).toBeGreaterThanOrEqual(REPLICAS * (tier.keepMs / tier.stepMs) * 0.99);
      expect(counts.get(tier.id)).toBeLessThanOrEqual(REPLICAS * (tier.keepMs / tier.stepMs + 1));
    }
    expect(maxRows).toBeLessThanOrEqual(bound);
    // The database file too: a bound on rows is a bound on bytes (under 3 MB for three replicas).
    expect(statSync(join(dir, 'state.db')).size).toBeLessThan(3 * 2 ** 20);

    const views = new UsageViews({ db, clock, sampler });
    const month = views.series('shop', {
      process: 'emails',
      idx: 2,
      since: clock.now() - 30 * DAY,
      stepSeconds: null,
    });
    expect(month.step).toBe(600);
    expect(month.series).toHaveLength(1);
    const points = month.series[0]!.points;
    expect(points.length).toBeGreaterThan(4300);
    expect(Date.parse(points[0]!.time)).toBeGreaterThanOrEqual(clock.now() - 30 * DAY - 600_000);
    expect(points.at(-1)!.memoryBytes).toBe(102 * 2 ** 20);
    expect(points.at(-1)!.cpuPercent).toBeCloseTo(25, 5);

    const hour = views.series('shop', { process: null, idx: null, since: null, stepSeconds: null });
    expect(hour.step).toBe(5);
    expect(hour.series.map((s) => s.replica)).toEqual(['emails.1', 'emails.2', 'emails.3']);
    expect(hour.series[0]!.points.length).toBeGreaterThanOrEqual(720);
    const coarse = views.series('shop', { process: null, idx: 1, since: null, stepSeconds: 60 });
    expect(coarse.step).toBe(60);
    expect(coarse.series[0]!.points.length).toBeLessThanOrEqual(61);
  });
});
