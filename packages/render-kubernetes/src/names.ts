import { dnsLabelOf } from '@nightshift/manifest';

/**
 * Object names and labels. Selectors carry only `name` + `instance`: `spec.selector` is immutable, so anything
 * that changes per release (version) or per cluster (region) would break the next `kubectl apply`.
 */

/** `app.kubernetes.io/managed-by` value, and the prefix of Nightshift's own labels and annotations. */
export const MANAGED_BY = 'nightshift';
export const REGION_LABEL = 'nightshift.dev/region';
export const CONFIG_HASH_ANNOTATION = 'nightshift.dev/config-hash';
/** The manifest's own name of a worker or cron job whose Kubernetes name differs (`stale_cleanup`). */
export const NAME_ANNOTATION = 'nightshift.dev/name';

/** Longest object name that is a DNS-1123 label (Deployment, Service, pod-level names). */
export const MAX_NAME = 63;
/** The CronJob controller appends 11 characters to make the Job's name, which is itself capped at 63. */
export const MAX_CRONJOB_NAME = 52;

export type Component = 'web' | 'worker' | 'cron' | 'predeploy' | 'config' | 'network';

/** The identity shared by every object of one render. */
export interface LabelContext {
  readonly app: string;
  readonly release: string;
  readonly region: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** True for a DNS-1123 label (lowercase letters, digits, `-`; no leading/trailing `-`) of at most `max` chars. */
export function isDnsLabel(name: string, max = MAX_NAME): boolean {
  return name.length <= max && DNS_LABEL.test(name);
}

/** True for a valid label value (63 chars, alphanumerics with `-_.` inside). */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/** The two labels a workload's selector uses. Never the version, never the region. */
export function selectorLabels(ctx: LabelContext, instance: string): Record<string, string> {
  return { 'app.kubernetes.io/name': ctx.app, 'app.kubernetes.io/instance': instance };
}

/** The recommended labels plus the region, on every object and pod template. */
export function objectLabels(
  ctx: LabelContext,
  instance: string,
  component: Component,
): Record<string, string> {
  return {
    ...selectorLabels(ctx, instance),
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': ctx.app,
    'app.kubernetes.io/version': ctx.release,
    'app.kubernetes.io/managed-by': MANAGED_BY,
    [REGION_LABEL]: ctx.region,
  };
}

/**
 * `<app>-<process>`: Deployment, Service, HPA, ScaledObject and PodMonitor of one process share it. Worker and
 * cron names may hold `_` and capitals (`stale_cleanup`): their DNS-label form is used (`stale-cleanup`).
 */
export function processName(app: string, process: string): string {
  return `${app}-${dnsLabelOf(process)}`;
}

/**
 * A cron's `instance` label. It differs from a worker's (`<app>-<name>`) so that a worker and a cron of the
 * same name never select each other's pods.
 */
export function cronInstance(app: string, cron: string): string {
  return `${app}-cron-${dnsLabelOf(cron)}`;
}

/** The container's name: the process's DNS-label form. */
export function containerName(process: string): string {
  return dnsLabelOf(process);
}

/**
 * `nightshift.dev/name: <manifest name>` when the Kubernetes name is not the manifest's, else nothing: names
 * that are labels already render exactly as before (a new pod-template annotation would roll every pod).
 */
export function nameAnnotation(process: string): Record<string, string> {
  return dnsLabelOf(process) === process ? {} : { [NAME_ANNOTATION]: process };
}

/** `meta` plus the name annotation when there is one (no empty `annotations` in the output). */
export function withNameAnnotation<T extends object>(metadata: T, process: string): T {
  const annotations = nameAnnotation(process);
  return Object.keys(annotations).length > 0 ? { ...metadata, annotations } : metadata;
}
