import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'packages', 'cli', 'bin', 'nightshift.js');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * One test's world: a private NIGHTSHIFT_HOME, an app folder, a unique app name (which doubles as the
 * marker to find its processes in /proc), and a cleanup that stops the daemon and fails loudly on leaks.
 */
export class Sandbox {
  readonly root: string;
  readonly home: string;
  readonly appDir: string;
  readonly app: string;
  readonly daemonEnv: Record<string, string>;

  constructor(prefix = 't') {
    this.root = mkdtempSync(join(tmpdir(), 'ns-e2e-'));
    this.home = join(this.root, 'home');
    this.appDir = join(this.root, 'app');
    this.app = `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
    mkdirSync(join(this.appDir, '.paas'), { recursive: true });
    this.daemonEnv = { NIGHTSHIFT_HOME: this.home, NIGHTSHIFT_HTTP_PORT: '0' };
  }

  /** Writes the manifest (the app's name is filled in) and any files of the app. */
  writeApp(manifest: string, files: Record<string, string> = {}): void {
    writeFileSync(join(this.appDir, '.paas', 'app.yaml'), `name: ${this.app}\n${manifest}`);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(this.appDir, name)), { recursive: true });
      writeFileSync(join(this.appDir, name), text);
    }
  }

  cli(
    args: string[],
    opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [BIN, ...args],
        {
          cwd: opts.cwd ?? this.appDir,
          env: { ...process.env, ...this.daemonEnv, ...opts.env },
          timeout: opts.timeoutMs ?? 120_000,
          maxBuffer: 64 * 1024 * 1024,
        },
        (err, stdout, stderr) => {
          const code = err
            ? typeof (err as { code?: unknown }).code === 'number'
              ? (err as { code: number }).code
              : 1
            : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  async cliOk(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
    const res = await this.cli(args, opts);
    if (res.code !== 0)
      throw new Error(`nightshift ${args.join(' ')} exited ${res.code}\n${res.stderr}\n${res.stdout}`);
    return res;
  }

  async ps(): Promise<PsJson[]> {
    return JSON.parse((await this.cliOk(['ps', '--json', '--app', this.app])).stdout) as PsJson[];
  }

  /** Starts `nightshift daemon` in the foreground as a child (its log kept in the sandbox). */
  startDaemon(env: Record<string, string> = {}): ChildProcess {
    const child = spawn(process.execPath, [BIN, 'daemon'], {
      env: { ...process.env, ...this.daemonEnv, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.daemonLog += chunk.toString();
    });
    return child;
  }
  daemonLog = '';

  daemonPid(): number | null {
    try {
      return (JSON.parse(readFileSync(join(this.home, 'daemon.json'), 'utf8')) as { pid: number }).pid;
    } catch {
      return null;
    }
  }

  /** Pids of this test's user processes, found by the NIGHTSHIFT_APP marker in their environment. */
  userPids(filter: (env: Record<string, string>) => boolean = () => true): number[] {
    return scanProc((env) => env.NIGHTSHIFT_APP === this.app && filter(env));
  }

  /** Replica leaders (not grandchildren) of this test, by replica name. */
  replicaLeaders(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const pid of this.userPids((env) => env.NIGHTSHIFT_REPLICA !== undefined)) {
      const stat = readProcStat(pid);
      if (!stat || stat.pgrp !== pid) continue; // only group leaders
      const replica = procEnv(pid)?.NIGHTSHIFT_REPLICA;
      if (!replica) continue;
      out.set(replica, [...(out.get(replica) ?? []), pid]);
    }
    return out;
  }

  /** Stops the daemon, kills anything of this test still alive, removes the temp folder; reports leaks. */
  async cleanup(): Promise<number[]> {
    await this.cli(['daemon', 'stop', '--timeout', '60']);
    const leaked = this.userPids();
    for (const pid of leaked) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(this.root, { recursive: true, force: true });
    return leaked;
  }
}

export interface PsJson {
  app: string;
  process: string;
  replica: string;
  state: string;
  pid: number | null;
  startedAt: string | null;
  restarts: number;
  lastExit: { code: number | null; signal: string | null; at: string; cause: string | null } | null;
  release: string | null;
  health: string | null;
  limits: { memoryBytes: number | null; cpu: number | null; enforcement: 'kernel' | 'soft' } | null;
}

export function procEnv(pid: number): Record<string, string> | null {
  try {
    const raw = readFileSync(`/proc/${pid}/environ`, 'utf8');
    const env: Record<string, string> = {};
    for (const entry of raw.split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return env;
  } catch {
    return null;
  }
}

export function readProcStat(pid: number): { state: string; pgrp: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '?', pgrp: Number(fields[2]) };
  } catch {
    return null;
  }
}

/** Live (non-zombie) processes whose environment matches. */
export function scanProc(match: (env: Record<string, string>) => boolean): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const env = procEnv(pid);
    if (!env || !match(env)) continue;
    if (readProcStat(pid)?.state === 'Z') continue;
    out.push(pid);
  }
  return out;
}

/** One start of a tiny process (`sh -c date`), in ms. */
async function oneStart(): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) =>
    execFile('sh', ['-c', 'date +%s%3N'], (err) =>
      err ? reject(new Error('sh -c date failed', { cause: err })) : resolve(),
    ),
  );
  return performance.now() - t0;
}

/**
 * What starting a tiny process costs on this machine while `during` runs: the most of `sh -c date` starts
 * made back to back until it settles. Timing assertions allow a multiple of it rather than a fixed margin, so a
 * busy machine widens them — measured over the same seconds as what they bound, since load comes and goes.
 */
export async function startCostDuring<T>(during: Promise<T>): Promise<{ value: T; cost: number }> {
  let done = false;
  const value = during.finally(() => (done = true));
  let cost = 0;
  while (!done) cost = Math.max(cost, await oneStart());
  return { value: await value, cost };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Polls `check` until it returns a truthy value or the time runs out (then throws with the last value).
 * The value returned is never null or undefined, so callers need no checks of their own.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs: number,
  what: string,
  everyMs = 50,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last;
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}
