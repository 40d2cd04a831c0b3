// Issue 3's supervisor targets: time for `up` to reach 50 running replicas of an idle node worker, against
// spawning the same 50 node processes directly (the limit); the daemon's RSS with 50 replicas.
// Each run starts and then stops its 50 processes; "to running" is the part the target is about.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { COMPARE, withCompare } from './lib/compare.mjs';
import { rssMb, sleep, spawnDirect, startBenchDaemon } from './lib/daemon.mjs';

const N = Number(process.env.BENCH_REPLICAS ?? 50);
const IDLE = ['-e', 'setInterval(() => {}, 1 << 30); process.on("SIGTERM", () => process.exit(0))'];

export default {
  title: `${N} idle node replicas: \`nightshift up\` until all run vs direct spawn`,
  // The target (issue 3) is about reaching running; each run's wall time also holds stopping the 50.
  ratioOf: 'to running ms',
  runs: 5,
  warmup: 1,
  async setup() {
    const one = async (bin) => {
      const d = await startBenchDaemon(bin);
      await d.cli(['apps']).catch(() => undefined);
      const dir = d.writeApp(
        'bench',
        `workers:\n  - name: idle\n    command: [${JSON.stringify(process.execPath)}]\n    args: ${JSON.stringify(IDLE)}\n    replicas: ${N}\n    stop_grace: 5s\n`,
      );
      return { d, dir };
    };
    return { ...(await one()), ...(COMPARE ? { compare: await one(COMPARE.bin) } : {}) };
  },
  async teardown({ d, compare }) {
    await d.stop();
    await compare?.d.stop();
  },
  baseline: {
    name: `spawn ${N} node processes directly`,
    async run() {
      const t0 = performance.now();
      const children = await spawnDirect(N, [process.execPath, ...IDLE]);
      const toRunning = performance.now() - t0;
      await Promise.all(
        children.map(
          (c) =>
            new Promise((r) => {
              c.once('exit', r);
              c.kill('SIGTERM');
            }),
        ),
      );
      return { metrics: { 'to running ms': toRunning } };
    },
  },
  cases: withCompare([
    {
      name: `nightshift up → ${N} running`,
      run: ({ d, dir }) => upUntilRunning(d, dir),
    },
    {
      // The daemon keeps compiled manifests by content; this case changes a comment each run so the
      // manifest reader (a child process) runs every time, as on a first deploy.
      name: `nightshift up → ${N} running, manifest changed`,
      run: ({ d, dir }) => {
        appendFileSync(join(dir, '.paas', 'app.yaml'), `# run ${++edits}\n`);
        return upUntilRunning(d, dir);
      },
    },
  ]),
};

let edits = 0;

async function upUntilRunning(d, dir) {
  const t0 = performance.now();
  // `up` prints the app's replicas once its deploy is done; poll `ps` only if some are not running yet.
  let ps = JSON.parse(await d.cli(['up', '--json'], dir)).ps;
  let running = ps.filter((r) => r.state === 'running').length;
  while (running < N) {
    ps = JSON.parse(await d.cli(['ps', '--json', '--app', 'bench']));
    running = ps.filter((r) => r.state === 'running').length;
    if (running < N) await sleep(20);
  }
  const toRunning = performance.now() - t0;
  // RSS with 50 replicas running, once the deploy's burst is over (the daemon compacts its heap after one).
  await sleep(2000);
  const rss = rssMb(d.daemonPid());
  await d.cli(['apps', 'destroy', 'bench', '--confirm', 'bench']);
  return { metrics: { 'to running ms': toRunning, 'daemon RSS MB': rss } };
}
