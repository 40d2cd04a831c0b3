import type * as table from './table.js';
import { wireOf } from './wire.js';

/**
 * Every route of ./table.ts by the same name, without its zod schemas: what the CLI calls the API with.
 * test/api-table.test.ts keeps the two in step.
 */
export const addDrain = wireOf<typeof table.addDrain>('POST', '/apps/:app/drains', { status: 201 });
export const appEvents = wireOf<typeof table.appEvents>('GET', '/apps/:app/events');
export const autoscaleBounds = wireOf<typeof table.autoscaleBounds>('POST', '/apps/:app/autoscale');
export const autoscaleStatus = wireOf<typeof table.autoscaleStatus>('GET', '/apps/:app/autoscale');
export const cronAll = wireOf<typeof table.cronAll>('GET', '/cron');
export const cronCancel = wireOf<typeof table.cronCancel>('POST', '/apps/:app/cron/jobs/:job/cancel');
export const cronResumeAll = wireOf<typeof table.cronResumeAll>('POST', '/apps/:app/cron/resume');
export const cronSuspendAll = wireOf<typeof table.cronSuspendAll>('POST', '/apps/:app/cron/suspend');
export const cronHistory = wireOf<typeof table.cronHistory>('GET', '/apps/:app/cron/jobs/:job/history');
export const cronJobs = wireOf<typeof table.cronJobs>('GET', '/apps/:app/cron');
export const cronResume = wireOf<typeof table.cronResume>('POST', '/apps/:app/cron/jobs/:job/resume');
export const cronRun = wireOf<typeof table.cronRun>('POST', '/apps/:app/cron/jobs/:job/run');
export const cronRunInfo = wireOf<typeof table.cronRunInfo>('GET', '/apps/:app/cron/runs/:id');
export const cronRunLogStream = wireOf<typeof table.cronRunLogStream>(
  'GET',
  '/apps/:app/cron/runs/:id/logs/stream',
  { answers: 'sse' },
);
export const cronRunLogs = wireOf<typeof table.cronRunLogs>('GET', '/apps/:app/cron/runs/:id/logs');
export const cronSuspend = wireOf<typeof table.cronSuspend>('POST', '/apps/:app/cron/jobs/:job/suspend');
export const daemonInfo = wireOf<typeof table.daemonInfo>('GET', '/daemon');
export const daemonStop = wireOf<typeof table.daemonStop>('POST', '/daemon/stop', { status: 202 });
export const deploy = wireOf<typeof table.deploy>('POST', '/deploy', { answers: 'json-or-ndjson' });
export const destroyApp = wireOf<typeof table.destroyApp>('DELETE', '/apps/:app');
export const eventStream = wireOf<typeof table.eventStream>('GET', '/apps/:app/events/stream', {
  answers: 'sse',
});
export const events = wireOf<typeof table.events>('GET', '/events');
export const listApps = wireOf<typeof table.listApps>('GET', '/apps');
export const listConfig = wireOf<typeof table.listConfig>('GET', '/apps/:app/config');
export const listDrains = wireOf<typeof table.listDrains>('GET', '/apps/:app/drains');
export const listSecrets = wireOf<typeof table.listSecrets>('GET', '/apps/:app/secrets');
export const login = wireOf<typeof table.login>('POST', '/session');
export const loginCode = wireOf<typeof table.loginCode>('POST', '/dashboard/login-code');
export const logout = wireOf<typeof table.logout>('DELETE', '/session');
export const logDisk = wireOf<typeof table.logDisk>('GET', '/logs/disk');
export const logStream = wireOf<typeof table.logStream>('GET', '/apps/:app/logs/stream', { answers: 'sse' });
export const logs = wireOf<typeof table.logs>('GET', '/apps/:app/logs', { answers: 'json-or-ndjson' });
export const metrics = wireOf<typeof table.metrics>('GET', '/apps/:app/metrics');
export const oneOffFinished = wireOf<typeof table.oneOffFinished>('POST', '/apps/:app/run/finished');
export const ps = wireOf<typeof table.ps>('GET', '/apps/:app/ps');
export const psAll = wireOf<typeof table.psAll>('GET', '/ps');
export const queueCancel = wireOf<typeof table.queueCancel>('POST', '/apps/:app/queues/:queue/cancel');
export const queueClean = wireOf<typeof table.queueClean>('POST', '/apps/:app/queues/:queue/clean');
export const queuePause = wireOf<typeof table.queuePause>('POST', '/apps/:app/queues/:queue/pause');
export const queueResume = wireOf<typeof table.queueResume>('POST', '/apps/:app/queues/:queue/resume');
export const queueRetry = wireOf<typeof table.queueRetry>('POST', '/apps/:app/queues/:queue/retry');
export const queues = wireOf<typeof table.queues>('GET', '/apps/:app/queues');
export const redisFlush = wireOf<typeof table.redisFlush>('POST', '/apps/:app/redis/flush');
export const redisInfo = wireOf<typeof table.redisInfo>('GET', '/apps/:app/redis');
export const redisRotate = wireOf<typeof table.redisRotate>('POST', '/apps/:app/redis/rotate');
export const releases = wireOf<typeof table.releases>('GET', '/apps/:app/releases');
export const removeDrain = wireOf<typeof table.removeDrain>('DELETE', '/apps/:app/drains/:id');
export const removeSecrets = wireOf<typeof table.removeSecrets>('POST', '/apps/:app/secrets/remove');
export const restart = wireOf<typeof table.restart>('POST', '/apps/:app/restart');
export const rollback = wireOf<typeof table.rollback>('POST', '/apps/:app/rollback');
export const rotateKey = wireOf<typeof table.rotateKey>('POST', '/secrets/rotate-key');
export const runOneOff = wireOf<typeof table.runOneOff>('POST', '/apps/:app/run');
export const scale = wireOf<typeof table.scale>('POST', '/apps/:app/scale');
export const setConfig = wireOf<typeof table.setConfig>('POST', '/apps/:app/config');
export const setSecrets = wireOf<typeof table.setSecrets>('POST', '/apps/:app/secrets');
export const startProcess = wireOf<typeof table.startProcess>('POST', '/apps/:app/start');
export const stopProcess = wireOf<typeof table.stopProcess>('POST', '/apps/:app/stop');
export const unsetConfig = wireOf<typeof table.unsetConfig>('POST', '/apps/:app/config/unset');
export const usage = wireOf<typeof table.usage>('GET', '/apps/:app/usage');
