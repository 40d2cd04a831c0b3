import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, scanProc, sleep, waitFor } from './helpers.js';

const APP = `workers:
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
  return scanProc((env) => env.NIGHTSHIFT_HOME === sb.home && env.NIGHTSHIFT_APP === undefined).filter((pid) => {
    try {
      return statSync(`/proc/${pid}`).isDirectory() && cmdline(pid).includes('daemon');
    } catch {
      return false;
    }
  });
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
    await waitFor(async () => (await sb.ps()).find((r) => r.process === 'flaky')!.restarts >= 3, 15_000, 'flaky restarts');
    await waitFor(() => sb.replicaLeaders().size === 3 || sb.replicaLeaders().size === 4, 10_000, 'replicas up');
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
    await waitFor(async () => {
      try {
        const ps = await sb.ps();
        const idle = ps.filter((r) => r.process === 'idle' && r.state === 'running');
        return idle.length === 3 && idle.every((r) => !oldIdlePids.includes(r.pid));
      } catch {
        return false;
      }
    }, 10_000, 'three fresh idle replicas');
    expect(Date.now() - t0).toBeLessThan(10_000);
    // Exactly one leader per replica slot and no old process left: each idle group is a leader plus its sleep.
    await sleep(300);
    const leaders = sb.replicaLeaders();
    expect([...leaders.keys()].filter((k) => k.startsWith('idle')).sort()).toEqual(['idle.1', 'idle.2', 'idle.3']);
    for (const [name, pids] of leaders) expect(pids, name).toHaveLength(1);
    const idlePids = sb.userPids((env) => env.NIGHTSHIFT_PROCESS === 'idle');
    expect(idlePids.filter((p) => oldIdlePids.includes(p))).toEqual([]);
    expect(idlePids).toHaveLength(6); // 3 × (sh + sleep)
    const after = await sb.ps();
    expect(after.find((r) => r.process === 'flaky')!.restarts).toBeGreaterThanOrEqual(flakyRestarts);
    const events = JSON.parse((await sb.cliOk(['events', '--json', '-n', '500'])).stdout) as { type: string }[];
    expect(events.filter((e) => e.type === 'replica:reaped').length).toBeGreaterThanOrEqual(3);
  });

  it('two `nightshift up` at the same moment give one daemon and the exact replica count', async () => {
    sb = new Sandbox('twoups');
    sb.writeApp(APP);
    const [a, b] = await Promise.all([sb.cli(['up']), sb.cli(['up'])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    await sleep(500);
    expect(daemonsOf(sb)).toHaveLength(1);
    await waitFor(() => {
      const leaders = sb.replicaLeaders();
      return [...leaders.entries()].filter(([k]) => k.startsWith('idle')).length === 3 ? leaders : null;
    }, 10_000, 'three idle replicas');
    const leaders = sb.replicaLeaders();
    for (const [name, pids] of leaders) expect(pids, name).toHaveLength(1);
    const ps = await sb.ps();
    expect(ps.filter((r) => r.process === 'idle')).toHaveLength(3);
    expect(ps.filter((r) => r.process === 'flaky')).toHaveLength(1);
  });
});
