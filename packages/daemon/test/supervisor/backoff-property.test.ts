import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProcessDriver, ProcessHandle } from '../../src/drivers/index.js';
import { EventBus } from '../../src/events/index.js';
import type { Timer, Timers } from '../../src/runtime/timers.js';
import { ReplicaRunner } from '../../src/supervisor/replica.js';

/**
 * A replica that crashes over and over, run by the real shell (ReplicaRunner) in a simulated world whose
 * timers fire early or late by random amounts and whose wall clock jumps back and forth. Whatever happens,
 * a replica in backoff must start again: the loop below only goes on while something is scheduled.
 */
interface Pending {
  due: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

class World {
  mono = 1_000;
  wallOffset = 1_700_000_000_000;
  #seq = 0;
  pending: Pending[] = [];

  at(due: number, fn: () => void): Pending {
    const p = { due, seq: this.#seq++, fn, cancelled: false };
    this.pending.push(p);
    return p;
  }

  /** Runs the earliest pending callback; false when nothing is left. */
  step(): boolean {
    this.pending = this.pending.filter((p) => !p.cancelled);
    if (this.pending.length === 0) return false;
    this.pending.sort((a, b) => a.due - b.due || a.seq - b.seq);
    const next = this.pending.shift()!;
    this.mono = Math.max(this.mono, next.due);
    next.fn();
    return true;
  }
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('backoff never forgets a replica (property)', () => {
  it('every backoff ends in a start, under early and late timers and wall-clock steps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          backoffMs: fc.integer({ min: 1, max: 200 }),
          capFactor: fc.integer({ min: 1, max: 8 }),
          // Each timer fires at delay × (1 + skew): from ten times early (−0.9) to twice as late (+1).
          skews: fc.array(fc.double({ min: -0.9, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }),
          // Wall-clock steps taken between events, up to a day either way.
          steps: fc.array(fc.integer({ min: -86_400_000, max: 86_400_000 }), { minLength: 1, maxLength: 20 }),
          runsMs: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 20 }),
          spawnFails: fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
        }),
        async ({ backoffMs, capFactor, skews, steps, runsMs, spawnFails }) => {
          const world = new World();
          let n = 0;
          const pick = <T>(xs: readonly T[]): T => xs[n++ % xs.length]!;
          const timers: Timers = {
            after(ms: number, fn: () => void): Timer {
              // Time always moves on between two firings (Node's loop refreshes its clock each turn), if only a
              // little: a timer never fires at the very moment it was set.
              const p = world.at(world.mono + Math.max(0.1, ms * (1 + pick(skews))), fn);
              return { cancel: () => void (p.cancelled = true) };
            },
          };
          let spawns = 0;
          let pid = 100;
          const driver: ProcessDriver = {
            spawn: () => {
              spawns++;
              if (pick(spawnFails) && spawns % 3 === 0)
                return Promise.reject(new Error('EMFILE: too many open files'));
              let exit!: (s: { code: number; signal: null }) => void;
              const exited = new Promise<{ code: number; signal: null }>((resolve) => (exit = resolve));
              world.at(world.mono + pick(runsMs), () => exit({ code: 1, signal: null }));
              const handle: ProcessHandle = {
                pid: pid++,
                procStart: '1',
                stdout: Readable.from([]),
                stderr: Readable.from([]),
                exited,
              };
              return Promise.resolve(handle);
            },
            signalGroup: () => true,
            groupAlive: () => false,
            procStartOf: () => null,
            groupMembers: () => [],
          };
          const policy = {
            restart: {
              backoffMs,
              maxBackoffMs: backoffMs * capFactor,
              resetAfterMs: 600_000,
              maxRestarts: null,
            },
            stopGraceMs: 1_000,
          };
          const launch = { argv: ['crash'], cwd: '/', env: {}, release: 1, policy };
          let backoffs = 0;
          const runner = new ReplicaRunner(
            { app: 'a', process: 'p', idx: 1 },
            () => launch,
            () => policy,
            {
              driver,
              bus: new EventBus(
                () => 0,
                (err) => {
                  throw err;
                },
              ),
              clock: { now: () => world.mono + world.wallOffset, monotonic: () => world.mono },
              output: { capture: () => Promise.resolve(), lastLines: () => [] },
              persist: (r) => {
                if (r.state.status === 'backoff') backoffs++;
              },
              onError: (err) => {
                throw err;
              },
              timers,
            },
          );
          runner.start();
          await flush();
          for (let i = 0; backoffs < 30 && i < 20_000; i++) {
            world.wallOffset += pick(steps);
            if (!world.step()) break;
            await flush();
            if (runner.state.status === 'backoff') {
              expect(
                world.pending.some((p) => !p.cancelled),
                'a replica in backoff has a retry pending',
              ).toBe(true);
            }
          }
          expect(backoffs, `stuck in ${runner.state.status} after ${spawns} spawns`).toBeGreaterThanOrEqual(
            30,
          );
          // The restarts count what happened: one per retry that started a process.
          expect(runner.state.restarts).toBeGreaterThanOrEqual(29);
          runner.dispose();
        },
      ),
      { numRuns: 200 },
    );
  });
});
