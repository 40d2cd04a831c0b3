// Issue 17's capture target, as the producer feels it: 1,000,000 lines written by a replica as fast as it can,
// timed by the replica itself (from its first write until the pipe took the last), straight to a file against
// under the real daemon (a worker of a deployed app, captured, stamped and stored). Targets: 16 B lines ≤ 1.10×,
// 200 B lines ≤ 1.05×; the daemon's RSS after the 200 MB burst ≤ 80 MB. BENCH_PRODUCER_LINES changes the count.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rssMb, sleep, startBenchDaemon } from './lib/daemon.mjs';

const COUNT = Number(process.env.BENCH_PRODUCER_LINES ?? 1_000_000);
const emitter = fileURLToPath(new URL('./fixtures/logs-emit.mjs', import.meta.url));
let round = 0;

async function direct(d, bytes) {
  const timeFile = join(d.root, `direct-${++round}.ms`);
  const outFile = join(d.root, 'direct.out');
  const fd = openSync(outFile, 'w');
  try {
    const child = spawn(process.execPath, [emitter, String(COUNT), String(bytes), 'L'], {
      stdio: ['ignore', fd, 'inherit'],
      env: { ...process.env, EMIT_TIME_FILE: timeFile },
    });
    await new Promise((resolve) => child.once('exit', resolve));
  } finally {
    closeSync(fd);
    rmSync(outFile, { force: true });
  }
  return { metrics: { 'producer ms': Number(readFileSync(timeFile, 'utf8')) } };
}

async function underDaemon(d, bytes) {
  const name = `p${++round}`;
  const timeFile = join(d.root, `${name}.ms`);
  const dir = d.writeApp(
    name,
    `env: { EMIT_TIME_FILE: ${JSON.stringify(timeFile)} }\nworkers:\n  - name: emit\n    command: [sh, -c, ${JSON.stringify(`"${process.execPath}" "${emitter}" ${COUNT} ${bytes} L; exec sleep 100000`)}]\n    stop_grace: 2s\n`,
  );
  await d.cli(['up'], dir);
  while (!existsSync(timeFile)) await sleep(20);
  await sleep(1500); // the capture's tail and the compactor after the burst
  const rss = rssMb(d.daemonPid());
  const ms = Number(readFileSync(timeFile, 'utf8'));
  await d.cli(['apps', 'destroy', name, '--confirm', name]);
  return { metrics: { 'producer ms': ms, 'daemon RSS MB': rss } };
}

export default {
  title: `logs: ${COUNT.toLocaleString('en')} lines, the producer's own write time, to a file vs under the daemon`,
  ratioOf: 'producer ms',
  runs: 5,
  warmup: 1,
  async setup() {
    const d = await startBenchDaemon();
    await d.cli(['apps']).catch(() => undefined);
    return { d };
  },
  async teardown({ d }) {
    await d.stop();
  },
  baseline: { name: '16 B lines > file', run: ({ d }) => direct(d, 0) },
  cases: [
    { name: '16 B lines under the daemon', run: ({ d }) => underDaemon(d, 0) },
    { name: '200 B lines > file', run: ({ d }) => direct(d, 200) },
    { name: '200 B lines under the daemon', run: ({ d }) => underDaemon(d, 200) },
  ],
};
