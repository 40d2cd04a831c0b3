// BullMQ with a circuit breaker: invoices are pushed to an accounting API. When that API is down every job
// would fail, burn an attempt and land in the failed set; the breaker stops taking jobs instead, so the backlog
// waits in the queue, and the worker tries one job a minute until the API answers again.
import { bullmq, defineWorker, type Job } from '@nightshift/worker';

export interface Invoice {
  id: string;
  tenant: string;
  totalCents: number;
}

export default defineWorker({
  name: 'invoices',
  source: bullmq({ queue: 'invoices' }),
  concurrency: 10,
  retry: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 } },
  // 10 failed jobs within 30 s: take nothing for 60 s, then one trial job; its success resumes the flow.
  circuitBreaker: { failures: 10, window: '30s', cooldown: '60s' },
  async handle(job: Job<Invoice>, { signal }) {
    const res = await fetch(`${process.env.ACCOUNTING_URL}/invoices/${job.data.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'idempotency-key': job.id },
      body: JSON.stringify(job.data),
      signal,
    });
    if (!res.ok) throw new Error(`accounting answered ${res.status}`);
  },
});
