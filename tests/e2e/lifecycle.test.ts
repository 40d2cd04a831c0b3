import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, Sandbox, sleep, waitFor } from './helpers.js';

const IDLE = `workers:
  - name: idle
    start: sleep 10000
    replicas: 3
    stop_grace: 1s
  - name: other
    start: sleep 10000
    replicas: 1
    stop_grace: 1s
`;

interface Ev {
  id: number;
  type: string;
  replica?: string;
  process?: string;
  message: string;
}

describe('restart, stop, start, events, apps (real processes)', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('restart PROC rolls one replica at a time; stop and start a process; apps lists it', async () => {
    sb = new Sandbox('life');
    sb.writeApp(IDLE);
    await sb.cliOk(['up']);
    const pidsOf = (proc: string) =>
      [...sb.replicaLeaders()].filter(([name]) => name.startsWith(`${proc}.`)).map(([, pids]) => pids[0]!);
    await waitFor(() => pidsOf('idle').length === 3, 10_000, '3 idle replicas');
    const before = new Set(pidsOf('idle'));
    const otherBefore = pidsOf('other');

    // Watch the OS while the restart runs: never fewer than two idle replicas alive at once.
    let watching = true;
    let fewest = 3;
    const watcher = (async () => {
      while (watching) {
        fewest = Math.min(fewest, pidsOf('idle').length);
        await sleep(10);
      }
    })();
    const restart = await sb.cliOk(['restart', 'idle']);
    watching = false;
    await watcher;
    expect(restart.stderr).toContain('restarted idle');
    expect(fewest).toBeGreaterThanOrEqual(2); // (a sample may miss the short moment one is down)
    const after = pidsOf('idle');
    expect(after).toHaveLength(3);
    expect(after.filter((p) => before.has(p))).toEqual([]);
    expect(pidsOf('other')).toEqual(otherBefore); // the other process was left alone

    // The timeline: each replica stops and is running again before the next one stops.
    const events = (JSON.parse((await sb.cliOk(['events', '--json', '-n', '100'])).stdout) as Ev[]).reverse();
    const rolling = events
      .filter((e) => e.id > events.find((x) => x.type === 'deploy:finished')!.id)
      .filter((e) => e.type === 'replica:stopped' || e.type === 'replica:started')
      .map((e) => `${e.type.slice(8)} ${e.replica}`);
    expect(rolling).toEqual([
      'stopped idle.1',
      'started idle.1',
      'stopped idle.2',
      'started idle.2',
      'stopped idle.3',
      'started idle.3',
    ]);
    const latest = JSON.parse((await sb.cliOk(['events', '--json', '-n', '2'])).stdout) as Ev[];
    expect(latest).toHaveLength(2);
    expect(latest[0]!.id).toBeGreaterThan(latest[1]!.id); // newest first

    await sb.cliOk(['stop', 'idle']);
    await waitFor(() => pidsOf('idle').length === 0, 10_000, 'idle stopped');
    expect((await sb.ps()).map((r) => r.replica)).toEqual(['other.1']);
    expect((await sb.cliOk(['ps'])).stdout).toContain(
      'idle: stopped (start it with `nightshift start idle`)',
    );
    expect(pidsOf('other')).toEqual(otherBefore);
    // A stopped process stays stopped across a deploy.
    await sb.cliOk(['up']);
    expect(pidsOf('idle')).toEqual([]);

    await sb.cliOk(['start', 'idle']);
    await waitFor(() => pidsOf('idle').length === 3, 10_000, 'idle started again');
    const ps = await sb.ps();
    expect(
      ps
        .filter((r) => r.state === 'running')
        .map((r) => r.replica)
        .sort(),
    ).toEqual(['idle.1', 'idle.2', 'idle.3', 'other.1']);

    const apps = JSON.parse((await sb.cliOk(['apps', '--json'])).stdout) as {
      name: string;
      release: string | null;
      replicas: number;
    }[];
    expect(apps).toEqual([expect.objectContaining({ name: sb.app, release: 'v2', replicas: 4 })]);
    const table = (await sb.cliOk(['apps'])).stdout;
    expect(table).toMatch(new RegExp(`^${sb.app}\\s+v2\\s+2\\s+4\\s*$`, 'm'));
  });

  it('events -t prints the recent events, then follows new ones as they happen', async () => {
    sb = new Sandbox('evtail');
    sb.writeApp(IDLE);
    await sb.cliOk(['up']);
    const tail = spawn(process.execPath, [BIN, 'events', '-t', '--json', '-n', '3'], {
      cwd: sb.appDir,
      env: { ...process.env, ...sb.daemonEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    tail.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const lines = () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Ev);
    try {
      await waitFor(() => lines().length === 3, 10_000, 'the 3 recent events');
      expect(lines().map((e) => e.type)).toContain('deploy:finished');
      await sb.cliOk(['scale', 'other=2']);
      const scaled = await waitFor(
        () => lines().find((e) => e.type === 'process:scaled'),
        10_000,
        'the scale event, live',
      );
      expect(scaled.message).toContain('other scaled 1 → 2');
      await waitFor(
        () => lines().find((e) => e.type === 'replica:started' && e.replica === 'other.2'),
        10_000,
        'other.2 started, live',
      );
      const ids = lines().map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b)); // oldest first, no repeats
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      tail.kill('SIGINT');
    }
  });
});
