// Issue 5's scheduler target: fire lateness (ms after the slot) of the daemon's scheduler — durable cursor,
// claim transaction in SQLite (WAL), overlap check, run row — and the extra time to spawn the run's process
// group, over ≥ 200 fires of an every-second schedule through the scheduler's library API (the manifest only
// takes minutes; seconds give 200 slots in 200 s). Baseline: croner's own timer calling a callback, no state.
// Target: fire p99 ≤ 25 ms. BENCH_CRON_FIRES changes the count (each fire is one second of wall time).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Cron } from 'croner';
import { quantile } from './lib/stats.mjs';

const FIRES = Number(process.env.BENCH_CRON_FIRES ?? 200);
const dist = new URL('../packages/daemon/dist/', import.meta.url);
const imp = (path) => import(new URL(path, dist).href);
const wallNow = () => performance.timeOrigin + performance.now();

/** Quantile as the research note computes it: the ceil(p·n)-th smallest. */
function latenessMetrics(prefix, samples) {
  const s = [...samples].sort((a, b) => a - b);
  return {
    [`${prefix} median ms`]: quantile(s, 0.5),
    [`${prefix} p99 ms`]: quantile(s, 0.99),
    [`${prefix} max ms`]: s.at(-1),
  };
}

export default {
  title: `Cron fire lateness over ${FIRES} every-second slots: the scheduler (claim + spawn) vs croner's bare timer`,
  runs: 1,
  warmup: 0,
  async setup() {
    const { openDb, ensureApp } = await imp('store/index.js');
    const { EventBus } = await imp('events/index.js');
    const { createLocalDriver } = await imp('drivers/index.js');
    const { createLogService } = await imp('logs/index.js');
    const { buildEnvironment, pickBase } = await imp('process/environment.js');
    const { parseManifest } = await import('@nightshift/manifest');
    const dir = mkdtempSync(join(tmpdir(), 'ns-bench-cron-'));
    const db = openDb(join(dir, 'state.db'));
    const app = 'bench';
    const release = join(dir, 'release');
    mkdirSync(release);
    ensureApp(db, app, release, Date.now());
    const parsed = parseManifest(
      `name: ${app}\ncron:\n  - { name: tick, schedule: "* * * * *", command: "true", overlap: allow, history: { keep: 10000 } }\n`,
      {
        file: 'app.yaml',
        now: new Date(),
      },
    );
    const spec = { ...parsed.spec, cron: parsed.spec.cron.map((c) => ({ ...c, schedule: '* * * * * *' })) };
    const listeners = new Set();
    const bus = new EventBus(
      (e) => {
        const at = wallNow();
        for (const l of listeners) l(e, at);
        return 0;
      },
      (err) => console.error(err),
    );
    const logs = createLogService({ dir: join(dir, 'apps') });
    const base = pickBase(process.env);
    return {
      dir,
      db,
      app,
      bus,
      listeners,
      logs,
      release: { version: 1, path: release, spec },
      driver: createLocalDriver(),
      buildEnvironment,
      base,
    };
  },
  async teardown(ctx) {
    await ctx.logs.close();
    ctx.db.close();
    rmSync(ctx.dir, { recursive: true, force: true });
  },
  baseline: {
    name: "croner's timer → callback (no state, no spawn)",
    async run() {
      const late = [];
      await new Promise((resolve) => {
        const job = new Cron('* * * * * *', { timezone: 'Etc/UTC' }, () => {
          const t = wallNow();
          late.push(t - Math.floor(t / 1000) * 1000);
          if (late.length === FIRES) {
            job.stop();
            resolve();
          }
        });
      });
      return { metrics: latenessMetrics('fire', late) };
    },
  },
  cases: [
    {
      name: 'Scheduler: slot claimed (cursor CAS + run row) → process spawned',
      async run(ctx) {
        const { Scheduler } = await imp('scheduler/index.js');
        const fired = new Map();
        const fireLate = [];
        const spawnExtra = [];
        let done;
        const finished = new Promise((r) => (done = r));
        const listener = (e, at) => {
          if (e.type === 'cron:slot:fired') {
            fired.set(e.data.runId, at);
            fireLate.push(at - Date.parse(e.data.slot));
          } else if (e.type === 'cron:run:started' && fired.has(e.data.runId)) {
            spawnExtra.push(at - fired.get(e.data.runId));
            if (spawnExtra.length === FIRES) done();
          }
        };
        ctx.listeners.add(listener);
        const scheduler = new Scheduler(
          {
            db: ctx.db,
            bus: ctx.bus,
            clock: { now: () => Date.now() },
            driver: ctx.driver,
            output: { capture: (t, s, r) => ctx.logs.capture(t, s, r), lastLines: () => [] },
            liveRelease: () => ctx.release,
            environment: (rel, target) =>
              ctx.buildEnvironment(
                {
                  spec: rel.spec,
                  release: 'v1',
                  region: 'local',
                  base: ctx.base,
                  configVars: {},
                  secrets: {},
                  redis: null,
                },
                target,
              ),
            runsDir: (app) => join(ctx.dir, 'apps', app, 'runs'),
            onError: (err) => console.error(err),
          },
          { granularity: 'seconds' },
        );
        scheduler.activate(ctx.app, ctx.release);
        scheduler.start();
        await finished;
        await scheduler.shutdown();
        ctx.listeners.delete(listener);
        return {
          metrics: {
            ...latenessMetrics('fire', fireLate.slice(0, FIRES)),
            ...latenessMetrics('spawn extra', spawnExtra),
          },
        };
      },
    },
  ],
};
