import type { CronSpec, OverlapPolicy } from '@nightshift/manifest';
import { meta, type RenderContext } from './context.js';
import { refuse } from './diagnostics.js';
import { checkEnvNames, podEnv, podEnvFrom } from './env.js';
import {
  MAX_CRONJOB_NAME,
  containerName,
  cronInstance,
  isDnsLabel,
  nameAnnotation,
  objectLabels,
  processName,
  withNameAnnotation,
} from './names.js';
import { container, podTemplate } from './pod.js';
import { seconds } from './quantity.js';
import { longestGapSeconds, parseSchedule } from './schedule.js';
import type { RenderedObject } from './types.js';

/**
 * A CronJob per cron entry, in one region only (a nightly job must not run once per cluster). Runs are one
 * attempt each (`backoffLimit: 0`, `restartPolicy: Never`), in UTC, and a missed slot starts late once.
 */

const CONCURRENCY: Readonly<Record<Exclude<OverlapPolicy, 'queue_one'>, string>> = {
  forbid: 'Forbid',
  replace: 'Replace',
  allow: 'Allow',
};

const DAY_SECONDS = 86_400;

/** The region a cron runs in: its own `region`, else the first listed, else the one being rendered. */
export function cronRegion(ctx: RenderContext, cron: CronSpec): string {
  return cron.region ?? ctx.spec.regions[0] ?? ctx.opts.region;
}

/** Checks the cron (in every region, so each render refuses the same manifest) and returns its deadline. */
function checkCron(ctx: RenderContext, cron: CronSpec, field: string): number | null {
  const { sink, spec } = ctx;
  const name = processName(spec.name, cron.name);
  if (!isDnsLabel(containerName(cron.name))) {
    refuse(
      sink,
      'NS_RENDER_K8S_NAME_INVALID',
      `${field}.name`,
      `"${containerName(cron.name)}" is not a valid Kubernetes name`,
      'use lowercase letters, digits and "-", starting and ending with a letter or digit',
    );
  } else if (name.length > MAX_CRONJOB_NAME) {
    refuse(
      sink,
      'NS_RENDER_K8S_NAME_TOO_LONG',
      `${field}.name`,
      `CronJob "${name}" is ${name.length} characters; Kubernetes allows ${MAX_CRONJOB_NAME} (it appends 11 to name each Job)`,
      `shorten the app's or the cron's name by ${name.length - MAX_CRONJOB_NAME}`,
    );
  }
  if (cron.overlap === 'queue_one') {
    refuse(
      sink,
      'NS_RENDER_K8S_OVERLAP_UNSUPPORTED',
      `${field}.overlap`,
      `${cron.name}: a CronJob cannot hold one pending run while another runs (overlap: queue_one)`,
      'use overlap: forbid (skip the slot), replace or allow for a Kubernetes render',
    );
  }
  if (cron.region !== null && !spec.regions.includes(cron.region)) {
    refuse(
      sink,
      'NS_RENDER_K8S_REGION_NOT_LISTED',
      `${field}.region`,
      `${cron.name} runs in region "${cron.region}", which is not in \`regions\``,
      `add "${cron.region}" to \`regions\` or change ${field}.region`,
    );
  }
  checkEnvNames(spec, cron.env, `${field}.env`, sink);
  const parsed = parseSchedule(cron.schedule);
  if (!parsed.ok) {
    refuse(
      sink,
      'NS_RENDER_K8S_SCHEDULE_UNSUPPORTED',
      `${field}.schedule`,
      `${cron.name}: ${parsed.reason}`,
      'write 5 fields of numbers, names, ranges, lists and steps (Sunday is 0), or @hourly/@daily/@weekly/@monthly/@yearly',
    );
    return null;
  }
  const gap = longestGapSeconds(parsed.schedule);
  if (gap === null) {
    refuse(
      sink,
      'NS_RENDER_K8S_SCHEDULE_NEVER',
      `${field}.schedule`,
      `${cron.name}: "${cron.schedule}" never fires`,
      'check the day-of-month and month fields (e.g. 30 February does not exist)',
    );
  }
  return gap;
}

/** Renders one cron entry, or nothing when it runs in another region. */
export function renderCron(ctx: RenderContext, cron: CronSpec, field: string): RenderedObject[] {
  const deadline = checkCron(ctx, cron, field);
  if (deadline === null || cron.overlap === 'queue_one' || cronRegion(ctx, cron) !== ctx.opts.region)
    return [];
  const { spec, opts } = ctx;
  const name = processName(spec.name, cron.name);
  const instance = cronInstance(spec.name, cron.name);
  const labels = objectLabels(ctx.labels, instance, 'cron');
  const env = podEnv(spec, opts, {
    role: 'cron',
    name: cron.name,
    env: cron.env,
    port: null,
    metricsPort: null,
    healthPort: null,
  });
  const main = container({
    name: containerName(cron.name),
    image: opts.image,
    command: cron.command,
    env,
    envFrom: podEnvFrom(spec),
    resources: cron.resources,
    ports: new Map(),
    liveness: null,
    readiness: null,
  });
  const template = podTemplate({
    labels,
    configHash: ctx.configHash,
    extraAnnotations: nameAnnotation(cron.name),
    restartPolicy: 'Never',
    terminationGracePeriodSeconds: null,
    container: main,
  });
  const jobSpec = {
    backoffLimit: 0,
    ...(cron.timeoutMs !== null ? { activeDeadlineSeconds: seconds(cron.timeoutMs, 1) } : {}),
    // Count and age both bound the history, as for local runs: the TTL controller deletes older Jobs.
    ...(cron.history.days > 0 ? { ttlSecondsAfterFinished: cron.history.days * DAY_SECONDS } : {}),
    template,
  };
  const object = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: withNameAnnotation(meta(ctx, name, instance, 'cron'), cron.name),
    spec: {
      schedule: cron.schedule,
      timeZone: 'Etc/UTC',
      concurrencyPolicy: CONCURRENCY[cron.overlap],
      startingDeadlineSeconds: deadline,
      successfulJobsHistoryLimit: cron.history.keep,
      failedJobsHistoryLimit: cron.history.keep,
      suspend: false,
      jobTemplate: { metadata: { labels }, spec: jobSpec },
    },
  };
  const comment =
    `startingDeadlineSeconds ${deadline} is the longest gap between two fires of "${cron.schedule}": ` +
    'after an outage exactly one late run starts, never a storm.';
  return [{ object, comment }];
}
