/**
 * The queue-adapter conformance suite: one set of behaviours every adapter must show against its real server.
 * Each adapter's test file calls {@link describeConformance} with a target that creates a fresh namespace
 * (queue, stream, key prefix) per test and removes it afterwards.
 */
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineWorker } from '../../src/definition.js';
import { NonRetriableError, RetryAfterError } from '../../src/control.js';
import type { Job, JobTools } from '../../src/index.js';
import { runWorker, type RunningWorker } from '../../src/run.js';
import { describeCircuitConformance } from './circuit.js';
import { sourceFor } from './targets.js';
import {
  SUITE_BACKOFF_MS,
  SUITE_RETRY_AFTER_MS,
  type ConformanceNamespace,
  type ConformanceTarget,
  type JobData,
} from './types.js';
import { deferred, openSockets, sleep, waitFor } from '../helpers/wait.js';

type Handler = (job: Job<JobData>, tools: JobTools) => unknown;

/** Registers the suite for one adapter. */
export function describeConformance(target: ConformanceTarget): void {
  describe(`${target.name} adapter conformance`, () => {
    let ns: ConformanceNamespace;
    let workers: RunningWorker[] = [];
    let sockets = 0;

    const start = async (
      handle: Handler,
      options: { concurrency?: number; attempts?: number; shutdownGrace?: number } = {},
    ) => {
      const def = defineWorker({
        name: `conformance-${target.name}`,
        source: sourceFor(ns.kind, ns.options),
        concurrency: options.concurrency ?? 4,
        shutdownGrace: options.shutdownGrace ?? 5000,
        retry: { attempts: options.attempts ?? 3, backoff: { type: 'fixed', delay: SUITE_BACKOFF_MS } },
        handle: handle,
      });
      const worker = await runWorker(def, {
        env: ns.env,
        handleSignals: false,
        logDestination: silent(),
        tracing: false,
      });
      workers.push(worker);
      return worker;
    };

    beforeEach(async () => {
      sockets = openSockets();
      workers = [];
      ns = await target.namespace();
    });

    afterEach(async () => {
      for (const worker of workers) if (worker.state !== 'stopped') await worker.kill();
      await ns.cleanup();
      // Leak check: every connection a worker opened is closed once it has stopped.
      await waitFor('sockets opened by the workers to close', () => openSockets() <= sockets, 5000);
    });

    it('delivers every job, exactly once when nothing fails, with attempt 1 and the queue trigger', async () => {
      const seen: number[] = [];
      const jobs: Job<JobData>[] = [];
      await ns.enqueue(range(30).map((n) => ({ n })));
      const worker = await start((job) => {
        seen.push(job.data.n);
        jobs.push(job);
      });
      await waitFor('30 jobs', () => seen.length >= 30);
      await worker.stop();
      expect([...seen].sort((a, b) => a - b)).toEqual(range(30));
      expect(new Set(jobs.map((job) => job.id)).size).toBe(30);
      expect(
        jobs.every((job) => job.attempt === 1 && job.trigger === 'queue' && job.queue === worker.queue),
      ).toBe(true);
      expect(await ns.deadLetters()).toEqual([]);
    });

    it('never runs more than `concurrency` jobs at once, and uses all of them', async () => {
      let running = 0;
      let peak = 0;
      let done = 0;
      await ns.enqueue(range(12).map((n) => ({ n })));
      const worker = await start(
        async () => {
          running += 1;
          peak = Math.max(peak, running);
          await sleep(60);
          running -= 1;
          done += 1;
        },
        { concurrency: 3 },
      );
      await waitFor('12 jobs', () => done >= 12);
      await worker.stop();
      expect(peak).toBe(3);
    });

    it('retries a failing job with backoff up to `attempts`, then dead-letters it', async () => {
      const runs: { attempt: number; at: number }[] = [];
      await ns.enqueue([{ n: 7 }]);
      const worker = await start((job) => {
        runs.push({ attempt: job.attempt, at: Date.now() });
        throw new Error('always fails');
      });
      await waitFor('a dead letter', async () => (await ns.deadLetters()).length === 1);
      await worker.stop();
      expect(runs.map((run) => run.attempt)).toEqual([1, 2, 3]);
      for (let i = 1; i < runs.length; i++)
        expect(runs[i]!.at - runs[i - 1]!.at).toBeGreaterThanOrEqual(SUITE_BACKOFF_MS - 5);
      expect(await ns.deadLetters()).toEqual([{ n: 7 }]);
      const failed = await metric(worker, 'failed');
      expect(failed).toBe(1);
      expect(await metric(worker, 'retried')).toBe(2);
    });

    it('acks a job that succeeds on its last attempt', async () => {
      const attempts: number[] = [];
      await ns.enqueue([{ n: 1 }]);
      const worker = await start((job) => {
        attempts.push(job.attempt);
        if (job.attempt < 3) throw new Error(`flaky ${job.attempt}`);
      });
      await waitFor('the third attempt', () => attempts.length >= 3);
      await worker.stop();
      expect(attempts).toEqual([1, 2, 3]);
      expect(await ns.deadLetters()).toEqual([]);
      expect(await metric(worker, 'completed')).toBe(1);
    });

    it('dead-letters a NonRetriableError at once, skipping the attempts left', async () => {
      const attempts: number[] = [];
      await ns.enqueue([{ n: 2 }]);
      const worker = await start((job) => {
        attempts.push(job.attempt);
        throw new NonRetriableError('bad payload');
      });
      await waitFor('a dead letter', async () => (await ns.deadLetters()).length === 1);
      await sleep(SUITE_BACKOFF_MS * 3);
      await worker.stop();
      expect(attempts).toEqual([1]);
    });

    it('waits the RetryAfterError delay before the next attempt', async () => {
      const runs: { attempt: number; at: number }[] = [];
      await ns.enqueue([{ n: 3 }]);
      const worker = await start((job) => {
        runs.push({ attempt: job.attempt, at: Date.now() });
        if (job.attempt === 1) throw new RetryAfterError(SUITE_RETRY_AFTER_MS, 'rate limited');
      });
      await waitFor('the second attempt', () => runs.length >= 2);
      await worker.stop();
      expect(runs.map((run) => run.attempt)).toEqual([1, 2]);
      expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(SUITE_RETRY_AFTER_MS - 5);
    });

    it('delivers a job again when the worker running it dies (at-least-once)', async () => {
      const started = deferred();
      const firstRuns: number[] = [];
      await ns.enqueue([{ n: 9 }]);
      const doomed = await start(async (job) => {
        firstRuns.push(job.attempt);
        started.resolve();
        await new Promise(() => undefined); // hangs until the worker is killed
      });
      await started.promise;
      await doomed.kill();
      const secondRuns: Job<JobData>[] = [];
      const survivor = await start((job) => {
        secondRuns.push(job);
      });
      await waitFor('the redelivery', () => secondRuns.length >= 1, 15_000);
      await survivor.stop();
      expect(firstRuns).toHaveLength(1);
      expect(secondRuns.map((job) => job.data)).toEqual([{ n: 9 }]);
    });

    it('stop() lets jobs in flight finish and settle: none is lost or run twice', async () => {
      const gate = deferred();
      let started = 0;
      const finished: number[] = [];
      await ns.enqueue(range(3).map((n) => ({ n })));
      const first = await start(
        async (job) => {
          started += 1;
          await gate.promise;
          finished.push(job.data.n);
        },
        { concurrency: 3 },
      );
      await waitFor('3 jobs in flight', () => started === 3);
      const stopping = first.stop();
      expect(first.state).toBe('draining');
      // Finish only once the source has stopped fetching, so the settlements race the connection's close.
      await sleep(100);
      gate.resolve();
      await stopping;
      expect([...finished].sort()).toEqual([0, 1, 2]);
      // A new worker must find nothing left to run (the stopped one settled all three).
      const again: number[] = [];
      const second = await start((job) => {
        again.push(job.data.n);
      });
      await ns.enqueue([{ n: 99 }]);
      await waitFor('the marker job', () => again.includes(99));
      await sleep(1500); // longer than every target's redelivery time
      await second.stop();
      expect(again).toEqual([99]);
    });
  });
  describeCircuitConformance(target);
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

async function metric(worker: RunningWorker, outcome: string): Promise<number> {
  const series = (await worker.registry.getSingleMetric('nightshift_jobs_total')?.get())?.values ?? [];
  return series.find((value) => value.labels.outcome === outcome)?.value ?? 0;
}

function silent(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}
