/** The conformance suite against Redis Streams on the machine's Redis (a key prefix per test, removed after). */
import { redisStream } from '../src/sources/redis-stream.js';
import { describeConformance, type JobData } from './conformance/suite.js';
import { redisNamespace, REDIS_URL } from './helpers/redis.js';

describeConformance({
  name: 'redis-stream',
  async namespace() {
    const space = await redisNamespace();
    const key = `${space.prefix}jobs`;
    return {
      env: { REDIS_URL, NIGHTSHIFT_REDIS_PREFIX: space.prefix },
      source: () => redisStream({ stream: 'jobs', group: 'conformance', claimIdle: 500, block: 200, promoteInterval: 20 }),
      async enqueue(items) {
        const pipeline = space.redis.pipeline();
        for (const data of items) pipeline.xadd(key, '*', 'data', JSON.stringify(data));
        await pipeline.exec();
      },
      async deadLetters() {
        const entries = await space.redis.xrange(`${key}:dead`, '-', '+');
        return entries.map(([, fields]) => JSON.parse(fields[fields.indexOf('data') + 1]!) as JobData);
      },
      cleanup: () => space.cleanup(),
    };
  },
});
