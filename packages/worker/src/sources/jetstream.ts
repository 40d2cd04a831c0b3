/**
 * NATS JetStream source (`nats`): a durable pull consumer with explicit acks. The SDK fetches only as many
 * messages as it has free slots; a retry is `nak(delay)` (the server redelivers, the delivery count is the
 * attempt), a job failed for good is published to a dead-letter subject (captured by a stream the adapter
 * creates if missing) and then terminated. The consumer's `max_deliver` is the attempt budget plus one, so a
 * job released by a shutdown on its last attempt still gets its run, and a poison message that kills the
 * process each time still stops.
 */
import type * as Nats from 'nats';
import { describeError, WorkerError } from '../errors.js';
import type { Job } from '../job/types.js';
import type { Settlement } from '../retry.js';
import { connectionLost, connectOrFail } from './connect.js';
import { importPeer, queueName } from './peer.js';
import { createSlots, type Slots } from './slots.js';
import type { AdapterConsumer, QueueAdapter, SourceSpec } from './types.js';

/** Options of {@link jetstream}. */
export interface JetstreamSourceOptions {
  /** The stream (`QUEUE_NAME` overrides it). It must exist. */
  readonly stream?: string;
  /** Durable consumer name (default: the worker's name). Created if missing, updated if its limits differ. */
  readonly consumer?: string;
  /** NATS URL (default `NATS_URL`, then `nats://127.0.0.1:4222`). */
  readonly url?: string;
  /** Only consume subjects matching this filter (applied when the consumer is created). */
  readonly filterSubject?: string;
  /** How long the server waits for an ack before redelivering (ms, default 30 000). */
  readonly ackWait?: number;
  /** Subject failed jobs are published to (default `nightshift.dead.<stream>`). */
  readonly deadLetterSubject?: string;
  /** Stream capturing that subject, created if missing (default `<stream>_DEAD`). */
  readonly deadLetterStream?: string;
  /** How long one pull waits for messages (ms, default 5000, at least 1000). */
  readonly pollInterval?: number;
  /** More `nats` connection options (user, pass, token, name, …). */
  readonly connection?: Readonly<Record<string, unknown>>;
}

/**
 * Consumes a JetStream stream through a durable pull consumer.
 *
 * @example
 * defineWorker({ name: 'orders', source: jetstream({ stream: 'ORDERS', consumer: 'fulfilment' }), handle: ship });
 */
export function jetstream(options: JetstreamSourceOptions = {}): SourceSpec {
  return {
    kind: 'jetstream',
    async create({ config, log }) {
      const stream = queueName('jetstream()', options.stream, config.queueOverride, 'stream');
      const durable = options.consumer ?? config.name;
      const nats = await importPeer<typeof Nats>('nats', 'jetstream()');
      const url = options.url ?? config.natsUrl;
      const deadSubject = options.deadLetterSubject ?? `nightshift.dead.${stream}`;
      const deadStream = options.deadLetterStream ?? `${stream}_DEAD`;
      const ackWaitMs = options.ackWait ?? 30_000;
      const pollMs = Math.max(1000, options.pollInterval ?? 5000);
      let nc: Nats.NatsConnection | undefined;
      let connected = false;
      let stopping = false;
      let closing = false;
      let batch: Nats.ConsumerMessages | undefined;
      let loop: Promise<void> | undefined;
      let slots: Slots | undefined;

      const settle = async (message: Nats.JsMsg, job: Job, settlement: Settlement): Promise<void> => {
        if (settlement.kind === 'ack') {
          // Double ack: the server confirms, so a stop right after cannot lose the ack in a write buffer.
          await message.ackAck();
          return;
        }
        if (settlement.kind === 'retry') {
          message.nak(settlement.delayMs);
        } else {
          const headers = nats.headers();
          for (const [key, values] of message.headers ?? [])
            for (const value of values) headers.append(key, value);
          headers.set(
            'Nightshift-Error',
            describeError(settlement.error)
              .replace(/[\r\n]+/g, ' ')
              .slice(0, 2000),
          );
          headers.set('Nightshift-Reason', settlement.reason);
          headers.set('Nightshift-Attempts', String(job.attempt));
          headers.set('Nightshift-Subject', message.subject);
          headers.set('Nightshift-Job-Id', job.id);
          await nc!.jetstream().publish(deadSubject, message.data, { headers });
          message.term(settlement.reason);
        }
        await nc!.flush();
      };

      const pull = async (consumer: AdapterConsumer, source: Nats.Consumer): Promise<void> => {
        const free = (slots = createSlots(consumer.concurrency));
        let failures = 0;
        while (!stopping) {
          await free.whenFree();
          if (stopping) break;
          try {
            batch = await source.fetch({ max_messages: free.free, expires: pollMs });
            for await (const message of batch) {
              // Fetched but not started (stopping, or the breaker lowered the limit while the pull was out):
              // hand it back now rather than after ack_wait.
              if (stopping || free.free === 0) {
                message.nak();
                continue;
              }
              free.take();
              const job = toJob(message, stream);
              void consumer
                .process(job, (settlement) => settle(message, job, settlement))
                .finally(() => free.release());
            }
            failures = 0;
          } catch (error) {
            if (stopping) break;
            failures += 1;
            log.warn(
              { err: error, stream, consumer: durable },
              `JetStream fetch failed (${failures}): ${describeError(error)}`,
            );
            if (failures >= 10) {
              consumer.fail(
                connectionLost('NATS JetStream', `fetch failed ${failures} times in a row`, error),
              );
              return;
            }
            await new Promise((resolve) => setTimeout(resolve, 500));
          }
        }
      };

      const adapter: QueueAdapter = {
        kind: 'jetstream',
        queue: stream,
        async start(consumer) {
          const conn = await connectOrFail(
            'NATS',
            url,
            nats.connect({ servers: url, ...options.connection }),
          );
          nc = conn;
          connected = true;
          void watchStatus(nats, conn, (up) => (connected = up));
          void conn.closed().then((error) => {
            connected = false;
            if (!closing)
              consumer.fail(
                connectionLost('NATS', error ? describeError(error) : 'connection closed', error),
              );
          });
          const jsm = await conn.jetstreamManager();
          await ensureConsumer(nats, jsm, stream, durable, {
            maxDeliver: consumer.maxAttempts + 1,
            ackWaitMs,
            filterSubject: options.filterSubject,
          });
          await ensureStream(jsm, deadStream, deadSubject);
          const source = await conn.jetstream().consumers.get(stream, durable);
          loop = pull(consumer, source);
        },
        limit(capacity) {
          slots?.resize(capacity);
          return Promise.resolve();
        },
        async stop() {
          stopping = true;
          batch?.stop();
          slots?.interrupt();
          await loop;
        },
        async close() {
          stopping = true;
          closing = true;
          batch?.stop();
          if (nc && !nc.isClosed()) await nc.close();
          connected = false;
        },
        health: () => ({ connected, detail: connected ? 'nats connected' : 'nats disconnected' }),
      };
      return adapter;
    },
  };
}

async function watchStatus(
  nats: typeof Nats,
  nc: Nats.NatsConnection,
  set: (up: boolean) => void,
): Promise<void> {
  for await (const status of nc.status()) {
    if (status.type === nats.Events.Disconnect) set(false);
    else if (status.type === nats.Events.Reconnect) set(true);
  }
}

async function ensureConsumer(
  nats: typeof Nats,
  jsm: Nats.JetStreamManager,
  stream: string,
  durable: string,
  wanted: { maxDeliver: number; ackWaitMs: number; filterSubject: string | undefined },
): Promise<void> {
  try {
    await jsm.streams.info(stream);
  } catch (error) {
    throw new WorkerError(
      'NS_WORKER_CONNECT_FAILED',
      `JetStream stream "${stream}" is not available: ${describeError(error)}`,
      'create the stream first (e.g. `nats stream add`) or fix the name in jetstream({ stream }) / QUEUE_NAME',
      { cause: error },
    );
  }
  const ackWait = nats.nanos(wanted.ackWaitMs);
  let info: Nats.ConsumerInfo | undefined;
  try {
    info = await jsm.consumers.info(stream, durable);
  } catch {
    info = undefined;
  }
  if (!info) {
    await jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: nats.AckPolicy.Explicit,
      max_deliver: wanted.maxDeliver,
      ack_wait: ackWait,
      ...(wanted.filterSubject ? { filter_subject: wanted.filterSubject } : {}),
    });
    return;
  }
  if (info.config.ack_policy !== nats.AckPolicy.Explicit) {
    throw new WorkerError(
      'NS_WORKER_CONNECT_FAILED',
      `JetStream consumer "${durable}" on "${stream}" does not use explicit acks`,
      'the SDK acks each job itself: recreate the consumer with ack_policy explicit, or let the SDK create it',
    );
  }
  if (info.config.max_deliver !== wanted.maxDeliver || info.config.ack_wait !== ackWait) {
    await jsm.consumers.update(stream, durable, { max_deliver: wanted.maxDeliver, ack_wait: ackWait });
  }
}

async function ensureStream(jsm: Nats.JetStreamManager, name: string, subject: string): Promise<void> {
  try {
    await jsm.streams.info(name);
  } catch {
    await jsm.streams.add({ name, subjects: [subject] });
  }
}

function toJob(message: Nats.JsMsg, stream: string): Job {
  const msgId = message.headers?.get('Nats-Msg-Id');
  return {
    id: msgId ? msgId : `${stream}:${message.seq}`,
    name: message.subject,
    data: decode(message.data),
    queue: stream,
    attempt: message.info.deliveryCount,
    trigger: 'queue',
    enqueuedAt: new Date(Math.floor(message.info.timestampNanos / 1e6)),
  };
}

/** JSON payloads become values; anything else is handed over as text. */
function decode(data: Uint8Array): unknown {
  const text = new TextDecoder().decode(data);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
