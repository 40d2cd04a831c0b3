import { describe, expect, it } from 'vitest';
import type { ProcessSpec } from '@nightshift/manifest';
import {
  Autoscaler,
  AutoscaleBounds,
  AutoscaleWindows,
  type ReplicaReading,
} from '../../src/autoscale/index.js';
import { EventBus } from '../../src/events/index.js';
import { openDb, type Db } from '../../src/store/index.js';
import type { DaemonEvent } from '../../src/events/types.js';
import type { Timer } from '../../src/runtime/timers.js';

const PERIOD = 15_000;
const WINDOW = 5 * 60_000;

/** A worker with `autoscale: { min: 1, max: 4, cpu: 50 }` and `resources.cpu: 0.25`. */
function worker(queue: boolean): ProcessSpec {
  return {
    kind: 'worker',
    name: 'burn',
    resources: { cpu: 0.25, memory: null },
    replicas: null,
    autoscale: {
      min: queue ? 0 : 1,
      max: 4,
      cpu: queue ? null : 50,
      memory: null,
      queue: queue ? { kind: 'bullmq', name: 'jobs', target: 100 } : null,
      scaleDownAfterMs: WINDOW,
    },
  } as unknown as ProcessSpec;
}

/**
 * A simulated app under an injected clock: `desired` replicas run at once, each using `load` cores up to
 * its request (the cgroup's CPU limit); the timers fire when the test moves the clock.
 */
function world(proc: ProcessSpec, restart: { db: Db; at: number } | null = null) {
  // A restarted daemon: the wall clock goes on, its monotonic clock starts again from 0.
  const bootedAt = restart?.at ?? 0;
  let now = bootedAt;
  const pending: { at: number; fn: () => void }[] = [];
  const state = { desired: proc.autoscale!.min, load: 0, queue: 0 as number | Error, now: () => now };
  const events: DaemonEvent[] = [];
  const bus = new EventBus(
    (e) => (events.push(e), events.length),
    (err) => {
      throw err;
    },
  );
  const clock = { now: () => now, monotonic: () => now - bootedAt };
  const autoscaler = new Autoscaler({
    clock,
    timers: {
      after(ms, fn): Timer {
        const entry = { at: now + ms, fn };
        pending.push(entry);
        return { cancel: () => void pending.splice(pending.indexOf(entry), 1) };
      },
    },
    bus,
    periodMs: PERIOD,
    bounds: new AutoscaleBounds(openDb(':memory:')),
    ...(restart && { windows: new AutoscaleWindows(restart.db, clock) }),
    apps: () => ['shop'],
    processSpecs: () => [proc],
    formation: () => ({ desired: state.desired, stopped: false }),
    replicas: (): ReplicaReading[] =>
      Array.from({ length: state.desired }, () => ({
        process: 'burn',
        state: 'running',
        usage: { cpuPercent: Math.min(state.load, 0.25) * 100, memoryBytes: 1 << 20 },
      })),
    queueDepth: () =>
      state.queue instanceof Error ? Promise.reject(state.queue) : Promise.resolve(state.queue),
    apply: (_app, _process, decision) => {
      state.desired = decision.to;
      bus.emit({
        type: 'process:autoscaled',
        app: 'shop',
        process: 'burn',
        message: '',
        data: { ...decision, signals: [], min: 0, max: 4 },
      });
      return Promise.resolve();
    },
    onError: (err) => {
      throw err;
    },
  });
  /** Moves the clock by whole periods, running each period's tick to its end. */
  const periods = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const next = pending.sort((a, b) => a.at - b.at).shift();
      if (!next) throw new Error('no period armed');
      now = next.at;
      next.fn();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { state, events, autoscaler, periods };
}

describe('the autoscale loop (injected clock)', () => {
  it('a CPU-burning worker scales up within two periods and down only after the window', async () => {
    const w = world(worker(false));
    w.autoscaler.start();
    w.state.load = 1; // a busy loop: each replica is held at its 0.25-core limit, 200 % of the 50 % target
    await w.periods(1);
    expect(w.state.desired).toBe(2);
    await w.periods(1);
    expect(w.state.desired).toBe(4);
    const upAt = w.state.now();

    w.state.load = 0.01;
    // Just short of the window after the last busy period: the count holds.
    await w.periods(WINDOW / PERIOD - 1);
    expect(w.state.now() - upAt).toBe(WINDOW - PERIOD);
    expect(w.state.desired).toBe(4);
    await w.periods(2);
    expect(w.state.desired).toBe(1);
    const changes = w.events.flatMap((e) =>
      e.type === 'process:autoscaled' ? [e.data as { from: number; to: number }] : [],
    );
    expect(changes.map((d) => `${d.from}→${d.to}`)).toEqual(['1→2', '2→4', '4→1']);
    await w.autoscaler.stop();
  });

  it('a restarted daemon holds a scale-down for the rest of the window its predecessor stored', async () => {
    const db = openDb(':memory:');
    const first = world(worker(false), { db, at: 1_000_000 });
    first.autoscaler.start();
    first.state.load = 1;
    await first.periods(2);
    expect(first.state.desired).toBe(4);
    const upAt = first.state.now();
    first.state.load = 0.01;
    await first.periods(3); // the count holds; then the daemon dies (kill -9: no stop, no final write)

    const crashAt = first.state.now() + 1_000;
    const restarted = (persisted: boolean) => {
      const w = world(worker(false), persisted ? { db, at: crashAt } : null);
      w.state.desired = 4; // the stored count, restored
      w.state.load = 0.01;
      return w;
    };
    // Without the stored window a restart scales down at once (the HPA's behaviour after a controller restart).
    const forgetful = restarted(false);
    forgetful.autoscaler.start();
    await forgetful.periods(1);
    expect(forgetful.state.desired).toBe(1);

    const next = restarted(true);
    next.autoscaler.start();
    await next.periods(1);
    expect(next.state.desired).toBe(4);
    // It goes down once the window since the last busy period has passed, on the wall clock.
    while (next.state.now() - upAt < WINDOW) {
      expect(next.state.desired).toBe(4);
      await next.periods(1);
    }
    await next.periods(1);
    expect(next.state.desired).toBe(1);
    await next.autoscaler.stop();
  });

  it('scales a queue to zero and back to one within a period; an unreadable queue holds the count, one event per outage', async () => {
    const w = world(worker(true));
    w.state.desired = 1;
    w.autoscaler.start();
    await w.periods(1);
    expect(w.state.desired).toBe(0);
    w.state.queue = 1;
    await w.periods(1);
    expect(w.state.desired).toBe(1);
    w.state.queue = 1000;
    await w.periods(3);
    expect(w.state.desired).toBe(4);

    w.state.queue = new Error('connect ECONNREFUSED');
    await w.periods(4);
    expect(w.state.desired).toBe(4);
    expect(w.events.filter((e) => e.type === 'autoscale:signal-failed')).toHaveLength(1);
    expect(w.autoscaler.status('shop')[0]?.failing?.error).toContain('ECONNREFUSED');
    w.state.queue = 1000;
    await w.periods(1);
    expect(w.events.filter((e) => e.type === 'autoscale:signal-recovered')).toHaveLength(1);
    expect(w.autoscaler.status('shop')[0]?.failing).toBeNull();
    await w.autoscaler.stop();
  });
});
