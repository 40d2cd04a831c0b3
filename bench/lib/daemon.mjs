// Helpers for benchmarks that run the real daemon: a temp home, the built CLI, process facts from /proc.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'packages', 'cli', 'bin', 'nightshift.js');

/** A daemon in a temp home, started through the CLI like a user would; `extraEnv` reaches the daemon too. */
export async function startBenchDaemon(extraEnv = {}) {
  const root = mkdtempSync(join(tmpdir(), 'ns-bench-'));
  const home = join(root, 'home');
  const env = { ...process.env, NIGHTSHIFT_HOME: home, NIGHTSHIFT_HTTP_PORT: '0', ...extraEnv };
  const cli = (args, cwd = root) =>
    new Promise((resolve, reject) =>
      execFile(process.execPath, [BIN, ...args], { cwd, env, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
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
  return { root, home, env, cli, writeApp, daemonPid, stop };
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

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
