import type { CronSpec } from '@nightshift/manifest';
import type { CronJobEntry, CronRunEntry } from '@nightshift/protocol';
import type { CronRunRow } from '../store/cron.js';

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Stored run → API shape (DESIGN §7's `cron history` fields, plus `reason`). */
export function toRunEntry(r: CronRunRow): CronRunEntry {
  return {
    id: r.id,
    job: r.job,
    trigger: r.trigger,
    slot: isoOrNull(r.slot),
    coalesced: r.coalesced,
    status: r.status,
    exitCode: r.exitCode,
    signal: r.signal,
    startedAt: isoOrNull(r.startedAt),
    finishedAt: isoOrNull(r.finishedAt),
    durationMs: r.startedAt !== null && r.finishedAt !== null ? r.finishedAt - r.startedAt : null,
    release: r.release === null ? null : `v${r.release}`,
    reason: r.reason,
  };
}

/** A job of the live release → API shape, with its next slots, running count and last run. */
export function toJobEntry(
  spec: CronSpec,
  state: { suspended: boolean; nextSlots: readonly number[]; running: number },
  lastRun: CronRunRow | null,
): CronJobEntry {
  return {
    name: spec.name,
    schedule: spec.schedule,
    command: spec.command.source,
    overlap: spec.overlap,
    timeoutMs: spec.timeoutMs,
    suspended: state.suspended,
    nextSlot: isoOrNull(state.nextSlots[0] ?? null),
    nextSlots: state.nextSlots.map((ms) => new Date(ms).toISOString()),
    lastRun: lastRun ? toRunEntry(lastRun) : null,
    running: state.running,
  };
}
