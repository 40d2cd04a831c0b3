/**
 * The circuit breaker's part of the conformance suite: the same outage on every adapter's real server. A handler
 * calls a local HTTP dependency that the test stops; the breaker must open after `failures`, take nothing while
 * open (the server's backlog does not move), let one trial through per cooldown, and drain the backlog once the
 * dependency is back, with every job served exactly once and none dead-lettered.
 */
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineWorker } from '../../src/definition.js';
import { runWorker, type RunningWorker } from '../../src/run.js';
import { startDependency, type Dependency } from '../helpers/dependency.js';
import { deferred, openSockets, sleep, waitFor } from '../helpers/wait.js';
import { sourceFor } from './targets.js';
import {
  SUITE_BACKOFF_MS,
  type ConformanceNamespace,
  type ConformanceTarget,
  type JobData,
} from './types.js';

const FAILURES = 3;
const COOLDOWN_MS = 1500;

/** Registers the breaker conformance tests for one adapter. */
export function describeCircuitConformance(target: ConformanceTarget): void {
  describe(`${target.name} adapter conformance: circuit breaker`, () => {
    let ns: ConformanceNamespace;
    let dependency: Dependency;
    let worker: RunningWorker | undefined;
    let sockets = 0;

    beforeEach(async () => {
      sockets = openSockets();
      ns = await target.namespace();
      dependency = await startDependency();
    });

    afterEach(async () => {
      if (worker && worker.state !== 'stopped') await worker.kill();
      await dependency.stop();
      await ns.cleanup();
      await waitFor('sockets opened by the worker to close', () => openSockets() <= sockets, 5000);
    });

    it('opens after `failures` while a dependency is down, takes no job while open, drains after', async () => {
      const calls: number[] = [];
      const def = defineWorker({
        name: `circuit-${target.name}`,
        source: sourceFor(ns.kind, ns.options),
        concurrency: 1,
        // Attempts enough that no job is dead-lettered by the outage: the breaker, not the budget, must stop it.
        retry: { attempts: 100, backoff: { type: 'fixed', delay: SUITE_BACKOFF_MS } },
        circuitBreaker: { failures: FAILURES, window: '10s', cooldown: COOLDOWN_MS },
        async handle(job: { data: JobData }) {
          calls.push(job.data.n);
          await dependency.call(job.data.n);
        },
      });
      worker = await runWorker(def, {
        env: ns.env,
        handleSignals: false,
        logDestination: silent(),
        tracing: false,
      });
      const running = worker;

      await ns.enqueue(range(0, 3));
      await waitFor('3 jobs served', () => dependency.served.size === 3);
      expect(await circuitState(running)).toBe('closed');

      await dependency.stop();
      await ns.enqueue(range(3, 23));
      await waitFor('the breaker to open', async () => (await circuitState(running)) === 'open');
      expect(calls.length - 3).toBe(FAILURES);
      expect(await metricValue(running, 'nightshift_circuit_opened_total')).toBe(1);

      // Open: the worker takes nothing; all 20 jobs wait on the server (retries back from their short delay).
      await waitFor('the failed jobs back in the backlog', async () => (await ns.backlog()) === 20, 1000);
      const taken = calls.length;
      await sleep(600);
      expect(calls.length).toBe(taken);
      expect(await ns.backlog()).toBe(20);

      // After the cooldown one trial job runs; the dependency is still down, so the breaker opens again.
      await waitFor('the trial job', () => calls.length === taken + 1, COOLDOWN_MS + 3000);
      await waitFor(
        'the breaker to reopen',
        async () => (await metricValue(running, 'nightshift_circuit_opened_total')) === 2,
      );
      await sleep(300);
      expect(calls.length).toBe(taken + 1);

      await dependency.start();
      await waitFor('every job served', () => dependency.served.size === 23, COOLDOWN_MS + 15_000);
      expect(await circuitState(running)).toBe('closed');
      await waitFor('an empty backlog', async () => (await ns.backlog()) === 0, 3000);
      await sleep(300); // a job run twice would call the dependency again by now
      await running.stop();
      expect([...dependency.served.keys()].sort((a, b) => a - b)).toEqual(range(0, 23).map((d) => d.n));
      expect([...dependency.served.values()].every((count) => count === 1)).toBe(true);
      expect(await ns.deadLetters()).toEqual([]);
    });

    it('lets the jobs it holds finish when it opens: they settle once, nothing is lost or failed for it', async () => {
      let down = true;
      const gate = deferred();
      const calls: number[] = [];
      const cooldownMs = 2500; // long enough to watch the open state after the held job settles
      const def = defineWorker({
        name: `circuit-held-${target.name}`,
        source: sourceFor(ns.kind, ns.options),
        concurrency: 4,
        retry: { attempts: 100, backoff: { type: 'fixed', delay: SUITE_BACKOFF_MS } },
        circuitBreaker: { failures: FAILURES, window: '10s', cooldown: cooldownMs },
        async handle(job: { data: JobData }) {
          calls.push(job.data.n);
          // Job 0 is slow and fine: it is in flight when the others open the breaker.
          if (job.data.n === 0) await gate.promise;
          else if (down) throw new Error('the dependency is down');
          await dependency.call(job.data.n);
        },
      });
      worker = await runWorker(def, {
        env: ns.env,
        handleSignals: false,
        logDestination: silent(),
        tracing: false,
      });
      const running = worker;
      await ns.enqueue(range(0, 13));

      await waitFor('the breaker to open', async () => (await circuitState(running)) === 'open');
      expect(calls).toContain(0);
      await sleep(300); // jobs taken before the pause settle (their failures no longer count)
      const taken = calls.length;
      await sleep(400);
      expect(calls.length).toBe(taken);
      expect(running.inFlight).toBe(1); // job 0, still held

      gate.resolve();
      await waitFor('the held job served', () => dependency.served.get(0) === 1);
      await waitFor('the held job settled', () => running.inFlight === 0);
      // Its success says nothing of the dependency now: the breaker stays open, the rest waits on the server.
      expect(await circuitState(running)).toBe('open');
      await waitFor('the other 12 waiting on the server', async () => (await ns.backlog()) === 12, 1500);
      expect(calls.length).toBe(taken);

      down = false;
      await waitFor('every job served', () => dependency.served.size === 13, cooldownMs + 15_000);
      await waitFor('an empty backlog', async () => (await ns.backlog()) === 0, 3000);
      await sleep(300);
      await running.stop();
      expect([...dependency.served.values()].every((count) => count === 1)).toBe(true);
      expect(await metricValue(running, 'nightshift_circuit_opened_total')).toBe(1);
      expect(await ns.deadLetters()).toEqual([]);
    });
  });
}

function range(from: number, to: number): JobData[] {
  return Array.from({ length: to - from }, (_, i) => ({ n: from + i }));
}

async function circuitState(worker: RunningWorker): Promise<string | undefined> {
  const series = (await worker.registry.getSingleMetric('nightshift_circuit_state')?.get())?.values ?? [];
  return series.find((value) => value.value === 1)?.labels.state as string | undefined;
}

async function metricValue(worker: RunningWorker, name: string): Promise<number | undefined> {
  return (await worker.registry.getSingleMetric(name)?.get())?.values[0]?.value;
}

function silent(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}
