import { describe, expect, it } from 'vitest';
import { isCrashLoop } from '../../src/supervisor/pure/crash-loop.js';
import {
  initialState,
  transition,
  type Effect,
  type LifecyclePolicy,
  type ReplicaState,
} from '../../src/supervisor/pure/lifecycle.js';

const policyWith = (maxRestarts: number | null): LifecyclePolicy => ({
  restart: { backoffMs: 1_000, maxBackoffMs: 60_000, resetAfterMs: 600_000, maxRestarts },
  stopGraceMs: 5_000,
});

const at = (ms: number) => ({ wall: ms, mono: ms });

/** Starts the replica at `now`, lets it run `ranMs`, and lets it exit with code 1; retries when in backoff. */
function crashAfter(
  state: ReplicaState,
  now: number,
  ranMs: number,
  policy: LifecyclePolicy,
): { state: ReplicaState; now: number; effects: Effect[] } {
  const effects: Effect[] = [];
  const step = (event: Parameters<typeof transition>[1], t: number) => {
    const next = transition(state, event, at(t), policy);
    state = next.state;
    effects.push(...next.effects);
  };
  if (state.status === 'backoff') {
    now = state.retryAt!;
    step({ type: 'retry-due' }, now);
  } else {
    step({ type: 'start' }, now);
  }
  step({ type: 'spawned' }, now);
  now += ranMs;
  step({ type: 'exited', code: 1, signal: null }, now);
  return { state, now, effects };
}

describe('crash loop', () => {
  it('is 3 crashes in a row that each ran under 10 s, and a long run breaks it', () => {
    const policy = policyWith(null);
    let s = initialState();
    let now = 0;
    const loop: boolean[] = [];
    for (const ran of [100, 200, 9_999, 50, 10_000, 100]) {
      ({ state: s, now } = crashAfter(s, now, ran, policy));
      loop.push(isCrashLoop(s));
    }
    expect(loop).toEqual([false, false, true, true, false, false]);
  });

  it('counts spawn failures as short crashes', () => {
    const policy = policyWith(null);
    let s = initialState();
    for (let i = 0; i < 3; i++) {
      const started = transition(
        s,
        s.status === 'backoff' ? { type: 'retry-due' } : { type: 'start' },
        at(s.retryAt ?? 0),
        policy,
      );
      s = transition(
        started.state,
        { type: 'spawn-failed', error: 'ENOENT' },
        at(s.retryAt ?? 0),
        policy,
      ).state;
    }
    expect(isCrashLoop(s)).toBe(true);
  });
});

describe('restart.max_restarts', () => {
  it('gives up at the Nth crash in a row: failed, nothing scheduled, one emit-failed', () => {
    const policy = policyWith(3);
    let s = initialState();
    let now = 0;
    const effects: Effect[] = [];
    for (let i = 0; i < 3; i++) {
      const r = crashAfter(s, now, 100, policy);
      s = r.state;
      now = r.now;
      effects.push(...r.effects);
    }
    expect(s.status).toBe('failed');
    expect(s.retryAt).toBeNull();
    expect(effects.filter((e) => e.type === 'emit-failed')).toEqual([{ type: 'emit-failed', crashes: 3 }]);
    const last = effects.filter((e) => e.type === 'emit-crashed').at(-1);
    expect(last).toMatchObject({ restartInMs: null });
    // Nothing brings it back on its own; `start` (start, restart, deploy) does, with a fresh streak.
    expect(transition(s, { type: 'retry-due' }, at(now + 60_000), policy).state.status).toBe('failed');
    const again = transition(s, { type: 'start' }, at(now + 1), policy);
    expect(again.state).toMatchObject({ status: 'starting', streak: 0, quickCrashes: 0 });
    expect(again.effects).toEqual([{ type: 'spawn' }]);
    expect(transition(s, { type: 'stop' }, at(now + 1), policy).state.status).toBe('stopped');
  });

  it('counts only crashes in a row: a run past reset_after starts the count again', () => {
    const policy = policyWith(2);
    let s = initialState();
    let now = 0;
    ({ state: s, now } = crashAfter(s, now, 100, policy));
    ({ state: s, now } = crashAfter(s, now, 600_000, policy));
    expect(s.status).toBe('backoff');
    expect(crashAfter(s, now, 100, policy).state.status).toBe('failed');
  });

  it('never gives up without max_restarts', () => {
    const policy = policyWith(null);
    let s = initialState();
    let now = 0;
    for (let i = 0; i < 50; i++) ({ state: s, now } = crashAfter(s, now, 10, policy));
    expect(now).toBeGreaterThan(0);
    expect(s.status).toBe('backoff');
    expect(s.streak).toBe(50);
  });
});
