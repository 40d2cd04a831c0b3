// `nightshift ps` wall time with 50 replicas running, against the floor of any CLI call: starting node.
import { execFileSync } from 'node:child_process';
import { COMPARE, withCompare } from './lib/compare.mjs';
import { startBenchDaemon } from './lib/daemon.mjs';

const N = Number(process.env.BENCH_REPLICAS ?? 50);

export default {
  title: `\`nightshift ps\` with ${N} replicas`,
  runs: 10,
  warmup: 2,
  async setup() {
    const one = async (bin) => {
      const d = await startBenchDaemon(bin);
      const dir = d.writeApp(
        'bench',
        `workers:\n  - name: idle\n    start: sleep 100000\n    replicas: ${N}\n    stop_grace: 2s\n`,
      );
      await d.cli(['up'], dir);
      return { d, dir };
    };
    return { ...(await one()), ...(COMPARE ? { compare: await one(COMPARE.bin) } : {}) };
  },
  async teardown({ d, compare }) {
    await d.stop();
    await compare?.d.stop();
  },
  baseline: {
    name: 'node -e 0 (process start)',
    run() {
      execFileSync(process.execPath, ['-e', '0']);
    },
  },
  cases: withCompare([
    {
      name: 'nightshift ps',
      run: ({ d, dir }) => void execFileSync(process.execPath, [d.bin, 'ps'], { cwd: dir, env: d.env }),
    },
    {
      name: 'nightshift ps --json',
      run: ({ d, dir }) =>
        void execFileSync(process.execPath, [d.bin, 'ps', '--json'], { cwd: dir, env: d.env }),
    },
  ]),
};
