import type { AppSpec, CronSpec } from '@nightshift/manifest';
import type { EventBus } from '../events/index.js';
import * as cron from '../store/cron.js';
import { transaction, type Db } from '../store/db.js';
import { compileSchedule, type Granularity, type Schedule } from './pure/schedule.js';
import { nextSlot, wakeAt } from './pure/slots.js';
import { planSync, type SyncAction } from './pure/sync.js';

/** A job as the loop keeps it in memory: the live release's declaration plus the stored cursor. */
export interface JobState {
  readonly app: string;
  readonly spec: CronSpec;
  readonly schedule: Schedule;
  cursor: number;
  suspended: boolean;
  /** The first slot after the cursor: before this instant a tick has nothing to do for the job. */
  wake: number | null;
  /** Set once a backward clock step was reported, until the clock passes the cursor again. */
  behindReported: boolean;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Applies a release's cron jobs to the store (one transaction), reports each change as an event, and returns
 * the in-memory states of the app's jobs. Schedules are compiled once here, not on every tick.
 */
export function syncJobs(
  db: Db,
  bus: EventBus,
  spec: AppSpec,
  now: number,
  granularity: Granularity,
): Map<string, JobState> {
  const app = spec.name;
  const declared = spec.cron.map((c) => ({ name: c.name, schedule: c.schedule, command: c.command.source }));
  const actions = transaction(db, () => {
    const planned = planSync(cron.listCronJobs(db, app), declared, now);
    for (const a of planned) apply(db, app, a, now);
    return planned;
  });
  const states = new Map<string, JobState>();
  for (const c of spec.cron) {
    const row = cron.getCronJob(db, app, c.name);
    if (!row) continue;
    const schedule = compileSchedule(c.schedule, granularity);
    states.set(c.name, {
      app,
      spec: c,
      schedule,
      cursor: row.cursor,
      suspended: row.suspended,
      wake: wakeAt(schedule, row.cursor),
      behindReported: false,
    });
  }
  for (const a of actions) report(bus, app, a, states, now);
  return states;
}

function apply(db: Db, app: string, a: SyncAction, now: number): void {
  switch (a.kind) {
    case 'add':
      cron.insertCronJob(db, {
        app,
        name: a.job.name,
        schedule: a.job.schedule,
        command: a.job.command,
        cursor: a.cursor,
        now,
      });
      return;
    case 'change':
    case 'revive':
    case 'command': {
      const cursor = a.kind === 'command' ? 0 : a.cursor; // MAX(last_slot, 0) keeps the cursor
      cron.updateCronJob(db, {
        app,
        name: a.job.name,
        schedule: a.job.schedule,
        command: a.job.command,
        cursor,
        enabled: true,
        now,
      });
      return;
    }
    case 'remove':
      cron.disableCronJob(db, app, a.name, now);
      return;
  }
}

function report(bus: EventBus, app: string, a: SyncAction, states: Map<string, JobState>, now: number): void {
  const next = (name: string) => {
    const s = states.get(name);
    return s ? iso(nextSlot(s.schedule, s.cursor, now)) : null;
  };
  switch (a.kind) {
    case 'add':
    case 'revive':
      bus.emit({
        type: 'cron:job:added',
        app,
        message: `cron ${a.job.name} (${a.job.schedule} UTC) ${a.kind === 'add' ? 'added' : 'back in the manifest'}; next slot ${next(a.job.name) ?? 'none'}`,
        data: { job: a.job.name, schedule: a.job.schedule, nextSlot: next(a.job.name) },
      });
      if (a.kind === 'add' && a.renamedFrom) {
        bus.emit({
          type: 'cron:job:renamed',
          app,
          message: `warning: cron ${a.job.name} looks like ${a.renamedFrom} renamed; a renamed job is a new job (its schedule starts now, ${a.renamedFrom}'s history stays under ${a.renamedFrom})`,
          data: { job: a.job.name, from: a.renamedFrom },
        });
      }
      return;
    case 'change':
      bus.emit({
        type: 'cron:job:changed',
        app,
        message: `cron ${a.job.name} schedule changed from ${a.from} to ${a.job.schedule} (UTC); it starts now, nothing fires retroactively`,
        data: { job: a.job.name, from: a.from, to: a.job.schedule, nextSlot: next(a.job.name) },
      });
      return;
    case 'remove':
      bus.emit({
        type: 'cron:job:removed',
        app,
        message: `cron ${a.name} is no longer in the manifest: disabled (history kept)`,
        data: { job: a.name },
      });
      return;
    case 'command':
      return;
  }
}
