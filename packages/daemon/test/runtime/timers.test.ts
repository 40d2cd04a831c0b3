import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { after, MAX_TIMER_MS } from '../../src/runtime/timers.js';

const DAY = 86_400_000;

describe('after (timers that hold any delay)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a plain timer past 2^31−1 ms fires at once (the defect this guards against)', () => {
    const fn = vi.fn();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    setTimeout(fn, 25 * DAY);
    vi.advanceTimersByTime(10);
    warn.mockRestore();
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('waits the whole of a 25-day delay', () => {
    const fn = vi.fn();
    after(25 * DAY, fn);
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(25 * DAY - MAX_TIMER_MS - 1);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('can be cancelled in any slice, and treats a negative delay as now', () => {
    const late = vi.fn();
    const t = after(60 * DAY, late);
    vi.advanceTimersByTime(30 * DAY);
    t.cancel();
    vi.advanceTimersByTime(60 * DAY);
    expect(late).not.toHaveBeenCalled();
    const now = vi.fn();
    after(-5, now);
    vi.advanceTimersByTime(0);
    expect(now).toHaveBeenCalledTimes(1);
  });
});
