// RabbitMQ: deliver webhooks. A 429 or 503 with Retry-After retries after the delay the receiver asked for;
// a 4xx other than 408/429 will never succeed, so it goes to the dead-letter queue at once.
import { Agent } from 'node:http';
import amqp from 'amqplib';
import { defineWorker, NonRetriableError, rabbitmq, RetryAfterError, type Job } from '@nightshift/worker';

export interface Webhook {
  workspaceId: string;
  url: string;
  event: string;
  payload: unknown;
}

/** Producer side: persistent JSON messages with a stable messageId (it becomes the job id). */
export async function publishWebhook(hook: Webhook, id: string): Promise<void> {
  const connection = await amqp.connect(process.env.AMQP_URL ?? 'amqp://127.0.0.1:5672');
  const channel = await connection.createConfirmChannel();
  await channel.assertQueue('webhooks', { durable: true });
  channel.sendToQueue('webhooks', Buffer.from(JSON.stringify(hook)), {
    contentType: 'application/json',
    messageId: id,
    persistent: true,
  });
  await channel.waitForConfirms();
  await connection.close();
}

export default defineWorker({
  name: 'webhooks',
  source: rabbitmq({ queue: 'webhooks' }), // prefetch = concurrency; retries via webhooks.retry.<ms>, dead letters in webhooks.dead
  concurrency: 20,
  timeout: 15_000,
  retry: { attempts: 8, backoff: { type: 'exponential', delay: 2_000, maxDelay: 10 * 60_000, jitter: 0.3 } },
  services: {
    // One keep-alive pool for the process, destroyed at shutdown (a `close`-less client, so wrap it).
    http: () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 50 });
      return { agent, dispose: () => agent.destroy() };
    },
  },
  context: (job: Job<Webhook>) => ({ workspaceId: job.data.workspaceId }),
  async handle(job: Job<Webhook>, { log, signal }) {
    const res = await fetch(job.data.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-webhook-id': job.id,
        'x-webhook-attempt': String(job.attempt),
      },
      body: JSON.stringify({ event: job.data.event, payload: job.data.payload }),
      signal, // fires on timeout or when the worker is stopping
    });
    if (res.ok) {
      log.info({ status: res.status }, 'delivered');
      return;
    }
    const retryAfter = Number(res.headers.get('retry-after'));
    if ((res.status === 429 || res.status === 503) && Number.isFinite(retryAfter)) {
      throw new RetryAfterError(retryAfter * 1000, `receiver asked to wait ${retryAfter} s`);
    }
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
      throw new NonRetriableError(`receiver refused the webhook: HTTP ${res.status}`);
    }
    throw new Error(`HTTP ${res.status}`); // retried with the exponential backoff
  },
});
