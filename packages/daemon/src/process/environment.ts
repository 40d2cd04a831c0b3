import type { AppSpec } from '@nightshift/manifest';
import { replicaIndex, replicaPort } from './ports.js';

/** Which kind of process the environment is for (DESIGN §3's columns). */
export type EnvTarget =
  | { readonly kind: 'worker'; readonly process: string; readonly replica: string }
  | { readonly kind: 'web'; readonly replica: string; readonly port: number }
  | {
      readonly kind: 'cron';
      readonly job: string;
      readonly runId: string;
      readonly trigger: 'schedule' | 'manual';
      readonly scheduledAt: string | null;
    }
  | { readonly kind: 'one-off'; readonly process: string | null; readonly port?: number };

export interface EnvInputs {
  readonly spec: AppSpec;
  readonly release: string;
  readonly region: string;
  /** The few variables of the daemon's own environment that pass through: PATH, HOME, LANG. */
  readonly base: Readonly<Record<string, string>>;
  readonly configVars: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, string>>;
  readonly redis: { readonly url: string; readonly prefix: string } | null;
}

/** The variables of the daemon's own environment that user processes may see. */
export const PASSTHROUGH = ['PATH', 'HOME', 'LANG'] as const;

export function pickBase(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PASSTHROUGH) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * The complete environment of one user process. Layers, later wins: manifest `env` → process `env` →
 * config vars → secrets; then the platform's own variables, which user layers cannot override.
 */
export function buildEnvironment(inputs: EnvInputs, target: EnvTarget): Record<string, string> {
  const { spec } = inputs;
  const env: Record<string, string> = { ...inputs.base, TZ: 'UTC', ...spec.env };
  const processEnv = processEnvOf(spec, target);
  Object.assign(env, processEnv, inputs.configVars, inputs.secrets);

  env.NIGHTSHIFT_APP = spec.name;
  env.NIGHTSHIFT_RELEASE = inputs.release;
  env.NIGHTSHIFT_REGION = inputs.region;
  env.TZ = 'UTC';
  delete env.PORT;

  const proc = processOf(spec, target);
  if (target.kind === 'worker' || target.kind === 'web') {
    env.NIGHTSHIFT_PROCESS = target.kind === 'web' ? 'web' : target.process;
    env.NIGHTSHIFT_REPLICA = target.replica;
    const index = replicaIndex(target.replica);
    if (proc?.metrics) env.METRICS_PORT = String(replicaPort(proc.metrics.port, index));
    if (proc?.health && target.kind === 'worker') {
      env.HEALTH_PORT = String(replicaPort(proc.health.port, index));
    }
  }
  if (target.kind === 'web') env.PORT = String(target.port);
  if (target.kind === 'one-off' && target.port !== undefined) env.PORT = String(target.port);
  if (target.kind === 'cron') {
    env.NIGHTSHIFT_RUN_ID = target.runId;
    env.NIGHTSHIFT_TRIGGER = target.trigger;
    if (target.scheduledAt) env.NIGHTSHIFT_SCHEDULED_AT = target.scheduledAt;
    else delete env.NIGHTSHIFT_SCHEDULED_AT;
  }
  if (inputs.redis) {
    env.REDIS_URL = inputs.redis.url;
    env.NIGHTSHIFT_REDIS_PREFIX = inputs.redis.prefix;
  }
  return env;
}

function processOf(spec: AppSpec, target: EnvTarget) {
  if (target.kind === 'web') return spec.web;
  if (target.kind === 'worker') return spec.workers.find((w) => w.name === target.process) ?? null;
  if (target.kind === 'one-off' && target.process) {
    return target.process === 'web'
      ? spec.web
      : (spec.workers.find((w) => w.name === target.process) ?? null);
  }
  return null;
}

function processEnvOf(spec: AppSpec, target: EnvTarget): Readonly<Record<string, string>> {
  if (target.kind === 'cron') return spec.cron.find((c) => c.name === target.job)?.env ?? {};
  return processOf(spec, target)?.env ?? {};
}
