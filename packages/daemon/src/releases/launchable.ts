import type { AppSpec } from '@nightshift/manifest';
import type { EnvTarget } from '../process/environment.js';
import { checkEnvSize } from '../process/env-limits.js';
import * as store from '../store/index.js';
import { desiredCount } from '../supervisor/pure/formation.js';
import { checkReplicaLimits, type ReplicaLimits } from '../supervisor/pure/limits.js';

export interface LaunchableDeps {
  readonly db: store.Db;
  readonly limits: ReplicaLimits;
  /** The environment a process of `spec` would get (config vars and secrets included). */
  readonly environment: (spec: AppSpec, target: EnvTarget) => Record<string, string>;
  /** Replicas wanted by every other app. */
  readonly desiredElsewhere: (app: string) => number;
}

/**
 * Refuses, before anything is built, a manifest whose processes could never all be started: an environment
 * the OS will not pass to exec, or more replicas than this daemon runs.
 */
export function checkLaunchable(spec: AppSpec, deps: LaunchableDeps): void {
  const formation = new Map(store.listFormation(deps.db, spec.name).map((f) => [f.process, f]));
  const procs = [...(spec.web ? [spec.web] : []), ...spec.workers];
  checkReplicaLimits(
    spec.name,
    procs.map((p) => ({
      process: p.name,
      count: desiredCount(p, formation.get(p.name)),
      ...(p.kind === 'worker' && p.autoscale ? { max: p.autoscale.max } : {}),
    })),
    deps.desiredElsewhere(spec.name),
    deps.limits,
    'the manifest',
  );
  checkEnvironments(spec, (target) => deps.environment(spec, target));
}

/**
 * Throws NS_ENV_TOO_LARGE, naming the variables, when a process of `spec` (web, a worker, a cron run or the
 * predeploy hook) would get an environment the OS refuses to exec with. At deploy for a new manifest; at a
 * config or secret write for the live one, so that a change that no replica could start with is refused
 * instead of stopping replicas that then fail every spawn with E2BIG.
 */
export function checkEnvironments(
  spec: AppSpec,
  environment: (target: EnvTarget) => Record<string, string>,
): void {
  const procs = [...(spec.web ? [spec.web] : []), ...spec.workers];
  for (const p of procs) {
    const replica = `${p.name}.1`;
    const target: EnvTarget =
      p.kind === 'web'
        ? { kind: 'web', replica, port: p.port }
        : { kind: 'worker', process: p.name, replica };
    checkEnvSize(spec.name, p.name, environment(target), p.command.argv);
  }
  for (const job of spec.cron) {
    const target: EnvTarget = {
      kind: 'cron',
      job: job.name,
      runId: '0',
      trigger: 'schedule',
      scheduledAt: new Date(0).toISOString(),
    };
    checkEnvSize(spec.name, `cron ${job.name}`, environment(target), job.command.argv);
  }
  if (spec.predeploy) {
    checkEnvSize(
      spec.name,
      'predeploy',
      environment({ kind: 'one-off', process: null }),
      spec.predeploy.argv,
    );
  }
}
