/**
 * BullMQ source. BullMQ's own retry counting is bypassed so every source follows the worker's retry policy:
 * a retry moves the job to the delayed set (`moveToDelayed`, which does not count a failure) and the attempt
 * number is BullMQ's `attemptsStarted`; a job that is failed for good (non-retriable or out of attempts) is thrown
 * as BullMQ's `UnrecoverableError`, so it lands in the queue's failed set with its reason.
 */
import type * as BullMQ from 'bullmq';
import { describeError } from '../errors.js';
import type { Job } from '../job/types.js';
import { bullPrefix } from '../options.js';
import type { Settlement } from '../retry.js';
import { connectOrFail } from './connect.js';
import { importPeer, queueName } from './peer.js';
import type { AdapterConsumer, QueueAdapter, SourceSpec } from './types.js';

/** Acks and dead-letters happen when the processor returns or throws: nothing to wait for in `settle`. */
const SETTLED = Promise.resolve();

/** Options of {@link bullmq}. */
export interface BullmqSourceOptions {
  /** Queue name (`QUEUE_NAME` overrides it). */
  readonly queue?: string;
  /** Redis URL (default `REDIS_URL`, then `redis://127.0.0.1:6379`). */
  readonly url?: string;
  /** Key prefix (default `<app>:bull` from `NIGHTSHIFT_REDIS_PREFIX`, else BullMQ's `bull`). */
  readonly prefix?: string;
  /**
   * More BullMQ `WorkerOptions` (`lockDuration`, `stalledInterval`, `removeOnComplete`, …). `connection`,
   * `prefix`, `concurrency` and `autorun` are set by the SDK.
   */
  readonly workerOptions?: Readonly<Record<string, unknown>>;
}

/**
 * Consumes a BullMQ queue. Under Nightshift the prefix is the app's namespace (`shop:bull`), which its Redis ACL
 * user may use.
 *
 * @example
 * defineWorker({ name: 'emails', source: bullmq({ queue: 'email-dispatch' }), handle: async (job) => send(job.data) });
 */
export function bullmq(options: BullmqSourceOptions = {}): SourceSpec {
  return {
    kind: 'bullmq',
    async create({ config, log }) {
      const queue = queueName('bullmq()', options.queue, config.queueOverride);
      const mq = await importPeer<typeof BullMQ>('bullmq', 'bullmq()');
      const url = options.url ?? config.redis.url;
      const prefix = options.prefix ?? bullPrefix(config.redis.prefix);
      let worker: BullMQ.Worker | undefined;
      let client: { readonly status: string } | undefined;
      let closing: Promise<void> | undefined;

      const processor =
        (consumer: AdapterConsumer) =>
        async (job: BullMQ.Job, token?: string): Promise<unknown> => {
          let settlement: Settlement | undefined;
          await consumer.process(toJob(job, queue), (decided) => {
            settlement = decided;
            // Inside `settle` so the move counts as part of the job: shutdown waits for it.
            return decided.kind === 'retry'
              ? job.moveToDelayed(Date.now() + decided.delayMs, token)
              : SETTLED;
          });
          if (!settlement) throw new Error('job was not settled');
          if (settlement.kind === 'ack') return settlement.value;
          if (settlement.kind === 'retry') throw new mq.DelayedError();
          const failure = new mq.UnrecoverableError(describeError(settlement.error));
          if (settlement.error instanceof Error && settlement.error.stack)
            failure.stack = settlement.error.stack;
          throw failure;
        };

      const adapter: QueueAdapter = {
        kind: 'bullmq',
        queue,
        async start(consumer) {
          const started = new mq.Worker(queue, processor(consumer), {
            ...options.workerOptions,
            connection: { url },
            prefix,
            concurrency: consumer.concurrency,
            autorun: false,
          });
          worker = started;
          started.on('error', (error) =>
            log.error({ err: error, queue }, `BullMQ worker error: ${describeError(error)}`),
          );
          await connectOrFail('Redis (BullMQ)', url, started.waitUntilReady()).catch(
            async (error: unknown) => {
              await started.close(true).catch(() => undefined);
              throw error;
            },
          );
          client = await started.backend.client;
          started.run().catch((error: unknown) => consumer.fail(error));
        },
        async limit(capacity) {
          if (!worker) return;
          // pause(true): stop fetching without waiting for the active jobs, which run on and settle.
          if (capacity === 0) return worker.pause(true);
          worker.concurrency = capacity;
          if (worker.isPaused()) await worker.resume();
        },
        stop() {
          // close() stops fetching at once and resolves only when active jobs are finished; `close` awaits it.
          closing ??= worker?.close();
          return Promise.resolve();
        },
        async close() {
          // Without a prior stop() this is the abandon path: force, so active jobs keep their locks and are
          // taken back by the stalled-job check once the locks expire.
          closing ??= worker?.close(true);
          await closing;
        },
        health() {
          const status = client?.status ?? 'connecting';
          return { connected: status === 'ready', detail: `redis ${status}` };
        },
      };
      return adapter;
    },
  };
}

/**
 * The BullMQ prefix for this app, for producers: `<app>:bull` from `NIGHTSHIFT_REDIS_PREFIX`, else `bull`. Use it
 * where the web process enqueues, so producer and worker agree under the app's Redis ACL user.
 *
 * @example
 * const queue = new Queue('emails', { connection: { url: process.env.REDIS_URL }, prefix: bullmqPrefix() });
 */
export function bullmqPrefix(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const prefix = env.NIGHTSHIFT_REDIS_PREFIX?.trim();
  return bullPrefix(prefix === '' ? undefined : prefix);
}

function toJob(job: BullMQ.Job, queue: string): Job {
  return {
    id: job.id ?? `${queue}:unknown`,
    name: job.name,
    data: job.data as unknown,
    queue,
    // attemptsStarted counts every move to active, including retries and stalled re-runs.
    attempt: Math.max(1, job.attemptsStarted),
    trigger: 'queue',
    enqueuedAt: job.timestamp ? new Date(job.timestamp) : undefined,
  };
}
