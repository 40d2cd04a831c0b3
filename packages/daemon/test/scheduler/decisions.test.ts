import { describe, expect, it } from 'vitest';
import { decideManual, decideSlot, type ActiveRuns } from '../../src/scheduler/pure/overlap.js';
import { finalStatus } from '../../src/scheduler/pure/status.js';
import { planSync, type KnownJob } from '../../src/scheduler/pure/sync.js';

const idle: ActiveRuns = { running: [], queued: null };
const busy: ActiveRuns = { running: [7], queued: null };
const busyQueued: ActiveRuns = { running: [7], queued: 8 };

describe('overlap for a scheduled slot', () => {
  it('starts whenever nothing of the job is active, whatever the policy', () => {
    for (const policy of ['forbid', 'queue_one', 'replace', 'allow'] as const) {
      expect(decideSlot({ policy, suspended: false, active: idle }), policy).toEqual({ kind: 'start' });
    }
  });

  it('forbid skips with reason overlap', () => {
    expect(decideSlot({ policy: 'forbid', suspended: false, active: busy })).toEqual({
      kind: 'skip',
      reason: 'overlap',
    });
  });

  it('queue_one queues one run, then folds further slots into it', () => {
    expect(decideSlot({ policy: 'queue_one', suspended: false, active: busy })).toEqual({ kind: 'queue' });
    expect(decideSlot({ policy: 'queue_one', suspended: false, active: busyQueued })).toEqual({
      kind: 'merge',
      into: 8,
    });
  });

  it('replace cancels every running run and queues behind them; a waiting successor absorbs newer slots', () => {
    expect(
      decideSlot({ policy: 'replace', suspended: false, active: { running: [3, 4], queued: null } }),
    ).toEqual({ kind: 'replace', cancel: [3, 4] });
    expect(decideSlot({ policy: 'replace', suspended: false, active: busyQueued })).toEqual({
      kind: 'merge',
      into: 8,
    });
  });

  it('allow starts alongside', () => {
    expect(decideSlot({ policy: 'allow', suspended: false, active: busyQueued })).toEqual({ kind: 'start' });
  });

  it('a suspended job skips every slot, idle or not', () => {
    for (const active of [idle, busy]) {
      expect(decideSlot({ policy: 'allow', suspended: true, active })).toEqual({
        kind: 'skip',
        reason: 'suspended',
      });
    }
  });
});

describe('overlap for Run now', () => {
  it('forbid refuses while a run is active; --force starts anyway', () => {
    expect(decideManual({ policy: 'forbid', force: false, active: busy })).toEqual({
      kind: 'refuse',
      reason: 'overlap',
    });
    expect(decideManual({ policy: 'forbid', force: true, active: busy })).toEqual({ kind: 'start' });
    expect(decideManual({ policy: 'forbid', force: false, active: idle })).toEqual({ kind: 'start' });
  });

  it('queue_one queues, but refuses when a run already waits', () => {
    expect(decideManual({ policy: 'queue_one', force: false, active: busy })).toEqual({ kind: 'queue' });
    expect(decideManual({ policy: 'queue_one', force: false, active: busyQueued })).toEqual({
      kind: 'refuse',
      reason: 'queued',
    });
  });

  it('replace replaces; allow starts', () => {
    expect(decideManual({ policy: 'replace', force: false, active: busy })).toEqual({
      kind: 'replace',
      cancel: [7],
    });
    expect(decideManual({ policy: 'allow', force: false, active: busyQueued })).toEqual({ kind: 'start' });
  });
});

describe('syncing the stored jobs with a release', () => {
  const now = 1_000_000;
  const known = (over: Partial<KnownJob> & { name: string }): KnownJob => ({
    schedule: '0 * * * *',
    command: `run ${over.name}`,
    cursor: now - 5_000,
    enabled: true,
    ...over,
  });

  it('adds a new job with its cursor at now', () => {
    expect(planSync([], [{ name: 'nightly', schedule: '0 2 * * *', command: 'x' }], now)).toEqual([
      {
        kind: 'add',
        job: { name: 'nightly', schedule: '0 2 * * *', command: 'x' },
        cursor: now,
        renamedFrom: null,
      },
    ]);
  });

  it('leaves an unchanged job alone (a daemon restart keeps the cursor, so the outage fires once)', () => {
    expect(
      planSync([known({ name: 'a' })], [{ name: 'a', schedule: '0 * * * *', command: 'run a' }], now),
    ).toEqual([]);
  });

  it('a changed schedule moves the cursor to now, never back', () => {
    const ahead = now + 60_000;
    expect(
      planSync([known({ name: 'a' })], [{ name: 'a', schedule: '*/5 * * * *', command: 'run a' }], now),
    ).toEqual([
      {
        kind: 'change',
        job: { name: 'a', schedule: '*/5 * * * *', command: 'run a' },
        from: '0 * * * *',
        cursor: now,
      },
    ]);
    expect(
      planSync(
        [known({ name: 'a', cursor: ahead })],
        [{ name: 'a', schedule: '*/5 * * * *', command: 'run a' }],
        now,
      )[0],
    ).toMatchObject({ cursor: ahead });
  });

  it('a changed command keeps the cursor', () => {
    expect(
      planSync([known({ name: 'a' })], [{ name: 'a', schedule: '0 * * * *', command: 'other' }], now),
    ).toEqual([{ kind: 'command', job: { name: 'a', schedule: '0 * * * *', command: 'other' } }]);
  });

  it('a removed job is disabled; a renamed one is a new job that names the old', () => {
    const actions = planSync(
      [known({ name: 'old-name', command: 'python cleanup.py' }), known({ name: 'gone' })],
      [{ name: 'new-name', schedule: '0 * * * *', command: 'python cleanup.py' }],
      now,
    );
    expect(actions).toEqual([
      {
        kind: 'add',
        job: { name: 'new-name', schedule: '0 * * * *', command: 'python cleanup.py' },
        cursor: now,
        renamedFrom: 'old-name',
      },
      { kind: 'remove', name: 'old-name' },
      { kind: 'remove', name: 'gone' },
    ]);
  });

  it('a job back in the manifest resumes at now (no fire for the time it was gone)', () => {
    expect(
      planSync(
        [known({ name: 'a', enabled: false, cursor: now - 86_400_000 })],
        [{ name: 'a', schedule: '0 * * * *', command: 'run a' }],
        now,
      ),
    ).toEqual([{ kind: 'revive', job: { name: 'a', schedule: '0 * * * *', command: 'run a' }, cursor: now }]);
    // Already disabled and still absent: nothing to do.
    expect(planSync([known({ name: 'a', enabled: false })], [], now)).toEqual([]);
  });
});

describe('final status of a run', () => {
  it('exit 0 succeeds, anything else fails, the daemon’s own stop wins', () => {
    expect(finalStatus({ code: 0, signal: null }, null)).toEqual({ status: 'succeeded', reason: null });
    expect(finalStatus({ code: 3, signal: null }, null)).toEqual({ status: 'failed', reason: null });
    expect(finalStatus({ code: null, signal: 'SIGKILL' }, null)).toEqual({
      status: 'failed',
      reason: 'killed by SIGKILL',
    });
    expect(
      finalStatus(
        { code: null, signal: 'SIGTERM' },
        { status: 'timed_out', reason: 'ran past its timeout of 1s' },
      ),
    ).toEqual({
      status: 'timed_out',
      reason: 'ran past its timeout of 1s',
    });
    expect(
      finalStatus({ code: 0, signal: null }, { status: 'cancelled', reason: 'replaced by run 9' }).status,
    ).toBe('cancelled');
  });
});
