// Issue 17's end-to-end tail target: a line written by a replica, shown by the real `nightshift logs -t`
// process following the real daemon, p95 ≤ 50 ms over 200 lines. The replica prints its wall clock in each
// line every 25 ms; the bench reads the CLI's stdout and takes now − that stamp. Baseline: the same emitter's
// stdout read by the bench through a pipe (what any reader of a process's output waits).
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { BIN, sleep, startBenchDaemon } from './lib/daemon.mjs';
import { quantile } from './lib/stats.mjs';

const LINES = Number(process.env.BENCH_TAIL_LINES ?? 200);
const wallNow = () => performance.timeOrigin + performance.now();
const EMIT = `let n = 0; const t = setInterval(() => { console.log('stamp ' + (performance.timeOrigin + performance.now()).toFixed(3) + ' ' + ++n); }, 25); process.on('SIGTERM', () => process.exit(0));`;

/** Reads `LINES` stamped lines from `stream` and returns their latencies (ms). */
function latencies(stream) {
  return new Promise((resolve) => {
    const out = [];
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const at = wallNow();
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop();
      for (const line of lines) {
        const m = /stamp (\d+\.\d+) /.exec(line);
        if (m && out.length < LINES) out.push(at - Number(m[1]));
      }
      if (out.length >= LINES) resolve(out);
    });
  });
}

function metrics(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return { metrics: { 'p50 ms': quantile(s, 0.5), 'p95 ms': quantile(s, 0.95), 'max ms': s.at(-1) } };
}

export default {
  title: `\`nightshift logs -t\`: ${LINES} lines from a replica to the CLI's output, latency per line`,
  ratioOf: 'p95 ms',
  runs: 5,
  warmup: 1,
  async setup() {
    const d = await startBenchDaemon();
    const dir = d.writeApp(
      'tail',
      `workers:\n  - name: stamp\n    command: [${JSON.stringify(process.execPath)}]\n    args: ["-e", ${JSON.stringify(EMIT)}]\n    stop_grace: 2s\n`,
    );
    await d.cli(['up'], dir);
    return { d, dir };
  },
  async teardown({ d }) {
    await d.stop();
  },
  baseline: {
    name: 'the emitter read through a pipe',
    async run() {
      const child = spawn(process.execPath, ['-e', EMIT], { stdio: ['ignore', 'pipe', 'inherit'] });
      const samples = await latencies(child.stdout);
      child.kill('SIGTERM');
      return metrics(samples);
    },
  },
  cases: [
    {
      name: 'replica → daemon → `nightshift logs -t` stdout',
      async run({ d, dir }) {
        const cli = spawn(process.execPath, [BIN, 'logs', '-t', '-n', '0'], {
          cwd: dir,
          env: d.env,
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        const samples = await latencies(cli.stdout);
        cli.kill('SIGTERM');
        await sleep(50);
        return metrics(samples);
      },
    },
  ],
};
