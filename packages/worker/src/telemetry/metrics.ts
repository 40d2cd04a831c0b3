/**
 * The worker's Prometheus series, in a registry of its own (two workers in one process, or a test, never share
 * counters): jobs by outcome, job duration, jobs in flight.
 *
 * The per-job path only bumps plain numbers; the series are rendered from them when the registry is scraped.
 * prom-client's labelled `inc`/`observe` hash their labels on every call, which at tens of thousands of jobs per
 * second was a measurable share of the SDK's overhead (see bench/worker-bullmq.bench.mjs).
 */
import type { Metric, Registry } from 'prom-client';

/** How a run ended: done, sent back for another attempt, or failed for good (dead-lettered). */
export type Outcome = 'completed' | 'retried' | 'failed';

/** One sample as prom-client's registry renders it (`metricName` for histogram parts). */
export interface Sample {
  readonly metricName?: string;
  readonly labels: Record<string, string | number>;
  readonly value: number;
}

/** The series of one queue. */
export interface QueueMetrics {
  readonly registry: Registry;
  started(): void;
  finished(outcome: Outcome, seconds: number): void;
}

// Jobs range from milliseconds (cache refresh) to minutes (exports): the default buckets stop at 10 s.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/**
 * Registers the SDK's series in `registry` for `queue`.
 *
 * @example
 * const metrics = createQueueMetrics(new Registry(), 'emails');
 * metrics.started(); metrics.finished('completed', 0.012);
 */
export function createQueueMetrics(registry: Registry, queue: string): QueueMetrics {
  const outcomes: Record<Outcome, number> = { completed: 0, retried: 0, failed: 0 };
  const buckets = new Float64Array(BUCKETS.length + 1); // per bucket, not cumulative; the last is +Inf
  let sum = 0;
  let count = 0;
  let inFlight = 0;

  registerSeries(
    registry,
    'nightshift_jobs_total',
    'Jobs run by this worker, by outcome (completed, retried, failed).',
    'counter',
    () =>
      (Object.keys(outcomes) as Outcome[]).map((outcome) => ({
        labels: { queue, outcome },
        value: outcomes[outcome],
      })),
  );
  registerSeries(
    registry,
    'nightshift_job_duration_seconds',
    'Time from a job starting to its settlement, in seconds.',
    'histogram',
    () => {
      const values: Sample[] = [];
      let cumulative = 0;
      for (let i = 0; i <= BUCKETS.length; i++) {
        cumulative += buckets[i]!;
        const le = i < BUCKETS.length ? BUCKETS[i]! : '+Inf';
        values.push({
          metricName: 'nightshift_job_duration_seconds_bucket',
          labels: { queue, le },
          value: cumulative,
        });
      }
      values.push({ metricName: 'nightshift_job_duration_seconds_sum', labels: { queue }, value: sum });
      values.push({ metricName: 'nightshift_job_duration_seconds_count', labels: { queue }, value: count });
      return values;
    },
  );
  registerSeries(registry, 'nightshift_jobs_in_flight', 'Jobs running now.', 'gauge', () => [
    { labels: { queue }, value: inFlight },
  ]);

  return {
    registry,
    started() {
      inFlight += 1;
    },
    finished(outcome, seconds) {
      inFlight -= 1;
      outcomes[outcome] += 1;
      let i = 0;
      while (i < BUCKETS.length && seconds > BUCKETS[i]!) i++;
      buckets[i]! += 1;
      sum += seconds;
      count += 1;
    },
  };
}

/**
 * Registers a series whose values are computed at scrape time: the registry only needs `name`, `help`, `type`
 * and an async `get()` (and `reset()`), so a plain object takes the place of a prom-client metric class.
 */
export function registerSeries(
  registry: Registry,
  name: string,
  help: string,
  type: 'counter' | 'gauge' | 'histogram',
  values: () => Sample[],
): void {
  const metric = {
    name,
    help,
    type,
    aggregator: 'sum',
    get: () => Promise.resolve({ name, help, type, aggregator: 'sum', values: values() }),
    reset: () => undefined,
  };
  registry.registerMetric(metric as unknown as Metric);
}
