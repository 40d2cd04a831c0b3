import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import { afterEach } from 'vitest';
import { DEFAULT_REDIS_MAXMEMORY, type RedisConfig } from '../../src/config.js';
import { EventBus, type DaemonEvent } from '../../src/events/index.js';
import { systemClock } from '../../src/runtime/clock.js';
import { RedisService } from '../../src/redis/index.js';

/** The machine's Redis, used as an external admin URL (each test has its own app names and cleans up). */
export const MACHINE_REDIS = 'redis://127.0.0.1:6379';

/** `t<random>`: a name no other test (nor another engineer's run) uses; `name + 'bar'` is its "foobar". */
export const uniqueApp = (): string => `t${Math.random().toString(36).slice(2, 9)}`;

export interface RedisWorld {
  readonly service: RedisService;
  readonly events: DaemonEvent[];
  readonly passwords: Map<string, string>;
  /** The apps `redisApps()` reports (those whose users are re-applied). */
  readonly apps: Set<string>;
  readonly errors: unknown[];
  readonly dir: string;
}

/**
 * A RedisService over a temp home, its apps' passwords in a map; every world is closed after the test, its apps'
 * users and keys removed first (the machine's Redis is shared).
 */
export function useRedisWorlds(): (config?: Partial<RedisConfig>, home?: RedisWorld) => RedisWorld {
  const worlds: RedisWorld[] = [];
  afterEach(async () => {
    for (const world of worlds.splice(0)) {
      for (const app of world.passwords.keys()) await world.service.removeApp(app).catch(() => undefined);
      await world.service.close();
      rmSync(world.dir, { recursive: true, force: true });
    }
  });
  // `home`: a world whose home and passwords this one takes over, as a restarted daemon would.
  return (config = {}, home) => {
    const dir = home?.dir ?? mkdtempSync(join(tmpdir(), 'ns-redis-'));
    const events: DaemonEvent[] = [];
    const errors: unknown[] = [];
    const passwords = home?.passwords ?? new Map<string, string>();
    const apps = new Set<string>();
    let id = 0;
    const bus = new EventBus(
      (e) => {
        events.push(e);
        return ++id;
      },
      (err) => errors.push(err),
    );
    const service = new RedisService({
      config: {
        adminUrl: null,
        maxmemory: DEFAULT_REDIS_MAXMEMORY,
        requireNoeviction: false,
        sampleMs: 60_000,
        ...config,
      },
      dir: join(dir, 'redis'),
      path: process.env.PATH,
      bus,
      clock: systemClock,
      passwords: {
        get: (app) => passwords.get(app) ?? null,
        set: (app, password) => void passwords.set(app, password),
      },
      redisApps: () => [...apps],
      onError: (err) => errors.push(err),
    });
    const world = { service, events, passwords, apps, errors, dir };
    worlds.push(world);
    return world;
  };
}

/** A client as the app's processes would open it, from its environment; closed after the test. */
export function useClients(): (url: string, extra?: RedisOptions) => Redis {
  const clients: Redis[] = [];
  afterEach(() => {
    for (const c of clients.splice(0)) c.disconnect();
  });
  return (url, extra = {}) => {
    const client = new Redis(url, { maxRetriesPerRequest: 1, ...extra });
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
}

/** Runs one command; `{ ok, value }` or `{ ok: false, error }` with Redis's exact message. */
export async function attempt(
  client: Redis,
  ...args: string[]
): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  try {
    return { ok: true, value: await client.call(args[0]!, ...args.slice(1)) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/**
 * A plain redis-server of the test's own (a stand-in for someone else's Redis): loopback, a free port, the
 * password in its config file (never on the command line), extra config lines as given. Stopped after the test.
 */
export function usePlainRedis(): (
  conf?: string[],
) => Promise<{ url: string; port: number; child: ChildProcess }> {
  const started: { child: ChildProcess; dir: string }[] = [];
  afterEach(async () => {
    for (const { child, dir } of started.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return async (conf = []) => {
    const dir = mkdtempSync(join(tmpdir(), 'ns-plain-redis-'));
    const port = await freePort();
    const password = Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
    writeFileSync(
      join(dir, 'redis.conf'),
      [
        'bind 127.0.0.1',
        `port ${port}`,
        `dir ${dir}`,
        'save ""',
        'appendonly no',
        `requirepass ${password}`,
        ...conf,
      ].join('\n') + '\n',
    );
    const child = spawn('redis-server', [join(dir, 'redis.conf')], { stdio: 'ignore' });
    started.push({ child, dir });
    const url = `redis://default:${password}@127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
      probe.on('error', () => undefined);
      const up = await probe.connect().then(
        () => true,
        () => false,
      );
      probe.disconnect();
      if (up) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return { url, port, child };
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The managed server's admin URL, from the files it keeps in the world's home (tests only). */
export function managedAdminUrl(world: RedisWorld): string {
  const dir = join(world.dir, 'redis');
  const password = readFileSync(join(dir, 'admin.password'), 'utf8').trim();
  const port = readFileSync(join(dir, 'port'), 'utf8').trim();
  return `redis://nightshift-admin:${password}@127.0.0.1:${port}/0`;
}
