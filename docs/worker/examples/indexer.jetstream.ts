// NATS JetStream: keep a search index in step with product events. The worker's durable pull consumer
// `indexer` is created on the stream if missing (explicit acks, max deliver = attempts + 1).
import { appendFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, JSONCodec } from 'nats';
import { defineWorker, jetstream, NonRetriableError, type Job } from '@nightshift/worker';

export interface ProductEvent {
  workspaceId: string;
  productId: string;
  type: 'created' | 'updated' | 'deleted';
  title?: string;
}

/** One-time set-up, e.g. in a release hook: the stream the events go to. */
export async function createStream(): Promise<void> {
  const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: 'CATALOG', subjects: ['catalog.>'] });
  await nc.close();
}

/** Producer side: `Nats-Msg-Id` de-duplicates a publish retried by the producer, and becomes the job id. */
export async function publishProductEvent(event: ProductEvent, eventId: string): Promise<void> {
  const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  await nc
    .jetstream()
    .publish(`catalog.product.${event.type}`, JSONCodec().encode(event), { msgID: eventId });
  await nc.close();
}

/** Stands in for a search engine client: an append-only file per workspace. */
function createIndex(dir: string) {
  return {
    async write(workspaceId: string, line: unknown): Promise<void> {
      await mkdir(dir, { recursive: true });
      await appendFile(join(dir, `${workspaceId}.ndjson`), `${JSON.stringify(line)}\n`);
    },
  };
}

export default defineWorker({
  name: 'indexer',
  source: jetstream({
    stream: 'CATALOG',
    consumer: 'indexer',
    filterSubject: 'catalog.product.>',
    ackWait: 60_000,
  }),
  concurrency: 8,
  retry: { attempts: 5, backoff: { type: 'exponential', delay: 1_000, maxDelay: 30_000 } },
  services: {
    index: ({ config }) => createIndex(process.env.INDEX_DIR ?? join(tmpdir(), `${config.name}-index`)),
  },
  context: (job: Job<ProductEvent>) => ({ workspaceId: job.data.workspaceId }),
  async handle(job: Job<ProductEvent>, { resolve, ctx, log }) {
    if (!job.data.productId) throw new NonRetriableError('event without productId'); // to INDEXER's CATALOG_DEAD stream
    await resolve('index').write(ctx.workspaceId, {
      ...job.data,
      indexedAt: new Date().toISOString(),
      subject: job.name,
    });
    log.debug({ productId: job.data.productId }, 'indexed');
  },
});
