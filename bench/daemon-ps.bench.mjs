// `nightshift ps` wall time with 50 replicas running, against the floor of any CLI call: starting node.
import { execFileSync } from 'node:child_process';
import { BIN, startBenchDaemon } from './lib/daemon.mjs';

const N = Number(process.env.BENCH_REPLICAS ?? 50);

export default {
  title: `\`nightshift ps\` with ${N} replicas`,
  runs: 10,
  warmup: 2,
  async setup() {
    const d = await startBenchDaemon();
    const dir = d.writeApp(
      'bench',
      `workers:\n  - name: idle\n    start: sleep 100000\n    replicas: ${N}\n    stop_grace: 2s\n`,
    );
    await d.cli(['up'], dir);
    return { d, dir };
  },
  async teardown({ d }) {
    await d.stop();
  },
  baseline: {
    name: 'node -e 0 (process start)',
    run() {
      execFileSync(process.execPath, ['-e', '0']);
    },
  },
  cases: [
    {
      name: 'nightshift ps',
      run: ({ d, dir }) => void execFileSync(process.execPath, [BIN, 'ps'], { cwd: dir, env: d.env }),
    },
    {
      name: 'nightshift ps --json',
      run: ({ d, dir }) =>
        void execFileSync(process.execPath, [BIN, 'ps', '--json'], { cwd: dir, env: d.env }),
    },
  ],
};
