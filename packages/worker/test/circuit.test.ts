/** The circuit breaker's state machine and its option parsing: pure, time passed in. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  CLOSED,
  nextTick,
  transition,
  type BreakerEvent,
  type BreakerState,
} from '../src/circuit/breaker.js';
import { parseCircuitBreaker } from '../src/circuit/options.js';
import { defineWorker } from '../src/definition.js';
import { isWorkerError } from '../src/errors.js';
import { runWorker } from '../src/run.js';
import { schedule } from '../src/sources/schedule.js';

const policy = { failures: 3, windowMs: 1000, cooldownMs: 5000 };
const fail = (job: string): BreakerEvent => ({ type: 'settled', job, ok: false });
const ok = (job: string): BreakerEvent => ({ type: 'settled', job, ok: true });
const start = (job: string): BreakerEvent => ({ type: 'started', job });
const tick: BreakerEvent = { type: 'tick' };

/** Feeds `[time, event]` pairs from `state`, collecting each capacity asked for. */
function run(events: [number, BreakerEvent][], state: BreakerState = CLOSED) {
  const capacities: string[] = [];
  for (const [at, event] of events) {
    const step = transition(state, event, at, policy);
    state = step.state;
    if (step.capacity) capacities.push(`${at}:${step.capacity}`);
  }
  return { state, capacities };
}

describe('circuit breaker transitions', () => {
  it('opens when `failures` jobs fail within the window, and asks for capacity none', () => {
    const { state, capacities } = run([
      [0, fail('a')],
      [400, fail('b')],
      [999, fail('c')],
    ]);
    expect(state).toEqual({ name: 'open', openedAt: 999 });
    expect(capacities).toEqual(['999:none']);
  });

  it('forgets failures older than the window', () => {
    const { state, capacities } = run([
      [0, fail('a')],
      [500, fail('b')],
      [1000, fail('c')], // 'a' fell out of the window at 1000
      [1600, fail('d')], // 'b' is out too: two within the window
    ]);
    expect(state).toEqual({ name: 'closed', failedAt: [1000, 1600] });
    expect(capacities).toEqual([]);
  });

  it('is not closed again by successes in between: only failures in the window count', () => {
    const { state } = run([
      [0, fail('a')],
      [10, ok('x')],
      [20, fail('b')],
      [30, ok('y')],
      [40, fail('c')],
    ]);
    expect(state.name).toBe('open');
  });

  it('ignores outcomes of jobs held while open, and goes half-open only once the cooldown is over', () => {
    const opened = run([
      [0, fail('a')],
      [1, fail('b')],
      [2, fail('c')],
    ]).state;
    const { state, capacities } = run(
      [
        [100, ok('held-1')],
        [200, fail('held-2')],
        [5001, tick], // early: cooldown ends at 5002
        [5002, tick],
      ],
      opened,
    );
    expect(state).toEqual({ name: 'half-open', trial: undefined });
    expect(capacities).toEqual(['5002:trial']);
  });

  it('closes on the trial job’s success with full capacity and no failures remembered', () => {
    const half: BreakerState = { name: 'half-open', trial: undefined };
    const { state, capacities } = run(
      [
        [0, start('t')],
        [5, ok('older')], // a job from before the cooldown: not the trial
        [10, ok('t')],
      ],
      half,
    );
    expect(state).toEqual(CLOSED);
    expect(capacities).toEqual(['10:full']);
  });

  it('reopens on the trial job’s failure for a whole new cooldown', () => {
    const half: BreakerState = { name: 'half-open', trial: undefined };
    const { state, capacities } = run(
      [
        [0, start('t')],
        [3, fail('other')], // not the trial: ignored
        [7, fail('t')],
      ],
      half,
    );
    expect(state).toEqual({ name: 'open', openedAt: 7 });
    expect(capacities).toEqual(['7:none']);
    expect(nextTick(state, policy)).toBe(5007);
  });

  it('asks for a tick only while open', () => {
    expect(nextTick(CLOSED, policy)).toBeUndefined();
    expect(nextTick({ name: 'half-open', trial: 'x' }, policy)).toBeUndefined();
    expect(nextTick({ name: 'open', openedAt: 10 }, policy)).toBe(5010);
  });
});

describe('circuitBreaker option', () => {
  it('reads durations as strings or milliseconds', () => {
    expect(parseCircuitBreaker('w', { failures: 10, window: '30s', cooldown: '60s' })).toEqual({
      failures: 10,
      windowMs: 30_000,
      cooldownMs: 60_000,
    });
    expect(parseCircuitBreaker('w', { failures: 1, window: 250, cooldown: '2m' })).toEqual({
      failures: 1,
      windowMs: 250,
      cooldownMs: 120_000,
    });
    expect(parseCircuitBreaker('w', undefined)).toBeUndefined();
  });

  it.each([
    [{ failures: 0, window: '1s', cooldown: '1s' }, 'failures'],
    [{ failures: 2, window: '1 day', cooldown: '1s' }, 'window'],
    [{ failures: 2, window: '1s', cooldown: '25h' }, 'cooldown'],
    [{ failures: 2, window: '1s', cooldown: '1s', cooldwn: 1 }, 'cooldwn'],
    ['10', 'must be an object'],
  ])('refuses %j naming %s', (value, word) => {
    let error: unknown;
    try {
      parseCircuitBreaker('emails', value);
    } catch (caught) {
      error = caught;
    }
    expect(isWorkerError(error, 'NS_WORKER_DEFINITION_INVALID')).toBe(true);
    expect((error as Error).message).toContain('worker "emails"');
    expect((error as Error).message).toContain(word);
  });
});

describe('circuitBreaker on a worker', () => {
  it('is refused at start on a source that cannot pause (schedule)', async () => {
    const def = defineWorker({
      name: 'nightly',
      source: schedule('0 3 * * *'),
      circuitBreaker: { failures: 3, window: '1m', cooldown: '5m' },
      handle: () => undefined,
    });
    const started = runWorker(def, {
      env: {},
      handleSignals: false,
      tracing: false,
      logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
    });
    await expect(started).rejects.toMatchObject({
      code: 'NS_WORKER_DEFINITION_INVALID',
      message: expect.stringContaining('cannot pause') as unknown,
    });
  });

  it('is checked with the definition: a typo fails at import, naming the key', () => {
    expect(() =>
      defineWorker({
        name: 'emails',
        source: schedule('0 3 * * *'),
        circuitBreaker: { failures: 3, window: '30 seconds', cooldown: '5m' },
        handle: () => undefined,
      }),
    ).toThrow(/circuitBreaker\.window/);
  });
});
