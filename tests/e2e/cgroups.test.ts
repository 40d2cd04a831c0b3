import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { anyParentLeft, cgroupsUnavailable, childCgroups, cpuSeconds } from './cgroups-helpers.js';
import { Sandbox, sleep, waitFor } from './helpers.js';

// Issue 15, deliverable 2: resources enforced by the kernel through one cgroup per replica and per cron run.
const unavailable = cgroupsUnavailable();
if (unavailable) console.warn(`cgroup tests skipped: ${unavailable}`);

interface Ev {
  type: string;
  replica?: string;
  message: string;
  data: Record<string, unknown>;
}

async function events(sb: Sandbox): Promise<Ev[]> {
  return JSON.parse((await sb.cliOk(['events', '--json', '-n', '500'])).stdout) as Ev[];
}

/** How the daemon says it enforces limits (daemon.json holds what GET /api/v1/daemon answers). */
function daemonLimits(sb: Sandbox): unknown {
  return (JSON.parse(readFileSync(join(sb.home, 'daemon.json'), 'utf8')) as { limits: unknown }).limits;
}

const HOG = `// Allocates 200 MB in touched 10 MB steps, then holds it.
const held = [];
for (let i = 0; i < 20; i++) held.push(Buffer.alloc(10 * 1024 * 1024, 1));
console.log('holding 200 MB');
setInterval(() => {}, 1000);
`;

const BUSY = `for (;;) {}\n`;

describe.skipIf(unavailable !== null)('cgroups (real processes, real kernel limits)', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
    expect(childCgroups(sb.home)).toEqual([]);
  });

  it('memory: 64Mi and 200 MB allocated: the kernel kills it, cause oom in ps, events and the crash event', async () => {
    sb = new Sandbox('oom');
    sb.writeApp(
      `workers:\n  - name: hog\n    start: node hog.js\n    resources: { memory: 64Mi }\n    restart: { backoff: 30s }\n`,
      { 'hog.js': HOG },
    );
    await sb.cliOk(['up']);
    const [entry] = await waitFor(
      async () => {
        const ps = await sb.ps();
        return ps[0]?.lastExit ? ps : null;
      },
      30_000,
      'the hog to be killed',
    );
    expect(entry!.lastExit).toMatchObject({ signal: 'SIGKILL', cause: 'oom' });
    expect(entry!.limits).toEqual({
      memoryBytes: 64 * 1024 * 1024,
      cpu: null,
      enforcement: 'kernel',
    });
    const crash = (await events(sb)).find((e) => e.type === 'replica:crashed');
    expect(crash?.data).toMatchObject({
      cause: 'oom',
      memoryLimitBytes: 64 * 1024 * 1024,
      signal: 'SIGKILL',
    });
    expect(crash?.message).toContain('out of memory: killed by the kernel at its limit of 64Mi');
    expect(daemonLimits(sb)).toMatchObject({ enforcement: 'kernel', reason: null });
    const text = (await sb.cliOk(['ps'])).stdout;
    expect(text).toMatch(/SIGKILL \(oom\)/);
    // The text line of the events shows it too.
    expect((await sb.cliOk(['events'])).stdout).toContain('out of memory');
  }, 60_000);

  it('cpu: 0.25 keeps a busy loop near 25 % of one core (±10 %), measured from /proc, the kernel throttling it', async () => {
    sb = new Sandbox('cpu');
    sb.writeApp(
      `workers:\n  - name: capped\n    start: node busy.js\n    resources: { cpu: 0.25 }\n  - name: free\n    start: node busy.js\n`,
      { 'busy.js': BUSY },
    );
    await sb.cliOk(['up']);
    const pids = await waitFor(
      async () => {
        const ps = await sb.ps();
        const capped = ps.find((r) => r.process === 'capped')?.pid;
        const free = ps.find((r) => r.process === 'free')?.pid;
        return capped && free ? { capped, free } : null;
      },
      15_000,
      'both loops running',
    );
    await sleep(1_000); // past node's start-up
    // The kernel's own count of periods in which the capped cgroup hit its quota.
    const cpuStat = childCgroups(sb.home)
      .filter((d) => d.includes(`/${sb.app}.capped.1.`))
      .map((d) => join(d, 'cpu.stat'))
      .find((f) => existsSync(f));
    expect(cpuStat).toBeDefined();
    const throttled = () => Number(/^nr_throttled (\d+)$/m.exec(readFileSync(cpuStat!, 'utf8'))?.[1]);
    const n0 = throttled();
    const t0 = performance.now();
    const c0 = cpuSeconds(pids.capped);
    const f0 = cpuSeconds(pids.free);
    await sleep(4_000);
    const wall = (performance.now() - t0) / 1000;
    const capped = (cpuSeconds(pids.capped) - c0) / wall;
    const free = (cpuSeconds(pids.free) - f0) / wall;
    const periods = throttled() - n0;
    console.log(
      `cpu: 0.25 → ${(capped * 100).toFixed(1)} % of a core, throttled in ${periods} periods; unlimited → ${(free * 100).toFixed(1)} %`,
    );
    expect(capped).toBeGreaterThan(0.15);
    expect(capped).toBeLessThan(0.35);
    // The cap is the cgroup's, not a slow machine's: the kernel throttled it in most of the ~40 periods of
    // 100 ms (on a busy machine the unlimited loop may get little more than the capped one, so that
    // comparison is not the proof).
    expect(periods).toBeGreaterThan(10);
  }, 60_000);

  it('every replica and cron run has its own cgroup; all are gone after daemon stop', async () => {
    sb = new Sandbox('cgstop');
    sb.writeApp(
      `workers:\n  - name: idle\n    start: sh -c 'sleep 1000 & wait'\n    replicas: 2\n    stop_grace: 2s\n` +
        `cron:\n  - name: where\n    schedule: "0 0 1 1 *"\n    command: cat /proc/self/cgroup\n    resources: { memory: 32Mi }\n`,
    );
    await sb.cliOk(['up']);
    await waitFor(() => sb.replicaLeaders().size === 2, 10_000, 'two replicas');
    const dirs = childCgroups(sb.home).map((d) => d.slice(d.lastIndexOf('/') + 1));
    expect(dirs.filter((d) => d.startsWith(`${sb.app}.idle.1.`)).length).toBeGreaterThanOrEqual(1);
    expect(dirs.filter((d) => d.startsWith(`${sb.app}.idle.2.`)).length).toBeGreaterThanOrEqual(1);
    // A replica's processes (the shell and its sleep) are in its cgroup.
    for (const pid of sb.userPids()) {
      expect(readFileSync(`/proc/${pid}/cgroup`, 'utf8')).toMatch(new RegExp(`/${sb.app}\\.idle\\.[12]\\.`));
    }
    const run = JSON.parse((await sb.cliOk(['cron', 'run', 'where', '--wait', '--json'])).stdout) as {
      id: number;
    };
    const log = (await sb.cliOk(['cron', 'logs', String(run.id)])).stdout;
    expect(log).toMatch(new RegExp(`memory:/.*${sb.app}\\.cron\\.where\\.`));
    // The run's cgroup is removed once it ended.
    await waitFor(
      () => childCgroups(sb.home).every((d) => !d.includes('.cron.')),
      5_000,
      'the run cgroup removed',
    );
    await sb.cliOk(['daemon', 'stop', '--timeout', '60']);
    expect(childCgroups(sb.home)).toEqual([]);
    expect(anyParentLeft(sb.home)).toBe(false);
  }, 60_000);

  it('a cron run over its memory limit is killed by the kernel: the run fails with reason oom', async () => {
    sb = new Sandbox('cronoom');
    sb.writeApp(
      `cron:\n  - name: hog\n    schedule: "0 0 1 1 *"\n    command: node hog.js\n    resources: { memory: 64Mi }\n`,
      { 'hog.js': HOG },
    );
    await sb.cliOk(['up']);
    const res = await sb.cli(['cron', 'run', 'hog', '--wait', '--json']);
    const run = JSON.parse(res.stdout) as { status: string; signal: string | null; reason: string | null };
    expect(run).toMatchObject({
      status: 'failed',
      signal: 'SIGKILL',
      reason: 'oom: killed by the kernel at its limit of 64Mi',
    });
    await waitFor(() => childCgroups(sb.home).length === 0, 5_000, 'the run cgroup removed');
  }, 60_000);

  it('after kill -9 of the daemon, the next one sweeps the old cgroups', async () => {
    sb = new Sandbox('cgkill');
    sb.writeApp(
      `workers:\n  - name: idle\n    start: sh -c 'sleep 1000 & wait'\n    replicas: 2\n    stop_grace: 2s\n`,
    );
    await sb.cliOk(['up']);
    await waitFor(() => sb.replicaLeaders().size === 2, 10_000, 'two replicas');
    const old = childCgroups(sb.home);
    expect(old.length).toBeGreaterThanOrEqual(2);
    const daemonPid = sb.daemonPid()!;
    process.kill(daemonPid, 'SIGKILL');
    await waitFor(() => !existsSync(`/proc/${daemonPid}`), 5_000, 'daemon gone');
    // Orphaned replicas keep their cgroups until the next daemon.
    expect(old.every((d) => existsSync(d))).toBe(true);
    sb.startDaemon();
    await waitFor(
      async () => {
        try {
          return (await sb.ps()).filter((r) => r.state === 'running').length === 2;
        } catch {
          return false;
        }
      },
      15_000,
      'two fresh replicas',
    );
    await waitFor(() => old.every((d) => !existsSync(d)), 5_000, 'old cgroups swept');
    expect(childCgroups(sb.home).length).toBeGreaterThanOrEqual(2);
    await sb.cliOk(['daemon', 'stop', '--timeout', '60']);
    expect(anyParentLeft(sb.home)).toBe(false);
  }, 60_000);

  it('without cgroups (NIGHTSHIFT_CGROUPS=off) the watchdog restarts a replica over its memory limit: cause memory_limit, limits soft', async () => {
    sb = new Sandbox('soft');
    sb.daemonEnv.NIGHTSHIFT_CGROUPS = 'off';
    sb.writeApp(
      `workers:\n  - name: hog\n    start: node hog.js\n    resources: { memory: 64Mi }\n    restart: { backoff: 30s }\n`,
      { 'hog.js': HOG },
    );
    await sb.cliOk(['up']);
    // Once in a CI run (of four on the same code) the watchdog had not acted after 45 s; it acts within ~4 s
    // otherwise. The wait is longer, and a timeout now says what ps, the events and the daemon's log showed.
    const [entry] = await waitFor(
      async () => {
        const ps = await sb.ps();
        return ps[0]?.lastExit ? ps : null;
      },
      75_000,
      'the watchdog to act',
    ).catch(async (err: unknown) => {
      const logFile = join(sb.home, 'daemon.log');
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '(no daemon.log)';
      const seen = JSON.stringify({ ps: await sb.ps(), events: (await events(sb)).slice(0, 20) });
      throw new Error(`${(err as Error).message}\n${seen}\n--- daemon.log (tail)\n${log}`);
    });
    expect(entry!.lastExit).toMatchObject({ signal: 'SIGKILL', cause: 'memory_limit' });
    expect(entry!.limits?.enforcement).toBe('soft');
    expect((await sb.cliOk(['ps'])).stdout).toContain('resource limits are soft here');
    // doctor says so too, from the daemon's own view (this shell could make cgroups).
    const doctor = JSON.parse((await sb.cli(['doctor', '--json'])).stdout) as {
      check: string;
      status: string;
      detail: string;
    }[];
    const cg = doctor.find((r) => r.check === 'cgroups');
    expect(cg?.status).toBe('warn');
    expect(cg?.detail).toContain('limits are soft');
    expect(cg?.detail).toContain('NIGHTSHIFT_CGROUPS=off');
    expect(cg?.detail).toContain('seen by daemon');
    expect(daemonLimits(sb)).toEqual({
      enforcement: 'soft',
      cgroups: null,
      reason: 'cgroups are turned off (NIGHTSHIFT_CGROUPS=off)',
    });
    const crash = (await events(sb)).find((e) => e.type === 'replica:crashed');
    expect(crash?.data).toMatchObject({ cause: 'memory_limit', memoryLimitBytes: 64 * 1024 * 1024 });
    expect(childCgroups(sb.home)).toEqual([]);
  }, 120_000);
});
