import { z } from 'zod';
import { param, route } from './define.js';
import * as shape from './shapes.js';

/**
 * Every route of the API (DESIGN §7), by what it does. Bodies accept what the daemon's handlers accepted before
 * they were declared (a body's unknown keys are ignored); queries are strings the handlers check themselves, so
 * their messages stay specific.
 */

const processBody = z.object({ process: z.string() });
const setVars = z.object({
  values: z.record(z.string(), z.string()).refine((v) => Object.keys(v).length > 0),
  restart: z.boolean().optional(),
});
const nameList = z
  .array(z.string())
  .min(1)
  .refine((names) => new Set(names).size === names.length);

export const daemonInfo = route({ method: 'GET', path: '/daemon', answer: shape.daemonInfo });
export const daemonStop = route({
  method: 'POST',
  path: '/daemon/stop',
  answer: z.object({ stopping: z.literal(true) }),
  status: 202,
});

export const listApps = route({ method: 'GET', path: '/apps', answer: z.array(shape.appEntry) });
/** With `accept: application/x-ndjson`: `{ type: 'line', line }`… then `{ type: 'result', result }` or `{ type: 'error', error }`. */
export const deploy = route({
  method: 'POST',
  path: '/deploy',
  body: z.object({
    dir: z.string().startsWith('/'),
    manifest: z.string().optional(),
    ref: z.string().optional(),
  }),
  example: '{ "dir": "/absolute/path" }',
  answer: shape.deployResponse,
  answers: 'json-or-ndjson',
});
export const rollback = route({
  method: 'POST',
  path: '/apps/:app/rollback',
  body: z.object({
    release: z
      .string()
      .regex(/^v?\d+$/)
      .optional(),
  }),
  example: '{ "release": "v3" }',
  answer: shape.rollbackResponse,
});
export const psAll = route({ method: 'GET', path: '/ps', answer: shape.psResponse });
export const ps = route({ method: 'GET', path: '/apps/:app/ps', answer: shape.psResponse });
/** `since`: a duration (`1h`, default) or an ISO time; `step`: seconds, at least the kept resolution. */
export const metrics = route({
  method: 'GET',
  path: '/apps/:app/metrics',
  query: z.object({ process: param(), replica: param(), since: param(), step: param() }),
  answer: shape.metricsResponse,
});
export const releases = route({
  method: 'GET',
  path: '/apps/:app/releases',
  answer: z.array(shape.releaseEntry),
});
export const scale = route({
  method: 'POST',
  path: '/apps/:app/scale',
  body: z.object({
    changes: z
      .array(z.object({ process: z.string(), op: z.enum(['=', '+', '-']), count: z.number() }))
      .min(1),
  }),
  example: '{ "changes": [{ "process": "emails", "op": "=", "count": 4 }] }',
  answer: z.array(z.object({ process: z.string(), from: z.number(), to: z.number() })),
});
/** The last decision and current signals of each autoscaled process (`nightshift autoscale status`). */
export const autoscaleStatus = route({
  method: 'GET',
  path: '/apps/:app/autoscale',
  query: z.object({ process: param() }),
  answer: shape.autoscaleStatus,
});
/** `scale PROC --min N --max M`: bounds that hold until a deploy changes the manifest's. */
export const autoscaleBounds = route({
  method: 'POST',
  path: '/apps/:app/autoscale',
  body: z.object({ process: z.string(), min: z.number().optional(), max: z.number().optional() }),
  example: '{ "process": "emails", "min": 1, "max": 6 }',
  answer: shape.autoscaleBoundsResult,
});
export const restart = route({
  method: 'POST',
  path: '/apps/:app/restart',
  body: z.object({ process: z.string().optional() }),
  example: '{ "process": "emails" }',
  answer: z.object({ restarted: z.string() }),
});
const stopped = z.object({ process: z.string(), stopped: z.boolean() });
export const stopProcess = route({
  method: 'POST',
  path: '/apps/:app/stop',
  body: processBody,
  example: '{ "process": "emails" }',
  answer: stopped,
});
export const startProcess = route({
  method: 'POST',
  path: '/apps/:app/start',
  body: processBody,
  example: '{ "process": "emails" }',
  answer: stopped,
});
export const destroyApp = route({
  method: 'DELETE',
  path: '/apps/:app',
  answer: z.object({ destroyed: z.string() }),
});

export const events = route({
  method: 'GET',
  path: '/events',
  query: z.object({ app: param(), n: param() }),
  answer: z.array(shape.eventEntry),
});
export const appEvents = route({
  method: 'GET',
  path: '/apps/:app/events',
  query: z.object({ n: param() }),
  answer: z.array(shape.eventEntry),
});
/** SSE `event` messages (and `ping`); `Last-Event-ID` or `after` resumes. */
export const eventStream = route({
  method: 'GET',
  path: '/apps/:app/events/stream',
  query: z.object({ after: param() }),
  answer: shape.eventEntry,
  answers: 'sse',
});

const logFilter = { process: param(), stream: param() };
/** With `accept: application/x-ndjson`: `LogStreamMessage`s, any `n`. */
export const logs = route({
  method: 'GET',
  path: '/apps/:app/logs',
  query: z.object({ ...logFilter, n: param(), since: param(), until: param() }),
  answer: z.array(shape.logEntry),
  answers: 'json-or-ndjson',
});
/** SSE `line` messages (an `error` one if the tail fails); `Last-Event-ID` or `after` resumes. */
export const logStream = route({
  method: 'GET',
  path: '/apps/:app/logs/stream',
  query: z.object({ ...logFilter, after: param() }),
  answer: shape.logEntry,
  answers: 'sse',
});

/** What each app's logs hold on disk, with the retention in force (`nightshift logs --disk`). */
export const logDisk = route({ method: 'GET', path: '/logs/disk', answer: shape.logDiskUsage });

export const listDrains = route({
  method: 'GET',
  path: '/apps/:app/drains',
  answer: z.array(shape.drainStatus),
});
export const addDrain = route({
  method: 'POST',
  path: '/apps/:app/drains',
  body: z.object({ url: z.string() }),
  example: '{ "url": "syslog+tls://logs.example.com:6514" }',
  answer: shape.drainStatus,
  status: 201,
});
export const removeDrain = route({
  method: 'DELETE',
  path: '/apps/:app/drains/:id',
  answer: z.object({ removed: z.number() }),
});

/** Local only (the Unix socket): the answer holds the app's secrets. */
export const runOneOff = route({
  method: 'POST',
  path: '/apps/:app/run',
  body: z.object({ argv: z.array(z.string()).min(1), process: z.string().optional() }),
  example: '{ "argv": ["sh", "-c", "env"], "process": "emails" }',
  answer: z.object({ cwd: z.string(), env: z.record(z.string(), z.string()), release: z.string() }),
});
export const oneOffFinished = route({
  method: 'POST',
  path: '/apps/:app/run/finished',
  body: z.object({
    argv: z.array(z.string()),
    release: z.string(),
    exitCode: z.number().nullable().optional(),
    signal: z.string().nullable().optional(),
    durationMs: z.number(),
  }),
  example: '{ "argv": ["env"], "release": "v3", "exitCode": 0, "signal": null, "durationMs": 12 }',
  answer: z.object({ recorded: z.literal(true) }),
});

export const cronJobs = route({
  method: 'GET',
  path: '/apps/:app/cron',
  answer: z.array(shape.cronJobEntry),
});
/** Every running app's cron jobs in one answer (the dashboard's overview: next fires of all apps). */
export const cronAll = route({
  method: 'GET',
  path: '/cron',
  answer: z.array(z.object({ app: z.string(), jobs: z.array(shape.cronJobEntry) })),
});
export const cronHistory = route({
  method: 'GET',
  path: '/apps/:app/cron/jobs/:job/history',
  query: z.object({ n: param() }),
  answer: z.array(shape.cronRunEntry),
});
export const cronRun = route({
  method: 'POST',
  path: '/apps/:app/cron/jobs/:job/run',
  body: z.object({ force: z.boolean().optional() }),
  example: '{ "force": false }',
  answer: shape.cronRunEntry,
});
export const cronSuspend = route({
  method: 'POST',
  path: '/apps/:app/cron/jobs/:job/suspend',
  answer: shape.cronJobEntry,
});
export const cronResume = route({
  method: 'POST',
  path: '/apps/:app/cron/jobs/:job/resume',
  answer: shape.cronJobEntry,
});
/** Stops the job's running runs and drops its waiting one; answers once they ended (`cancelled`). */
export const cronCancel = route({
  method: 'POST',
  path: '/apps/:app/cron/jobs/:job/cancel',
  answer: z.array(shape.cronRunEntry),
});
/** Every job of the live release at once (`cron suspend --all`, `cron resume --all`). */
export const cronSuspendAll = route({
  method: 'POST',
  path: '/apps/:app/cron/suspend',
  answer: z.array(shape.cronJobEntry),
});
export const cronResumeAll = route({
  method: 'POST',
  path: '/apps/:app/cron/resume',
  answer: z.array(shape.cronJobEntry),
});
export const cronRunInfo = route({
  method: 'GET',
  path: '/apps/:app/cron/runs/:id',
  answer: shape.cronRunEntry,
});
export const cronRunLogs = route({
  method: 'GET',
  path: '/apps/:app/cron/runs/:id/logs',
  answer: z.array(shape.logEntry),
});
/** SSE `line` messages, then one `end` carrying the run's `CronRunEntry`. */
export const cronRunLogStream = route({
  method: 'GET',
  path: '/apps/:app/cron/runs/:id/logs/stream',
  answer: shape.logEntry,
  answers: 'sse',
});

export const listConfig = route({
  method: 'GET',
  path: '/apps/:app/config',
  answer: z.array(shape.configEntry),
});
export const setConfig = route({
  method: 'POST',
  path: '/apps/:app/config',
  body: setVars,
  example: '{ "values": { "LOG_LEVEL": "debug" }, "restart": true }',
  answer: shape.varsChangeResponse,
});
export const unsetConfig = route({
  method: 'POST',
  path: '/apps/:app/config/unset',
  body: z.object({ names: nameList, restart: z.boolean().optional() }),
  example: '{ "names": ["LOG_LEVEL"], "restart": true }',
  answer: shape.varsChangeResponse,
});

export const listSecrets = route({
  method: 'GET',
  path: '/apps/:app/secrets',
  answer: z.array(shape.secretEntry),
});
export const setSecrets = route({
  method: 'POST',
  path: '/apps/:app/secrets',
  body: setVars,
  example: '{ "values": { "DATABASE_URL": "…" }, "restart": true }',
  answer: shape.varsChangeResponse,
});
export const removeSecrets = route({
  method: 'POST',
  path: '/apps/:app/secrets/remove',
  body: z.object({ names: nameList, restart: z.boolean().optional(), force: z.boolean().optional() }),
  example: '{ "names": ["DATABASE_URL"], "restart": true, "force": false }',
  answer: shape.varsChangeResponse,
});
export const rotateKey = route({
  method: 'POST',
  path: '/secrets/rotate-key',
  answer: shape.rotateKeyResponse,
});

export const redisInfo = route({
  method: 'GET',
  path: '/apps/:app/redis',
  answer: shape.redisInfo,
});
/** Deletes the app's keys only; `confirm` must repeat the app's name. */
export const redisFlush = route({
  method: 'POST',
  path: '/apps/:app/redis/flush',
  body: z.object({ confirm: z.string() }),
  example: '{ "confirm": "shop" }',
  answer: z.object({ app: z.string(), keys: z.number() }),
});
/** New password, rolling restart, old password removed. */
export const redisRotate = route({
  method: 'POST',
  path: '/apps/:app/redis/rotate',
  answer: z.object({ app: z.string() }),
});

/** The app's BullMQ queues (`<app>:bull:<name>`) with their counts by state. */
export const queues = route({ method: 'GET', path: '/apps/:app/queues', answer: shape.queueList });
/** Pauses a queue for every worker (BullMQ's queue-wide pause). */
export const queuePause = route({
  method: 'POST',
  path: '/apps/:app/queues/:queue/pause',
  answer: shape.queueSummary,
});
export const queueResume = route({
  method: 'POST',
  path: '/apps/:app/queues/:queue/resume',
  answer: shape.queueSummary,
});
/** Failed jobs back to waiting, oldest failure first; at most `limit`. */
export const queueRetry = route({
  method: 'POST',
  path: '/apps/:app/queues/:queue/retry',
  body: z.object({ state: z.literal('failed'), limit: z.number().int().positive().optional() }),
  example: '{ "state": "failed", "limit": 100 }',
  answer: z.object({ app: z.string(), queue: z.string(), retried: z.number() }),
});
/** Removes failed or completed jobs that finished more than `olderThanMs` ago. */
export const queueClean = route({
  method: 'POST',
  path: '/apps/:app/queues/:queue/clean',
  body: z.object({ state: z.enum(['failed', 'completed']), olderThanMs: z.number().int().nonnegative() }),
  example: '{ "state": "completed", "olderThanMs": 86400000 }',
  answer: z.object({ app: z.string(), queue: z.string(), removed: z.number() }),
});
/** Removes waiting jobs, those whose `path` holds `value` when `match` is given; `dryRun` only counts them. */
export const queueCancel = route({
  method: 'POST',
  path: '/apps/:app/queues/:queue/cancel',
  body: z.object({
    state: z.literal('waiting'),
    match: z.object({ path: z.string().min(1), value: z.string() }).optional(),
    dryRun: z.boolean().optional(),
  }),
  example: '{ "state": "waiting", "match": { "path": "data.tenant", "value": "acme" }, "dryRun": true }',
  answer: shape.queueCancelResult,
});

/**
 * Billed usage (issue 18): `since`/`until` are epoch ms (the CLI converts `30d`; default the last 30 days up to
 * now), `by` is `process` (default), `day` or `region`, `periods=1` lists every period counted.
 */
export const usage = route({
  method: 'GET',
  path: '/apps/:app/usage',
  query: z.object({ since: param(), until: param(), by: param(), periods: param() }),
  answer: shape.usageReport,
});

/**
 * A single-use dashboard login code, valid 60 s (`nightshift dashboard`). Served on the Unix socket only: a
 * browser session must not be able to mint more of them.
 */
export const loginCode = route({
  method: 'POST',
  path: '/dashboard/login-code',
  answer: shape.loginCodeResponse,
});
/**
 * Opens a dashboard session: a login code or the API token in, an HttpOnly session cookie out. On the TCP
 * listener the only route served without credentials, and only with the page's own `Origin`.
 */
export const login = route({
  method: 'POST',
  path: '/session',
  body: z.object({ code: z.string().optional(), token: z.string().optional() }),
  example: '{ "code": "…" }',
  answer: shape.sessionResponse,
});
/** Ends the session its cookie names. */
export const logout = route({
  method: 'DELETE',
  path: '/session',
  answer: z.object({ ended: z.boolean() }),
});
