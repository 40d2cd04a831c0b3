import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalDriver, type ProcessDriver } from '../../src/drivers/index.js';
import * as cron from '../../src/store/cron.js';
import { specOf, TestClock, waitFor, World } from './world.js';

const t = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe('scheduler against a real database and real processes', () => {
  let w: World;
  afterEach(async () => {
    expect(await w.close()).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  it('a new job starts at now: no fire for slots before it was deployed', async () => {
    w = new World('new');
    const clock = new TestClock(t('2026-03-01T10:30:00Z'));
    const s = w.scheduler(clock);
    s.activate(
      w.app,
      w.deploy(specOf(w.app, '  - { name: hourly, schedule: "0 * * * *", command: "true" }')),
    );
    await s.tick();
    expect(cron.listRuns(w.db, w.app, 'hourly', 10)).toEqual([]);
    expect(w.ofType('cron:job:added')[0]!.data).toMatchObject({
      job: 'hourly',
      nextSlot: '2026-03-01T11:00:00.000Z',
    });
  });

  it('downtime across 3 slots: one run on restart with coalesced 2; restarted again right after: no run', async () => {
    w = new World('down');
    const spec = specOf(w.app, '  - { name: hourly, schedule: "0 * * * *", command: "true" }');
    const first = w.scheduler(new TestClock(t('2026-03-01T10:30:00Z')));
    first.activate(w.app, w.deploy(spec));
    await first.shutdown();

    // The daemon comes back 3 h later: slots 11:00, 12:00, 13:00 passed while it was down.
    const later = new TestClock(t('2026-03-01T13:30:05Z'));
    const second = w.scheduler(later);
    second.activate(w.app, w.deploy(spec));
    await second.tick();
    await second.tick();
    const runs = cron.listRuns(w.db, w.app, 'hourly', 10);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'schedule', slot: t('2026-03-01T13:00:00Z'), coalesced: 2 });
    expect(w.ofType('cron:slot:fired')[0]!.data).toMatchObject({
      coalesced: 2,
      lateMs: 30 * 60_000 + 5_000,
      outcome: 'started',
    });
    await waitFor(() => cron.getRun(w.db, runs[0]!.id)!.status === 'succeeded', 5_000, 'the run to succeed');
    await second.shutdown();

    const third = w.scheduler(new TestClock(t('2026-03-01T13:30:09Z')));
    third.activate(w.app, w.deploy(spec));
    await third.tick();
    expect(cron.listRuns(w.db, w.app, 'hourly', 10)).toHaveLength(1);
  });

  it('a changed schedule starts at now; a renamed job is a new job with a warning; a removed one is disabled', async () => {
    w = new World('sync');
    const clock = new TestClock(t('2026-03-01T10:30:00Z'));
    const s = w.scheduler(clock);
    s.activate(
      w.app,
      w.deploy(
        specOf(
          w.app,
          '  - { name: a, schedule: "0 * * * *", command: "true" }\n  - { name: b, schedule: "0 * * * *", command: "echo b" }',
        ),
      ),
    );
    clock.set(t('2026-03-01T12:10:00Z')); // two hourly slots of a passed without a tick (a deploy in between)
    s.activate(
      w.app,
      w.deploy(
        specOf(
          w.app,
          '  - { name: a, schedule: "*/5 * * * *", command: "true" }\n  - { name: c, schedule: "0 * * * *", command: "echo b" }',
        ),
        2,
      ),
    );
    await s.tick();
    expect(cron.listRuns(w.db, w.app, 'a', 10)).toEqual([]); // nothing retroactive from either schedule
    expect(cron.listRuns(w.db, w.app, 'c', 10)).toEqual([]);
    expect(w.ofType('cron:job:changed')[0]!.data).toEqual({
      job: 'a',
      from: '0 * * * *',
      to: '*/5 * * * *',
      nextSlot: '2026-03-01T12:15:00.000Z',
    });
    expect(w.ofType('cron:job:renamed')[0]!.data).toEqual({ job: 'c', from: 'b' });
    expect(w.ofType('cron:job:removed')[0]!.data).toEqual({ job: 'b' });
    expect(cron.getCronJob(w.db, w.app, 'b')!.enabled).toBe(false);
    expect(s.list(w.app).map((j) => j.name)).toEqual(['a', 'c']);
  });

  it('runs from the live release with the cron environment and its output in its own log', async () => {
    w = new World('env');
    const clock = new TestClock(t('2026-03-01T10:59:59Z'));
    const s = w.scheduler(clock);
    s.activate(
      w.app,
      w.deploy(
        specOf(
          w.app,
          '  - name: report\n    schedule: "0 * * * *"\n    command: sh -c \'pwd; env | sort | grep -E "^(NIGHTSHIFT_|PORT=|TZ=|FROM_JOB=)"; echo oops >&2\'\n    env: { FROM_JOB: yes }',
        ),
        7,
      ),
    );
    clock.set(t('2026-03-01T11:00:00.040Z'));
    await s.tick();
    const [run] = cron.listRuns(w.db, w.app, 'report', 1);
    await s.waitForRun(run!.id);
    const done = cron.getRun(w.db, run!.id)!;
    expect(done).toMatchObject({ status: 'succeeded', exitCode: 0, signal: null, release: 7 });
    const lines = (await w.logs.readRunLog(done.logPath!)).map((l) => `${l.stream} ${l.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        `out ${w.releaseDir}`,
        `out NIGHTSHIFT_APP=${w.app}`,
        'out NIGHTSHIFT_RELEASE=v7',
        `out NIGHTSHIFT_RUN_ID=${run!.id}`,
        'out NIGHTSHIFT_TRIGGER=schedule',
        'out NIGHTSHIFT_SCHEDULED_AT=2026-03-01T11:00:00.000Z',
        'out FROM_JOB=yes',
        'out TZ=UTC',
        'err oops',
      ]),
    );
    expect(lines.some((l) => l.includes('PORT=') || l.includes('NIGHTSHIFT_REPLICA'))).toBe(false);
    const started = w.ofType('cron:run:started')[0]!.data;
    expect(started).toMatchObject({
      job: 'report',
      runId: run!.id,
      trigger: 'schedule',
      release: 'v7',
      lateMs: 40,
    });
    expect(w.ofType('cron:run:finished')[0]!.data).toMatchObject({ status: 'succeeded', exitCode: 0 });
  });

  it('100 jobs due in one slot: each fires once, and the first runs start before the last slots are claimed', async () => {
    w = new World('fanout');
    const clock = new TestClock(t('2026-03-01T10:59:59Z'));
    const s = w.scheduler(clock);
    const jobs = Array.from(
      { length: 100 },
      (_, i) => `  - { name: j${i}, schedule: "0 * * * *", command: "true" }`,
    );
    s.activate(w.app, w.deploy(specOf(w.app, jobs.join('\n'))));
    clock.set(t('2026-03-01T11:00:00Z'));
    await s.tick();
    await s.tick();
    const runs = jobs.map((_, i) => cron.listRuns(w.db, w.app, `j${i}`, 10));
    expect(runs.map((r) => r.length)).toEqual(jobs.map(() => 1));
    await Promise.all(runs.map(([r]) => s.waitForRun(r!.id)));
    // Claims are batched, and a batch's processes start before the next batch is claimed: one transaction for
    // all hundred would put every start behind the last claim.
    const firstStart = w.events.findIndex((e) => e.type === 'cron:run:started');
    const lastFire = w.events.findLastIndex((e) => e.type === 'cron:slot:fired');
    expect(firstStart).toBeGreaterThan(-1);
    expect(firstStart).toBeLessThan(lastFire);
    expect(w.ofType('cron:run:finished').map((e) => e.data.status)).toEqual(jobs.map(() => 'succeeded'));
  });

  it("a run's start time is read when its process is spawned, not after the rest of its batch", async () => {
    w = new World('started');
    // Every reading moves the clock 1 ms on, so the order of readings and spawns shows in the times.
    let at = t('2026-03-01T10:59:59Z');
    const clock = { now: () => at++, monotonic: () => performance.now() };
    const real = createLocalDriver();
    const spawnCalls: number[] = [];
    const driver: ProcessDriver = {
      ...real,
      spawn: (spec) => {
        spawnCalls.push(clock.now());
        return real.spawn(spec);
      },
    };
    const s = w.scheduler(clock, {}, driver);
    const jobs = Array.from(
      { length: 40 },
      (_, i) => `  - { name: j${i}, schedule: "0 * * * *", command: "true" }`,
    );
    s.activate(w.app, w.deploy(specOf(w.app, jobs.join('\n'))));
    at = t('2026-03-01T11:00:00Z');
    await s.tick();
    const runs = jobs.flatMap((_, i) => cron.listRuns(w.db, w.app, `j${i}`, 10));
    expect(runs).toHaveLength(40);
    await Promise.all(runs.map((r) => s.waitForRun(r.id)));
    const started = runs.map((r) => cron.getRun(w.db, r.id)!.startedAt!).sort((a, b) => a - b);
    expect(spawnCalls).toHaveLength(40);
    // Each run's start lies between its own spawn call and the next one (a batch holds up to 32 spawns).
    for (let k = 0; k < 40; k++) {
      expect(started[k]).toBeGreaterThan(spawnCalls[k]!);
      if (k < 39) expect(started[k]).toBeLessThan(spawnCalls[k + 1]!);
    }
  });

  it('Run now: manual trigger, no slot, the cursor unchanged; forbid refuses while a run is active unless forced', async () => {
    w = new World('manual');
    const clock = new TestClock(t('2026-03-01T10:30:00Z'));
    const s = w.scheduler(clock);
    s.activate(
      w.app,
      w.deploy(specOf(w.app, '  - { name: job, schedule: "0 * * * *", command: "sleep 2" }')),
    );
    const cursor = cron.getCronJob(w.db, w.app, 'job')!.cursor;
    const first = s.runNow(w.app, 'job', false);
    expect(first).toMatchObject({ trigger: 'manual', slot: null, status: 'running', coalesced: 0 });
    expect(() => s.runNow(w.app, 'job', false)).toThrow(expect.objectContaining({ code: 'NS_CRON_OVERLAP' }));
    expect(w.ofType('cron:slot:skipped')[0]!.data).toMatchObject({
      trigger: 'manual',
      reason: 'overlap',
      runId: null,
    });
    const forced = s.runNow(w.app, 'job', true);
    expect(forced.status).toBe('running');
    await waitFor(() => w.userPids().length === 2, 5_000, 'two runs at once (forced)');
    expect(cron.getCronJob(w.db, w.app, 'job')!.cursor).toBe(cursor);
    await Promise.all([s.waitForRun(first.id), s.waitForRun(forced.id)]);
    expect(s.history(w.app, 'job', 10).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect(() => s.runNow(w.app, 'nope', false)).toThrow(
      expect.objectContaining({ code: 'NS_CRON_JOB_NOT_FOUND' }),
    );
  });

  it('suspended: slots recorded as skipped; resuming fires nothing from the pause', async () => {
    w = new World('susp');
    const clock = new TestClock(t('2026-03-01T10:30:00Z'));
    const s = w.scheduler(clock);
    s.activate(
      w.app,
      w.deploy(specOf(w.app, '  - { name: job, schedule: "*/10 * * * *", command: "true" }')),
    );
    s.suspend(w.app, 'job');
    for (const at of ['10:40:01', '10:50:01', '11:00:01']) {
      clock.set(t(`2026-03-01T${at}Z`));
      await s.tick();
    }
    const rows = cron.listRuns(w.db, w.app, 'job', 10);
    expect(rows.map((r) => [r.status, r.reason])).toEqual([
      ['skipped', 'suspended'],
      ['skipped', 'suspended'],
      ['skipped', 'suspended'],
    ]);
    expect(w.ofType('cron:slot:skipped')).toHaveLength(3);
    clock.set(t('2026-03-01T11:05:00Z'));
    const entry = s.resume(w.app, 'job');
    expect(entry).toMatchObject({ suspended: false, nextSlot: '2026-03-01T11:10:00.000Z' });
    await s.tick();
    expect(cron.listRuns(w.db, w.app, 'job', 10)).toHaveLength(3);
  });

  it('a backward clock step re-fires nothing and is reported once', async () => {
    w = new World('back');
    const clock = new TestClock(t('2026-03-01T10:59:00Z'));
    const s = w.scheduler(clock);
    s.activate(w.app, w.deploy(specOf(w.app, '  - { name: job, schedule: "*/5 * * * *", command: "true" }')));
    clock.set(t('2026-03-01T11:00:00.100Z'));
    await s.tick();
    clock.set(t('2026-03-01T10:00:00Z')); // one hour back
    for (let i = 0; i < 5; i++) await s.tick();
    clock.set(t('2026-03-01T10:55:00Z'));
    await s.tick();
    expect(cron.listRuns(w.db, w.app, 'job', 10)).toHaveLength(1);
    expect(w.ofType('cron:clock:backwards').map((e) => e.data.behindMs)).toEqual([HOUR]);
    clock.set(t('2026-03-01T11:05:00Z'));
    await s.tick();
    expect(cron.listRuns(w.db, w.app, 'job', 10)).toHaveLength(2);
  });

  it('keeps the last `history.keep` runs and removes the logs of the others', async () => {
    w = new World('keep');
    const clock = new TestClock(t('2026-03-01T10:30:00Z'));
    const s = w.scheduler(clock);
    s.activate(
      w.app,
      w.deploy(
        specOf(
          w.app,
          '  - { name: job, schedule: "0 * * * *", command: "echo hi", history: { keep: 3, days: 30 } }',
        ),
      ),
    );
    const logs: string[] = [];
    for (let i = 0; i < 6; i++) {
      const run = s.runNow(w.app, 'job', false);
      await s.waitForRun(run.id);
      logs.push(cron.getRun(w.db, run.id)?.logPath ?? '');
      clock.set(clock.now() + 11_000); // retention runs at most every 10 s per job
    }
    const left = s.history(w.app, 'job', 100);
    expect(left).toHaveLength(3);
    // Log files go asynchronously, after their rows.
    await waitFor(() => logs.filter((p) => existsSync(p)).length === 3, 2_000, 'three run logs left');
    expect(logs.slice(3).every((p) => existsSync(p))).toBe(true);
  });

  it('drops runs older than `history.days`, keeping the newer ones', async () => {
    w = new World('age');
    const clock = new TestClock(t('2026-03-01T10:30:00Z'));
    const s = w.scheduler(clock);
    s.activate(
      w.app,
      w.deploy(
        specOf(
          w.app,
          '  - { name: job, schedule: "0 * * * *", command: "true", history: { keep: 100, days: 1 } }',
        ),
      ),
    );
    const old = [s.runNow(w.app, 'job', false), s.runNow(w.app, 'job', true)];
    await Promise.all(old.map((r) => s.waitForRun(r.id)));
    clock.set(t('2026-03-02T11:00:00Z')); // a day and a half later
    const recent = s.runNow(w.app, 'job', false);
    await s.waitForRun(recent.id);
    expect(s.history(w.app, 'job', 100).map((r) => r.id)).toEqual([recent.id]);
  });
});
