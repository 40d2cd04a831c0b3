// How soon a line a process writes reaches a live tail (`logs -t` minus the SSE hop): 100 lines, one every
// 10 ms, from a real child; the latency of each from its write to its arrival. Baseline: reading the child's
// pipe directly. The target is a p95 under 100 ms end to end.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ticker = fileURLToPath(new URL('./fixtures/logs-tick.mjs', import.meta.url));
const moduleUrl = new URL('../packages/daemon/dist/logs/index.js', import.meta.url);
const COUNT = 100;

function latencyOf(message) {
  return performance.timeOrigin + performance.now() - Number(message.split(' ')[2]);
}

function summary(latencies) {
  if (latencies.length !== COUNT) throw new Error(`got ${latencies.length} of ${COUNT} lines`);
  const sorted = [...latencies].sort((a, b) => a - b);
  return { metrics: { 'p95 ms': sorted[Math.ceil(0.95 * sorted.length) - 1], 'max ms': sorted.at(-1) } };
}

async function direct() {
  const child = spawn(process.execPath, [ticker, String(COUNT)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const latencies = [];
  let rest = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text) => {
    const lines = (rest + text).split('\n');
    rest = lines.pop();
    for (const line of lines) latencies.push(latencyOf(line));
  });
  await once(child, 'exit');
  return summary(latencies);
}

async function followed() {
  const { createLogService } = await import(moduleUrl.href);
  const dir = mkdtempSync(join(tmpdir(), 'ns-bench-'));
  const logs = createLogService({ dir });
  try {
    const follower = logs.follow({ app: 'bench' });
    const latencies = [];
    const reading = (async () => {
      for await (const line of follower) {
        latencies.push(latencyOf(line.message));
        if (latencies.length === COUNT) break;
      }
    })();
    const child = spawn(process.execPath, [ticker, String(COUNT)], { stdio: ['ignore', 'pipe', 'inherit'] });
    await Promise.all([
      logs.capture({ app: 'bench', process: 'emails', source: 'emails.1' }, 'out', child.stdout),
      once(child, 'exit'),
      reading,
    ]);
    return summary(latencies);
  } finally {
    await logs.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default {
  title: 'logs: write-to-live-tail latency, 100 lines at 10 ms intervals',
  runs: 3,
  warmup: 1,
  baseline: { name: "reading the child's pipe directly", run: direct },
  cases: [{ name: 'captured and followed (follow())', run: followed }],
};
