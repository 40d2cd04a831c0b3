/**
 * Cron (DESIGN §5): a pure slot engine (`pure/`) and the effectful shell around it — the loop that claims slots
 * against the durable cursor, the runs it executes as process groups, recovery at start and the metrics hook.
 * `main.ts` builds one `Scheduler`, calls `recoverRuns` before `start`, and `activate` for every live release.
 */
export { Scheduler, type SchedulerDeps } from './scheduler.js';
export { parseSchedulerOptions, type SchedulerOptions, type SchedulerConfig } from './options.js';
export { recoverRuns } from './recover.js';
export { countCronEvents, type CronCounters } from './metrics.js';
export { CRON_ERROR_CODES } from './errors.js';
export { compileSchedule, type Schedule, type Granularity } from './pure/schedule.js';
export { dueSlot, nextSlot, COALESCE_CAP, type DueSlot } from './pure/slots.js';
