import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { procEnv, Sandbox, waitFor } from './helpers.js';

// `redis: true` against a Redis the daemon does not run (NIGHTSHIFT_REDIS_ADMIN_URL): the machine's Redis on
// 6379, and a throw-away redis-server with an evicting policy; and back-pressure made visible by `ps`.

const WORKER = `redis: true
workers:
  - name: w
    start: sleep 10000
    stop_grace: 2s
`;

describe('redis: true with an admin URL, and back-pressure in ps (real daemon)', () => {
  let sb: Sandbox;
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
    for (const clean of cleanups.splice(0).reverse()) await clean();
  });

  const workerEnv = async () => {
    const pid = (await sb.ps()).find((r) => r.state === 'running')?.pid;
    return pid ? procEnv(pid) : null;
  };

  it("the machine's Redis: the app's user lives there until destroy, which removes it and its keys", async () => {
    sb = new Sandbox('redisext');
    Object.assign(sb.daemonEnv, { NIGHTSHIFT_REDIS_ADMIN_URL: 'redis://127.0.0.1:6379' });
    sb.writeApp(WORKER);
    await sb.cliOk(['up']);
    const env = await waitFor(workerEnv, 15_000, 'a running worker');
    const url = new URL(env.REDIS_URL!);
    expect(url.port).toBe('6379');
    const app = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: 1 });
    app.on('error', () => undefined);
    cleanups.push(() => app.disconnect());
    await app.set(`${sb.app}:k`, 'v');
    const info = JSON.parse((await sb.cliOk(['redis', 'info', '--json'])).stdout) as Record<string, unknown>;
    expect(info).toMatchObject({ mode: 'external', keys: 1 });

    const admin = new Redis('redis://127.0.0.1:6379');
    cleanups.push(() => void admin.disconnect());
    expect(await admin.call('ACL', 'USERS')).toContain(`app-${sb.app}`);
    await sb.cliOk(['apps', 'destroy', sb.app, '--confirm', sb.app]);
    expect(await admin.call('ACL', 'USERS')).not.toContain(`app-${sb.app}`);
    expect(await admin.exists(`${sb.app}:k`)).toBe(0);
  });

  it('an evicting Redis: a warning under ps, and `daemon --require-noeviction` refuses to start', async () => {
    const lru = await plainRedis(['maxmemory 64mb', 'maxmemory-policy allkeys-lru']);
    cleanups.push(lru.stop);
    sb = new Sandbox('redislru');
    const strict = await sb.cli(['daemon', '--require-noeviction'], {
      env: { NIGHTSHIFT_REDIS_ADMIN_URL: lru.url },
    });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('NS_REDIS_EVICTION_POLICY');
    expect(strict.stderr).not.toContain(lru.password);

    Object.assign(sb.daemonEnv, { NIGHTSHIFT_REDIS_ADMIN_URL: lru.url });
    sb.writeApp(WORKER);
    await sb.cliOk(['up']);
    const ps = await sb.cliOk(['ps']);
    expect(ps.stderr).toMatch(/warning: Redis maxmemory-policy is allkeys-lru/);
    const events = (await sb.cliOk(['events', '--json'])).stdout;
    expect(events).toContain('redis:eviction-policy');
  });

  it('a full managed Redis: writes refused, and ps says so', async () => {
    sb = new Sandbox('redisfull');
    Object.assign(sb.daemonEnv, { NIGHTSHIFT_REDIS_MAXMEMORY: '3mb', NIGHTSHIFT_REDIS_SAMPLE_MS: '200' });
    sb.writeApp(WORKER);
    await sb.cliOk(['up']);
    const env = await waitFor(workerEnv, 15_000, 'a running worker');
    const app = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: 1 });
    app.on('error', () => undefined);
    cleanups.push(() => app.disconnect());
    let refused = '';
    for (let i = 0; i < 1000 && !refused; i++) {
      await app.set(`${sb.app}:fill:${i}`, 'x'.repeat(10_000)).catch((err: Error) => (refused = err.message));
    }
    expect(refused).toMatch(/^OOM command not allowed/);
    const ps = await waitFor(
      async () => {
        const res = await sb.cliOk(['ps']);
        return /refusing writes/.test(res.stderr) ? res : null;
      },
      10_000,
      'the warning',
    );
    expect(ps.stderr).toMatch(/warning: Redis memory is at \d+ % of maxmemory/);
    const types = (JSON.parse((await sb.cliOk(['events', '--json'])).stdout) as { type: string }[]).map(
      (e) => e.type,
    );
    expect(types).toEqual(expect.arrayContaining(['redis:memory-high', 'redis:rejecting']));
  });
});

/** A redis-server of the test's own, its password in its config file. */
async function plainRedis(
  conf: string[],
): Promise<{ url: string; password: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ns-e2e-redis-'));
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = s.address() as { port: number };
      s.close(() => resolve(p));
    });
  });
  const password = `pw${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  writeFileSync(
    join(dir, 'redis.conf'),
    ['bind 127.0.0.1', `port ${port}`, `dir ${dir}`, 'save ""', `requirepass ${password}`, ...conf].join(
      '\n',
    ),
  );
  const child: ChildProcess = spawn('redis-server', [join(dir, 'redis.conf')], { stdio: 'ignore' });
  await waitFor(
    () => {
      try {
        return execFileSync('redis-cli', ['-p', String(port), '--no-auth-warning', '-a', password, 'ping'], {
          encoding: 'utf8',
        }).includes('PONG');
      } catch {
        return false;
      }
    },
    5_000,
    'redis-server',
  );
  return {
    url: `redis://default:${password}@127.0.0.1:${port}`,
    password,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
