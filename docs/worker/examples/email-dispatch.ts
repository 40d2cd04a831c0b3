// The e-mail dispatch worker on the SDK: BullMQ queue `email-dispatch`, an SMTP transport created once per
// process, a per-job delivery log, and retries that know a bounced address from a busy server.
import { createTransport, type Transporter } from 'nodemailer';
import { bullmq, defineWorker, NonRetriableError, RetryAfterError, type Job } from '@nightshift/worker';

export interface EmailJob {
  workspaceId: string;
  template: 'welcome' | 'invoice' | 'password-reset';
  to: string;
  variables: Record<string, string>;
}

/** Renders a template; a real app would use its template engine. */
export function render(job: EmailJob): { subject: string; text: string } {
  const subjects = {
    welcome: 'Welcome aboard',
    invoice: 'Your invoice',
    'password-reset': 'Reset your password',
  };
  const body = Object.entries(job.variables)
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n');
  return { subject: subjects[job.template], text: body };
}

/** The sender: wraps the transport so handlers (and tests) depend on one small method. */
export function createSender(transport: Pick<Transporter, 'sendMail' | 'close'>, from: string) {
  return {
    send: (to: string, message: { subject: string; text: string }, headers: Record<string, string>) =>
      transport.sendMail({ from, to, ...message, headers }),
    close: () => transport.close(), // called once, at shutdown
  };
}

export default defineWorker({
  name: 'emails',
  // Queue name from QUEUE_NAME (the manifest sets it), Redis from REDIS_URL, prefix `<app>:bull`.
  source: bullmq({ queue: 'email-dispatch' }),
  concurrency: 5, // WORKER_CONCURRENCY overrides it
  timeout: 30_000,
  retry: { attempts: 5, backoff: { type: 'exponential', delay: 10_000, maxDelay: 15 * 60_000, jitter: 0.2 } },
  services: {
    sender: () =>
      createSender(
        createTransport(process.env.SMTP_URL ?? 'smtp://127.0.0.1:1025', { pool: true, maxConnections: 5 }),
        process.env.MAIL_FROM ?? 'no-reply@example.com',
      ),
  },
  jobServices: {
    // Per job: collects what happened and writes one summary line when the job's scope is disposed.
    delivery: ({ log }) => {
      const events: string[] = [];
      return {
        note: (event: string) => events.push(event),
        dispose: () => log.info({ events }, 'delivery summary'),
      };
    },
  },
  context: (job: Job<EmailJob>) => ({ workspaceId: job.data.workspaceId }),
  async handle(job: Job<EmailJob>, { resolve, log }) {
    const delivery = resolve('delivery');
    if (!/^[^@\s]+@[^@\s]+$/.test(job.data.to))
      throw new NonRetriableError(`not an e-mail address: ${job.data.to}`);
    delivery.note(`attempt ${job.attempt}`);
    try {
      const info = await resolve('sender').send(job.data.to, render(job.data), { 'X-Job-Id': job.id });
      delivery.note(`accepted as ${info.messageId}`);
      if (info.rejected.length > 0)
        throw new NonRetriableError(`recipient rejected: ${info.rejected.join(', ')}`);
      return { messageId: info.messageId };
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      if (code === 421 || code === 450 || code === 451)
        throw new RetryAfterError(60_000, `SMTP ${code}: try later`, { cause: error });
      if (code !== undefined && code >= 500)
        throw new NonRetriableError(`SMTP ${code}: permanent failure`, { cause: error });
      log.warn({ err: error }, 'send failed, will retry');
      throw error;
    }
  },
});
