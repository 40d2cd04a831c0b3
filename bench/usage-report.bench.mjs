// Issue 18's usage target: the usage query over a year of runtime periods for 50 replicas in < 100 ms. A real
// SQLite state database is filled with one year of periods (BENCH_USAGE_PERIOD_HOURS long on average, default
// 1 h: a restart or a deploy every hour, ~438,000 periods) across 50 replica slots of 5 process types, then
// `UsageReports.report` (what GET /apps/:app/usage answers) reads the whole year. Baseline: one SQL aggregate
// over the same rows (the least any report must read), measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPLICAS = 50;
const PERIOD_HOURS = Number(process.env.BENCH_USAGE_PERIOD_HOURS ?? 1);
const HOUR = 3_600_000;
const YEAR = 365 * 24 * HOUR;
const NOW = Date.UTC(2026, 11, 6);
const DIST = new URL('../packages/daemon/dist/', import.meta.url);
const imp = (path) => import(new URL(path, DIST).href);

/** A small deterministic generator, so every run reads the same table. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export default {
  title: `Usage report over a year of periods for ${REPLICAS} replicas (~${PERIOD_HOURS} h each)`,
  runs: 9,
  warmup: 2,
  async setup() {
    const store = await imp('store/index.js');
    const { UsageReports, DEFAULT_USAGE_SETTINGS } = await imp('accounting/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'ns-bench-usage-'));
    const db = store.openDb(join(dir, 'state.db'));
    const rnd = random(18);
    let periods = 0;
    db.exec('BEGIN');
    for (let slot = 0; slot < REPLICAS; slot++) {
      const process = `worker-${slot % 5}`;
      const unit = `${process}.${Math.floor(slot / 5) + 1}`;
      let t = NOW - YEAR;
      while (t < NOW) {
        // Lengths from 0 to twice the mean; a gap of up to a minute (a crash's backoff) before the next start.
        const end = Math.min(NOW, t + Math.floor(rnd() * 2 * PERIOD_HOURS * HOUR));
        store.openPeriod(db, {
          app: 'shop',
          kind: 'replica',
          process,
          unit,
          pid: 1000 + periods,
          region: 'local',
          cpu: slot % 2 === 0 ? 0.5 : null,
          memory: slot % 3 === 0 ? 1024 ** 3 : null,
          startedAt: t,
        });
        store.closePeriod(db, { app: 'shop', kind: 'replica', unit, pid: 1000 + periods }, end, 'stopped');
        periods++;
        t = end + Math.floor(rnd() * 60_000);
      }
    }
    db.exec('COMMIT');
    const clock = { now: () => NOW, monotonic: () => 0 };
    const reports = new UsageReports({
      db,
      clock,
      settings: { ...DEFAULT_USAGE_SETTINGS, prices: { vcpuMinute: 0.0004, gibMinute: 0.0001 } },
    });
    const aggregate = db.prepare(
      `SELECT count(*) AS n, sum(ended_at - started_at) AS ms FROM usage_periods
       WHERE app = ? AND started_at < ? AND (ended_at IS NULL OR ended_at >= ?)`,
    );
    return { dir, db, reports, aggregate, periods };
  },
  async teardown(ctx) {
    ctx.db.close();
    rmSync(ctx.dir, { recursive: true, force: true });
  },
  baseline: {
    name: 'SQL count + sum over the same rows',
    run: async (ctx) => {
      ctx.aggregate.get('shop', NOW + 1, NOW - YEAR);
      return { metrics: { periods: ctx.periods } };
    },
  },
  cases: ['process', 'day', 'region'].map((by) => ({
    name: `report --since 365d --by ${by}`,
    run: async (ctx) => {
      const r = ctx.reports.report('shop', { since: NOW - YEAR, until: NOW + 1, by, withPeriods: false });
      if (r.totals.periods !== ctx.periods) throw new Error(`counted ${r.totals.periods} of ${ctx.periods}`);
      return { metrics: { periods: r.totals.periods, lines: r.lines.length } };
    },
  })),
};
