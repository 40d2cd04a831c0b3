/**
 * The four queue servers as conformance targets: each `namespace()` creates a fresh, uniquely named queue /
 * stream / key prefix on the machine's real server and removes it in `cleanup()`. Sources are described as
 * plain data (kind + options) so a worker in a child process can build the same one.
 */
import amqp from 'amqplib';
import { Queue } from 'bullmq';
import { connect, headers, StringCodec } from 'nats';
import { bullmq } from '../../src/sources/bullmq.js';
import { jetstream } from '../../src/sources/jetstream.js';
import { rabbitmq, retryQueueName } from '../../src/sources/rabbitmq.js';
import { redisStream } from '../../src/sources/redis-stream.js';
import type { SourceSpec } from '../../src/sources/types.js';
import { AMQP_URL, deleteQueues } from '../helpers/amqp.js';
import { redisNamespace, REDIS_URL } from '../helpers/redis.js';
import { uniqueSuffix } from '../helpers/wait.js';
import {
  SUITE_BACKOFF_MS,
  SUITE_RETRY_AFTER_MS,
  type ConformanceTarget,
  type JobData,
  type SourceKind,
} from './types.js';

export const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** Builds a source from its plain description (the fixture worker does the same with the built package). */
export function sourceFor(kind: SourceKind, options: Record<string, unknown>): SourceSpec {
  switch (kind) {
    case 'bullmq':
      return bullmq(options);
    case 'rabbitmq':
      return rabbitmq(options);
    case 'jetstream':
      return jetstream(options);
    case 'redis-stream':
      return redisStream(options);
  }
}

export const bullmqTarget: ConformanceTarget = {
  name: 'bullmq',
  async namespace() {
    const space = await redisNamespace();
    const name = `conf-${uniqueSuffix()}`;
    // The SDK derives `<prefix>bull` from NIGHTSHIFT_REDIS_PREFIX; the producer must use the same.
    const queue = new Queue<JobData>(name, { connection: { url: REDIS_URL }, prefix: `${space.prefix}bull` });
    return {
      kind: 'bullmq',
      options: { queue: name, workerOptions: { lockDuration: 1000, stalledInterval: 500 } },
      env: { REDIS_URL, NIGHTSHIFT_REDIS_PREFIX: space.prefix },
      async enqueue(items) {
        await queue.addBulk(items.map((data) => ({ name: 'job', data })));
      },
      async backlog() {
        const counts = await queue.getJobCounts('waiting', 'delayed', 'prioritized');
        return Object.values(counts).reduce((sum, count) => sum + count, 0);
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
};

export const rabbitmqTarget: ConformanceTarget = {
  name: 'rabbitmq',
  async namespace() {
    const queue = `nstest.conf-${uniqueSuffix()}`;
    const connection = await amqp.connect(AMQP_URL);
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { durable: true });
    let sent = 0;
    return {
      kind: 'rabbitmq',
      options: { queue },
      env: { AMQP_URL },
      async enqueue(items) {
        for (const data of items) {
          sent += 1;
          channel.sendToQueue(queue, Buffer.from(JSON.stringify(data)), {
            contentType: 'application/json',
            messageId: `m${sent}`,
            persistent: true,
          });
        }
        await channel.waitForConfirms();
      },
      async backlog() {
        // Ready messages of the queue and of the suite's retry queue (a missing queue closes the channel).
        let total = 0;
        for (const name of [queue, retryQueueName(queue, SUITE_BACKOFF_MS)]) {
          const reader = await connection.createChannel();
          reader.on('error', () => undefined);
          try {
            total += (await reader.checkQueue(name)).messageCount;
            await reader.close();
          } catch {
            // not declared yet: nothing retried so far
          }
        }
        return total;
      },
      async deadLetters() {
        const reader = await connection.createChannel();
        reader.on('error', () => undefined);
        try {
          await reader.checkQueue(`${queue}.dead`);
        } catch {
          return [];
        }
        const found: JobData[] = [];
        for (;;) {
          const message = await reader.get(`${queue}.dead`, { noAck: false });
          if (message === false) break;
          found.push(JSON.parse(message.content.toString()) as JobData);
        }
        await reader.close(); // unacked: the messages go back to the dead-letter queue
        return found;
      },
      async cleanup() {
        await connection.close();
        await deleteQueues([
          queue,
          `${queue}.dead`,
          retryQueueName(queue, SUITE_BACKOFF_MS),
          retryQueueName(queue, SUITE_RETRY_AFTER_MS),
        ]);
      },
    };
  },
};

export const jetstreamTarget: ConformanceTarget = {
  name: 'jetstream',
  async namespace() {
    const suffix = uniqueSuffix();
    const stream = `NSTEST_${suffix}`;
    const subject = `nstest.${suffix}.jobs`;
    const nc = await connect({ servers: NATS_URL });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: stream, subjects: [`nstest.${suffix}.>`] });
    const js = nc.jetstream();
    const sc = StringCodec();
    let sent = 0;
    return {
      kind: 'jetstream',
      options: { stream, consumer: 'conformance', ackWait: 1000, pollInterval: 1000 },
      env: { NATS_URL },
      async enqueue(items) {
        for (const data of items) {
          sent += 1;
          const h = headers();
          h.set('Nats-Msg-Id', `${suffix}-${sent}`);
          await js.publish(subject, sc.encode(JSON.stringify(data)), { headers: h });
        }
      },
      async backlog() {
        // Undelivered messages plus those delivered and not acked (nak'd for a retry, waiting to come back).
        const info = await jsm.consumers.info(stream, 'conformance');
        return info.num_pending + info.num_ack_pending;
      },
      async deadLetters() {
        let info;
        try {
          info = await jsm.streams.info(`${stream}_DEAD`);
        } catch {
          return [];
        }
        const found: JobData[] = [];
        if (info.state.messages === 0) return found;
        for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
          const message = await jsm.streams.getMessage(`${stream}_DEAD`, { seq });
          found.push(JSON.parse(sc.decode(message.data)) as JobData);
        }
        return found;
      },
      async cleanup() {
        await jsm.streams.delete(stream).catch(() => undefined);
        await jsm.streams.delete(`${stream}_DEAD`).catch(() => undefined);
        await nc.close();
      },
    };
  },
};

export const redisStreamTarget: ConformanceTarget = {
  name: 'redis-stream',
  async namespace() {
    const space = await redisNamespace();
    const key = `${space.prefix}jobs`;
    return {
      kind: 'redis-stream',
      options: { stream: 'jobs', group: 'conformance', claimIdle: 500, block: 200, promoteInterval: 20 },
      env: { REDIS_URL, NIGHTSHIFT_REDIS_PREFIX: space.prefix },
      async enqueue(items) {
        const pipeline = space.redis.pipeline();
        for (const data of items) pipeline.xadd(key, '*', 'data', JSON.stringify(data));
        await pipeline.exec();
      },
      async backlog() {
        // Entries not yet read by the group, read and not acked, and retries parked in the delayed set.
        const groups = (await space.redis.xinfo('GROUPS', key)) as unknown[][];
        const fields = groups.map((row) => new Map(chunk(row)))[0];
        const lag = Number(fields?.get('lag') ?? 0);
        const pending = Number(fields?.get('pending') ?? 0);
        return lag + pending + (await space.redis.zcard(`${key}:delayed`));
      },
      async deadLetters() {
        const entries = await space.redis.xrange(`${key}:dead`, '-', '+');
        return entries.map(([, fields]) => JSON.parse(fields[fields.indexOf('data') + 1]!) as JobData);
      },
      cleanup: () => space.cleanup(),
    };
  },
};

/** `[k1, v1, k2, v2]` as `[[k1, v1], [k2, v2]]` (XINFO's reply shape). */
function chunk(row: unknown[]): [unknown, unknown][] {
  const pairs: [unknown, unknown][] = [];
  for (let i = 0; i + 1 < row.length; i += 2) pairs.push([row[i], row[i + 1]]);
  return pairs;
}
