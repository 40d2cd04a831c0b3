import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/events/index.js';
import { countCronEvents } from '../../src/scheduler/index.js';

describe('cron metrics hook', () => {
  it('counts runs by status, coalesced and skipped slots, and keeps fire lateness', () => {
    const bus = new EventBus(
      () => 0,
      (err) => {
        throw err;
      },
    );
    const metrics = countCronEvents(bus);
    const fired = (lateMs: number, coalesced: number) =>
      bus.emit({
        type: 'cron:slot:fired',
        app: 'shop',
        message: '',
        data: {
          job: 'nightly',
          runId: 1,
          slot: '2026-01-01T00:00:00.000Z',
          coalesced,
          coalescedCapped: false,
          lateMs,
          outcome: 'started',
        },
      });
    const finished = (status: 'succeeded' | 'failed') =>
      bus.emit({
        type: 'cron:run:finished',
        app: 'shop',
        message: '',
        data: {
          job: 'nightly',
          runId: 1,
          trigger: 'schedule',
          status,
          reason: null,
          exitCode: 0,
          signal: null,
          durationMs: 5,
        },
      });
    fired(3, 0);
    fired(12, 4);
    finished('succeeded');
    finished('succeeded');
    finished('failed');
    bus.emit({
      type: 'cron:slot:skipped',
      app: 'shop',
      message: '',
      data: { job: 'nightly', runId: 9, trigger: 'schedule', slot: null, reason: 'overlap', coalesced: 1 },
    });
    const c = metrics.counters();
    expect(Object.fromEntries(c.runsTotal)).toEqual({
      'shop/nightly/succeeded': 2,
      'shop/nightly/failed': 1,
    });
    expect(Object.fromEntries(c.slotsCoalescedTotal)).toEqual({ 'shop/nightly': 5 });
    expect(Object.fromEntries(c.slotsSkippedTotal)).toEqual({ 'shop/nightly/overlap': 1 });
    expect(c.lateness).toEqual([3, 12]);
    metrics.stop();
    fired(1, 0);
    expect(metrics.counters().lateness).toEqual([3, 12]);
  });
});
