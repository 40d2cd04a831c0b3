import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { procEnv, Sandbox, waitFor } from './helpers.js';

// `redis: true` on a real daemon with its managed redis-server: the environment web, workers, cron and one-offs
// get, where the password never shows, `redis info/flush/rotate`, destroy, and the server stopped with the daemon.

const MANIFEST = `redis: true
workers:
  - name: w
    start: sh -c 'echo "prefix=$NIGHTSHIFT_REDIS_PREFIX url=$REDIS_URL"; exec sleep 10000'
    stop_grace: 2s
cron:
  - name: j
    schedule: "0 3 * * *"
    command: sh -c 'echo "cron prefix=$NIGHTSHIFT_REDIS_PREFIX"; test -n "$REDIS_URL"'
`;

describe('redis: true (real daemon, managed redis-server)', () => {
  let sb: Sandbox;
  const clients: Redis[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    const pidFile = join(sb.home, 'redis', 'redis.pid');
    const serverPid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : null;
    expect(await sb.cleanup()).toEqual([]);
    // `daemon stop` stopped the managed server too.
    if (serverPid !== null) expect(existsSync(`/proc/${serverPid}`)).toBe(false);
  });

  const connect = (url: string) => {
    const c = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null });
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  };
  const workerEnv = async () => {
    const pid = (await sb.ps()).find((r) => r.state === 'running')?.pid;
    return pid ? procEnv(pid) : null;
  };

  it('gives every process its URL and prefix, never shows the password, and cleans up after destroy', async () => {
    sb = new Sandbox('redis');
    sb.writeApp(MANIFEST);
    const up = await sb.cliOk(['up']);
    expect(up.stderr).not.toMatch(/warning/);
    const env = await waitFor(workerEnv, 15_000, 'a running worker');
    const url = new URL(env.REDIS_URL!);
    expect(url.username).toBe(`app-${sb.app}`);
    expect(url.password).toMatch(/^[0-9a-f]{64}$/);
    expect(url.hostname).toBe('127.0.0.1');
    expect(env.NIGHTSHIFT_REDIS_PREFIX).toBe(`${sb.app}:`);
    const password = url.password;

    // The app's user works in its namespace only.
    const app = connect(env.REDIS_URL!);
    await app.connect();
    await app.set(`${sb.app}:hello`, 'world');
    await expect(app.set('elsewhere', 'x')).rejects.toThrow(/^NOPERM/);

    // Cron and one-offs get it too; the one-off's environment (Unix socket only) is the one answer holding it.
    expect((await sb.cliOk(['cron', 'run', 'j', '--wait'])).stdout).toContain(`cron prefix=${sb.app}:`);
    expect((await sb.cliOk(['run', '--', 'sh', '-c', 'echo "$REDIS_URL"'])).stdout.trim()).toBe(
      env.REDIS_URL,
    );

    // redis info: the app's keys, its user and prefix; no password.
    const info = JSON.parse((await sb.cliOk(['redis', 'info', '--json'])).stdout) as Record<string, unknown>;
    expect(info).toMatchObject({
      mode: 'managed',
      user: `app-${sb.app}`,
      prefix: `${sb.app}:`,
      keys: 1,
      policy: 'noeviction',
    });
    expect((await sb.cliOk(['redis', 'info'])).stdout).toMatch(/keys:\s+1/);

    // The same numbers in the daemon's /metrics (TCP, with the token).
    const daemon = JSON.parse(readFileSync(join(sb.home, 'daemon.json'), 'utf8')) as { httpPort: number };
    const token = readFileSync(join(sb.home, 'api.token'), 'utf8').trim();
    const metrics = await (
      await fetch(`http://127.0.0.1:${daemon.httpPort}/metrics`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).text();
    expect(metrics).toContain(`nightshift_redis_app_keys{app="${sb.app}"} 1`);
    expect(metrics).toMatch(/^nightshift_redis_used_memory_bytes [1-9]\d*$/m);
    expect(metrics).toMatch(/^nightshift_redis_maxmemory_bytes 268435456$/m);
    expect(metrics).toMatch(/^nightshift_redis_rejected_writes_total 0$/m);
    expect(metrics.includes(password)).toBe(false);

    // Nowhere else: logs (redacted like a secret), ps (CLI and the machine's), events, the daemon's log.
    await waitFor(
      async () => (await sb.cliOk(['logs', 'w', '-n', '5'])).stdout.includes('prefix='),
      10_000,
      'the line',
    );
    const places = {
      logs: (await sb.cliOk(['logs', '-n', '50', '--json'])).stdout,
      ps: (await sb.cliOk(['ps'])).stdout + (await sb.cliOk(['ps', '--json'])).stdout,
      'machine ps': execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }),
      events: (await sb.cliOk(['events', '--json'])).stdout,
      info: JSON.stringify(info),
      apps: (await sb.cliOk(['apps', '--json'])).stdout,
      'daemon log': readFileSync(join(sb.home, 'daemon.log'), 'utf8'),
    };
    for (const [place, text] of Object.entries(places)) expect(text.includes(password), place).toBe(false);
    expect(places.logs).toContain(`prefix=${sb.app}:`);

    // The password is the platform's: not a secret the user lists or removes.
    expect((await sb.cliOk(['secrets', 'ls', '--json'])).stdout).not.toContain('NIGHTSHIFT_REDIS');
    const rm = await sb.cli(['secrets', 'rm', 'NIGHTSHIFT_REDIS_PASSWORD']);
    expect(rm.code).not.toBe(0);
    expect(rm.stderr + rm.stdout).not.toContain(password);

    // flush: the app's keys only, after confirmation.
    expect((await sb.cli(['redis', 'flush'])).code).toBe(1);
    await sb.cliOk(['redis', 'flush', '--confirm', sb.app]);
    expect(await app.exists(`${sb.app}:hello`)).toBe(0);

    // rotate: the processes restart with a new password; the old one stops working.
    const before = env.REDIS_URL!;
    await sb.cliOk(['redis', 'rotate']);
    const after = await waitFor(
      async () => {
        const e = await workerEnv();
        return e && e.REDIS_URL !== before ? e : null;
      },
      15_000,
      'a restarted worker',
    );
    expect(await connect(after.REDIS_URL!).ping()).toBe('PONG');
    await expect(connect(before).connect()).rejects.toThrow();

    // destroy: the user is gone (its connections too) and so are its keys.
    const kept = connect(after.REDIS_URL!);
    await kept.set(`${sb.app}:left`, '1');
    await sb.cliOk(['apps', 'destroy', sb.app, '--confirm', sb.app]);
    await expect(connect(after.REDIS_URL!).connect()).rejects.toThrow();
    await sb.cliOk(['up']);
    const again = await waitFor(workerEnv, 15_000, 'a running worker');
    const fresh = connect(again.REDIS_URL!);
    expect(await fresh.exists(`${sb.app}:left`)).toBe(0);
    expect(again.REDIS_URL).not.toBe(after.REDIS_URL);
  });

  it('rotate stopped by a replica that cannot start again keeps the old password for the replicas still on it', async () => {
    sb = new Sandbox('redisrot');
    sb.writeApp(
      `redis: true\nworkers:\n  - name: w\n    start: ./prog\n    replicas: 2\n    stop_grace: 2s\n`,
      { prog: '#!/bin/sh\nexec sleep 10000\n' },
    );
    chmodSync(join(sb.appDir, 'prog'), 0o755);
    await sb.cliOk(['up']);
    const before = await waitFor(
      async () => {
        const rows = await sb.ps();
        return rows.length === 2 && rows.every((r) => r.state === 'running') ? rows : null;
      },
      15_000,
      'two running workers',
    );
    const oldUrl = procEnv(before.find((r) => r.replica === 'w.2')!.pid!)!.REDIS_URL!;
    // The program leaves the release: w.1 cannot be spawned again once the rotation's restart stops it.
    rmSync(join(sb.home, 'apps', sb.app, 'releases', 'v1', 'prog'));
    const res = await sb.cli(['redis', 'rotate', '--app', sb.app]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('NS_SPAWN_FAILED');
    expect(res.stderr).toContain(`${sb.app}/w.1 could not be started again`);
    expect(res.stderr).toContain('the old one, which stays valid');
    // w.2 was not restarted: it still runs with the old password, and that password still opens connections.
    const w2 = (await sb.ps()).find((r) => r.replica === 'w.2')!;
    expect(w2.pid).toBe(before.find((r) => r.replica === 'w.2')!.pid);
    expect(await connect(oldUrl).ping()).toBe('PONG');
    expect(res.stderr + res.stdout).not.toContain(new URL(oldUrl).password);
  });

  it('after the daemon (and so its redis-server) restarted, apps reconnect with the same credentials', async () => {
    sb = new Sandbox('redisrestart');
    sb.writeApp(MANIFEST);
    await sb.cliOk(['up']);
    const before = await waitFor(workerEnv, 15_000, 'a running worker');
    const app = connect(before.REDIS_URL!);
    await app.connect();
    await app.set(`${sb.app}:kept`, 'across restarts');
    await new Promise((r) => setTimeout(r, 1200)); // appendfsync everysec
    const serverPid = Number(readFileSync(join(sb.home, 'redis', 'redis.pid'), 'utf8'));
    await sb.cliOk(['daemon', 'stop']);
    expect(existsSync(`/proc/${serverPid}`)).toBe(false);

    sb.startDaemon(); // restores the app: its user is re-applied from the stored password
    const after = await waitFor(
      async () => ((await sb.cli(['ps', '--json'])).code === 0 ? workerEnv() : null),
      15_000,
      'the restored worker',
    );
    expect(after.REDIS_URL).toBe(before.REDIS_URL);
    const again = connect(after.REDIS_URL!);
    expect(await again.get(`${sb.app}:kept`)).toBe('across restarts');
  });

  it('after kill -9 of the daemon, the next one replaces the redis-server it left and keeps the credentials', async () => {
    sb = new Sandbox('rediskill9');
    sb.writeApp(MANIFEST);
    await sb.cliOk(['up']);
    const before = await waitFor(workerEnv, 15_000, 'a running worker');
    const pidFile = join(sb.home, 'redis', 'redis.pid');
    const orphan = Number(readFileSync(pidFile, 'utf8'));
    const daemonPid = sb.daemonPid()!;
    process.kill(daemonPid, 'SIGKILL');
    await waitFor(() => !existsSync(`/proc/${daemonPid}`), 5_000, 'the daemon gone');
    expect(existsSync(`/proc/${orphan}`)).toBe(true); // its own process group: it outlives the daemon

    sb.startDaemon();
    const after = await waitFor(
      async () => ((await sb.cli(['ps', '--json'])).code === 0 ? workerEnv() : null),
      15_000,
      'the restored worker',
    );
    expect(after.REDIS_URL).toBe(before.REDIS_URL);
    expect(existsSync(`/proc/${orphan}`)).toBe(false);
    expect(Number(readFileSync(pidFile, 'utf8'))).not.toBe(orphan);
    expect(await connect(after.REDIS_URL!).ping()).toBe('PONG');
  });

  it('without a Redis, the deploy of a redis: true app fails and names both ways to get one', async () => {
    sb = new Sandbox('noredis');
    sb.writeApp(MANIFEST);
    // A PATH with a shell but no redis-server.
    const bin = join(sb.root, 'bin');
    mkdirSync(bin);
    for (const tool of ['sh', 'sleep']) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
    const res = await sb.cli(['up'], { env: { PATH: bin } });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('NS_REDIS_UNAVAILABLE');
    expect(res.stderr).toMatch(/redis-server/);
    expect(res.stderr).toMatch(/NIGHTSHIFT_REDIS_ADMIN_URL/);
  });
});
