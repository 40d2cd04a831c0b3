import * as z from 'zod';
import { CRON_NICKNAMES } from './names.js';
import { DEFAULTS } from './defaults.js';
import {
  autoscaleBound,
  commandLine,
  commandList,
  count,
  cpu,
  describe,
  duration,
  envMap,
  flag,
  httpPath,
  memory,
  name,
  percent,
  processName,
  port,
  size,
} from './fields.js';
import { MAX_CRON_JOBS, MAX_DURATION_MS, MAX_WORKERS, MIN_LOG_RETAIN_BYTES } from './limits.js';
import { formatDuration } from './units.js';

/**
 * The manifest as written (`.paas/app.yaml`), as a strict zod schema: every key of DESIGN §2 plus the documented
 * extensions, unknown keys rejected. It validates shape and single-field formats; rules that relate several
 * fields live in `checks/`, and units and defaults are applied by `compile.ts`. The JSON Schema and
 * `docs/manifest.md` are generated from this file, so descriptions here are user documentation.
 */

const ms = formatDuration;

const resources = z
  .strictObject({
    cpu: describe(
      cpu().optional(),
      'CPU limit in cores (`0.5`) or millicores (`"500m"`); locally a CFS quota of the replica’s cgroup.',
    ),
    memory: describe(
      memory(DEFAULTS.minMemoryBytes).optional(),
      'Memory limit, e.g. `512Mi`, `1Gi`; at least `4Mi`. Locally a cgroup enforces it (the kernel kills at it).',
    ),
  })
  .meta({ title: 'Resources' });

const queue = z
  .strictObject({
    kind: describe(z.enum(['bullmq', 'rabbitmq']).optional(), 'Queue system to measure.', {
      default: DEFAULTS.autoscale.queueKind,
    }),
    name: describe(z.string().min(1), 'Queue name (BullMQ: without the app prefix).'),
    target: describe(count(1), 'Waiting jobs one replica is expected to handle.'),
  })
  .meta({ title: 'QueueScale' });

const autoscaleFields = {
  min: describe(autoscaleBound(0), 'Fewest replicas (0 allows scaling to zero).'),
  max: describe(autoscaleBound(1), 'Most replicas.'),
  cpu: describe(percent().optional(), 'Target average CPU use, in percent of `resources.cpu`.'),
  memory: describe(percent().optional(), 'Target average memory use, in percent of `resources.memory`.'),
  queue: describe(queue.optional(), 'Scale on the number of waiting jobs of a queue.'),
  scale_down_after: describe(
    duration({ allowZero: true, maxMs: MAX_DURATION_MS.scaleDownAfter }).optional(),
    'Scale down only to the highest recommendation of this window (the stabilisation window).',
    { default: ms(DEFAULTS.autoscale.scaleDownAfterMs) },
  ),
};

const autoscale = z.strictObject(autoscaleFields).meta({ title: 'Autoscale' });

const autoscaleOverride = z
  .strictObject({
    min: autoscaleFields.min.optional(),
    max: autoscaleFields.max.optional(),
    cpu: autoscaleFields.cpu,
    memory: autoscaleFields.memory,
    queue: autoscaleFields.queue,
    scale_down_after: autoscaleFields.scale_down_after,
  })
  .meta({
    title: 'AutoscaleOverride',
    description: 'Fields given here replace the process’s own autoscale fields.',
  });

const health = z
  .strictObject({
    port: describe(port().optional(), 'Port to probe. Web: defaults to the web port; workers must set it.'),
    path: describe(
      httpPath().optional(),
      'HTTP path to GET (2xx/3xx is healthy). Without a path the probe is a TCP connect.',
    ),
    interval: describe(
      duration({ allowZero: false, maxMs: MAX_DURATION_MS.healthInterval }).optional(),
      'Time between probes.',
      {
        default: ms(DEFAULTS.health.intervalMs),
      },
    ),
    timeout: describe(
      duration({ allowZero: false, maxMs: MAX_DURATION_MS.healthTimeout }).optional(),
      'Time one probe may take.',
      { default: ms(DEFAULTS.health.timeoutMs) },
    ),
    failures: describe(count(1).optional(), 'Consecutive failed probes that restart the replica.', {
      default: DEFAULTS.health.failures,
    }),
    start_period: describe(
      duration({ allowZero: true, maxMs: MAX_DURATION_MS.healthStartPeriod }).optional(),
      'Grace after each start: failed probes do not count until it has passed or a probe succeeded.',
      { default: ms(DEFAULTS.health.startPeriodMs) },
    ),
  })
  .meta({ title: 'Health' });

const metrics = z
  .strictObject({
    port: describe(port(), 'Port of the Prometheus endpoint, scraped from every replica.'),
    path: describe(httpPath().optional(), 'Path of the endpoint.', { default: DEFAULTS.metrics.path }),
    interval: describe(
      duration({ allowZero: false, maxMs: MAX_DURATION_MS.metricsInterval }).optional(),
      'Time between scrapes of each replica by the daemon.',
      { default: ms(DEFAULTS.metrics.intervalMs) },
    ),
  })
  .meta({ title: 'Metrics' });

const restart = z
  .strictObject({
    backoff: describe(
      duration({ allowZero: false, maxMs: MAX_DURATION_MS.backoff }).optional(),
      'Wait before the first restart after a crash; doubles each crash.',
      {
        default: ms(DEFAULTS.restart.backoffMs),
      },
    ),
    max_backoff: describe(
      duration({ allowZero: false, maxMs: MAX_DURATION_MS.maxBackoff }).optional(),
      'Longest wait between restarts.',
      { default: ms(DEFAULTS.restart.maxBackoffMs) },
    ),
    reset_after: describe(
      duration({ allowZero: false, maxMs: MAX_DURATION_MS.resetAfter }).optional(),
      'Continuous running time after which the backoff starts over.',
      {
        default: ms(DEFAULTS.restart.resetAfterMs),
      },
    ),
    max_restarts: describe(
      count(1).optional(),
      'Give up after this many consecutive crashes: the replica is `failed` and stays stopped until `start`, `restart` or a deploy. Default: never give up.',
    ),
  })
  .meta({ title: 'Restart' });

const deploySettings = z
  .strictObject({
    // A bare `0` reads as "off", the way people write it; any other length needs its unit. The description sits
    // on the duration inside, where the JSON Schema and the reference docs read it.
    watch: z
      .preprocess(
        (value) => (value === 0 ? '0s' : value),
        describe(
          duration({ allowZero: true, maxMs: MAX_DURATION_MS.deployWatch }),
          'After a deploy or rollback switches, the guard watches the new release this long: a web or worker replica that crashes 3 times, or is restarted by its health probe twice, rolls it back to the previous good release. `0` turns the guard off.',
          { default: ms(DEFAULTS.deploy.watchMs) },
        ),
      )
      .optional(),
    guard_cron: describe(
      flag().optional(),
      'Let a failed or timed-out cron run during the window roll the release back too (by default a failing job is the job’s business).',
      { default: DEFAULTS.deploy.guardCron },
    ),
  })
  .meta({ title: 'Deploy' });

const regionOverride = z
  .strictObject({
    replicas: describe(count(0).optional(), 'Replica count in this region.'),
    autoscale: describe(autoscaleOverride.optional(), 'Autoscale settings in this region.'),
    resources: describe(
      resources.optional(),
      'Resources in this region (fields given replace the process’s).',
    ),
  })
  .meta({ title: 'RegionOverride' });

const processFields = {
  start: describe(
    commandLine().optional(),
    'Command line, split by shell rules; shell syntax (`&&`, `|`, `$VAR`) runs it with `/bin/sh -c`.',
  ),
  command: describe(
    z.union([commandLine(), commandList()]).optional(),
    'Program to run: a list (`[node]`, never through a shell), or a command line like `start`.',
  ),
  args: describe(z.array(z.string()).optional(), 'Arguments appended to a `command` list.'),
  replicas: describe(count(0).optional(), 'Fixed number of replicas (not with `autoscale`).', {
    default: DEFAULTS.replicas,
  }),
  autoscale: describe(autoscale.optional(), 'Scale between `min` and `max` replicas (not with `replicas`).'),
  resources: describe(resources.optional(), 'Limits per replica.'),
  health: describe(health.optional(), 'Health probe; `failures` consecutive failures restart the replica.'),
  metrics: describe(metrics.optional(), 'Prometheus endpoint of the process.'),
  restart: describe(restart.optional(), 'Restart backoff after crashes.'),
  stop_grace: describe(
    duration({ allowZero: true, maxMs: MAX_DURATION_MS.stopGrace }).optional(),
    'Time between SIGTERM (to the process group) and SIGKILL.',
    {
      default: ms(DEFAULTS.stopGraceMs),
    },
  ),
  min_ready: describe(
    duration({ allowZero: true, maxMs: MAX_DURATION_MS.minReady }).optional(),
    'How long a new replica must run (or pass its probe) before a rolling switch stops an old one.',
    {
      default: ms(DEFAULTS.minReadyMs),
    },
  ),
  env: describe(envMap().optional(), 'Plain config for this process, over the app’s `env`.'),
  regions: describe(
    z.record(z.string(), regionOverride).optional(),
    'Per-region overrides, keyed by a region of the top-level `regions`.',
  ),
};

const web = z
  .strictObject({
    port: describe(port().optional(), 'Port the web process listens on (given to it as `PORT`).', {
      default: DEFAULTS.web.port,
    }),
    ...processFields,
  })
  .meta({ title: 'Web' });

const worker = z
  .strictObject({
    name: describe(
      processName('worker name'),
      'Process name, unique among web, workers and cron jobs (also once lower-cased with `_` as `-`, the form Kubernetes names use).',
    ),
    ...processFields,
  })
  .meta({ title: 'Worker' });

const cron = z
  .strictObject({
    name: describe(
      processName('cron job name'),
      'Job name, unique among web, workers and cron jobs (also once lower-cased with `_` as `-`, the form Kubernetes names use).',
    ),
    schedule: describe(
      z.string(),
      'Exactly 5 fields (minute hour day-of-month month day-of-week) or a nickname; always UTC.',
      {
        examples: ['0 2 * * *', '*/15 * * * *', ...Object.keys(CRON_NICKNAMES)],
      },
    ),
    command: describe(
      z.union([commandLine(), commandList()]),
      'Command line (split by shell rules) or a list run without a shell.',
    ),
    args: describe(z.array(z.string()).optional(), 'Arguments appended to a `command` list.'),
    timeout: describe(
      duration({ allowZero: false, maxMs: MAX_DURATION_MS.cronTimeout }).optional(),
      'The run’s process group is killed after this and the run marked `timed_out`. Default: no timeout.',
    ),
    overlap: describe(
      z.enum(['forbid', 'queue_one', 'replace', 'allow']).optional(),
      'What a due slot does while the previous run is still going.',
      {
        default: DEFAULTS.cron.overlap,
      },
    ),
    history: describe(
      z
        .strictObject({
          keep: describe(count(1).optional(), 'Runs kept per job.', { default: DEFAULTS.cron.history.keep }),
          days: describe(count(1).optional(), 'Days runs are kept.', { default: DEFAULTS.cron.history.days }),
        })
        .meta({ title: 'CronHistory' }),
      'Run history retention (by count and by age).',
    ).optional(),
    region: describe(
      name('region').optional(),
      'Region the job runs in when rendered for several regions (default: the first).',
    ),
    resources: describe(resources.optional(), 'Limits for each run.'),
    env: describe(envMap().optional(), 'Plain config for the job’s runs, over the app’s `env`.'),
  })
  .meta({ title: 'CronJob' });

const logs = z
  .strictObject({
    retain: describe(
      size({ minBytes: MIN_LOG_RETAIN_BYTES }).optional(),
      'Disk the app’s logs may hold on this machine: compressed segments plus the file each process type is writing; the oldest segments are removed first. Default: the daemon’s (`500Mi` unless its configuration says otherwise).',
    ),
    max_age: describe(
      duration({ allowZero: false, maxMs: MAX_DURATION_MS.logMaxAge }).optional(),
      'Segments whose newest line is older than this are removed. Default: the daemon’s (no age limit unless its configuration sets one).',
    ),
  })
  .meta({ title: 'Logs' });

/** The strict schema of `.paas/app.yaml`. */
export const manifestSchema = z
  .strictObject({
    name: describe(
      name('app name').optional(),
      'App name. Default: made from the name of the folder holding `.paas/` (lower-cased, other characters turned into `-`, starting with a letter: `My_Shop` → `my-shop`).',
    ),
    build: describe(
      z
        .strictObject({
          install: describe(commandLine().optional(), 'Installs dependencies (e.g. `npm ci`).'),
          command: describe(commandLine().optional(), 'Builds the release (e.g. `npm run build`).'),
        })
        .meta({ title: 'Build' })
        .optional(),
      'How a release is built. Default: detected from the folder (package.json, requirements.txt, …).',
    ),
    predeploy: describe(
      commandLine().optional(),
      'Release hook: runs once per release before web starts; never by workers.',
    ),
    deploy: describe(
      deploySettings.optional(),
      'The deploy guard: how long a new release is watched, and whether cron failures count.',
    ),
    env: describe(envMap().optional(), 'Plain config for every process and cron run; values become strings.'),
    secrets: describe(
      z.array(z.string()).optional(),
      'Names of secrets from the app’s secret store; a missing one fails the deploy.',
    ),
    redis: describe(
      flag().optional(),
      'Give the app its own Redis user and key prefix (`REDIS_URL`, `NIGHTSHIFT_REDIS_PREFIX`).',
      {
        default: DEFAULTS.redis,
      },
    ),
    regions: describe(
      z.array(name('region')).optional(),
      'Regions for the Kubernetes render; the local driver is one region.',
    ),
    web: describe(web.optional(), 'The web process: gets `PORT`.'),
    workers: describe(
      z.array(worker).max(MAX_WORKERS).optional(),
      `Long-running processes; never get \`PORT\`. At most ${MAX_WORKERS}.`,
    ),
    cron: describe(
      z.array(cron).max(MAX_CRON_JOBS).optional(),
      `Scheduled jobs (UTC). At most ${MAX_CRON_JOBS}.`,
    ),
    logs: describe(
      logs.optional(),
      'How much of the app’s logs the daemon keeps on this machine; the daemon’s total cap across apps still applies. The Kubernetes render ignores it.',
    ),
  })
  .meta({ title: 'Nightshift manifest (.paas/app.yaml)' });

/** The manifest as written, after validation (units and defaults not yet applied). */
export type ManifestInput = z.output<typeof manifestSchema>;
export type ProcessInput = z.output<typeof worker> | z.output<typeof web>;
export type CronInput = z.output<typeof cron>;
export type LogsInput = z.output<typeof logs>;
export type ResourcesInput = z.output<typeof resources>;
export type AutoscaleInput = z.output<typeof autoscale>;
export type AutoscaleOverrideInput = z.output<typeof autoscaleOverride>;
