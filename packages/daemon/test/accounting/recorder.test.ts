import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppSpec } from '@nightshift/manifest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UsageRecorder, UsageReports, DEFAULT_USAGE_SETTINGS } from '../../src/accounting/index.js';
import { EventBus, type DaemonEvent } from '../../src/events/index.js';
import * as store from '../../src/store/index.js';

const T0 = Date.UTC(2026, 11, 6, 10, 0, 0);
const S = 1000;

/** A clock the test moves; heartbeats run on vitest's fake interval timers, in step with it. */
function manualClock() {
  let now = T0;
  return {
    clock: { now: () => now, monotonic: () => now - T0 },
    advance(ms: number) {
      now += ms;
      vi.advanceTimersByTime(ms);
    },
  };
}

const spec = {
  name: 'shop',
  web: null,
  workers: [{ name: 'emails', resources: { cpu: 0.5, memory: 1024 ** 3 } }],
  cron: [{ name: 'nightly', resources: { cpu: null, memory: null } }],
} as unknown as AppSpec;

describe('the usage recorder', () => {
  let dir: string;
  let db: store.Db;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    dir = mkdtempSync(join(tmpdir(), 'ns-usage-'));
    db = store.openDb(join(dir, 'state.db'));
  });
  afterEach(() => {
    vi.useRealTimers();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function daemon(
    t: ReturnType<typeof manualClock>,
    heartbeatMs = 15_000,
    retentionMs: number | null = null,
  ) {
    const bus = new EventBus(
      () => 0,
      (err) => {
        throw err;
      },
    );
    const recorder = new UsageRecorder({
      db,
      bus,
      clock: t.clock,
      region: 'eu-west',
      heartbeatMs,
      retentionMs,
      liveSpec: () => spec,
      onError: (err) => {
        throw err;
      },
    });
    const reports = new UsageReports({ db, clock: t.clock, settings: DEFAULT_USAGE_SETTINGS });
    const emit = (e: Omit<DaemonEvent, 'message'>) => bus.emit({ ...e, message: '' });
    const started = (replica: string, pid: number) =>
      emit({
        type: 'replica:started',
        app: 'shop',
        process: 'emails',
        replica,
        data: { release: 'v1', pid, afterCrash: false },
      });
    const ended = (type: 'replica:crashed' | 'replica:stopped', replica: string, pid: number) =>
      emit({ type, app: 'shop', process: 'emails', replica, data: { pid } });
    const report = () =>
      reports.report('shop', {
        since: T0 - 3_600_000,
        until: t.clock.now() + 1,
        by: 'process',
        withPeriods: true,
      });
    return { bus, recorder, emit, started, ended, report };
  }

  it('prunes periods that ended before the retention, at start and then once a day; never a running one', () => {
    const DAY = 86_400_000;
    const period = (unit: string, startedAt: number, endedAt: number | null) => {
      const key = { app: 'shop', kind: 'replica' as const, unit, pid: 1 };
      store.openPeriod(db, {
        ...key,
        process: 'emails',
        region: 'local',
        cpu: null,
        memory: null,
        startedAt,
      });
      if (endedAt !== null) store.closePeriod(db, key, endedAt, 'stopped');
    };
    const units = () => store.periodsBetween(db, 'shop', 0, T0 + 10 * DAY).map((p) => p.unit);
    period('old', T0 - 402 * DAY, T0 - 401 * DAY);
    period('kept', T0 - 400 * DAY, T0 - 399 * DAY);
    period('running', T0 - 500 * DAY, null);
    const t = manualClock();
    daemon(t, 15_000, 400 * DAY).recorder.start();
    expect(units()).toEqual(['running', 'kept']);
    // Out of retention now, but the next pruning is a day after the first: beats in between leave it.
    period('late', T0 - 402 * DAY, T0 - 400 * DAY - 1);
    t.advance(23 * 3_600_000);
    expect(units()).toContain('late');
    t.advance(2 * DAY);
    expect(units()).toEqual(['running']);
  });

  it('keeps every period without a retention', () => {
    store.openPeriod(db, {
      app: 'shop',
      kind: 'replica',
      unit: 'old',
      pid: 1,
      process: 'emails',
      region: 'local',
      cpu: null,
      memory: null,
      startedAt: 0,
    });
    store.closePeriod(db, { app: 'shop', kind: 'replica', unit: 'old', pid: 1 }, 1, 'stopped');
    const t = manualClock();
    daemon(t).recorder.start();
    t.advance(2 * 86_400_000);
    expect(store.periodsBetween(db, 'shop', 0, T0)).toHaveLength(1);
  });

  it('counts 61 s as 2 minutes and 5 s as 1, weighted by the requested resources', () => {
    const t = manualClock();
    const d = daemon(t);
    d.recorder.start();
    d.started('emails.1', 100);
    t.advance(61 * S);
    d.ended('replica:crashed', 'emails.1', 100);
    d.started('emails.1', 101);
    t.advance(5 * S);
    d.ended('replica:stopped', 'emails.1', 101);
    const r = d.report();
    expect(r.periods!.map((p) => [p.replicaMinutes, p.endReason, p.region])).toEqual([
      [2, 'crashed', 'eu-west'],
      [1, 'stopped', 'eu-west'],
    ]);
    expect(r.totals).toMatchObject({ replicaMinutes: 3, vcpuMinutes: 1.5, gibMinutes: 3, periods: 2 });
  });

  it("keeps a rolling switch's two groups of one slot apart by pid", () => {
    const t = manualClock();
    const d = daemon(t);
    d.recorder.start();
    d.started('emails.1', 100);
    t.advance(120 * S);
    d.started('emails.1', 200); // the successor
    t.advance(10 * S);
    d.ended('replica:stopped', 'emails.1', 100); // the old group goes
    t.advance(50 * S);
    const r = d.report();
    expect(r.periods!.map((p) => [p.replicaMinutes, p.endedAt === null])).toEqual([
      [3, false],
      [1, true],
    ]);
  });

  it('counts a cron run only while it runs, with the defaults for unset resources', () => {
    const t = manualClock();
    const d = daemon(t);
    d.recorder.start();
    d.emit({
      type: 'cron:run:started',
      app: 'shop',
      data: { job: 'nightly', runId: 7, trigger: 'schedule', slot: null, pid: 5, release: 'v1', lateMs: 0 },
    });
    t.advance(90 * S);
    d.emit({
      type: 'cron:run:finished',
      app: 'shop',
      data: {
        job: 'nightly',
        runId: 7,
        trigger: 'schedule',
        status: 'succeeded',
        reason: null,
        exitCode: 0,
        signal: null,
        durationMs: 90_000,
      },
    });
    t.advance(3_600_000);
    const r = d.report();
    expect(r.periods!.map((p) => [p.kind, p.unit, p.replicaMinutes, p.cpu, p.endReason])).toEqual([
      ['cron', 'run 7', 2, 1, 'succeeded'],
    ]);
    expect(r.totals.gibMinutes).toBe(1);
  });

  it('ends the periods a kill -9 left open at the last heartbeat (within one interval of the kill)', () => {
    const t = manualClock();
    const heartbeatMs = 1_000;
    const first = daemon(t, heartbeatMs);
    first.recorder.start();
    first.started('emails.1', 100);
    t.advance(30_500); // beats at +1 s … +30 s; the daemon is killed at +30.5 s
    const killedAt = t.clock.now();
    vi.clearAllTimers(); // kill -9: no stop, no more beats
    t.advance(3_600_000); // an hour later the daemon starts again
    const second = daemon(t, heartbeatMs);
    expect(second.recorder.recover()).toBe(1);
    const [p] = second.report().periods!;
    const endedAt = Date.parse(p!.endedAt!);
    expect(killedAt - endedAt).toBeGreaterThanOrEqual(0);
    expect(killedAt - endedAt).toBeLessThanOrEqual(heartbeatMs);
    expect(p!.endReason).toBe('daemon-lost');
    expect(p!.replicaMinutes).toBe(1);
  });

  it('ends what is still open when the daemon stops', () => {
    const t = manualClock();
    const d = daemon(t);
    d.recorder.start();
    d.started('emails.1', 100);
    t.advance(61 * S);
    d.recorder.stop();
    expect(d.report().periods!.map((p) => [p.endReason, p.replicaMinutes])).toEqual([['daemon-stopped', 2]]);
  });
});
