import { afterEach, describe, expect, it } from 'vitest';
import * as cron from '../../src/store/cron.js';
import { sleep, specOf, TestClock, waitFor, World } from './world.js';

/**
 * Overlap and stop rules with real process groups, on the system clock with a seconds-granularity schedule (the
 * library API's), so each scenario takes seconds instead of minutes. `killGraceMs` is 500 ms here.
 */
describe('overlap policies and stopping runs (real processes, every-second slots)', () => {
  let w: World;
  afterEach(async () => {
    expect(await w.close()).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  /** Runs the loop for `ms`, sampling how many runs of the app have processes at once. */
  async function observe(ms: number): Promise<number> {
    let most = 0;
    const end = Date.now() + ms;
    while (Date.now() < end) {
      most = Math.max(most, w.liveRuns().length);
      await sleep(20);
    }
    return most;
  }

  function start(job: string, seconds: string, policyYaml: string) {
    const s = w.scheduler(new TestClock(null), { granularity: 'seconds' });
    s.activate(w.app, w.deploy(specOf(w.app, policyYaml, { [job]: seconds })));
    s.start();
    return s;
  }

  it('forbid: a run longer than the interval skips the slots it covers (each an event), never two at once', async () => {
    w = new World('forbid');
    const s = start('slow', '* * * * * *', '  - { name: slow, schedule: "* * * * *", command: "sleep 2.5" }');
    const most = await observe(6_300);
    await s.shutdown();
    expect(most).toBe(1);
    const rows = cron.listRuns(w.db, w.app, 'slow', 100).reverse();
    const ran = rows.filter((r) => r.status !== 'skipped');
    const skipped = rows.filter((r) => r.status === 'skipped');
    expect(ran.length).toBeGreaterThanOrEqual(2);
    expect(skipped.length).toBeGreaterThanOrEqual(3);
    expect(skipped.every((r) => r.reason === 'overlap')).toBe(true);
    expect(
      w
        .ofType('cron:slot:skipped')
        .map((e) => e.data.runId)
        .sort(),
    ).toEqual(skipped.map((r) => r.id).sort());
    // Every skipped slot fell while a run was running; runs never overlap.
    for (const r of skipped)
      expect(ran.some((x) => x.startedAt! <= r.slot! && r.slot! < (x.finishedAt ?? Infinity))).toBe(true);
    for (let i = 1; i < ran.length; i++)
      expect(ran[i]!.startedAt!).toBeGreaterThanOrEqual(ran[i - 1]!.finishedAt!);
  });

  it('queue_one: one run waits and starts as soon as the previous ends; later slots fold into it', async () => {
    w = new World('queue');
    const s = start(
      'slow',
      '* * * * * *',
      '  - { name: slow, schedule: "* * * * *", command: "sleep 1.5", overlap: queue_one }',
    );
    const most = await observe(6_300);
    await s.shutdown();
    expect(most).toBe(1);
    const rows = cron.listRuns(w.db, w.app, 'slow', 100).reverse();
    expect(rows.filter((r) => r.status === 'skipped')).toEqual([]);
    const ran = rows.filter((r) => r.startedAt !== null);
    for (let i = 1; i < ran.length; i++) {
      expect(ran[i]!.startedAt! - ran[i - 1]!.finishedAt!).toBeGreaterThanOrEqual(0);
      expect(ran[i]!.startedAt! - ran[i - 1]!.finishedAt!).toBeLessThan(300);
    }
    expect(rows.some((r) => r.coalesced >= 1)).toBe(true); // a slot folded into the queued run
    expect(w.ofType('cron:slot:fired').map((e) => e.data.outcome)).toEqual(
      expect.arrayContaining(['started', 'queued', 'merged']),
    );
  });

  it('replace: the running run is stopped (SIGTERM, SIGKILL after the grace) and ends cancelled; the new one starts after it', async () => {
    w = new World('replace');
    const s = start(
      'stubborn',
      '*/2 * * * * *',
      `  - { name: stubborn, schedule: "* * * * *", command: "sh -c 'trap \\"\\" TERM; sleep 10'", overlap: replace }`,
    );
    const most = await observe(5_200);
    await s.shutdown();
    expect(most).toBe(1);
    const rows = cron.listRuns(w.db, w.app, 'stubborn', 100).reverse();
    const cancelled = rows.filter((r) => r.status === 'cancelled' && r.reason?.startsWith('replaced by run'));
    expect(cancelled.length).toBeGreaterThanOrEqual(1);
    for (const old of cancelled) {
      const successor = rows.find((r) => old.reason === `replaced by run ${r.id}`)!;
      expect(old.signal).toBe('SIGKILL'); // it ignored SIGTERM
      expect(old.finishedAt! - successor.slot!).toBeGreaterThanOrEqual(450);
      // The stop at the end of the test can catch a successor before it started.
      if (successor.startedAt === null) expect(['cancelled', 'interrupted']).toContain(successor.status);
      else expect(successor.startedAt).toBeGreaterThanOrEqual(old.finishedAt!);
    }
    expect(
      cancelled.some((old) => rows.find((r) => old.reason === `replaced by run ${r.id}`)!.startedAt !== null),
    ).toBe(true);
    expect(w.ofType('cron:run:cancelled').filter((e) => e.data.reason.startsWith('replaced')).length).toBe(
      cancelled.length,
    );
  });

  it('timeout: the whole group goes (SIGTERM, SIGKILL after the grace), status timed_out', async () => {
    w = new World('timeout');
    const s = w.scheduler(new TestClock(null));
    s.activate(
      w.app,
      w.deploy(
        specOf(
          w.app,
          `  - { name: hang, schedule: "0 0 1 1 *", timeout: 1s, command: "sh -c 'trap \\"\\" TERM; sleep 30 & sleep 30 & wait'" }`,
        ),
      ),
    );
    const run = s.runNow(w.app, 'hang', false);
    await waitFor(() => w.userPids().length === 3, 3_000, 'sh and two sleeps');
    await s.waitForRun(run.id);
    expect(w.userPids()).toEqual([]);
    const done = s.history(w.app, 'hang', 1)[0]!;
    expect(done).toMatchObject({ status: 'timed_out', exitCode: null, signal: 'SIGKILL' });
    expect(done.durationMs!).toBeGreaterThanOrEqual(1_450);
    expect(done.durationMs!).toBeLessThan(4_000);
    expect(w.ofType('cron:run:timed-out')[0]!.data).toEqual({ job: 'hang', runId: run.id, timeoutMs: 1_000 });
  });

  it('timeout: a grandchild that ignores SIGTERM after its leader died is still killed', async () => {
    w = new World('grand');
    const s = w.scheduler(new TestClock(null));
    s.activate(
      w.app,
      w.deploy(
        specOf(
          w.app,
          `  - { name: hang, schedule: "0 0 1 1 *", timeout: 500ms, command: "sh -c '(trap \\"\\" TERM; sleep 30) & sleep 30'" }`,
        ),
      ),
    );
    const run = s.runNow(w.app, 'hang', false);
    await s.waitForRun(run.id);
    expect(w.userPids()).toEqual([]);
    expect(s.history(w.app, 'hang', 1)[0]).toMatchObject({ status: 'timed_out', signal: 'SIGTERM' });
  });

  it('what a finished run left in its group is killed with it; daemon stop interrupts a run', async () => {
    w = new World('left');
    const s = w.scheduler(new TestClock(null));
    s.activate(
      w.app,
      w.deploy(
        specOf(
          w.app,
          `  - { name: bg, schedule: "0 0 1 1 *", command: "sh -c 'sleep 30 & echo started'" }\n  - { name: long, schedule: "0 0 1 1 *", command: "sleep 30" }`,
        ),
      ),
    );
    const bg = s.runNow(w.app, 'bg', false);
    await s.waitForRun(bg.id);
    expect(s.history(w.app, 'bg', 1)[0]).toMatchObject({ status: 'succeeded', exitCode: 0 });
    await waitFor(() => w.userPids().length === 0, 1_000, 'the background sleep to be killed');
    const long = s.runNow(w.app, 'long', false);
    await waitFor(() => w.userPids().length === 1, 3_000, 'the long run');
    await s.shutdown();
    expect(s.history(w.app, 'long', 1)[0]).toMatchObject({
      id: long.id,
      status: 'interrupted',
      signal: 'SIGTERM',
      reason: 'the daemon stopped while it ran',
    });
    expect(w.ofType('cron:run:interrupted')).toHaveLength(1);
  });
});
