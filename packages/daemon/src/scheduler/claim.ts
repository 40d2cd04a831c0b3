import type { OverlapPolicy } from '@nightshift/manifest';
import * as cron from '../store/cron.js';
import { savepoint, transaction, type Db } from '../store/db.js';
import { decideManual, decideSlot, type ActiveRuns } from './pure/overlap.js';
import type { DueSlot } from './pure/slots.js';

/** What a slot claim did; `lost` means another instance moved the cursor first (it owns the slot). */
export type SlotClaim =
  | { readonly kind: 'lost' }
  | { readonly kind: 'start'; readonly runId: number }
  | {
      readonly kind: 'skip';
      readonly runId: number;
      readonly reason: 'overlap' | 'suspended';
      readonly active: readonly number[];
    }
  | { readonly kind: 'queue'; readonly runId: number }
  | { readonly kind: 'merge'; readonly runId: number }
  | { readonly kind: 'replace'; readonly runId: number; readonly cancel: readonly number[] };

/** The job as the claim needs it. */
export interface ClaimJob {
  readonly app: string;
  readonly name: string;
  /** The cursor as this instance last saw it: the compare-and-set's expected value. */
  readonly cursor: number;
  readonly overlap: OverlapPolicy;
}

function activeOf(rows: readonly cron.CronRunRow[]): ActiveRuns {
  return {
    running: rows.filter((r) => r.status === 'running').map((r) => r.id),
    queued: rows.find((r) => r.status === 'queued')?.id ?? null,
  };
}

/** One due slot of one job, for `claimSlots`. */
export interface SlotRequest {
  readonly job: ClaimJob;
  readonly due: DueSlot;
}

/**
 * Claims due slots of several jobs in ONE transaction (one commit for a batch, not one per job), each claim in
 * a savepoint of its own: a claim that throws is undone alone and answered as its error; the others stand.
 */
export function claimSlots(db: Db, requests: readonly SlotRequest[], now: number): (SlotClaim | Error)[] {
  return transaction(db, () =>
    requests.map(({ job, due }) => {
      try {
        return savepoint(db, () => claimIn(db, job, due, now));
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err));
      }
    }),
  );
}

// Claims a due slot atomically: compare-and-set of the cursor, the overlap decision read from the run table (the
// lock), and the run row under UNIQUE(app, job, slot). Two instances on one database cannot both win a slot: the
// loser's compare-and-set changes nothing and it writes nothing.
function claimIn(db: Db, job: ClaimJob, due: DueSlot, now: number): SlotClaim {
  const row = cron.claimCursor(db, job.app, job.name, job.cursor, due.slot);
  if (!row) return { kind: 'lost' };
  const active = activeOf(cron.activeRuns(db, job.app, job.name));
  const decision = decideSlot({ policy: job.overlap, suspended: row.suspended, active });
  const base = {
    app: job.app,
    job: job.name,
    trigger: 'schedule' as const,
    slot: due.slot,
    coalesced: due.coalesced,
    now,
  };
  switch (decision.kind) {
    case 'start':
      return { kind: 'start', runId: cron.insertRun(db, { ...base, status: 'running', reason: null }) };
    case 'skip': {
      const runId = cron.insertRun(db, { ...base, status: 'skipped', reason: decision.reason });
      return { kind: 'skip', runId, reason: decision.reason, active: active.running };
    }
    case 'queue':
      return { kind: 'queue', runId: cron.insertRun(db, { ...base, status: 'queued', reason: null }) };
    case 'merge':
      // The queued run now stands for this slot; the slot it stood for and the gap become coalesced.
      cron.mergeIntoQueued(db, decision.into, due.slot, 1 + due.coalesced);
      return { kind: 'merge', runId: decision.into };
    case 'replace': {
      const runId = cron.insertRun(db, { ...base, status: 'queued', reason: null });
      return { kind: 'replace', runId, cancel: decision.cancel };
    }
    case 'refuse':
      throw new Error('decideSlot never refuses');
  }
}

/** What a Run now request did. */
export type ManualClaim =
  | { readonly kind: 'start'; readonly runId: number }
  | { readonly kind: 'queue'; readonly runId: number }
  | { readonly kind: 'replace'; readonly runId: number; readonly cancel: readonly number[] }
  | { readonly kind: 'refuse'; readonly reason: 'overlap' | 'queued'; readonly active: readonly number[] };

/** Run now: the overlap decision and the run row in one transaction; the cursor is never touched. */
export function claimManual(db: Db, job: Omit<ClaimJob, 'cursor'>, force: boolean, now: number): ManualClaim {
  return transaction(db, (): ManualClaim => {
    const rows = cron.activeRuns(db, job.app, job.name);
    const decision = decideManual({ policy: job.overlap, force, active: activeOf(rows) });
    const base = {
      app: job.app,
      job: job.name,
      trigger: 'manual' as const,
      slot: null,
      coalesced: 0,
      reason: null,
      now,
    };
    switch (decision.kind) {
      case 'start':
        return { kind: 'start', runId: cron.insertRun(db, { ...base, status: 'running' }) };
      case 'queue':
        return { kind: 'queue', runId: cron.insertRun(db, { ...base, status: 'queued' }) };
      case 'replace':
        return {
          kind: 'replace',
          runId: cron.insertRun(db, { ...base, status: 'queued' }),
          cancel: decision.cancel,
        };
      case 'refuse':
        return { kind: 'refuse', reason: decision.reason, active: rows.map((r) => r.id) };
      case 'skip':
      case 'merge':
        throw new Error(`decideManual never answers ${decision.kind}`);
    }
  });
}

/** Starts the queued run of a job once nothing of it runs any more; returns its id, or null. */
export function claimQueued(db: Db, app: string, job: string): cron.CronRunRow | null {
  return transaction(db, () => {
    const active = activeOf(cron.activeRuns(db, app, job));
    if (active.queued === null || active.running.length > 0) return null;
    return cron.promoteQueued(db, active.queued) ? cron.getRun(db, active.queued) : null;
  });
}
