import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  attempt,
  freePort,
  MACHINE_REDIS,
  managedAdminUrl,
  uniqueApp,
  useClients,
  useRedisWorlds,
  usePlainRedis,
} from './helpers.js';

describe('an app user over its life', () => {
  const world = useRedisWorlds();
  const client = useClients();

  it.each([
    ['managed redis-server', {}],
    ['the machine Redis as admin URL', { adminUrl: MACHINE_REDIS }],
  ] as const)('destroy removes the user and its keys only, not <name>bar:* (%s)', async (_name, config) => {
    const w = world(config);
    const foo = uniqueApp();
    const bar = `${foo}bar`;
    await w.service.provision(foo);
    await w.service.provision(bar);
    const fooClient = client(w.service.environment(foo)!.url, { retryStrategy: () => null });
    const barClient = client(w.service.environment(bar)!.url);
    for (let i = 0; i < 2500; i++) await fooClient.set(`${foo}:k${i}`, 'v');
    await barClient.set(`${bar}:keep`, 'v');
    expect((await w.service.info(foo)).keys).toBe(2500);

    expect(await w.service.removeApp(foo)).toBe(2500);
    w.passwords.delete(foo);
    expect((await w.service.info(foo)).keys).toBe(0);
    expect(await barClient.get(`${bar}:keep`)).toBe('v');
    // ACL DELUSER dropped the live connection; the password no longer works.
    expect(await attempt(fooClient, 'GET', `${foo}:k1`)).toMatchObject({ ok: false });
  });

  it('rotate: both passwords work during the restart, only the new one after', async () => {
    const w = world();
    const app = uniqueApp();
    await w.service.provision(app);
    const oldUrl = w.service.environment(app)!.url;
    let during: string[] = [];
    const complete = await w.service.rotate(app, async () => {
      const newUrl = w.service.environment(app)!.url;
      expect(newUrl).not.toBe(oldUrl);
      during = [String(await client(oldUrl).ping()), String(await client(newUrl).ping())];
      return true;
    });
    expect(complete).toBe(true);
    expect(during).toEqual(['PONG', 'PONG']);
    const old = client(oldUrl, { lazyConnect: true, retryStrategy: () => null });
    let refused = '';
    old.on('error', (err: Error) => (refused ||= err.message));
    await old.connect().catch(() => undefined);
    expect(refused).toMatch(/^WRONGPASS/);
    expect(await client(w.service.environment(app)!.url).ping()).toBe('PONG');
  });

  it('rotate whose restart stopped early keeps the old password valid beside the new one, and says so', async () => {
    const w = world();
    const app = uniqueApp();
    await w.service.provision(app);
    const oldUrl = w.service.environment(app)!.url;
    // A replica could not start again: those after it still run with the old password.
    expect(await w.service.rotate(app, () => Promise.resolve(false))).toBe(false);
    const newUrl = w.service.environment(app)!.url;
    expect(newUrl).not.toBe(oldUrl);
    const fresh = { lazyConnect: true, retryStrategy: () => null };
    expect(await client(oldUrl, fresh).ping()).toBe('PONG');
    expect(await client(newUrl, fresh).ping()).toBe('PONG');
    expect(w.events.some((e) => e.type === 'redis:rotated')).toBe(false);
    // The next rotation that completes leaves only its own password.
    expect(await w.service.rotate(app, () => Promise.resolve(true))).toBe(true);
    for (const url of [oldUrl, newUrl]) {
      const gone = client(url, fresh);
      let refused = '';
      gone.on('error', (err: Error) => (refused ||= err.message));
      await gone.connect().catch(() => undefined);
      expect(refused).toMatch(/^WRONGPASS/);
    }
    expect(await client(w.service.environment(app)!.url).ping()).toBe('PONG');
  });

  it('flush deletes the app keys only', async () => {
    const w = world();
    const foo = uniqueApp();
    const bar = `${foo}bar`;
    await w.service.provision(foo);
    await w.service.provision(bar);
    const fooClient = client(w.service.environment(foo)!.url);
    const barClient = client(w.service.environment(bar)!.url);
    await fooClient.mset(`${foo}:a`, '1', `${foo}:b`, '2');
    await barClient.set(`${bar}:a`, '1');
    expect(await w.service.flush(foo)).toBe(2);
    expect(await fooClient.exists(`${foo}:a`, `${foo}:b`)).toBe(0);
    expect(await barClient.get(`${bar}:a`)).toBe('1');
    expect(w.events.find((e) => e.type === 'redis:flushed')?.app).toBe(foo);
  });

  it('metrics: memory, refused writes and each redis app key count', async () => {
    const w = world();
    const foo = uniqueApp();
    const bar = `${foo}bar`;
    for (const app of [foo, bar]) {
      w.apps.add(app);
      await w.service.provision(app);
    }
    await client(w.service.environment(foo)!.url).mset(`${foo}:a`, '1', `${foo}:b`, '2');
    const metrics = (await w.service.metrics())!;
    expect(metrics.usedMemory).toBeGreaterThan(0);
    expect(metrics.maxmemory).toBe(256 * 1024 * 1024);
    expect(metrics.rejectedWrites).toBe(0);
    expect([...metrics.keys]).toEqual([
      [foo, 2],
      [bar, 0],
    ]);
  });

  it('a redis-server that dies is started again; its users and keys come back and apps reconnect', async () => {
    const w = world();
    const app = uniqueApp();
    w.apps.add(app);
    await w.service.provision(app);
    const url = w.service.environment(app)!.url;
    const c = client(url, { maxRetriesPerRequest: 50 });
    await c.set(`${app}:durable`, 'yes');
    await new Promise((r) => setTimeout(r, 1200)); // appendfsync everysec
    const pid = Number(readFileSync(join(w.dir, 'redis', 'redis.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    await waitUntil(() => w.events.some((e) => e.type === 'redis:server-exited'), 5_000);
    // While it restarts, a replica that starts still gets its URL (it was null in that window).
    expect(w.service.environment(app)?.url).toBe(url);
    // Same port, same credentials: the app's client reconnects by itself.
    expect(await c.get(`${app}:durable`)).toBe('yes');
    expect(w.service.environment(app)!.url).toBe(url);
  });

  it('a daemon restarted on the same home reuses the port and the stored passwords', async () => {
    const first = world();
    const app = uniqueApp();
    await first.service.provision(app);
    const url = first.service.environment(app)!.url;
    await first.service.close();

    const restarted = world({}, first);
    await restarted.service.provision(app);
    expect(restarted.service.environment(app)!.url).toBe(url);
    expect(await client(url).ping()).toBe('PONG');
  });
});

describe('an external Redis that is down', () => {
  const world = useRedisWorlds();
  const plain = usePlainRedis();
  const client = useClients();

  it('apps still get their URL, and their users are applied once it answers', async () => {
    const port = await freePort();
    const password = 'admin-password-for-this-test';
    const w = world({ adminUrl: `redis://default:${password}@127.0.0.1:${port}` });
    const app = uniqueApp();
    w.apps.add(app);
    w.passwords.set(app, 'a'.repeat(64));
    await expect(w.service.provision(app)).rejects.toMatchObject({ code: 'NS_REDIS_CONNECT_FAILED' });
    const url = w.service.environment(app)!.url;
    expect(url).toBe(`redis://app-${app}:${'a'.repeat(64)}@127.0.0.1:${port}/0`);

    await plain([`port ${port}`, `requirepass ${password}`]);
    await waitUntil(async () => {
      const c = client(url, { lazyConnect: true, retryStrategy: () => null });
      return c.connect().then(
        () => true,
        () => false,
      );
    }, 10_000);
  }, 15_000);
});

describe('refused Redis set-ups', () => {
  const world = useRedisWorlds();
  const plain = usePlainRedis();
  const client = useClients();
  const servers: Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });

  it('redis: true with no Redis at all names the two ways to get one', () => {
    const w = world({ adminUrl: null });
    Object.defineProperty(w.service, 'available', { value: () => false });
    expect(() => w.service.preflight({ name: 'shop', redis: true })).toThrow(
      expect.objectContaining({
        code: 'NS_REDIS_UNAVAILABLE',
        message: expect.stringMatching(/NIGHTSHIFT_REDIS_ADMIN_URL.*redis-server/),
        hint: expect.stringMatching(/apt-get install redis-server.*NIGHTSHIFT_REDIS_ADMIN_URL/),
      }),
    );
    expect(() => w.service.preflight({ name: 'shop', redis: false })).not.toThrow();
  });

  it('an admin URL whose user may not manage ACLs is refused with the reason', async () => {
    const user = `nslimited-${uniqueApp()}`;
    const admin = client(MACHINE_REDIS);
    await admin.call(
      'ACL',
      'SETUSER',
      user,
      'reset',
      'on',
      '>limited-password',
      '~*',
      '+@read',
      '+info',
      '+client|setname',
      '+ping',
    );
    try {
      const w = world({ adminUrl: `redis://${user}:limited-password@127.0.0.1:6379` });
      await expect(w.service.provision(uniqueApp())).rejects.toMatchObject({
        code: 'NS_REDIS_NO_ACL_RIGHTS',
        message: expect.stringMatching(/may not manage ACL users.*NOPERM/),
      });
      expect(w.errors).toEqual([]);
    } finally {
      await admin.call('ACL', 'DELUSER', user);
    }
  });

  it('a wrong admin password is NS_REDIS_CONNECT_FAILED, and the message hides the password', async () => {
    const { port } = await plain();
    const w = world({ adminUrl: `redis://default:not-the-password@127.0.0.1:${port}` });
    const err = (await w.service.provision(uniqueApp()).catch((e: unknown) => e)) as Error & { code: string };
    expect(err.code).toBe('NS_REDIS_CONNECT_FAILED');
    expect(err.message).toMatch(/WRONGPASS/);
    expect(err.message).not.toContain('not-the-password');
  });

  it('a Redis older than 6.2 (no channel rules) is refused', async () => {
    const server = createServer((socket) => {
      socket.on('data', (data) => {
        for (const m of data.toString().matchAll(/\*\d+\r\n\$\d+\r\n(\w+)/g)) {
          if (m[1]!.toUpperCase() === 'INFO') {
            const body = '# Server\r\nredis_version:6.0.16\r\n';
            socket.write(`$${body.length}\r\n${body}\r\n`);
          } else socket.write('+OK\r\n');
        }
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const w = world({ adminUrl: `redis://127.0.0.1:${port}` });
    await expect(w.service.provision(uniqueApp())).rejects.toMatchObject({
      code: 'NS_REDIS_VERSION_UNSUPPORTED',
      message: expect.stringMatching(/Redis 6\.0\.16.*6\.2/),
    });
  });

  it('an evicting external Redis is reported (event, ps warning), and fatal with --require-noeviction', async () => {
    const { url } = await plain(['maxmemory 64mb', 'maxmemory-policy allkeys-lru']);
    const lenient = world({ adminUrl: url });
    await lenient.service.start();
    expect(lenient.events.find((e) => e.type === 'redis:eviction-policy')?.data).toEqual({
      policy: 'allkeys-lru',
    });
    expect(lenient.service.warnings()[0]).toMatch(/maxmemory-policy is allkeys-lru/);

    const strict = world({ adminUrl: url, requireNoeviction: true });
    await expect(strict.service.start()).rejects.toMatchObject({ code: 'NS_REDIS_EVICTION_POLICY' });
  });

  it('the managed server: one database, noeviction, default user off, admin password never on its command line', async () => {
    const w = world({ maxmemory: 64 * 1024 * 1024 });
    await w.service.provision(uniqueApp());
    const admin = client(managedAdminUrl(w));
    const config = await admin.config('GET', '*');
    const get = (name: string) => config[config.indexOf(name) + 1];
    expect(get('databases')).toBe('1');
    expect(get('maxmemory')).toBe(String(64 * 1024 * 1024));
    expect(get('maxmemory-policy')).toBe('noeviction');
    expect(get('appendonly')).toBe('yes');
    expect(get('appendfsync')).toBe('everysec');
    expect(get('bind')).toBe('127.0.0.1');
    const defaultUser = (await admin.call('ACL', 'GETUSER', 'default')) as unknown[];
    expect(String(defaultUser[1])).toContain('off');
    const unauthenticated = client(`redis://127.0.0.1:${new URL(managedAdminUrl(w)).port}`, {
      lazyConnect: true,
      retryStrategy: () => null,
    });
    await unauthenticated.connect().catch(() => undefined);
    expect(await attempt(unauthenticated, 'GET', 'x')).toMatchObject({ ok: false });
    const pid = Number(readFileSync(join(w.dir, 'redis', 'redis.pid'), 'utf8'));
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const password = readFileSync(join(w.dir, 'redis', 'admin.password'), 'utf8').trim();
    expect(argv).not.toContain(password);
    expect(readFileSync(join(w.dir, 'redis', 'redis.conf'), 'utf8')).not.toContain(password);
  });
});

async function waitUntil(ok: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
