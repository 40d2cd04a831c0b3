import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/supervisor/pure/backoff.js';
import {
  initialState,
  transition,
  type LifecycleEvent,
  type ReplicaState,
} from '../../src/supervisor/pure/lifecycle.js';

const policy = {
  restart: { backoffMs: 10_000, maxBackoffMs: 300_000, resetAfterMs: 600_000, maxRestarts: null },
  stopGraceMs: 30_000,
};

/** Both clocks at the same reading: these tests are about the lifecycle, not clock steps. */
const at = (ms: number) => ({ wall: ms, mono: ms });

function run(events: [LifecycleEvent, number][], state: ReplicaState = initialState()) {
  const effects = [];
  for (const [event, now] of events) {
    const t = transition(state, event, at(now), policy);
    state = t.state;
    effects.push(...t.effects);
  }
  return { state, effects };
}

describe('backoff', () => {
  it('doubles from the base and caps at max_backoff', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 40].map((k) => backoffDelay(k, policy.restart));
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });
});

describe('replica lifecycle', () => {
  it('starts, runs, and treats any exit — 0 included — as a crash with backoff', () => {
    const { state, effects } = run([
      [{ type: 'start' }, 0],
      [{ type: 'spawned' }, 5],
      [{ type: 'exited', code: 0, signal: null }, 1_000],
    ]);
    expect(state.status).toBe('backoff');
    expect(state.retryAt).toBe(11_000);
    expect(state.lastExit).toEqual({ code: 0, signal: null, cause: null, at: 1_000 });
    expect(effects.map((e) => e.type)).toEqual([
      'spawn',
      'emit-started',
      'signal-group',
      'emit-crashed',
      'schedule',
    ]);
  });

  it('backs off 10 s, 20 s, 40 s on consecutive crashes and counts restarts', () => {
    let now = 0;
    let state = run([
      [{ type: 'start' }, now],
      [{ type: 'spawned' }, now],
    ]).state;
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      now += 100;
      state = transition(state, { type: 'exited', code: 1, signal: null }, at(now), policy).state;
      waits.push(state.retryAt! - now);
      now = state.retryAt!;
      state = transition(state, { type: 'retry-due' }, at(now), policy).state;
      state = transition(state, { type: 'spawned' }, at(now), policy).state;
    }
    expect(waits).toEqual([10_000, 20_000, 40_000]);
    expect(state.restarts).toBe(3);
  });

  it('resets the streak after reset_after of continuous running', () => {
    let state = run([
      [{ type: 'start' }, 0],
      [{ type: 'spawned' }, 0],
      [{ type: 'exited', code: 1, signal: null }, 10],
    ]).state;
    state = run(
      [
        [{ type: 'retry-due' }, 10_010],
        [{ type: 'spawned' }, 10_010],
        [{ type: 'exited', code: 1, signal: null }, 10_020],
      ],
      state,
    ).state;
    expect(state.retryAt! - 10_020).toBe(20_000);
    // Now it runs for ten minutes before crashing: back to the base delay.
    const t0 = state.retryAt!;
    state = run(
      [
        [{ type: 'retry-due' }, t0],
        [{ type: 'spawned' }, t0],
        [{ type: 'exited', code: 1, signal: null }, t0 + 600_000],
      ],
      state,
    ).state;
    expect(state.retryAt! - (t0 + 600_000)).toBe(10_000);
  });

  it('re-arms a retry timer that fires early, and ignores one after a stop', () => {
    const crashed = run([
      [{ type: 'start' }, 0],
      [{ type: 'spawned' }, 0],
      [{ type: 'exited', code: 1, signal: null }, 10],
    ]).state;
    const early = transition(crashed, { type: 'retry-due' }, at(5_000), policy);
    expect(early.state).toBe(crashed);
    expect(early.effects).toEqual([{ type: 'schedule', event: 'retry-due', at: 10_010 }]);
    const stopped = transition(crashed, { type: 'stop' }, at(20), policy).state;
    expect(stopped.status).toBe('stopped');
    expect(transition(stopped, { type: 'retry-due' }, at(20_000), policy).effects).toEqual([]);
  });

  it('stops with SIGTERM, escalates to SIGKILL after the grace, and waits for the whole group', () => {
    const { state, effects } = run([
      [{ type: 'start' }, 0],
      [{ type: 'spawned' }, 0],
      [{ type: 'stop' }, 100],
      [{ type: 'grace-expired' }, 30_100],
      [{ type: 'exited', code: null, signal: 'SIGKILL' }, 30_110],
    ]);
    expect(state.status).toBe('stopping');
    expect(effects).toContainEqual({ type: 'signal-group', signal: 'SIGTERM' });
    expect(effects).toContainEqual({ type: 'schedule', event: 'grace-expired', at: 30_100 });
    expect(effects).toContainEqual({ type: 'signal-group', signal: 'SIGKILL' });
    expect(effects.at(-1)).toEqual({ type: 'watch-group' });
    const done = transition(state, { type: 'group-gone' }, at(30_120), policy);
    expect(done.state.status).toBe('stopped');
    expect(done.effects).toEqual([{ type: 'emit-stopped' }]);
  });

  it('a stop during the spawn stops the process as soon as it exists, without a crash', () => {
    const { state, effects } = run([
      [{ type: 'start' }, 0],
      [{ type: 'stop' }, 1],
      [{ type: 'spawned' }, 2],
      [{ type: 'exited', code: 0, signal: null }, 3],
      [{ type: 'group-gone' }, 4],
    ]);
    expect(state.status).toBe('stopped');
    expect(effects.map((e) => e.type)).not.toContain('emit-crashed');
    expect(effects).toContainEqual({ type: 'signal-group', signal: 'SIGTERM' });
  });

  it('a failed spawn backs off like a crash', () => {
    const { state, effects } = run([
      [{ type: 'start' }, 0],
      [{ type: 'spawn-failed', error: 'ENOENT' }, 1],
    ]);
    expect(state.status).toBe('backoff');
    expect(effects).toContainEqual({ type: 'emit-spawn-failed', error: 'ENOENT', restartInMs: 10_000 });
  });

  it('restarts from stopped with a fresh streak', () => {
    const crashed = run([
      [{ type: 'start' }, 0],
      [{ type: 'spawned' }, 0],
      [{ type: 'exited', code: 1, signal: null }, 1],
    ]).state;
    const stopped = transition(crashed, { type: 'stop' }, at(2), policy).state;
    const started = transition(stopped, { type: 'start' }, at(3), policy);
    expect(started.state).toMatchObject({ status: 'starting', streak: 0 });
    expect(started.effects).toEqual([{ type: 'spawn' }]);
  });
});
