// Issue 15's overhead target for replica metrics: the daemon's CPU and RSS with 50 replicas sampled every 5 s
// (usage from /proc into SQLite) and scraped every 15 s (each serves a small Prometheus text), against the same
// daemon and the same 50 replicas with both switched off (NIGHTSHIFT_METRICS=off). Target: < 1 % of one core
// added, RSS + ≤ 8 MB. Each run starts its own daemon, so the two never share the machine at once.
// BENCH_METRICS_SECONDS sets the measured window (default 120 s: eight scrape rounds, 24 sampling passes).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuSeconds, rssMb, sleep, startBenchDaemon } from './lib/daemon.mjs';

const N = Number(process.env.BENCH_REPLICAS ?? 50);
const SECONDS = Number(process.env.BENCH_METRICS_SECONDS ?? 120);
const BASE_PORT = 29_100;

// ~40 series, like a small worker's own metrics.
const EXPORTER = `import { createServer } from 'node:http';
const lines = [];
for (let i = 0; i < 10; i++) {
  lines.push('# HELP bench_jobs_' + i + '_total Jobs.', '# TYPE bench_jobs_' + i + '_total counter');
  for (const q of ['a', 'b', 'c', 'd']) lines.push('bench_jobs_' + i + '_total{queue="' + q + '"} ' + i * 7);
}
const body = lines.join('\\n') + '\\n';
createServer((req, res) => res.end(body)).listen(Number(process.env.METRICS_PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

async function measure(metrics) {
  const d = await startBenchDaemon(undefined, { NIGHTSHIFT_METRICS: metrics });
  try {
    const dir = d.writeApp(
      'bench',
      `workers:\n  - name: exporter\n    command: [${JSON.stringify(process.execPath)}]\n    args: [exporter.mjs]\n    replicas: ${N}\n    stop_grace: 5s\n    metrics: { port: ${BASE_PORT} }\n`,
      { 'exporter.mjs': EXPORTER },
    );
    await d.cli(['up'], dir);
    // Past the deploy's burst and the compactor's pass after it.
    await sleep(10_000);
    const pid = d.daemonPid();
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    await sleep(SECONDS * 1000);
    const cpuPercent = ((cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000)) * 100;
    const rss = rssMb(pid);
    // Then what a Prometheus scraping the daemon adds: prom-client loads on the first request.
    const { httpPort } = JSON.parse(readFileSync(join(d.home, 'daemon.json'), 'utf8'));
    const token = readFileSync(join(d.home, 'api.token'), 'utf8').trim();
    let series = 0;
    for (let i = 0; i < 3; i++) {
      const text = await (
        await fetch(`http://127.0.0.1:${httpPort}/metrics`, { headers: { authorization: `Bearer ${token}` } })
      ).text();
      series = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
      await sleep(1000);
    }
    return {
      metrics: {
        'daemon CPU % of a core': cpuPercent,
        'daemon RSS MB': rss,
        'RSS after 3 /metrics MB': rssMb(pid),
        '/metrics series': series,
      },
    };
  } finally {
    await d.stop();
  }
}

export default {
  title: `daemon with ${N} replicas over ${SECONDS} s: sampled every 5 s and scraped every 15 s vs both off`,
  ratioOf: 'daemon CPU % of a core',
  runs: 1,
  warmup: 0,
  baseline: { name: 'NIGHTSHIFT_METRICS=off', run: () => measure('off') },
  cases: [{ name: 'sampling + scraping on', run: () => measure('on') }],
};
