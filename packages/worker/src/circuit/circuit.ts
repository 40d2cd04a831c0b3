/**
 * The circuit breaker's shell: feeds job starts, settlements and cooldown ticks to the pure state machine
 * (`breaker.ts`) and applies the capacity it asks for to the source (`QueueAdapter.limit`), logs each change and
 * exposes the state as metrics. A settlement's transition, and the source's pause it may cause, complete before
 * the settlement reaches the queue: a source that fetches the next job when one is acked (BullMQ, RabbitMQ's
 * prefetch) is paused before that ack can let another job in.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { describeError } from '../errors.js';
import type { Job } from '../job/types.js';
import type { Settlement } from '../retry.js';
import type { Settle } from '../sources/types.js';
import { registerSeries } from '../telemetry/metrics.js';
import {
  CLOSED,
  nextTick,
  transition,
  type BreakerEvent,
  type BreakerPolicy,
  type BreakerState,
} from './breaker.js';

/** What the shell needs: the policy, the source to throttle, and where to report. */
export interface CircuitParts {
  readonly policy: BreakerPolicy;
  readonly concurrency: number;
  /** The source's queue name (the metrics' `queue` label). */
  readonly queue: string;
  /** The source's throttle: `QueueAdapter.limit`. */
  readonly limit: (capacity: number) => Promise<void>;
  readonly log: Logger;
  readonly registry: Registry;
  /** A monotonic clock in milliseconds (default `performance.now`). */
  readonly now?: () => number;
}

/** A running breaker. */
export interface Circuit {
  readonly state: BreakerState['name'];
  /** Runs one job through the breaker: `run` is the job runner, `settle` the source's settlement. */
  process(job: Job, settle: Settle, run: (job: Job, settle: Settle) => Promise<void>): Promise<void>;
  /** Stops the cooldown timer and leaves the source alone from now on (the worker is stopping). */
  dispose(): void;
}

const STATES: readonly BreakerState['name'][] = ['closed', 'open', 'half-open'];

/**
 * Starts a breaker in the closed state.
 *
 * @example
 * const circuit = createCircuit({ policy, concurrency: 5, adapter, log, registry });
 * await circuit.process(job, settle, (job, settle) => runner.process(job, settle));
 */
export function createCircuit(parts: CircuitParts): Circuit {
  const { policy, queue, log, concurrency } = parts;
  const now = parts.now ?? (() => performance.now());
  let state: BreakerState = CLOSED;
  let opened = 0;
  let timer: NodeJS.Timeout | undefined;
  let disposed = false;
  // Capacity changes are applied one after another, in the order the machine asked for them.
  let applying = Promise.resolve();

  registerSeries(
    parts.registry,
    'nightshift_circuit_state',
    'Circuit breaker state of this worker: 1 for the current state (closed, open, half-open), 0 for the others.',
    'gauge',
    () =>
      STATES.map((name) => ({ labels: { queue: queue, state: name }, value: name === state.name ? 1 : 0 })),
  );
  registerSeries(
    parts.registry,
    'nightshift_circuit_opened_total',
    'Times the circuit breaker opened (a failed trial counts again).',
    'counter',
    () => [{ labels: { queue: queue }, value: opened }],
  );

  const limit = (capacity: 'none' | 'trial' | 'full'): Promise<void> => {
    const jobs = capacity === 'none' ? 0 : capacity === 'trial' ? 1 : concurrency;
    applying = applying
      .then(() => (disposed ? undefined : parts.limit(jobs)))
      .catch((error: unknown) =>
        log.error(
          { err: error, queue: queue },
          `circuit breaker: limiting the source to ${jobs} failed: ${describeError(error)}`,
        ),
      );
    return applying;
  };

  const report = (from: BreakerState): void => {
    const to = state;
    if (to.name === 'open') {
      opened += 1;
      const why =
        from.name === 'half-open'
          ? 'the trial job failed'
          : `${policy.failures} job(s) failed within ${policy.windowMs} ms`;
      log.warn(
        { queue: queue, circuit: 'open', cooldownMs: policy.cooldownMs },
        `circuit breaker open: ${why}; taking no new jobs for ${policy.cooldownMs} ms`,
      );
    } else if (to.name === 'half-open') {
      log.info(
        { queue: queue, circuit: 'half-open' },
        'circuit breaker half-open: letting one trial job through',
      );
    } else {
      log.info({ queue: queue, circuit: 'closed' }, 'circuit breaker closed: the trial job succeeded');
    }
  };

  const arm = (): void => {
    clearTimeout(timer);
    timer = undefined;
    const at = nextTick(state, policy);
    if (at === undefined || disposed) return;
    // A timer that fires early (Node arms timers from the loop's cached time) ticks into the same state and re-arms.
    timer = setTimeout(() => void step({ type: 'tick' }), Math.max(1, Math.ceil(at - now())));
  };

  const step = async (event: BreakerEvent): Promise<void> => {
    const from = state;
    const next = transition(state, event, now(), policy);
    state = next.state;
    if (state.name !== from.name) report(from);
    if (next.capacity) await limit(next.capacity);
    if (state !== from || event.type === 'tick') arm();
  };

  return {
    get state() {
      return state.name;
    },
    process(job, settle, run) {
      void step({ type: 'started', job: job.id });
      return run(job, async (settlement: Settlement) => {
        await step({ type: 'settled', job: job.id, ok: settlement.kind === 'ack' });
        await settle(settlement);
      });
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
