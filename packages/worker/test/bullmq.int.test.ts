/** The conformance suite against BullMQ on the machine's Redis, plus BullMQ-specific checks. */
import { Queue } from 'bullmq';
import { bullmq } from '../src/sources/bullmq.js';
import { describeConformance, type JobData } from './conformance/suite.js';
import { redisNamespace, REDIS_URL } from './helpers/redis.js';
import { uniqueSuffix } from './helpers/wait.js';

describeConformance({
  name: 'bullmq',
  async namespace() {
    const space = await redisNamespace();
    const name = `conf-${uniqueSuffix()}`;
    // The SDK derives `<prefix>bull` from NIGHTSHIFT_REDIS_PREFIX; the producer must use the same.
    const queue = new Queue<JobData>(name, { connection: { url: REDIS_URL }, prefix: `${space.prefix}bull` });
    return {
      env: { REDIS_URL, NIGHTSHIFT_REDIS_PREFIX: space.prefix },
      source: () => bullmq({ queue: name, workerOptions: { lockDuration: 1000, stalledInterval: 500 } }),
      async enqueue(items) {
        await queue.addBulk(items.map((data) => ({ name: 'job', data })));
      },
      async deadLetters() {
        return (await queue.getFailed()).map((job) => job.data);
      },
      async cleanup() {
        await queue.close();
        await space.cleanup();
      },
    };
  },
});
