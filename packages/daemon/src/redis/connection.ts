import { declaredError, ErrorCodes, NightshiftError } from '@nightshift/protocol';
import type { RedisConfig } from '../config.js';
import { maskUrl } from '../drains/url.js';
import { type AdminConnection, openAdmin } from './admin.js';
import { findRedisServer, ManagedRedis } from './managed.js';

export interface OpenedConnection {
  readonly admin: AdminConnection;
  /** The daemon's own server, or null for NIGHTSHIFT_REDIS_ADMIN_URL's. */
  readonly managed: ManagedRedis | null;
  /** The admin URL (apps reach the same host and port). */
  readonly url: string;
  /** How messages name this Redis (never with its password). */
  readonly where: string;
}

/**
 * The admin connection: to NIGHTSHIFT_REDIS_ADMIN_URL when set, else to a managed redis-server started from
 * PATH. Throws `NS_REDIS_CONNECT_FAILED` (the URL's Redis refused or is unreachable) or `NS_REDIS_UNAVAILABLE`.
 */
export async function openConnection(opts: {
  readonly config: RedisConfig;
  readonly dir: string;
  readonly path: string | undefined;
}): Promise<OpenedConnection> {
  const { adminUrl, maxmemory } = opts.config;
  if (adminUrl !== null) {
    const where = `NIGHTSHIFT_REDIS_ADMIN_URL (${maskUrl(adminUrl)})`;
    try {
      return { admin: await openAdmin(adminUrl), managed: null, url: adminUrl, where };
    } catch (err) {
      throw new NightshiftError(
        ErrorCodes.redisConnectFailed,
        `cannot use ${where}: ${(err as Error).message}`,
        declaredError(ErrorCodes.redisConnectFailed)!.hint,
        { cause: err },
      );
    }
  }
  const binary = findRedisServer(opts.path);
  if (binary === null) {
    throw new NightshiftError(
      ErrorCodes.redisUnavailable,
      'this daemon has no Redis: NIGHTSHIFT_REDIS_ADMIN_URL is not set and no redis-server is on its PATH',
      declaredError(ErrorCodes.redisUnavailable)!.hint,
    );
  }
  const { server, admin } = await ManagedRedis.start({ dir: opts.dir, binary, maxmemory });
  return { admin, managed: server, url: server.url, where: 'the managed redis-server' };
}
