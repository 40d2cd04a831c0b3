// Issue 17's cron-at-scale target: N jobs due in the same slot, every run started within 500 ms of it (p99).
// The scheduler runs through its library API with seconds granularity (one slot a second) against a real
// SQLite home, the daemon's timeline recorder on the bus, and the local driver; each job runs `true`.
// Lateness of a run = its `cron:run:started` event − the slot. Baseline: spawning N `true` directly, timed from
// the first spawn (what the machine itself needs for N processes). BENCH_CRON_JOBS sets N (default 1000).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { COMPARE, withCompare } from './lib/compare.mjs';
import { quantile } from './lib/stats.mjs';

const JOBS = Number(process.env.BENCH_CRON_JOBS ?? 1000);
const PER_APP = 250;
const DIST = new URL('../packages/daemon/dist/', import.meta.url);
const wallNow = () => performance.timeOrigin + performance.now();

function spread(prefix, samples) {
  const s = [...samples].sort((a, b) => a - b);
  return {
    [`${prefix} p50 ms`]: quantile(s, 0.5),
    [`${prefix} p99 ms`]: quantile(s, 0.99),
    [`${prefix} max ms`]: s.at(-1),
  };
}

export default {
  title: `Cron fan-out: ${JOBS} jobs due in the same slot, lateness of each run's start`,
  ratioOf: 'start p99 ms',
  runs: 5,
  warmup: 1,
  async setup() {
    const { parseManifest } = await import('@nightshift/manifest');
    // A manifest holds at most 300 jobs: the fan-out spreads over apps of 250.
    const specs = [];
    for (let first = 0; first < JOBS; first += PER_APP) {
      const jobs = Array.from(
        { length: Math.min(PER_APP, JOBS - first) },
        (_, i) =>
          `  - { name: j${first + i}, schedule: "* * * * *", command: "true", history: { keep: 5 } }\n`,
      ).join('');
      const name = `bench${specs.length}`;
      const parsed = parseManifest(`name: ${name}\ncron:\n${jobs}`, { file: 'app.yaml', now: new Date() });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors.slice(0, 3)));
      specs.push({ ...parsed.spec, cron: parsed.spec.cron.map((c) => ({ ...c, schedule: '* * * * * *' })) });
    }
    return { specs, dist: DIST, ...(COMPARE ? { compare: { dist: COMPARE.daemonDistUrl } } : {}) };
  },
  baseline: {
    name: `spawn ${JOBS} \`true\` directly`,
    async run() {
      const t0 = wallNow();
      const started = [];
      const exits = [];
      for (let i = 0; i < JOBS; i++) {
        const child = spawn('true', [], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
        started.push(wallNow() - t0);
        exits.push(new Promise((r) => child.once('exit', r)));
      }
      await Promise.all(exits);
      return { metrics: spread('start', started) };
    },
  },
  cases: withCompare([
    {
      name: `Scheduler: ${JOBS} claims → ${JOBS} spawns`,
      async run({ specs, dist }) {
        const imp = (path) => import(new URL(path, dist).href);
        const { openDb, ensureApp } = await imp('store/index.js');
        const { EventBus } = await imp('events/index.js');
        // The timeline recorder of this build for both (a compare build may predate events/timeline.js).
        const { Coalescer } = await import(new URL('events/coalesce.js', DIST).href);
        const { recordInTimeline } = await import(new URL('events/timeline.js', DIST).href);
        const { createLocalDriver } = await imp('drivers/index.js');
        const { createLogService } = await imp('logs/index.js');
        // Before issue 14 the environment lived in runtime/ (for a BENCH_COMPARE build).
        const { buildEnvironment, pickBase } = await imp('process/environment.js').catch(() =>
          imp('runtime/environment.js'),
        );
        const { Scheduler } = await imp('scheduler/index.js');
        const dir = mkdtempSync(join(tmpdir(), 'ns-bench-fanout-'));
        const db = openDb(join(dir, 'state.db'));
        const release = join(dir, 'release');
        mkdirSync(release);
        for (const spec of specs) ensureApp(db, spec.name, release, Date.now());
        const clock = { now: () => Date.now() };
        const late = [];
        let slot = null;
        let done;
        const finished = new Promise((r) => (done = r));
        const seen = new Map();
        const record = recordInTimeline(db, new Coalescer(), clock);
        const bus = new EventBus(
          (e) => {
            const at = wallNow();
            seen.set(e.type, (seen.get(e.type) ?? 0) + 1);
            if (e.type === 'cron:run:started') {
              const s = Date.parse(e.data.slot);
              slot ??= s;
              if (s === slot) late.push(at - s);
              if (late.length === JOBS) done();
            }
            return record(e);
          },
          (err) => console.error(err),
        );
        const logs = createLogService({ dir: join(dir, 'apps') });
        const base = pickBase(process.env);
        const lives = new Map(specs.map((spec) => [spec.name, { version: 1, path: release, spec }]));
        const scheduler = new Scheduler(
          {
            db,
            bus,
            clock,
            driver: createLocalDriver(),
            output: { capture: (t, s, r) => logs.capture(t, s, r), lastLines: () => [] },
            liveRelease: (app) => lives.get(app),
            environment: (rel, target) =>
              buildEnvironment(
                {
                  spec: rel.spec,
                  release: 'v1',
                  region: 'local',
                  base,
                  configVars: {},
                  secrets: {},
                  redis: null,
                },
                target,
              ),
            runsDir: (app) => join(dir, 'apps', app, 'runs'),
            onError: (err) => console.error(err),
          },
          { granularity: 'seconds' },
        );
        try {
          // Every app's jobs start at activation: all inside one second, or half would wait for the next slot.
          while (Date.now() % 1000 > 300) await new Promise((r) => setTimeout(r, 10));
          for (const [app, live] of lives) scheduler.activate(app, live);
          scheduler.start();
          const stuck = setTimeout(() => {
            console.error(
              `after 120 s: ${late.length} of ${JOBS} started; events ${JSON.stringify([...seen])}`,
            );
            done();
          }, 120_000);
          await finished;
          clearTimeout(stuck);
        } finally {
          await scheduler.shutdown();
          await logs.close();
          db.close();
          rmSync(dir, { recursive: true, force: true });
        }
        return { metrics: spread('start', late) };
      },
    },
  ]),
};
