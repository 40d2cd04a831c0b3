// Issue 17's cost curve: the daemon's RSS, idle CPU, `ps` latency and time to converge as the machine grows —
// replicas of `sleep` per app (10 … 2,000), one app's scale from 500 to 2,000, and apps (1 … 50, 10 replicas
// each), and cron jobs due every minute (10 … 1,000, `true` each, in apps of 250). Each case deploys into a
// fresh daemon state and destroys what it made. Targets at 2,000 replicas: RSS ≤ 100 MB, `ps` ≤ 100 ms,
// scale 500 → 2,000 ≤ 5 s, idle CPU ≤ 0.5 % of a core; 1,000 jobs a minute: every start within 500 ms of
// its slot (p99). BENCH_SCALE_MAX caps the largest size (e.g. 500 for a quick look); BENCH_IDLE_SECONDS the
// idle window; BENCH_SCALE_CRON=0 leaves the cron cases out (each run waits for a whole minute's slot).
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { performance } from 'node:perf_hooks';
import { cpuSeconds, rssMb, sleep, startBenchDaemon } from './lib/daemon.mjs';
import { quantile } from './lib/stats.mjs';

const MAX = Number(process.env.BENCH_SCALE_MAX ?? 2000);
// Long enough to hold whole sampler passes, which come every 5–20 s depending on the number of replicas.
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 45);
const sizes = [10, 100, 1000, 2000].filter((n) => n <= MAX);
const CRON = process.env.BENCH_SCALE_CRON !== '0';
const JOBS_PER_APP = 250;

function run(d, args, cwd) {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [d.bin, ...args],
      { cwd, env: d.env, maxBuffer: 64 << 20 },
      (err, out, errOut) =>
        err ? reject(new Error(`nightshift ${args.join(' ')}: ${errOut || err.message}`)) : resolve(out),
    ),
  );
}

async function running(d) {
  return JSON.parse(await run(d, ['ps', '--all', '--json'], d.root)).filter((r) => r.state === 'running')
    .length;
}

async function until(d, n) {
  while ((await running(d)) < n) await sleep(50);
}

/** GET /ps over the daemon's socket: the daemon's part of `ps`, without the CLI's Node start-up (~110 ms here). */
function psApi(d) {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: join(d.home, 'daemon.sock'), path: '/api/v1/ps' }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(performance.now() - t0)
          : reject(new Error(`GET /ps: ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** What the daemon costs once `total` replicas run: RSS, idle CPU over a few seconds, median `ps` of five. */
async function steady(d) {
  await sleep(2000); // past the deploy's burst and the compactor
  const cpu0 = cpuSeconds(d.daemonPid());
  await sleep(IDLE_SECONDS * 1000);
  const idle = ((cpuSeconds(d.daemonPid()) - cpu0) / IDLE_SECONDS) * 100;
  const ps = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await run(d, ['ps', '--all'], d.root);
    ps.push(performance.now() - t0);
  }
  ps.sort((a, b) => a - b);
  const api = [];
  for (let i = 0; i < 5; i++) api.push(await psApi(d));
  api.sort((a, b) => a - b);
  return { 'daemon RSS MB': rssMb(d.daemonPid()), 'idle CPU %': idle, 'ps ms': ps[2], 'GET /ps ms': api[2] };
}

function appManifest(replicas) {
  return `workers:\n  - name: s\n    start: sleep 100000\n    replicas: ${replicas}\n    stop_grace: 2s\n`;
}

async function replicasCase(d, n) {
  const dir = d.writeApp('scale', appManifest(n));
  const t0 = performance.now();
  await run(d, ['up'], dir);
  await until(d, n);
  const converge = performance.now() - t0;
  const metrics = { 'converge ms': converge, ...(await steady(d)) };
  await run(d, ['apps', 'destroy', 'scale', '--confirm', 'scale'], dir);
  return { metrics };
}

function cronManifest(jobs) {
  const lines = Array.from(
    { length: jobs },
    (_, i) => `  - name: j${i}\n    schedule: "* * * * *"\n    command: ["true"]\n`,
  );
  return `cron:\n${lines.join('')}`;
}

/**
 * `jobs` cron jobs due every minute, deployed in apps of 250 (a manifest holds at most 300), measured at the
 * next slot from the daemon's own state: every start's lateness against the slot ("converge" is the last
 * one's), the daemon's CPU from the slot until every run has finished, its RSS then and `ps`. Destroyed at
 * the end, so no other case sees them fire.
 */
async function cronCase(d, jobs) {
  const apps = Array.from({ length: Math.ceil(jobs / JOBS_PER_APP) }, (_, i) => ({
    name: `c${jobs}x${i}`,
    jobs: Math.min(JOBS_PER_APP, jobs - i * JOBS_PER_APP),
  }));
  for (const app of apps) await run(d, ['up'], d.writeApp(app.name, cronManifest(app.jobs)));
  const slot = Math.ceil((Date.now() + 1000) / 60_000) * 60_000;
  await sleep(slot - Date.now());
  const cpu0 = cpuSeconds(d.daemonPid());
  const t0 = performance.now();
  const db = new DatabaseSync(join(d.home, 'state.db'), { readOnly: true });
  const names = apps.map((a) => `'${a.name}'`).join(',');
  let starts = [];
  let finished = 0;
  try {
    const started = db.prepare(
      `SELECT started_at FROM cron_runs WHERE slot = ? AND started_at IS NOT NULL AND app IN (${names})`,
    );
    const ended = db.prepare(
      `SELECT count(*) AS n FROM cron_runs WHERE slot = ? AND finished_at IS NOT NULL AND app IN (${names})`,
    );
    while (performance.now() - t0 < 55_000) {
      starts = started.all(slot).map((r) => r.started_at - slot);
      finished = ended.get(slot).n;
      if (finished >= jobs) break;
      await sleep(100);
    }
  } finally {
    db.close();
  }
  const cpu = ((cpuSeconds(d.daemonPid()) - cpu0) / ((performance.now() - t0) / 1000)) * 100;
  const rss = rssMb(d.daemonPid());
  const t1 = performance.now();
  await run(d, ['ps', '--all'], d.root);
  const ps = performance.now() - t1;
  starts.sort((a, b) => a - b);
  const metrics = {
    'converge ms': starts.at(-1),
    started: starts.length,
    finished,
    'start p50 ms': quantile(starts, 0.5),
    'start p99 ms': quantile(starts, 0.99),
    'CPU % (fan-out)': cpu,
    'daemon RSS MB': rss,
    'ps ms': ps,
  };
  for (const app of apps) await run(d, ['apps', 'destroy', app.name, '--confirm', app.name], d.root);
  return { metrics };
}

export default {
  title: `Cost curve: daemon RSS, idle CPU, \`ps\` and convergence from 10 to ${MAX} replicas`,
  ratioOf: 'converge ms',
  runs: 5,
  warmup: 0,
  async setup() {
    const d = await startBenchDaemon(undefined, {
      NIGHTSHIFT_MAX_REPLICAS: '5000',
      NIGHTSHIFT_MAX_REPLICAS_PER_PROCESS: '5000',
    });
    await run(d, ['apps'], d.root).catch(() => undefined);
    return { d };
  },
  async teardown({ d }) {
    await d.stop();
  },
  baseline: { name: `${sizes[0]} replicas`, run: ({ d }) => replicasCase(d, sizes[0]) },
  cases: [
    ...sizes.slice(1).map((n) => ({ name: `${n} replicas`, run: ({ d }) => replicasCase(d, n) })),
    ...(MAX >= 2000
      ? [
          {
            name: 'scale 500 → 2000',
            async run({ d }) {
              const dir = d.writeApp('grow', appManifest(500));
              await run(d, ['up'], dir);
              await until(d, 500);
              const t0 = performance.now();
              await run(d, ['scale', 's=2000'], dir);
              await until(d, 2000);
              const converge = performance.now() - t0;
              const metrics = { 'converge ms': converge, ...(await steady(d)) };
              await run(d, ['apps', 'destroy', 'grow', '--confirm', 'grow'], dir);
              return { metrics };
            },
          },
        ]
      : []),
    ...[10, 50].map((apps) => ({
      name: `${apps} apps × 10 replicas`,
      async run({ d }) {
        const dirs = Array.from({ length: apps }, (_, i) => d.writeApp(`a${i}`, appManifest(10)));
        const t0 = performance.now();
        for (const dir of dirs) await run(d, ['up'], dir);
        await until(d, apps * 10);
        const converge = performance.now() - t0;
        const metrics = { 'converge ms': converge, ...(await steady(d)) };
        for (let i = 0; i < apps; i++)
          await run(d, ['apps', 'destroy', `a${i}`, '--confirm', `a${i}`], d.root);
        return { metrics };
      },
    })),
    ...(CRON
      ? [10, 100, 1000].map((jobs) => ({
          name: `${jobs} cron jobs a minute`,
          run: ({ d }) => cronCase(d, jobs),
        }))
      : []),
  ],
};
