import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, scanProc, sleep, waitFor } from './helpers.js';

// The flaky worker crash-loops on purpose: the deploy guard would roll a second deploy of it back (a rolling
// switch of its own in the middle of what these tests count), so it is off here; tests/e2e/deploy-guard covers it.
const APP = `deploy: { watch: 0s }
workers:
  - name: idle
    start: sh -c 'sleep 1000 & wait'
    replicas: 3
    stop_grace: 2s
  - name: flaky
    start: sh -c 'sleep 0.2; exit 3'
    replicas: 1
    restart: { backoff: 100ms, max_backoff: 200ms }
`;

/** Daemons serving this sandbox's home. */
function daemonsOf(sb: Sandbox): number[] {
  return scanProc((env) => env.NIGHTSHIFT_HOME === sb.home && env.NIGHTSHIFT_APP === undefined).filter(
    (pid) => {
      try {
        return statSync(`/proc/${pid}`).isDirectory() && cmdline(pid).includes('daemon');
      } catch {
        return false;
      }
    },
  );
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

describe('crash safety', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('after kill -9 of the daemon, a new one runs exactly the desired replicas, none orphaned, history kept', async () => {
    sb = new Sandbox('kill9');
    sb.writeApp(APP);
    await sb.cliOk(['up']);
    await waitFor(
      async () => (await sb.ps()).find((r) => r.process === 'flaky')!.restarts >= 3,
      15_000,
      'flaky restarts',
    );
    await waitFor(
      () => sb.replicaLeaders().size === 3 || sb.replicaLeaders().size === 4,
      10_000,
      'replicas up',
    );
    const before = await sb.ps();
    const flakyRestarts = before.find((r) => r.process === 'flaky')!.restarts;
    const oldIdlePids = before.filter((r) => r.process === 'idle').map((r) => r.pid);

    const daemonPid = sb.daemonPid()!;
    process.kill(daemonPid, 'SIGKILL');
    await waitFor(() => !existsSync(`/proc/${daemonPid}`) || cmdline(daemonPid) === '', 5_000, 'daemon gone');
    // The orphans are still there until the next daemon reaps them.
    expect(sb.userPids((env) => env.NIGHTSHIFT_PROCESS === 'idle').length).toBeGreaterThanOrEqual(3);

    const t0 = Date.now();
    sb.startDaemon();
    await waitFor(
      async () => {
        try {
          const ps = await sb.ps();
          const idle = ps.filter((r) => r.process === 'idle' && r.state === 'running');
          return idle.length === 3 && idle.every((r) => !oldIdlePids.includes(r.pid));
        } catch {
          return false;
        }
      },
      10_000,
      'three fresh idle replicas',
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
    // Exactly one leader per replica slot and no old process left: each idle group is a leader plus its sleep.
    await sleep(300);
    const leaders = sb.replicaLeaders();
    expect([...leaders.keys()].filter((k) => k.startsWith('idle')).sort()).toEqual([
      'idle.1',
      'idle.2',
      'idle.3',
    ]);
    for (const [name, pids] of leaders) expect(pids, name).toHaveLength(1);
    const idlePids = sb.userPids((env) => env.NIGHTSHIFT_PROCESS === 'idle');
    expect(idlePids.filter((p) => oldIdlePids.includes(p))).toEqual([]);
    expect(idlePids).toHaveLength(6); // 3 × (sh + sleep)
    const after = await sb.ps();
    expect(after.find((r) => r.process === 'flaky')!.restarts).toBeGreaterThanOrEqual(flakyRestarts);
    const events = JSON.parse((await sb.cliOk(['events', '--json', '-n', '500'])).stdout) as {
      type: string;
    }[];
    expect(events.filter((e) => e.type === 'replica:reaped').length).toBeGreaterThanOrEqual(3);
  });

  it('kill -9 during a rolling switch (old and new replica of a slot both alive): the next daemon reaps both', async () => {
    sb = new Sandbox('kill9roll');
    // min_ready keeps the successor and the old replica of slot 1 side by side for 30 s.
    const manifest = (v: string) =>
      `workers:\n  - name: w\n    start: sh -c 'echo ${v}; sleep 1000 & wait'\n    replicas: 2\n    stop_grace: 2s\n    min_ready: 30s\n`;
    sb.writeApp(manifest('v1'));
    await sb.cliOk(['up']);
    await waitFor(() => sb.replicaLeaders().size === 2, 10_000, 'two v1 replicas');
    const v1 = new Set(sb.userPids());

    sb.writeApp(manifest('v2'));
    const deploying = sb.cli(['deploy', '-q']); // blocks in min_ready; the daemon dies under it
    const both = await waitFor(
      () => {
        // Both sh and its sleep: once sleep runs, sh has written its line, so it cannot die of SIGPIPE
        // when the daemon (the pipe's reader) is killed below.
        const slot1 = sb.userPids((env) => env.NIGHTSHIFT_REPLICA === 'w.1').filter((p) => !v1.has(p));
        return slot1.length >= 2 ? slot1 : null;
      },
      10_000,
      'the successor of w.1 next to the old one',
    );
    expect(both.length).toBeGreaterThan(0);
    const daemonPid = sb.daemonPid()!;
    process.kill(daemonPid, 'SIGKILL');
    await deploying;
    await waitFor(() => !existsSync(`/proc/${daemonPid}`) || cmdline(daemonPid) === '', 5_000, 'daemon gone');
    const stranded = sb.userPids();
    expect(stranded.filter((p) => !v1.has(p)).length).toBeGreaterThan(0); // the successor, not yet in the slot

    sb.startDaemon();
    // Within 10 s: two replicas, one per slot, and nothing of the previous daemon's left.
    await waitFor(
      () => {
        const leaders = sb.replicaLeaders();
        const alive = sb.userPids();
        return (
          leaders.size === 2 &&
          [...leaders.values()].every((p) => p.length === 1) &&
          alive.every((p) => !stranded.includes(p))
        );
      },
      10_000,
      'two fresh replicas and no stranded process',
    );
    await sleep(300);
    expect(sb.userPids().filter((p) => stranded.includes(p))).toEqual([]);
    const events = JSON.parse((await sb.cliOk(['events', '--json', '-n', '100'])).stdout) as {
      type: string;
      replica?: string;
    }[];
    expect(events.filter((e) => e.type === 'replica:reaped' && e.replica === 'w.1')).toHaveLength(2);
  });

  it('a SIGTERM while the next daemon is still reaping is held: it finishes starting, then stops cleanly', async () => {
    sb = new Sandbox('startsig');
    // The old group ignores SIGTERM, so the next daemon's reaping waits its 3 s grace before SIGKILL.
    sb.writeApp(
      `workers:\n  - name: stubborn\n    start: sh -c 'trap "" TERM; sleep 1000 & wait'\n    replicas: 1\n    stop_grace: 1s\n`,
    );
    await sb.cliOk(['up']);
    await waitFor(() => sb.userPids().length >= 2, 10_000, 'the replica and its sleep');
    const old = sb.userPids();
    const first = sb.daemonPid()!;
    process.kill(first, 'SIGKILL');
    await waitFor(() => !existsSync(`/proc/${first}`) || cmdline(first) === '', 5_000, 'daemon gone');

    const next = sb.startDaemon();
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      next.once('exit', (code, signal) => resolve({ code, signal })),
    );
    // It says when it starts reaping, and stays there for the old group's 3 s grace.
    await waitFor(
      () => sb.daemonLog.includes('left by the previous daemon'),
      10_000,
      'the daemon to start reaping',
    );
    expect(sb.daemonPid()).not.toBe(next.pid); // not started yet: daemon.json still names the old one
    next.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(sb.userPids().filter((p) => old.includes(p))).toEqual([]);
    expect(sb.userPids()).toEqual([]); // and the replica it started meanwhile was stopped too
  });

  it('two `nightshift up` at the same moment give one daemon and the exact replica count', async () => {
    sb = new Sandbox('twoups');
    sb.writeApp(APP);
    const [a, b] = await Promise.all([sb.cli(['up']), sb.cli(['up'])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    await sleep(500);
    expect(daemonsOf(sb)).toHaveLength(1);
    await waitFor(
      () => {
        const leaders = sb.replicaLeaders();
        return [...leaders.entries()].filter(([k]) => k.startsWith('idle')).length === 3 ? leaders : null;
      },
      10_000,
      'three idle replicas',
    );
    const leaders = sb.replicaLeaders();
    for (const [name, pids] of leaders) expect(pids, name).toHaveLength(1);
    const ps = await sb.ps();
    expect(ps.filter((r) => r.process === 'idle')).toHaveLength(3);
    expect(ps.filter((r) => r.process === 'flaky')).toHaveLength(1);
  });
});
