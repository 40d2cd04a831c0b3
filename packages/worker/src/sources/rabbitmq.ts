/**
 * RabbitMQ source (amqplib). Manual acks on a confirm channel with prefetch = concurrency. A retry republishes
 * the message, attempt + 1 in a header, to a delay queue `<queue>.retry.<ms>` whose TTL dead-letters it back to
 * the main queue (one queue per delay, so a long delay never holds up a short one); a job failed for good is
 * republished to `<queue>.dead` with the error in its headers. Each republish is confirmed by the broker before
 * the original is acked: a crash in between duplicates a message, never loses it.
 */
import { randomUUID } from 'node:crypto';
import type * as Amqp from 'amqplib';
import { describeError } from '../errors.js';
import type { Job } from '../job/types.js';
import type { Settlement } from '../retry.js';
import { connectionLost, connectOrFail } from './connect.js';
import { importPeer, queueName } from './peer.js';
import type { QueueAdapter, SourceSpec } from './types.js';

/** Options of {@link rabbitmq}. */
export interface RabbitmqSourceOptions {
  /** Queue to consume (`QUEUE_NAME` overrides it). */
  readonly queue?: string;
  /** AMQP URL (default `AMQP_URL`, then `amqp://127.0.0.1:5672`). */
  readonly url?: string;
  /** Declare the queue (durable) and its dead-letter queue at start (default true). */
  readonly assert?: boolean;
  /** Extra `x-` arguments for declaring the main queue, e.g. `{ 'x-queue-type': 'quorum' }`. */
  readonly queueArguments?: Readonly<Record<string, unknown>>;
  /** Dead-letter queue (default `<queue>.dead`). */
  readonly deadLetterQueue?: string;
}

/** Header carrying the attempt number of a republished message. */
export const ATTEMPT_HEADER = 'x-nightshift-attempt';
const ENQUEUED_HEADER = 'x-nightshift-enqueued-at';

/**
 * The delay queue for a retry delay. Delays are rounded up to two significant digits so arbitrary
 * `RetryAfterError` values share a handful of queues.
 */
export function retryQueueName(queue: string, delayMs: number): string {
  return `${queue}.retry.${delayBucket(delayMs)}`;
}

export function delayBucket(ms: number): number {
  if (ms < 100) return Math.max(1, Math.ceil(ms));
  const step = 10 ** (Math.floor(Math.log10(ms)) - 1);
  return Math.ceil(ms / step) * step;
}

/**
 * Consumes a RabbitMQ queue.
 *
 * @example
 * defineWorker({ name: 'thumbnails', source: rabbitmq({ queue: 'thumbnails' }), concurrency: 8, handle: render });
 */
export function rabbitmq(options: RabbitmqSourceOptions = {}): SourceSpec {
  return {
    kind: 'rabbitmq',
    async create({ config, log }) {
      const queue = queueName('rabbitmq()', options.queue, config.queueOverride);
      const amqp = await importPeer<typeof Amqp>('amqplib', 'rabbitmq()');
      const url = options.url ?? config.amqpUrl;
      const deadQueue = options.deadLetterQueue ?? `${queue}.dead`;
      let connection: Amqp.ChannelModel | undefined;
      let channel: Amqp.ConfirmChannel | undefined;
      let consumerTag: string | undefined;
      let closing = false;
      let stopped = false;
      let open = false;
      let consume: ((prefetch: number) => Promise<void>) | undefined;

      const publish = (target: string, content: Buffer, properties: Amqp.Options.Publish): Promise<void> =>
        new Promise((resolve, reject) => {
          channel!.sendToQueue(target, content, properties, (error: unknown) =>
            error ? reject(error instanceof Error ? error : new Error(describeError(error))) : resolve(),
          );
        });

      const settle = async (
        message: Amqp.ConsumeMessage,
        job: Job,
        settlement: Settlement,
      ): Promise<void> => {
        const ch = channel!;
        if (settlement.kind === 'ack') {
          ch.ack(message);
          return;
        }
        const headers: Record<string, unknown> = {
          ...message.properties.headers,
          [ENQUEUED_HEADER]: job.enqueuedAt?.getTime(),
        };
        const base = republished(message, job, headers);
        if (settlement.kind === 'retry') {
          headers[ATTEMPT_HEADER] = job.attempt + 1;
          const target =
            settlement.delayMs > 0 ? await declareDelayQueue(ch, queue, settlement.delayMs) : queue;
          await publish(target, message.content, base);
        } else {
          headers['x-nightshift-error'] = describeError(settlement.error).slice(0, 4000);
          headers['x-nightshift-reason'] = settlement.reason;
          headers['x-nightshift-attempts'] = job.attempt;
          headers['x-nightshift-failed-at'] = new Date().toISOString();
          await publish(deadQueue, message.content, base);
        }
        ch.ack(message);
      };

      const adapter: QueueAdapter = {
        kind: 'rabbitmq',
        queue,
        async start(consumer) {
          const conn = await connectOrFail('RabbitMQ', url, amqp.connect(url));
          connection = conn;
          open = true;
          const lost = (detail: string) => (error?: unknown) => {
            open = false;
            if (!closing) consumer.fail(connectionLost('RabbitMQ', detail, error));
          };
          conn.on('error', (error: Error) =>
            log.error({ err: error }, `RabbitMQ connection error: ${error.message}`),
          );
          conn.on('close', lost('connection closed'));
          const ch = await conn.createConfirmChannel();
          channel = ch;
          ch.on('error', (error: Error) =>
            log.error({ err: error }, `RabbitMQ channel error: ${error.message}`),
          );
          ch.on('close', lost('channel closed'));
          if (options.assert ?? true) {
            await ch.assertQueue(queue, { durable: true, arguments: { ...options.queueArguments } });
            await ch.assertQueue(deadQueue, { durable: true });
          }
          consume = async (prefetch: number): Promise<void> => {
            // A consumer's prefetch is fixed when it starts (basic.qos, not global): set it, then consume.
            await ch.prefetch(prefetch);
            const reply = await ch.consume(
              queue,
              (message) => {
                if (message === null) {
                  lost('the broker cancelled the consumer (queue deleted?)')();
                  return;
                }
                const job = toJob(message, queue);
                void consumer.process(job, (settlement) => settle(message, job, settlement));
              },
              { noAck: false },
            );
            consumerTag = reply.consumerTag;
          };
          await consume(consumer.concurrency);
        },
        async limit(capacity) {
          // Cancelling the consumer leaves its unacked messages with the channel: the jobs held run on and are
          // acked (or republished) as usual. A new consumer with the new prefetch takes over.
          if (channel && consumerTag && open) await channel.cancel(consumerTag);
          consumerTag = undefined;
          if (capacity > 0 && !stopped && open) await consume?.(capacity);
        },
        async stop() {
          stopped = true;
          if (channel && consumerTag && open) await channel.cancel(consumerTag);
          consumerTag = undefined;
        },
        async close() {
          closing = true;
          // The channel first: amqplib queues acks per channel, and a connection close can overtake them (the
          // acks are lost and the jobs run again); a channel close is queued behind them and waits for its reply.
          const wasOpen = open;
          if (channel && wasOpen) await channel.close().catch(() => undefined);
          // Then the connection: whatever is still unacked goes back to the broker for redelivery.
          if (connection && wasOpen) await connection.close().catch(() => undefined);
          open = false;
        },
        health: () => ({ connected: open, detail: open ? 'amqp open' : 'amqp closed' }),
      };
      return adapter;
    },
  };
}

async function declareDelayQueue(channel: Amqp.Channel, queue: string, delayMs: number): Promise<string> {
  const bucket = delayBucket(delayMs);
  const name = retryQueueName(queue, delayMs);
  // Declared before every use: `x-expires` removes the queue after a minute unused, so it must be fresh
  // whenever a message goes in (the message's own TTL is always shorter than the queue's).
  await channel.assertQueue(name, {
    durable: true,
    arguments: {
      'x-message-ttl': bucket,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': queue,
      'x-expires': bucket + 60_000,
    },
  });
  return name;
}

function republished(
  message: Amqp.ConsumeMessage,
  job: Job,
  headers: Record<string, unknown>,
): Amqp.Options.Publish {
  const p = message.properties;
  const properties: Amqp.Options.Publish = { persistent: true, headers, messageId: job.id };
  if (p.contentType !== undefined) properties.contentType = p.contentType as string;
  if (p.contentEncoding !== undefined) properties.contentEncoding = p.contentEncoding as string;
  if (p.correlationId !== undefined) properties.correlationId = p.correlationId as string;
  if (p.type !== undefined) properties.type = p.type as string;
  if (p.appId !== undefined) properties.appId = p.appId as string;
  if (p.timestamp !== undefined) properties.timestamp = p.timestamp as number;
  return properties;
}

function toJob(message: Amqp.ConsumeMessage, queue: string): Job {
  const p = message.properties;
  const headers = p.headers ?? {};
  const attempt = Number(headers[ATTEMPT_HEADER] ?? 1);
  const enqueuedMs = Number(
    headers[ENQUEUED_HEADER] ?? (typeof p.timestamp === 'number' ? timestampMs(p.timestamp) : NaN),
  );
  return {
    // Without a producer-set messageId there is nothing stable to name the job by; the id given here travels
    // with every republish, so retries keep it.
    id: typeof p.messageId === 'string' && p.messageId !== '' ? p.messageId : randomUUID(),
    name: typeof p.type === 'string' ? p.type : undefined,
    data: decode(message),
    queue,
    attempt: Number.isInteger(attempt) && attempt > 0 ? attempt : 1,
    trigger: 'queue',
    enqueuedAt: Number.isFinite(enqueuedMs) ? new Date(enqueuedMs) : undefined,
  };
}

/** AMQP timestamps are seconds by the spec, but many producers send `Date.now()`: tell them apart by size. */
function timestampMs(value: number): number {
  return value > 1e11 ? value : value * 1000;
}

/** JSON bodies (declared, or undeclared but parseable) become values; anything else stays a Buffer. */
function decode(message: Amqp.ConsumeMessage): unknown {
  const type = message.properties.contentType as string | undefined;
  if (type !== undefined && !type.includes('json'))
    return type.startsWith('text/') ? message.content.toString('utf8') : message.content;
  try {
    return JSON.parse(message.content.toString('utf8')) as unknown;
  } catch {
    return message.content;
  }
}
