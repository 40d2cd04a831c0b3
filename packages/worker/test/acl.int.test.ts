/**
 * Under the app's restricted Redis ACL user (the rule of the design's Redis section), the BullMQ and Redis
 * Streams sources work with nothing but REDIS_URL and NIGHTSHIFT_REDIS_PREFIX, and never touch a key outside
 * the app's namespace (the ACL log stays empty).
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineWorker } from '../src/definition.js';
import { runWorker } from '../src/run.js';
import { bullmq } from '../src/sources/bullmq.js';
import { redisStream } from '../src/sources/redis-stream.js';
import type { SourceSpec } from '../src/sources/types.js';
import { redisNamespace, REDIS_URL, type RedisNamespace } from './helpers/redis.js';
import { waitFor } from './helpers/wait.js';

function appRule(app: string, password: string): string[] {
  return [
    'reset',
    'on',
    `>${password}`,
    'resetkeys',
    `~${app}:*`,
    'resetchannels',
    `&${app}:*`,
    '-@all',
    '+@read',
    '+@write',
    '+@keyspace',
    '+@pubsub',
    '+@transaction',
    '+@scripting',
    '+@connection',
    '+@blocking',
    '-@admin',
    '-@dangerous',
    '+info',
    '+time',
    '-scan',
    '-randomkey',
    '-script|flush',
    '-script|kill',
    '-script|debug',
    '-function',
    '-fcall',
    '-fcall_ro',
    '-pubsub',
    '-client|tracking',
    '-client|caching',
    '-client|getredir',
    '-client|trackinginfo',
  ];
}

describe("under the app's Redis ACL user", () => {
  let space: RedisNamespace;
  let app: string;
  let user: string;
  let url: string;

  beforeEach(async () => {
    space = await redisNamespace();
    app = space.prefix.slice(0, -1);
    user = `app-${app}`;
    const password = randomBytes(32).toString('hex');
    await space.redis.call('ACL', 'SETUSER', user, ...appRule(app, password));
    const parsed = new URL(REDIS_URL);
    parsed.username = user;
    parsed.password = password;
    url = parsed.toString();
  });
  afterEach(async () => {
    await space.redis.call('ACL', 'DELUSER', user);
    await space.cleanup();
  });

  const runThrough = async (source: SourceSpec, enqueue: () => Promise<void>) => {
    const seen: number[] = [];
    const worker = await runWorker(
      defineWorker({
        name: 'acl',
        source,
        retry: { attempts: 2, backoff: { type: 'fixed', delay: 10 } },
        handle: (job: { data: { n: number } }) => {
          seen.push(job.data.n);
          if (job.data.n === 2 && seen.filter((n) => n === 2).length === 1) throw new Error('retry me');
        },
      }),
      {
        env: { REDIS_URL: url, NIGHTSHIFT_REDIS_PREFIX: space.prefix },
        handleSignals: false,
        logDestination: new Writable({ write: (_c, _e, done) => done() }),
      },
    );
    await enqueue();
    await waitFor('3 jobs and a retry', () => seen.length === 4);
    await worker.stop();
    expect([...seen].sort()).toEqual([1, 2, 2, 3]);
    // ACL LOG is server-wide (and other tests may use it): look only at this test's user.
    const entries = (await space.redis.call('ACL', 'LOG', '128')) as unknown[][];
    const denials = entries.filter((entry) => entry[entry.indexOf('username') + 1] === user);
    expect(denials).toEqual([]);
  };

  it('runs BullMQ with the prefix <app>:bull', async () => {
    const name = 'acl-jobs';
    await runThrough(bullmq({ queue: name }), async () => {
      const queue = new Queue(name, { connection: { url }, prefix: `${app}:bull` });
      await queue.addBulk([1, 2, 3].map((n) => ({ name: 'job', data: { n } })));
      await queue.close();
    });
  });

  it('runs Redis Streams under <app>:<stream>', async () => {
    await runThrough(
      redisStream({ stream: 'events', group: 'acl', promoteInterval: 20, block: 200 }),
      async () => {
        for (const n of [1, 2, 3])
          await space.redis.xadd(`${app}:events`, '*', 'data', JSON.stringify({ n }));
      },
    );
  });
});
