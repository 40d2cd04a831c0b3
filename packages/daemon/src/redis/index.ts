/**
 * Redis for `redis: true` apps (DESIGN §8): one server for the machine, one ACL user and key prefix per app.
 *
 * ```ts
 * const redis = new RedisService({ config: config.redis, dir: paths.redis, path: process.env.PATH, bus, clock, passwords, redisApps, onError });
 * await redis.start();                  // connects at once when NIGHTSHIFT_REDIS_ADMIN_URL is set
 * redis.preflight(spec);                // deploy: NS_REDIS_UNAVAILABLE when there is no Redis at all
 * await redis.provision('shop');        // user app-shop, rule re-applied from `reset`
 * redis.environment('shop');            // { url: 'redis://app-shop:…@127.0.0.1:PORT/0', prefix: 'shop:' }
 * await redis.removeApp('shop');        // ACL DELUSER, then SCAN+UNLINK shop:*
 * ```
 */
export { REDIS_PASSWORD_SECRET, RedisService, type RedisDeps, type RedisMetrics } from './service.js';
export { appPrefix, appRule, appUser } from './rule.js';
