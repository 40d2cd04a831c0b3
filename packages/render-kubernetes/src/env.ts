import { createHash } from 'node:crypto';
import { isReservedEnvName, type AppSpec } from '@nightshift/manifest';
import { refuse, type DiagnosticSink } from './diagnostics.js';
import type { ResolvedOptions } from './options.js';

/**
 * The environment of a pod, in DESIGN §3's layers: the app's `env` (a ConfigMap, through `envFrom`), the
 * process's `env`, the secrets (references to a Secret), then the platform's own variables. Kubernetes lets an
 * `env` entry win over `envFrom`, which gives the same precedence.
 */

/** A container `env` entry. */
export type EnvVar =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly valueFrom: Record<string, unknown> };

/** What kind of pod the environment is for: which platform variables it gets. */
export type PodRole = 'web' | 'worker' | 'cron' | 'predeploy';

export interface PodEnvInput {
  readonly role: PodRole;
  /** `NIGHTSHIFT_PROCESS` (web, worker) — the process or cron name. */
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
  readonly port: number | null;
  readonly metricsPort: number | null;
  readonly healthPort: number | null;
}

/** The ConfigMap holding the app-level `env`. */
export function configMapName(app: string): string {
  return `${app}-env`;
}

/** Refuses env names the platform sets itself, and names that are both a plain variable and a secret. */
export function checkEnvNames(
  spec: AppSpec,
  env: Readonly<Record<string, string>>,
  field: string,
  sink: DiagnosticSink,
): void {
  for (const name of Object.keys(env)) {
    if (isReservedEnvName(name, spec.redis)) {
      refuse(
        sink,
        'NS_RENDER_K8S_ENV_RESERVED',
        `${field}.${name}`,
        `${name} is set by the platform and cannot be set in the manifest`,
        `rename the variable (the platform's value is the one the process sees)`,
      );
    } else if (spec.secrets.includes(name)) {
      refuse(
        sink,
        'NS_RENDER_K8S_ENV_SECRET_CONFLICT',
        `${field}.${name}`,
        `${name} is both a plain variable and a secret`,
        `remove it from ${field} or from \`secrets\``,
      );
    }
  }
}

function plain(name: string, value: string): EnvVar {
  return { name, value };
}

function fromSecret(name: string, secret: string, key: string): EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

function fromField(name: string, fieldPath: string): EnvVar {
  return { name, valueFrom: { fieldRef: { fieldPath } } };
}

/** The container `env` list of one pod. */
export function podEnv(spec: AppSpec, opts: ResolvedOptions, input: PodEnvInput): EnvVar[] {
  const env: EnvVar[] = Object.entries(input.env).map(([name, value]) => plain(name, value));
  // A secret the Secret lacks keeps the pod from starting (CreateContainerConfigError): the deploy fails clearly.
  for (const name of spec.secrets) env.push(fromSecret(name, opts.secretName, name));
  if (spec.redis) {
    env.push(fromSecret('REDIS_URL', opts.redisSecret, 'url'));
    env.push(plain('NIGHTSHIFT_REDIS_PREFIX', `${spec.name}:`));
  }
  env.push(
    plain('NIGHTSHIFT_APP', spec.name),
    plain('NIGHTSHIFT_RELEASE', opts.release),
    plain('NIGHTSHIFT_REGION', opts.region),
  );
  if (input.role === 'web' || input.role === 'worker') {
    // Pods of a Deployment have no ordinal: the pod's name is the replica's identity.
    env.push(plain('NIGHTSHIFT_PROCESS', input.name), fromField('NIGHTSHIFT_REPLICA', 'metadata.name'));
  }
  if (input.role === 'cron') {
    // The Job's name (`<cronjob>-<minutes since epoch>`) is unique per slot: it is the run's id.
    env.push(
      fromField('NIGHTSHIFT_RUN_ID', "metadata.labels['batch.kubernetes.io/job-name']"),
      plain('NIGHTSHIFT_TRIGGER', 'schedule'),
    );
  }
  if (input.port !== null) env.push(plain('PORT', String(input.port)));
  if (input.metricsPort !== null) env.push(plain('METRICS_PORT', String(input.metricsPort)));
  if (input.healthPort !== null) env.push(plain('HEALTH_PORT', String(input.healthPort)));
  if (!('TZ' in spec.env) && !('TZ' in input.env)) env.push(plain('TZ', 'UTC'));
  return env;
}

/** `envFrom` for the app-level ConfigMap; empty when the app has no `env`. */
export function podEnvFrom(spec: AppSpec): Record<string, unknown>[] {
  return Object.keys(spec.env).length > 0 ? [{ configMapRef: { name: configMapName(spec.name) } }] : [];
}

/**
 * A digest of the configuration pods read at start but that is not in their template (the ConfigMap, and the
 * Secret when the render writes it). Put in a pod annotation, a change of it rolls the pods. In `ref` mode the
 * Secret's content is unknown here, so rotating it needs `kubectl rollout restart`.
 */
export function configHash(spec: AppSpec, opts: ResolvedOptions): string {
  const secretValues =
    opts.secrets === 'inline' ? spec.secrets.map((name) => [name, opts.secretValues[name] ?? '']) : [];
  const payload = JSON.stringify({
    env: Object.entries(spec.env),
    secrets: spec.secrets,
    secretName: opts.secretName,
    secretValues,
    redis: spec.redis ? opts.redisSecret : null,
  });
  return createHash('sha256').update(payload).digest('hex').slice(0, 16);
}
