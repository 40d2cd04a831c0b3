import type { EventBus } from '../events/index.js';
import type { SlotClaim } from './claim.js';
import type { JobState } from './jobs.js';
import type { DueSlot } from './pure/slots.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The event of a won slot claim: `cron:slot:skipped`, or `cron:slot:fired` with what became of the run. */
export function reportClaim(
  bus: EventBus,
  job: JobState,
  due: DueSlot,
  claim: Exclude<SlotClaim, { kind: 'lost' }>,
): void {
  const name = job.spec.name;
  const slot = new Date(due.slot).toISOString();
  if (claim.kind === 'skip') {
    const why =
      claim.reason === 'suspended'
        ? 'the job is suspended'
        : `run ${claim.active.join(', ')} still running (overlap forbid)`;
    bus.emit({
      type: 'cron:slot:skipped',
      app: job.app,
      message: `cron ${name} slot ${slot} skipped: ${why}`,
      data: {
        job: name,
        runId: claim.runId,
        trigger: 'schedule',
        slot,
        reason: claim.reason,
        coalesced: due.coalesced,
      },
    });
    return;
  }
  const outcome = ({ start: 'started', queue: 'queued', merge: 'merged', replace: 'replacing' } as const)[
    claim.kind
  ];
  const missed = `${due.coalesced}${due.capped ? '+' : ''} missed slot${due.coalesced === 1 ? '' : 's'}`;
  bus.emit({
    type: 'cron:slot:fired',
    app: job.app,
    message: `cron ${name} slot ${slot} → run ${claim.runId} ${outcome}${due.coalesced > 0 ? `, late by ${due.lateMs} ms for ${missed}` : ''}`,
    data: {
      job: name,
      runId: claim.runId,
      slot,
      coalesced: due.coalesced,
      coalescedCapped: due.capped,
      lateMs: due.lateMs,
      outcome,
    },
  });
}

/** A Run now the overlap policy turned down: a skip too, never silent. */
export function reportRefused(
  bus: EventBus,
  app: string,
  name: string,
  reason: 'overlap' | 'queued',
  active: readonly number[],
): void {
  bus.emit({
    type: 'cron:slot:skipped',
    app,
    message: `cron ${name}: Run now refused (${reason === 'overlap' ? `run ${active.join(', ')} still running, overlap forbid` : 'a run already waits'})`,
    data: { job: name, runId: null, trigger: 'manual', slot: null, reason, coalesced: 0 },
  });
}

/** The clock stands before the cursor: said once until the clock passes it again. */
export function reportClockBehind(bus: EventBus, job: JobState, behindMs: number): void {
  bus.emit({
    type: 'cron:clock:backwards',
    app: job.app,
    message: `cron ${job.spec.name}: the clock stands ${behindMs} ms before the last slot decided; slots wait until it passes (none fires twice)`,
    data: { job: job.spec.name, behindMs },
  });
}

/** `cron suspend` / `cron resume`. */
export function reportSuspended(
  bus: EventBus,
  app: string,
  name: string,
  suspended: boolean,
  next: number | null,
): void {
  bus.emit(
    suspended
      ? {
          type: 'cron:job:suspended',
          app,
          message: `cron ${name} suspended: its slots are recorded as skipped`,
          data: { job: name },
        }
      : {
          type: 'cron:job:resumed',
          app,
          message: `cron ${name} resumed; next slot ${iso(next) ?? 'none'} (nothing from the pause fires)`,
          data: { job: name, nextSlot: iso(next) },
        },
  );
}
