/** A per-test Redis namespace: a unique key prefix, removed with SCAN + UNLINK afterwards. */
import { Redis } from 'ioredis';
import { uniqueSuffix } from './wait.js';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface RedisNamespace {
  /** `nstest<suffix>:`, used as NIGHTSHIFT_REDIS_PREFIX. */
  readonly prefix: string;
  readonly redis: Redis;
  cleanup(): Promise<void>;
}

export async function redisNamespace(): Promise<RedisNamespace> {
  const prefix = `nstest${uniqueSuffix()}:`;
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  return {
    prefix,
    redis,
    async cleanup() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== '0');
      await redis.quit();
    },
  };
}
