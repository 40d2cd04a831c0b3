/**
 * In-process schedule source (croner): each slot of a cron expression becomes one job with trigger `schedule`.
 * For apps that want a scheduler inside a long-running worker; cron jobs the daemon runs as processes are a
 * different thing (the manifest's `cron`). A slot that comes while `concurrency` runs are still going is skipped
 * and logged, never queued. Retries wait in a timer of this process: a stop drops the ones still waiting.
 */
import { Cron } from 'croner';
import { WorkerError } from '../errors.js';
import type { Job } from '../job/types.js';
import type { QueueAdapter, SourceSpec } from './types.js';

/** Options of {@link schedule}. */
export interface ScheduleSourceOptions {
  /** The `queue` of the jobs and of the metrics (default: the expression). */
  readonly name?: string;
  /** IANA time zone of the expression (default `UTC`). */
  readonly timezone?: string;
  /** Payload of every run (default `{ scheduledAt }`, the slot as an ISO string). */
  readonly data?: unknown;
}

/**
 * Runs the handler on a cron schedule (5 fields, or 6 with seconds first; nicknames like `@hourly`).
 *
 * @example
 * defineWorker({ name: 'cleanup', source: schedule('*\/15 * * * *', { name: 'cleanup' }), handle: purgeExpired });
 */
export function schedule(expression: string, options: ScheduleSourceOptions = {}): SourceSpec {
  const timezone = options.timezone ?? 'UTC';
  try {
    new Cron(expression, { paused: true, timezone }).stop();
  } catch (error) {
    throw new WorkerError(
      'NS_WORKER_DEFINITION_INVALID',
      `schedule("${expression}"): ${error instanceof Error ? error.message : String(error)}`,
      'use 5 fields (minute hour day month weekday), 6 with seconds first, or a nickname such as @hourly',
      { cause: error },
    );
  }
  const name = options.name ?? expression;
  return {
    kind: 'schedule',
    create({ log }) {
      let cron: Cron | undefined;
      let running = 0;
      const retries = new Set<NodeJS.Timeout>();

      const adapter: QueueAdapter = {
        kind: 'schedule',
        queue: name,
        start(consumer) {
          const run = (slot: Date, attempt: number): void => {
            running += 1;
            const job: Job = {
              id: `${name}@${slot.toISOString()}`,
              name,
              data: options.data ?? { scheduledAt: slot.toISOString() },
              queue: name,
              attempt,
              trigger: 'schedule',
              enqueuedAt: slot,
            };
            void consumer.process(job, (settlement) => {
              running -= 1;
              if (settlement.kind !== 'retry' || !cron) return Promise.resolve();
              const timer = setTimeout(() => {
                retries.delete(timer);
                run(slot, attempt + 1);
              }, settlement.delayMs);
              retries.add(timer);
              return Promise.resolve();
            });
          };
          cron = new Cron(expression, { timezone }, (self: Cron) => {
            const slot = self.currentRun() ?? new Date();
            if (running >= consumer.concurrency) {
              log.warn(
                { queue: name, slot: slot.toISOString(), running },
                `schedule ${name}: slot ${slot.toISOString()} skipped, ${running} run(s) still going`,
              );
              return;
            }
            run(slot, 1);
          });
          return Promise.resolve();
        },
        stop() {
          cron?.stop();
          cron = undefined;
          if (retries.size > 0)
            log.warn(
              { queue: name, dropped: retries.size },
              `schedule ${name}: ${retries.size} pending retr${retries.size === 1 ? 'y' : 'ies'} dropped by the stop`,
            );
          for (const timer of retries) clearTimeout(timer);
          retries.clear();
          return Promise.resolve();
        },
        close() {
          return adapter.stop();
        },
        health: () => ({
          connected: true,
          detail: cron ? `next ${cron.nextRun()?.toISOString() ?? 'never'}` : 'stopped',
        }),
      };
      return Promise.resolve(adapter);
    },
  };
}
