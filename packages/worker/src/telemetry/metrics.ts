/**
 * The worker's Prometheus series, in a registry of its own (two workers in one process, or a test, never share
 * counters): jobs by outcome, job duration, jobs in flight.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How a run ended: done, sent back for another attempt, or failed for good (dead-lettered). */
export type Outcome = 'completed' | 'retried' | 'failed';

/** The series of one queue, with label values bound once (the per-job path does no label hashing). */
export interface QueueMetrics {
  readonly registry: Registry;
  started(): void;
  finished(outcome: Outcome, seconds: number): void;
}

// Jobs range from milliseconds (cache refresh) to minutes (exports): the default buckets stop at 10 s.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/**
 * Registers the SDK's series in `registry` and binds them to `queue`.
 *
 * @example
 * const metrics = createQueueMetrics(new Registry(), 'emails');
 * metrics.started(); metrics.finished('completed', 0.012);
 */
export function createQueueMetrics(registry: Registry, queue: string): QueueMetrics {
  const jobs = new Counter({
    name: 'nightshift_jobs_total',
    help: 'Jobs run by this worker, by outcome (completed, retried, failed).',
    labelNames: ['queue', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'nightshift_job_duration_seconds',
    help: 'Time from a job starting to its settlement, in seconds.',
    labelNames: ['queue'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'nightshift_jobs_in_flight',
    help: 'Jobs running now.',
    labelNames: ['queue'] as const,
    registers: [registry],
  });
  const byOutcome = {
    completed: jobs.labels(queue, 'completed'),
    retried: jobs.labels(queue, 'retried'),
    failed: jobs.labels(queue, 'failed'),
  };
  const durationOf = duration.labels(queue);
  const flying = inFlight.labels(queue);
  flying.set(0);
  return {
    registry,
    started: () => flying.inc(),
    finished(outcome, seconds) {
      flying.dec();
      byOutcome[outcome].inc();
      durationOf.observe(seconds);
    },
  };
}
