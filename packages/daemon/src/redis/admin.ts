import type { Redis } from 'ioredis';

/** The commands the daemon sends as Redis's administrator; one connection per daemon. */
export interface AdminConnection {
  call(...args: (string | number)[]): Promise<unknown>;
  /** Called again each time the connection comes back (the server may have restarted and lost its users). */
  onReady(listener: () => void): void;
  close(): Promise<void>;
}

/** Where apps reach the same Redis (the admin URL's host and port, its scheme kept for TLS). */
export interface Endpoint {
  readonly scheme: 'redis' | 'rediss';
  readonly host: string;
  readonly port: number;
}

export function endpointOf(url: string): Endpoint {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    scheme: parsed.protocol === 'rediss:' ? 'rediss' : 'redis',
    host: host || '127.0.0.1',
    port: Number(parsed.port || 6379),
  };
}

/** The URL an app's processes get: its own user and password, database 0. */
export function appUrl(endpoint: Endpoint, user: string, password: string): string {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return `${endpoint.scheme}://${user}:${password}@${host}:${endpoint.port}/0`;
}

/**
 * Opens the admin connection; rejects with Redis's own error (WRONGPASS, ECONNREFUSED…) when the first connect
 * fails. ioredis is loaded here, on first need: a daemon without `redis: true` apps never pays for it.
 */
export async function openAdmin(url: string, connectTimeoutMs = 5000): Promise<AdminConnection> {
  const { Redis: RedisClient } = await import('ioredis');
  const client: Redis = new RedisClient(url, {
    lazyConnect: true,
    connectionName: 'nightshift-admin',
    connectTimeout: connectTimeoutMs,
    maxRetriesPerRequest: 2,
    // Keep trying after a server restart, at most every 2 s; the daemon's commands fail fast meanwhile.
    retryStrategy: (times) => Math.min(times * 100, 2000),
    enableOfflineQueue: true,
  });
  // ioredis reports every failed reconnect as an 'error'; the callers see failures through their commands.
  // The first one is kept: a refused AUTH says WRONGPASS there, while connect() only says the connection closed.
  let firstError: unknown = null;
  client.on('error', (err) => (firstError ??= err));
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    throw firstError ?? err;
  }
  // Registered after the first connect: only reconnections call the listeners.
  const listeners: (() => void)[] = [];
  client.on('ready', () => {
    for (const listener of listeners) listener();
  });
  return {
    call: (...args) => client.call(String(args[0]), ...args.slice(1)),
    onReady: (listener) => void listeners.push(listener),
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
