import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import type { AdminConnection } from './admin.js';
import { configMap, parseInfo, supportsChannelRules } from './facts.js';

/** What the daemon learns about its Redis when it connects. */
export interface ServerFacts {
  readonly version: string;
  readonly policy: string;
  readonly maxmemory: number;
  readonly databases: number;
}

/**
 * Refuses a Redis that cannot keep apps apart (older than 6.2: no channel rules) or on which the daemon may not
 * manage users. The eviction policy is only reported here (the caller decides whether it is fatal).
 */
export async function checkServer(admin: AdminConnection, where: string): Promise<ServerFacts> {
  const info = parseInfo(String(await admin.call('INFO', 'server')));
  const version = info.get('redis_version') ?? '0';
  if (!supportsChannelRules(version)) {
    throw new NightshiftError(
      ErrorCodes.redisVersionUnsupported,
      `${where} runs Redis ${version}; apps need Redis 6.2 or later (channel rules keep their pub/sub apart)`,
    );
  }
  let config: Map<string, string>;
  try {
    await admin.call('ACL', 'USERS');
    config = configMap(await admin.call('CONFIG', 'GET', 'maxmemory*'));
    const databases = configMap(await admin.call('CONFIG', 'GET', 'databases'));
    for (const [k, v] of databases) config.set(k, v);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (!/NOPERM|unknown command/i.test(message)) throw err;
    throw new NightshiftError(
      ErrorCodes.redisNoAclRights,
      `the user of ${where} may not manage ACL users or read the configuration: ${message}`,
      undefined,
      { cause: err },
    );
  }
  return {
    version,
    policy: config.get('maxmemory-policy') ?? 'unknown',
    maxmemory: Number(config.get('maxmemory') ?? 0),
    databases: Number(config.get('databases') ?? 16),
  };
}
