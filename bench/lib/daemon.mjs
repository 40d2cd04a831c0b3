// Helpers for benchmarks that run the real daemon: a temp home, the built CLI, process facts from /proc.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'packages', 'cli', 'bin', 'nightshift.js');

/** A daemon in a temp home, started through the CLI (`bin`: this checkout's, or a compare build's). */
export async function startBenchDaemon(bin = BIN, extraEnv = {}) {
  const root = mkdtempSync(join(tmpdir(), 'ns-bench-'));
  const home = join(root, 'home');
  const env = { ...process.env, NIGHTSHIFT_HOME: home, NIGHTSHIFT_HTTP_PORT: '0', ...extraEnv };
  const cli = (args, cwd = root) =>
    new Promise((resolve, reject) =>
      execFile(process.execPath, [bin, ...args], { cwd, env, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
        err ? reject(new Error(`nightshift ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
      ),
    );
  const writeApp = (name, manifest, files = {}) => {
    const dir = join(root, name);
    mkdirSync(join(dir, '.paas'), { recursive: true });
    writeFileSync(join(dir, '.paas', 'app.yaml'), `name: ${name}\n${manifest}`);
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    return dir;
  };
  const daemonPid = () => JSON.parse(readFileSync(join(home, 'daemon.json'), 'utf8')).pid;
  const stop = async () => {
    await cli(['daemon', 'stop']).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  };
  return { root, home, env, bin, cli, writeApp, daemonPid, stop };
}

/** Resident set size of a process in MB (VmRSS). */
export function rssMb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Spawns `n` processes directly and resolves when each one exists (its spawn event), with the children. */
export function spawnDirect(n, argv) {
  return Promise.all(
    Array.from({ length: n }, () => {
      const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore', detached: true });
      return new Promise((resolve, reject) => {
        child.once('spawn', () => resolve(child));
        child.once('error', reject);
      });
    }),
  );
}

/** CPU seconds a process has used (utime + stime of /proc/<pid>/stat). */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5), counted from the state field (3): utime and stime, in clock ticks (100 Hz).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
