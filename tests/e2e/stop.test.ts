import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, waitFor } from './helpers.js';

const GRACEFUL = `
process.on('SIGTERM', () => {
  setTimeout(() => {
    require('node:fs').writeFileSync(process.env.NIGHTSHIFT_REPLICA + '.finished', String(Date.now()));
    process.exit(0);
  }, 1000);
});
setInterval(() => {}, 1000);
`;

describe('graceful stop (real processes)', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('lets a worker that traps SIGTERM finish its second of work', async () => {
    sb = new Sandbox('graceful');
    sb.writeApp(
      `workers:\n  - name: careful\n    start: node graceful.cjs\n    replicas: 1\n    stop_grace: 5s\n`,
      { 'graceful.cjs': GRACEFUL },
    );
    await sb.cliOk(['up']);
    await waitFor(async () => (await sb.ps())[0]?.state === 'running', 10_000, 'running');
    await new Promise((r) => setTimeout(r, 300)); // let node install its handler
    const t0 = Date.now();
    await sb.cliOk(['stop', 'careful']);
    await waitFor(async () => (await sb.ps()).length === 0, 10_000, 'no replica left');
    const took = Date.now() - t0;
    expect(existsSync(join(sb.home, 'apps', sb.app, 'releases', 'v1', 'careful.1.finished'))).toBe(true);
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(5_000);
    const events = JSON.parse((await sb.cliOk(['events', '--json'])).stdout) as {
      type: string;
      data: { killed?: boolean; code?: number };
    }[];
    expect(events.find((e) => e.type === 'replica:stopped')?.data).toMatchObject({ code: 0, killed: false });
    expect(sb.userPids()).toEqual([]);
  });

  it('kills a worker that ignores SIGTERM, and its grandchild, after stop_grace', async () => {
    sb = new Sandbox('stubborn');
    sb.writeApp(
      `workers:\n  - name: stubborn\n    start: sh -c 'trap "" TERM; sleep 1000 & wait'\n    replicas: 1\n    stop_grace: 1s\n`,
    );
    await sb.cliOk(['up']);
    await waitFor(() => sb.userPids().length >= 2, 10_000, 'the worker and its grandchild');
    const t0 = Date.now();
    await sb.cliOk(['daemon', 'stop']);
    const took = Date.now() - t0;
    expect(sb.userPids()).toEqual([]);
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(6_000);
  });

  it('a foreground daemon stops gracefully on SIGHUP (its terminal closed), exiting 0 with no replica left', async () => {
    sb = new Sandbox('hup');
    sb.writeApp(
      `workers:\n  - name: careful\n    start: node graceful.cjs\n    replicas: 2\n    stop_grace: 5s\n`,
      { 'graceful.cjs': GRACEFUL },
    );
    const daemon = sb.startDaemon();
    await waitFor(() => sb.daemonPid(), 10_000, 'the daemon');
    await sb.cliOk(['up']);
    await waitFor(() => sb.replicaLeaders().size === 2, 10_000, 'two replicas');
    await new Promise((r) => setTimeout(r, 300)); // let node install its handler
    const exited = new Promise<number | null>((resolve) => daemon.once('exit', (code) => resolve(code)));
    daemon.kill('SIGHUP');
    expect(await exited).toBe(0);
    expect(sb.userPids()).toEqual([]);
    // Each replica was stopped, not killed: both finished their second of work.
    const release = join(sb.home, 'apps', sb.app, 'releases', 'v1');
    expect(
      existsSync(join(release, 'careful.1.finished')) && existsSync(join(release, 'careful.2.finished')),
    ).toBe(true);
  });
});
