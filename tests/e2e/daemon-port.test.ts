import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, Sandbox, scanProc, waitFor } from './helpers.js';

/** A port some other program holds, on the address the daemon listens on. */
async function occupyPort(host = '127.0.0.1'): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as { port: number }).port };
}

/** Processes (the daemon among them) started with this sandbox's home. */
function homeProcesses(sb: Sandbox): number[] {
  return scanProc((env) => env.NIGHTSHIFT_HOME === sb.home);
}

describe('a daemon whose TCP port is taken', () => {
  let sb: Sandbox;
  let busy: Server | undefined;
  afterEach(async () => {
    busy?.close();
    expect(await sb.cleanup()).toEqual([]);
  });

  it('`up` fails with exit 1, names the port and the fix, and leaves no daemon and no deploy', async () => {
    sb = new Sandbox('port');
    sb.writeApp('workers:\n  - name: w\n    start: sleep 1000\n');
    const taken = await occupyPort();
    busy = taken.server;
    const res = await sb.cli(['up'], { env: { NIGHTSHIFT_HTTP_PORT: String(taken.port) } });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      `error NS_DAEMON_START_FAILED: the daemon could not start: NS_DAEMON_PORT_IN_USE: the daemon's API cannot listen: 127.0.0.1:${taken.port} is already in use`,
    );
    expect(res.stderr).toMatch(
      /hint: .*NIGHTSHIFT_HTTP_PORT=\d+ nightshift up, or nightshift daemon --port \d+/,
    );
    expect(res.stderr).not.toContain('started the daemon');
    expect(res.stderr).not.toContain('deploying');
    await waitFor(() => homeProcesses(sb).length === 0, 10_000, 'the daemon to exit');
    expect(existsSync(join(sb.home, 'daemon.sock'))).toBe(false);
    expect(existsSync(join(sb.home, 'daemon.json'))).toBe(false);
    expect(sb.userPids()).toEqual([]);
  });

  it('is the one of NIGHTSHIFT_HTTP_HOST when that is set (the CLI does not impose 127.0.0.1)', async () => {
    sb = new Sandbox('port');
    sb.writeApp('workers:\n  - name: w\n    start: sleep 1000\n');
    const taken = await occupyPort('127.0.0.2');
    busy = taken.server;
    const res = await sb.cli(['up'], {
      env: { NIGHTSHIFT_HTTP_HOST: '127.0.0.2', NIGHTSHIFT_HTTP_PORT: String(taken.port) },
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`127.0.0.2:${taken.port} is already in use`);
    await waitFor(() => homeProcesses(sb).length === 0, 10_000, 'the daemon to exit');
  });

  it('`nightshift daemon` exits 1 with the fix, stopping the replicas it restored and releasing the home', async () => {
    sb = new Sandbox('port');
    sb.writeApp('workers:\n  - name: w\n    start: sleep 1000\n');
    await sb.cliOk(['up']);
    await sb.cliOk(['daemon', 'stop']);
    const taken = await occupyPort();
    busy = taken.server;
    const daemon = spawn(process.execPath, [BIN, 'daemon'], {
      env: { ...process.env, ...sb.daemonEnv, NIGHTSHIFT_HTTP_PORT: String(taken.port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    daemon.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => daemon.once('exit', resolve));
    try {
      // Once it has said why it cannot start there is nothing left for it to do: it must be gone soon after.
      await waitFor(() => stderr.includes('error NS_'), 60_000, 'the daemon to report its error');
      const code = await Promise.race([
        exited,
        new Promise<string>((r) => setTimeout(() => r('still running'), 15_000)),
      ]);
      expect(code).toBe(1);
    } finally {
      if (daemon.exitCode === null) daemon.kill('SIGKILL');
    }
    expect(stderr).toContain(
      `error NS_DAEMON_PORT_IN_USE: the daemon's API cannot listen: 127.0.0.1:${taken.port} is already in use`,
    );
    expect(stderr).toMatch(/hint: .*nightshift daemon --port \d+/);
    expect(sb.userPids()).toEqual([]);
    expect(existsSync(join(sb.home, 'daemon.sock'))).toBe(false);
    // The lock is free: a daemon on a free port takes the home over at once and brings the app back.
    await sb.cliOk(['up']);
    expect((await sb.ps()).map((r) => r.state)).toEqual(['running']);
  });
});
