import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, sleep, waitFor } from './helpers.js';

const idle = (n: number) => `workers:
  - name: idle
    start: sleep 10000
    replicas: ${n}
    stop_grace: 2s
`;

interface Ev {
  type: string;
  message: string;
  count?: number;
}

describe('replica limits and a daemon that stays reachable (real processes)', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('refuses more replicas than the limit at deploy and at scale, saying how to raise it', async () => {
    sb = new Sandbox('limit');
    sb.daemonEnv.NIGHTSHIFT_MAX_REPLICAS_PER_PROCESS = '5';
    sb.writeApp(idle(6));
    const over = await sb.cli(['up']);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('NS_REPLICA_LIMIT');
    expect(over.stderr).toContain('idle');
    expect(over.stderr).toContain('NIGHTSHIFT_MAX_REPLICAS_PER_PROCESS=6');
    sb.writeApp(idle(2));
    await sb.cliOk(['up']);
    const scaled = await sb.cli(['scale', 'idle=6']);
    expect(scaled.code).toBe(1);
    expect(scaled.stderr).toContain('NS_REPLICA_LIMIT');
    expect((await sb.ps()).length).toBe(2);
    await sb.cliOk(['scale', 'idle=5']);
    await waitFor(
      async () => (await sb.ps()).filter((r) => r.state === 'running').length === 5,
      15_000,
      '5 running',
    );
  });

  it('a stored count over a lowered limit runs at the limit, and the API answers so it can be scaled down', async () => {
    sb = new Sandbox('lowered');
    sb.daemonEnv.NIGHTSHIFT_MAX_REPLICAS_PER_PROCESS = '6';
    sb.writeApp(idle(1));
    await sb.cliOk(['up']);
    await sb.cliOk(['scale', 'idle=6']);
    await waitFor(
      async () => (await sb.ps()).filter((r) => r.state === 'running').length === 6,
      15_000,
      '6 running',
    );
    await sb.cliOk(['daemon', 'stop']);

    sb.daemonEnv.NIGHTSHIFT_MAX_REPLICAS_PER_PROCESS = '3';
    const daemon = sb.startDaemon();
    try {
      await waitFor(
        async () => (await sb.cli(['ps', '--json', '--app', sb.app])).code === 0,
        20_000,
        'the API',
      );
      await waitFor(
        async () => (await sb.ps()).filter((r) => r.state === 'running').length === 3,
        15_000,
        '3 running',
      );
      // The API is served before apps are restored: the daemon says it listens before it starts a replica.
      const log = sb.daemonLog;
      expect(log.indexOf(' listening ')).toBeGreaterThan(-1);
      expect(log.indexOf(' listening ')).toBeLessThan(log.indexOf('replica:started'));
      const events = JSON.parse((await sb.cliOk(['events', '--json', '--app', sb.app])).stdout) as Ev[];
      expect(events.find((e) => e.type === 'process:limited')?.message).toContain(
        'wants 6 replicas; running 3',
      );
      await sb.cliOk(['scale', 'idle=1']);
      await waitFor(
        async () => (await sb.ps()).length === 1 && sb.replicaLeaders().size === 1,
        15_000,
        '1 replica',
      );
    } finally {
      await sb.cli(['daemon', 'stop']);
      await new Promise((resolve) =>
        daemon.exitCode === null ? daemon.once('exit', resolve) : resolve(null),
      );
    }
  });

  it('folds a crash loop into a few timeline entries with a count', async () => {
    sb = new Sandbox('fold');
    sb.writeApp(
      `workers:\n  - name: c\n    start: sh -c 'exit 3'\n    replicas: 2\n    restart: { backoff: 1ms, max_backoff: 1ms }\n`,
    );
    await sb.cliOk(['up']);
    const restarts = async () => (await sb.ps()).reduce((sum, r) => sum + r.restarts, 0);
    await waitFor(async () => (await restarts()) >= 100, 60_000, '100 restarts');
    const events = JSON.parse(
      (await sb.cliOk(['events', '--json', '-n', '1000', '--app', sb.app])).stdout,
    ) as Ev[];
    const crashes = events.filter((e) => e.type === 'replica:crashed');
    const folded = crashes.reduce((sum, e) => sum + (e.count ?? 1), 0);
    // Every crash is counted, in one entry a minute instead of one each.
    expect(folded).toBeGreaterThanOrEqual(100);
    expect(crashes.length).toBeLessThanOrEqual(4);
    expect(crashes[0]!.message).toContain('exit code 3');
    expect((await sb.cliOk(['events', '--app', sb.app])).stdout).toMatch(/replica:crashed .* ×\d+ \(last /);
    await sb.cliOk(['stop', 'c']);
    await sleep(100);
  });
});

describe('a release that cannot start is not live (real processes)', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  const two = (start: string, env = '') => `${env}workers:
  - name: w
    start: ${start}
    replicas: 2
    stop_grace: 2s
`;

  it('keeps the old replicas when the new ones cannot be spawned, and says why', async () => {
    sb = new Sandbox('nostart');
    sb.writeApp(two('sleep 10000'));
    await sb.cliOk(['up']);
    const before = (await sb.ps()).map((r) => r.pid);
    sb.writeApp(two('./no-such-program --flag'));
    const deploy = await sb.cli(['deploy']);
    expect(deploy.code).toBe(1);
    expect(deploy.stderr).toContain('NS_DEPLOY_START_FAILED');
    expect(deploy.stderr).toContain('w.1');
    expect(deploy.stderr).toContain('v1 stays live');
    const ps = await sb.ps();
    expect(ps.map((r) => [r.state, r.release, r.pid])).toEqual(before.map((pid) => ['running', 'v1', pid]));
    const releases = JSON.parse((await sb.cliOk(['releases', '--json'])).stdout) as {
      version: string;
      status: string;
      live: boolean;
    }[];
    expect(releases.find((r) => r.live)?.version).toBe('v1');
    expect(releases.find((r) => r.version === 'v2')?.status).toBe('failed');
  });

  it('refuses at deploy an environment the OS cannot pass, naming the variable; nothing is switched', async () => {
    sb = new Sandbox('bigenv');
    sb.writeApp(two('sleep 10000'));
    await sb.cliOk(['up']);
    const before = (await sb.ps()).map((r) => r.pid);
    sb.writeApp(two('sleep 10000', `env:\n  HUGE_BLOB: "${'x'.repeat(200 * 1024)}"\n`));
    const deploy = await sb.cli(['deploy']);
    expect(deploy.code).toBe(1);
    expect(deploy.stderr).toContain('NS_ENV_TOO_LARGE');
    expect(deploy.stderr).toContain('HUGE_BLOB');
    expect((await sb.ps()).map((r) => r.pid)).toEqual(before);
  });

  it('a restart stops at a replica that cannot start again; the others keep running', async () => {
    sb = new Sandbox('restartbad');
    sb.writeApp(two('./prog'), { prog: '#!/bin/sh\nexec sleep 10000\n' });
    chmodSync(join(sb.appDir, 'prog'), 0o755);
    await sb.cliOk(['up']);
    const before = await sb.ps();
    expect(before.map((r) => r.state)).toEqual(['running', 'running']);
    // The program goes from the release: w.1 cannot be spawned again (ENOENT) once the restart stops it.
    rmSync(join(sb.home, 'apps', sb.app, 'releases', 'v1', 'prog'));
    const res = await sb.cli(['restart', '--app', sb.app]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('NS_SPAWN_FAILED');
    expect(res.stderr).toContain(`${sb.app}/w.1 could not be started again`);
    const after = await sb.ps();
    expect(after.find((r) => r.replica === 'w.1')!.state).toMatch(/^(backoff|starting|crash-loop)/);
    // Without the stop, w.2 went down into the same failure.
    expect(after.find((r) => r.replica === 'w.2')).toMatchObject({
      state: 'running',
      pid: before.find((r) => r.replica === 'w.2')!.pid,
    });
  });

  it('a first release that cannot start leaves no live release and no replica', async () => {
    sb = new Sandbox('firstbad');
    sb.writeApp(two('./no-such-program'));
    const up = await sb.cli(['up']);
    expect(up.code).toBe(1);
    expect(up.stderr).toContain('NS_DEPLOY_START_FAILED');
    const ps = await sb.cli(['ps', '--json', '--app', sb.app]);
    expect(ps.stdout.includes('"w.1"')).toBe(false);
  });
});
