import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, procEnv, waitFor } from './helpers.js';

describe('API access', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('the TCP API needs the token; the socket, token and home are private', async () => {
    sb = new Sandbox('auth');
    sb.writeApp(`workers:\n  - name: idle\n    start: sleep 1000\n    replicas: 1\n    stop_grace: 1s\n`);
    await sb.cliOk(['up']);
    const info = JSON.parse(readFileSync(join(sb.home, 'daemon.json'), 'utf8')) as { httpPort: number };
    const url = `http://127.0.0.1:${info.httpPort}/api/v1/apps`;
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('NS_API_UNAUTHORIZED');
    const wrong = await fetch(url, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const token = readFileSync(join(sb.home, 'api.token'), 'utf8').trim();
    const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { name: string }[]).map((a) => a.name)).toContain(sb.app);
    // The token is no cookie: a browser gets a session by logging in (tests/browser/dashboard-auth.test.ts).
    const cookie = await fetch(url, { headers: { cookie: `nightshift_token=${token}` } });
    expect(cookie.status).toBe(401);

    expect(statSync(join(sb.home, 'daemon.sock')).mode & 0o777).toBe(0o600);
    expect(statSync(join(sb.home, 'api.token')).mode & 0o777).toBe(0o600);
    expect(statSync(sb.home).mode & 0o777).toBe(0o700);
  });

  it('a second daemon on the same home refuses to start', async () => {
    sb = new Sandbox('lock');
    sb.writeApp(`workers:\n  - name: idle\n    start: sleep 1000\n    replicas: 1\n`);
    await sb.cliOk(['up']);
    const second = await sb.cli(['daemon']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('NS_DAEMON_ALREADY_RUNNING');
  });

  it('`nightshift daemon` re-executes itself with its memory flags, keeping its pid; replicas get none of it', async () => {
    sb = new Sandbox('flags');
    sb.writeApp(`workers:\n  - name: idle\n    start: sleep 1000\n    replicas: 1\n    stop_grace: 1s\n`);
    const child = sb.startDaemon();
    const pid = await waitFor(() => sb.daemonPid(), 10_000, 'daemon.json');
    expect(pid).toBe(child.pid);
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(argv).toEqual(expect.arrayContaining(['--max-semi-space-size=1', '--expose-gc']));
    await sb.cliOk(['up']);
    const pids: number[] = await waitFor(
      () => (sb.userPids().length ? sb.userPids() : null),
      10_000,
      'the replica',
    ).then((p) => p ?? []);
    expect(procEnv(pids[0] ?? -1)?.MALLOC_ARENA_MAX).toBeUndefined();
    // The daemon's own argument parsing (it skips the CLI's command tree) still refuses what it does not know.
    const bad = await sb.cli(['daemon', '--prot', '7300']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--prot'");

    // It listens on loopback only (port 0 asked for a free one, written to the home) ...
    const { httpPort } = JSON.parse(readFileSync(join(sb.home, 'daemon.json'), 'utf8')) as {
      httpPort: number;
    };
    expect(httpPort).toBeGreaterThan(0);
    const listening = readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[3] === '0A' && Number.parseInt(f[1]!.split(':')[1]!, 16) === httpPort)
      .map((f) => f[1]!.split(':')[0]);
    expect(listening).toEqual(['0100007F']); // 127.0.0.1
    // ... and `daemon stop` makes the foreground daemon exit 0 once its replicas are gone.
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await sb.cliOk(['daemon', 'stop']);
    expect(await exited).toBe(0);
    expect(sb.userPids()).toEqual([]);
  });
});
