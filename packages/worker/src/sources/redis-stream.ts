/**
 * Redis Streams source (ioredis): a consumer group read with XREADGROUP, at most as many entries as free slots.
 * Entries left pending by a dead consumer are taken over with XAUTOCLAIM once idle for `claimIdle`; entries this
 * consumer is still working on are re-claimed by itself periodically (resetting their idle time) so a long job
 * is never stolen. A retry acks the entry and parks a copy (attempt + 1) in a sorted set `<key>:delayed`, which a
 * Lua script moves back into the stream when due; a job failed for good is acked and copied to `<key>:dead`.
 * Keys live under `NIGHTSHIFT_REDIS_PREFIX`, so the app's Redis ACL user (`~shop:*`) can use them.
 */
import { hostname } from 'node:os';
import type * as IORedis from 'ioredis';
import { describeError } from '../errors.js';
import type { Job } from '../job/types.js';
import type { Settlement } from '../retry.js';
import { connectionLost, connectOrFail } from './connect.js';
import { importPeer, queueName } from './peer.js';
import { createSlots, type Slots } from './slots.js';
import type { AdapterConsumer, QueueAdapter, SourceSpec } from './types.js';

/** Options of {@link redisStream}. */
export interface RedisStreamSourceOptions {
  /** Stream name (`QUEUE_NAME` overrides it); the key is `NIGHTSHIFT_REDIS_PREFIX` + stream, e.g. `shop:events`. */
  readonly stream?: string;
  /** Consumer group (default: the worker's name), created at start if missing, reading from the stream's start. */
  readonly group?: string;
  /** Redis URL (default `REDIS_URL`, then `redis://127.0.0.1:6379`). */
  readonly url?: string;
  /** Key prefix (default `NIGHTSHIFT_REDIS_PREFIX`, else none). */
  readonly keyPrefix?: string;
  /** This consumer's name in the group (default `<replica or host>-<pid>`). */
  readonly consumerName?: string;
  /** Pending entries idle this long (ms) belong to a dead consumer and are claimed (default 60 000). */
  readonly claimIdle?: number;
  /** How long one XREADGROUP blocks (ms, default 1000): the longest a graceful stop waits for the read. */
  readonly block?: number;
  /** How often due retries are moved back into the stream (ms, default 500). */
  readonly promoteInterval?: number;
}

/** Field names the SDK adds to entries it writes. */
const META = { attempt: 'ns-attempt', jobId: 'ns-job-id', enqueuedAt: 'ns-enqueued-at' } as const;

// Moves due retries (members are JSON arrays of stream fields) back into the stream, atomically, so replicas
// promoting at the same moment never add an entry twice.
const PROMOTE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do
  redis.call('XADD', KEYS[2], '*', unpack(cjson.decode(member)))
  redis.call('ZREM', KEYS[1], member)
end
return #due`;

type Entry = [id: string, fields: string[]];

/**
 * Consumes a Redis stream through a consumer group.
 *
 * @example
 * // producer: XADD shop:events * data '{"type":"signup","userId":42}'
 * defineWorker({ name: 'events', source: redisStream({ stream: 'events', group: 'mailer' }), handle: onEvent });
 */
export function redisStream(options: RedisStreamSourceOptions = {}): SourceSpec {
  return {
    kind: 'redis-stream',
    async create({ config, log }) {
      const stream = queueName('redisStream()', options.stream, config.queueOverride, 'stream');
      const { Redis } = await importPeer<typeof IORedis>('ioredis', 'redisStream()');
      const url = options.url ?? config.redis.url;
      const key = `${options.keyPrefix ?? config.redis.prefix ?? ''}${stream}`;
      const delayedKey = `${key}:delayed`;
      const deadKey = `${key}:dead`;
      const group = options.group ?? config.name;
      const me = options.consumerName ?? `${config.service.replica ?? hostname()}-${process.pid}`;
      const claimIdle = options.claimIdle ?? 60_000;
      const blockMs = options.block ?? 1000;
      const promoteMs = options.promoteInterval ?? 500;
      const clientOptions = { lazyConnect: true, connectionName: `nightshift-worker:${me}` };
      const commands = new Redis(url, clientOptions);
      const blocking = new Redis(url, clientOptions);
      // ioredis reconnects by itself; without a listener its errors would be printed as "unhandled error event".
      for (const client of [commands, blocking])
        client.on('error', (error: Error) =>
          log.warn({ err: error, stream: key }, `Redis (streams): ${error.message}`),
        );
      const inFlight = new Set<string>();
      const parked: { entry: Entry; deliveries: number }[] = [];
      const timers: NodeJS.Timeout[] = [];
      let stopping = false;
      let slots: Slots | undefined;
      let loop: Promise<void> | undefined;

      const settle = async (
        id: string,
        fields: string[],
        job: Job,
        settlement: Settlement,
      ): Promise<void> => {
        if (settlement.kind === 'ack') {
          await commands.xack(key, group, id);
        } else if (settlement.kind === 'retry') {
          const copy = [
            ...withoutMeta(fields),
            META.attempt,
            String(job.attempt + 1),
            META.jobId,
            job.id,
            META.enqueuedAt,
            String(job.enqueuedAt?.getTime() ?? Date.now()),
          ];
          // The member must be unique, or two retries of identical payloads would collapse into one.
          const member = JSON.stringify([...copy, 'ns-retry', `${Date.now()}-${Math.random()}`]);
          await commands
            .multi()
            .xack(key, group, id)
            .zadd(delayedKey, Date.now() + settlement.delayMs, member)
            .exec()
            .then(throwOnExecError);
        } else {
          const record = [
            ...withoutMeta(fields),
            META.jobId,
            job.id,
            META.attempt,
            String(job.attempt),
            'ns-error',
            describeError(settlement.error).slice(0, 4000),
            'ns-reason',
            settlement.reason,
            'ns-failed-at',
            new Date().toISOString(),
          ];
          await commands
            .multi()
            .xack(key, group, id)
            .xadd(deadKey, '*', ...record)
            .exec()
            .then(throwOnExecError);
        }
      };

      const dispatch = (
        consumer: AdapterConsumer,
        free: Slots,
        entries: Entry[],
        deliveries?: Map<string, number>,
      ): void => {
        for (const [id, fields] of entries) {
          if (inFlight.has(id) || !fields) continue;
          if (free.free === 0) {
            // A read already blocking at the server when the breaker lowered the limit: the entry is in this
            // consumer's pending list and cannot be handed back, so it waits here (renewed like a running job).
            parked.push({ entry: [id, fields], deliveries: deliveries?.get(id) ?? 1 });
            inFlight.add(id);
            continue;
          }
          free.take();
          inFlight.add(id);
          const job = toJob(id, fields, stream, deliveries?.get(id) ?? 1);
          void consumer
            .process(job, (settlement) => settle(id, fields, job, settlement))
            .finally(() => {
              inFlight.delete(id);
              free.release();
            });
        }
      };

      const read = async (consumer: AdapterConsumer): Promise<void> => {
        const free = (slots = createSlots(consumer.concurrency));
        let failures = 0;
        while (!stopping) {
          await free.whenFree();
          if (stopping) break;
          if (parked.length > 0) {
            const waiting = parked.splice(0, free.free);
            for (const { entry } of waiting) inFlight.delete(entry[0]);
            for (const { entry, deliveries } of waiting)
              dispatch(consumer, free, [entry], new Map([[entry[0], deliveries]]));
            continue;
          }
          try {
            const reply = (await blocking.xreadgroup(
              'GROUP',
              group,
              me,
              'COUNT',
              free.free,
              'BLOCK',
              blockMs,
              'STREAMS',
              key,
              '>',
            )) as [string, Entry[]][] | null;
            failures = 0;
            if (reply) for (const [, entries] of reply) dispatch(consumer, free, entries);
          } catch (error) {
            if (stopping) break;
            failures += 1;
            log.warn({ err: error, stream: key }, `XREADGROUP failed (${failures}): ${describeError(error)}`);
            if (failures >= 10)
              return consumer.fail(
                connectionLost('Redis (streams)', `XREADGROUP failed ${failures} times in a row`, error),
              );
            await new Promise((resolve) => setTimeout(resolve, 500));
          }
        }
      };

      const claim = async (consumer: AdapterConsumer): Promise<void> => {
        const free = slots;
        if (stopping || !free || free.free === 0) return;
        const [, entries] = (await commands.xautoclaim(
          key,
          group,
          me,
          claimIdle,
          '0-0',
          'COUNT',
          free.free,
        )) as [string, Entry[]];
        const live = entries.filter(([id, fields]) => fields && !inFlight.has(id));
        if (live.length === 0) return;
        // XAUTOCLAIM does not say how often an entry was delivered; XPENDING does (it counts this claim too).
        const pending = (await commands.xpending(
          key,
          group,
          live[0]![0],
          live.at(-1)![0],
          live.length * 2,
          me,
        )) as [string, string, number, number][];
        const deliveries = new Map(pending.map(([id, , , count]) => [id, count]));
        log.info(
          { stream: key, claimed: live.length },
          `claimed ${live.length} pending entr${live.length === 1 ? 'y' : 'ies'} from a stopped consumer`,
        );
        dispatch(consumer, free, live, deliveries);
      };

      const renew = async (): Promise<void> => {
        // Reset the idle time of entries still being worked on, so no one (this consumer included) claims them.
        if (inFlight.size > 0) await commands.xclaim(key, group, me, 0, ...inFlight, 'JUSTID');
      };

      const promote = async (): Promise<void> => {
        await commands.eval(PROMOTE, 2, delayedKey, key, Date.now(), 100);
      };

      const every = (ms: number, task: () => Promise<unknown>, what: string): void => {
        let busy = false;
        const timer = setInterval(() => {
          if (busy || stopping) return;
          busy = true;
          task()
            .catch((error: unknown) =>
              log.warn({ err: error, stream: key }, `${what} failed: ${describeError(error)}`),
            )
            .finally(() => (busy = false));
        }, ms);
        timers.push(timer);
      };

      const adapter: QueueAdapter = {
        kind: 'redis-stream',
        queue: stream,
        async start(consumer) {
          await connectOrFail('Redis (streams)', url, Promise.all([commands.connect(), blocking.connect()]));
          try {
            await commands.xgroup('CREATE', key, group, '0', 'MKSTREAM');
          } catch (error) {
            if (!describeError(error).startsWith('BUSYGROUP')) throw error;
          }
          loop = read(consumer);
          every(
            Math.max(100, Math.min(claimIdle / 2, 30_000)),
            () => claim(consumer),
            'claiming idle entries',
          );
          every(Math.max(50, Math.floor(claimIdle / 3)), renew, 'renewing in-flight entries');
          every(promoteMs, promote, 'moving due retries');
        },
        limit(capacity) {
          slots?.resize(capacity);
          return Promise.resolve();
        },
        async stop() {
          stopping = true;
          slots?.interrupt();
          await loop;
        },
        async close() {
          stopping = true;
          for (const timer of timers) clearInterval(timer);
          // The read loop is over (graceful) or abandoned (kill): nothing on these connections is worth waiting for.
          blocking.disconnect();
          await commands.quit().catch(() => commands.disconnect());
        },
        health() {
          const up = commands.status === 'ready' && blocking.status === 'ready';
          return { connected: up, detail: `redis ${commands.status}/${blocking.status}` };
        },
      };
      return adapter;
    },
  };
}

function withoutMeta(fields: string[]): string[] {
  const out: string[] = [];
  const meta = new Set<string>([META.attempt, META.jobId, META.enqueuedAt, 'ns-retry']);
  for (let i = 0; i + 1 < fields.length; i += 2)
    if (!meta.has(fields[i]!)) out.push(fields[i]!, fields[i + 1]!);
  return out;
}

function toJob(id: string, fields: string[], stream: string, deliveries: number): Job {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
  const base = Number(map.get(META.attempt) ?? 1);
  const enqueued = Number(map.get(META.enqueuedAt) ?? id.split('-')[0]);
  return {
    id: map.get(META.jobId) ?? id,
    name: map.get('name'),
    data: decode(map),
    queue: stream,
    attempt: (Number.isInteger(base) && base > 0 ? base : 1) + Math.max(0, deliveries - 1),
    trigger: 'queue',
    enqueuedAt: Number.isFinite(enqueued) ? new Date(enqueued) : undefined,
  };
}

/** A `data` field holds the payload (JSON when it parses); without one, the entry's other fields are the payload. */
function decode(map: Map<string, string>): unknown {
  const data = map.get('data');
  if (data === undefined) {
    const rest: Record<string, string> = {};
    for (const [name, value] of map) if (!name.startsWith('ns-')) rest[name] = value;
    return rest;
  }
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

function throwOnExecError(results: [Error | null, unknown][] | null): void {
  if (!results) throw new Error('transaction aborted');
  const failed = results.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
}
