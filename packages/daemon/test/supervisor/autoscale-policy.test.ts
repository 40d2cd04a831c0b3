import { describe, expect, it } from 'vitest';
import { decide, type AutoscaleInput, type Recommendation } from '../../src/supervisor/pure/autoscale.js';

const MIN = 60_000;
const busy = (cores: number) => ({ cpuPercent: cores * 100, memoryBytes: 0 });

/** A CPU-scaled worker: request 0.25 cores, target 50 % (0.125 cores per replica). */
function cpuInput(over: Partial<AutoscaleInput>): AutoscaleInput {
  return {
    now: 10 * MIN,
    current: 1,
    min: 1,
    max: 4,
    ready: [busy(0.125)],
    cpu: { target: 50, request: 0.25 },
    memory: null,
    queue: null,
    history: [],
    windowMs: 5 * MIN,
    ...over,
  };
}

function queueInput(waiting: number | null, over: Partial<AutoscaleInput> = {}): AutoscaleInput {
  return cpuInput({ cpu: null, ready: [], queue: { target: 100, waiting }, min: 0, max: 10, ...over });
}

describe('autoscale policy', () => {
  it('keeps the count within the 0.1 tolerance and moves outside it', () => {
    expect(decide(cpuInput({ ready: [busy(0.125 * 1.09)] })).to).toBe(1);
    expect(decide(cpuInput({ current: 2, ready: [busy(0.125 * 0.91), busy(0.125 * 0.91)] })).to).toBe(2);
    expect(decide(cpuInput({ ready: [busy(0.125 * 1.2)] })).to).toBe(2);
  });

  it('uses ceil(current × utilisation / target)', () => {
    const d = decide(cpuInput({ current: 3, max: 10, ready: [busy(0.2), busy(0.2), busy(0.2)] }));
    // 80 % of the request against 50 %: ceil(3 × 1.6) = 5.
    expect(d.signals[0]).toMatchObject({ signal: 'cpu', recommendation: 5 });
    expect(d.signals[0]?.value).toBeCloseTo(80);
    expect(d.to).toBe(5);
  });

  it('scales up at once but at most doubling per step', () => {
    const d = decide(cpuInput({ ready: [busy(1)] }));
    expect(d.recommendation).toBe(8);
    expect(d).toMatchObject({ to: 2, bound: 'doubling' });
    expect(decide(cpuInput({ current: 2, ready: [busy(1), busy(1)] })).to).toBe(4);
  });

  it('bounds by min and max', () => {
    expect(decide(cpuInput({ current: 4, ready: Array(4).fill(busy(1)) }))).toMatchObject({
      to: 4,
      bound: 'max',
    });
    expect(decide(cpuInput({ current: 2, min: 2, ready: [busy(0), busy(0)] }))).toMatchObject({
      to: 2,
      bound: 'min',
    });
  });

  it('scales down only to the highest recommendation of the window', () => {
    const history: Recommendation[] = [
      { at: 10 * MIN - 4 * MIN, replicas: 4 },
      { at: 10 * MIN - 2 * MIN, replicas: 3 },
    ];
    const idle = cpuInput({ current: 4, ready: Array(4).fill(busy(0.01)), history });
    expect(decide(idle)).toMatchObject({ recommendation: 1, windowMax: 4, to: 4, bound: 'window' });
    // Five minutes on, the 4 has left the window: the 3 is the highest left.
    expect(decide({ ...idle, now: 10 * MIN + 61_000 })).toMatchObject({ to: 3, bound: 'window' });
    expect(decide({ ...idle, now: 20 * MIN })).toMatchObject({ to: 1, bound: null });
  });

  it('does not count starting or backing-off replicas as capacity', () => {
    // 4 wanted, 2 running at 4× target: the 2 others count as idle on the way up (HPA), so 2 × 4 / 2 … = 8.
    const up = decide(cpuInput({ current: 4, max: 10, ready: [busy(0.5), busy(0.5)] }));
    expect(up.signals[0]?.recommendation).toBe(8);
    // On the way down they are left out: 2 running at half the target recommend 1, not 2.
    const down = decide(cpuInput({ current: 4, max: 10, ready: [busy(0.0625), busy(0.0625)] }));
    expect(down.signals[0]?.recommendation).toBe(1);
    // None running: CPU has nothing to say and the count holds.
    expect(decide(cpuInput({ current: 3, ready: [] }))).toMatchObject({ to: 3, recommendation: 3 });
  });

  it('scales a queue to zero when empty and back to one when a job arrives', () => {
    expect(decide(queueInput(0, { current: 1 })).to).toBe(0);
    expect(decide(queueInput(1, { current: 0 })).to).toBe(1);
    expect(decide(queueInput(1000, { current: 0 })).to).toBe(1);
    expect(decide(queueInput(1000, { current: 8 })).to).toBe(10);
  });

  it('holds the count when the queue cannot be read', () => {
    expect(decide(queueInput(null, { current: 3 }))).toMatchObject({ to: 3, recommendation: 3 });
  });

  it('takes the largest of several signals', () => {
    const d = decide(
      cpuInput({
        max: 10,
        current: 2,
        ready: [busy(0.125), busy(0.125)],
        queue: { target: 10, waiting: 35 },
      }),
    );
    expect(d.signals.map((s) => s.recommendation)).toEqual([2, 4]);
    expect(d.to).toBe(4);
  });
});
