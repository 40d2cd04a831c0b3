/** Free job slots of the pulling adapters, resized by the circuit breaker while jobs run. */
import { describe, expect, it } from 'vitest';
import { createSlots } from '../src/sources/slots.js';

describe('slots', () => {
  it('never reports fewer than zero free slots when shrunk below the jobs held', () => {
    const slots = createSlots(3);
    slots.take();
    slots.take();
    slots.resize(0);
    expect(slots.free).toBe(0);
    slots.release(); // one held job ends: still over the new size
    expect(slots.free).toBe(0);
    slots.resize(1);
    expect(slots.free).toBe(0); // one still held
    slots.release();
    expect(slots.free).toBe(1);
  });

  it('wakes a waiter when growing, not when a release leaves none free', async () => {
    const slots = createSlots(1);
    slots.take();
    slots.resize(0);
    let woken = false;
    const waiting = slots.whenFree().then(() => (woken = true));
    slots.release();
    await Promise.resolve();
    expect(woken).toBe(false);
    slots.resize(2);
    await waiting;
    expect(woken).toBe(true);
  });
});
