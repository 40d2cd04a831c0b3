// The daemon's RSS growth while 10 replicas crash-loop (exit at once, 100 ms backoff) for 2 minutes,
// against 10 idle replicas for the same time. BENCH_CRASHLOOP_SECONDS shortens it.
import { rssMb, sleep, startBenchDaemon } from './lib/daemon.mjs';

const SECONDS = Number(process.env.BENCH_CRASHLOOP_SECONDS ?? 120);

async function measure(d, name, start) {
  const dir = d.writeApp(
    name,
    `workers:\n  - name: w\n    start: ${start}\n    replicas: 10\n    stop_grace: 2s\n    restart: { backoff: 100ms, max_backoff: 100ms }\n`,
  );
  await d.cli(['up'], dir);
  await sleep(3000);
  if (global.gc) global.gc();
  const before = rssMb(d.daemonPid());
  await sleep(SECONDS * 1000);
  const after = rssMb(d.daemonPid());
  const ps = JSON.parse(await d.cli(['ps', '--json', '--app', name]));
  const restarts = ps.reduce((n, r) => n + r.restarts, 0);
  await d.cli(['apps', 'destroy', name, '--confirm', name]);
  return {
    metrics: { 'RSS before MB': before, 'RSS after MB': after, 'growth MB': after - before, restarts },
  };
}

export default {
  title: `daemon RSS over ${SECONDS} s: 10 crash-looping replicas vs 10 idle ones`,
  runs: 1,
  warmup: 0,
  async setup() {
    return { d: await startBenchDaemon() };
  },
  async teardown({ d }) {
    await d.stop();
  },
  baseline: { name: '10 idle replicas', run: ({ d }) => measure(d, 'idle', 'sleep 100000') },
  cases: [{ name: '10 replicas exiting at once', run: ({ d }) => measure(d, 'crashy', "sh -c 'exit 1'") }],
};
