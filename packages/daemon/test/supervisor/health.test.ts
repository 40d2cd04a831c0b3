import { describe, expect, it } from 'vitest';
import {
  healthLabel,
  initialHealth,
  recordProbe,
  type HealthState,
} from '../../src/supervisor/pure/health.js';
import { initialState, transition, type ReplicaState } from '../../src/supervisor/pure/lifecycle.js';

const policy = { failures: 3, startPeriodMs: 5_000 };
const fail = { ok: false as const, error: 'HTTP status 500' };
const ok = { ok: true as const };

function feed(results: [boolean, number][], state: HealthState = initialHealth(0)) {
  let restart = false;
  for (const [good, now] of results) {
    const next = recordProbe(state, good ? ok : fail, now, policy);
    state = next.state;
    restart ||= next.restart;
  }
  return { state, restart, label: healthLabel(state, policy) };
}

describe('health counting (pure)', () => {
  it('is starting until the first success, then healthy', () => {
    expect(feed([]).label).toBe('starting');
    expect(feed([[true, 1_000]]).label).toBe('healthy');
  });

  it('does not count failures inside start_period, counts them after', () => {
    const inGrace = feed([
      [false, 1_000],
      [false, 2_000],
      [false, 3_000],
      [false, 4_000],
    ]);
    expect(inGrace).toMatchObject({ restart: false, label: 'starting' });
    expect(inGrace.state.lastError).toBe('HTTP status 500');
    expect(feed([[false, 5_000]], inGrace.state).label).toBe('unhealthy (1/3)');
  });

  it('after a success, failures count at once (the grace ends with the first success)', () => {
    const { label } = feed([
      [true, 1_000],
      [false, 2_000],
      [false, 3_000],
    ]);
    expect(label).toBe('unhealthy (2/3)');
  });

  it('restarts on the `failures`-th consecutive failure; a success in between starts over', () => {
    expect(
      feed([
        [true, 1_000],
        [false, 2_000],
        [false, 3_000],
        [true, 4_000],
        [false, 5_000],
        [false, 6_000],
      ]).restart,
    ).toBe(false);
    expect(
      feed([
        [true, 1_000],
        [false, 2_000],
        [false, 3_000],
        [false, 4_000],
      ]),
    ).toMatchObject({ restart: true, label: 'unhealthy (3/3)' });
  });
});

describe('an unhealthy restart goes through the lifecycle (pure)', () => {
  const life = {
    restart: { backoffMs: 1_000, maxBackoffMs: 60_000, resetAfterMs: 600_000, maxRestarts: null },
    stopGraceMs: 2_000,
  };
  const at = (ms: number) => ({ wall: ms, mono: ms });
  const running = (): ReplicaState => {
    let s = transition(initialState(), { type: 'start' }, at(0), life).state;
    s = transition(s, { type: 'spawned' }, at(0), life).state;
    return s;
  };

  it('SIGTERM to the group and a grace; SIGKILL when it expires; backoff once the group is gone', () => {
    const t1 = transition(running(), { type: 'unhealthy' }, at(10_000), life);
    expect(t1.state.status).toBe('stopping');
    expect(t1.effects).toEqual([
      { type: 'signal-group', signal: 'SIGTERM' },
      { type: 'schedule', event: 'grace-expired', at: 12_000 },
    ]);
    const t2 = transition(t1.state, { type: 'grace-expired' }, at(12_000), life);
    expect(t2.effects).toEqual([{ type: 'signal-group', signal: 'SIGKILL' }]);
    const t3 = transition(t2.state, { type: 'exited', code: null, signal: 'SIGKILL' }, at(12_010), life);
    expect(t3.state.lastExit).toMatchObject({ signal: 'SIGKILL', cause: 'unhealthy' });
    const t4 = transition(t3.state, { type: 'group-gone' }, at(12_020), life);
    expect(t4.state).toMatchObject({ status: 'backoff', streak: 1, retryAt: 13_020 });
    expect(t4.effects.map((e) => e.type)).toEqual(['emit-crashed', 'schedule']);
  });

  it('counts in the backoff streak like a crash: the second restart waits twice as long', () => {
    let s = running();
    const restartOnce = (now: number) => {
      s = transition(s, { type: 'unhealthy' }, at(now), life).state;
      s = transition(s, { type: 'exited', code: null, signal: 'SIGTERM' }, at(now + 1), life).state;
      s = transition(s, { type: 'group-gone' }, at(now + 2), life).state;
      return s.retryAt! - (now + 2);
    };
    expect(restartOnce(1_000)).toBe(1_000);
    s = transition(s, { type: 'retry-due' }, at(s.retryAt!), life).state;
    s = transition(s, { type: 'spawned' }, at(s.retryAt ?? 3_000), life).state;
    expect(restartOnce(5_000)).toBe(2_000);
    expect(s.streak).toBe(2);
  });

  it('a stop during an unhealthy restart keeps the replica stopped', () => {
    let s = transition(running(), { type: 'unhealthy' }, at(1_000), life).state;
    s = transition(s, { type: 'stop' }, at(1_100), life).state;
    s = transition(s, { type: 'exited', code: null, signal: 'SIGTERM' }, at(1_200), life).state;
    expect(transition(s, { type: 'group-gone' }, at(1_300), life).state.status).toBe('stopped');
  });

  it('is ignored unless running', () => {
    const pending = initialState();
    expect(transition(pending, { type: 'unhealthy' }, at(0), life).state).toBe(pending);
  });
});
