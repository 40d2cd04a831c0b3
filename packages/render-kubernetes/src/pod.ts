import type { CommandSpec, HealthSpec, MetricsSpec, ResourcesSpec } from '@nightshift/manifest';
import type { EnvVar } from './env.js';
import { CONFIG_HASH_ANNOTATION } from './names.js';
import { cpuQuantity, memoryQuantity, seconds } from './quantity.js';

/** Container and pod-template pieces shared by Deployments, CronJobs and the predeploy Job. */

/** The ports a process listens on, by number → name. Probes, Services and PodMonitors refer to the name. */
export function portNames(
  webPort: number | null,
  metrics: MetricsSpec | null,
  health: HealthSpec | null,
): Map<number, string> {
  const names = new Map<number, string>();
  // When two roles share a port it gets the first name: web traffic, then metrics, then health.
  if (webPort !== null) names.set(webPort, 'http');
  if (metrics && !names.has(metrics.port)) names.set(metrics.port, 'metrics');
  if (health && !names.has(health.port)) names.set(health.port, 'health');
  return names;
}

/** `command` replaces the image's entrypoint and `args` its CMD; a shell command keeps `sh -c` in `command`. */
export function commandFields(command: CommandSpec): { command: string[]; args: string[] } {
  const argv = [...command.argv];
  if (command.shell) return { command: argv.slice(0, -1), args: argv.slice(-1) };
  return { command: argv.slice(0, 1), args: argv.slice(1) };
}

/** Requests for what is set; memory also as the limit (an OOM kill beats a node under memory pressure). */
export function resourceFields(resources: ResourcesSpec): Record<string, Record<string, string>> | null {
  const requests: Record<string, string> = {};
  if (resources.cpu !== null) requests.cpu = cpuQuantity(resources.cpu);
  if (resources.memory !== null) requests.memory = memoryQuantity(resources.memory);
  if (Object.keys(requests).length === 0) return null;
  return resources.memory === null
    ? { requests }
    : { requests, limits: { memory: memoryQuantity(resources.memory) } };
}

/**
 * An HTTP or TCP probe on the health port, by name. The liveness probe waits out `start_period` (as the local
 * daemon does, failures before it do not count); readiness does not, so web takes traffic as soon as it answers.
 */
export function probe(
  health: HealthSpec,
  ports: Map<number, string>,
  kind: 'liveness' | 'readiness',
): Record<string, unknown> {
  const port = ports.get(health.port) ?? health.port;
  const action =
    health.type === 'http' ? { httpGet: { path: health.path ?? '/', port } } : { tcpSocket: { port } };
  const delay = kind === 'liveness' ? seconds(health.startPeriodMs) : 0;
  return {
    ...action,
    ...(delay > 0 ? { initialDelaySeconds: delay } : {}),
    periodSeconds: seconds(health.intervalMs, 1),
    timeoutSeconds: seconds(health.timeoutMs, 1),
    failureThreshold: health.failures,
  };
}

export interface ContainerInput {
  readonly name: string;
  readonly image: string;
  readonly command: CommandSpec;
  readonly env: readonly EnvVar[];
  readonly envFrom: readonly Record<string, unknown>[];
  readonly resources: ResourcesSpec;
  readonly ports: Map<number, string>;
  readonly liveness: Record<string, unknown> | null;
  readonly readiness: Record<string, unknown> | null;
}

/** One container, with only the fields that have a value (the output stays readable). */
export function container(input: ContainerInput): Record<string, unknown> {
  const resources = resourceFields(input.resources);
  const ports = [...input.ports].map(([containerPort, name]) => ({ name, containerPort, protocol: 'TCP' }));
  return {
    name: input.name,
    image: input.image,
    ...commandFields(input.command),
    ...(input.envFrom.length > 0 ? { envFrom: input.envFrom } : {}),
    env: input.env,
    ...(ports.length > 0 ? { ports } : {}),
    ...(resources ? { resources } : {}),
    ...(input.liveness ? { livenessProbe: input.liveness } : {}),
    ...(input.readiness ? { readinessProbe: input.readiness } : {}),
    securityContext: { allowPrivilegeEscalation: false },
  };
}

export interface PodTemplateInput {
  readonly labels: Record<string, string>;
  readonly configHash: string;
  readonly extraAnnotations: Record<string, string>;
  readonly restartPolicy: 'Always' | 'Never';
  readonly terminationGracePeriodSeconds: number | null;
  readonly container: Record<string, unknown>;
}

/** A pod template: no service-account token and no service links (workers call no Kubernetes API). */
export function podTemplate(input: PodTemplateInput): Record<string, unknown> {
  return {
    metadata: {
      labels: input.labels,
      annotations: { [CONFIG_HASH_ANNOTATION]: input.configHash, ...input.extraAnnotations },
    },
    spec: {
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      restartPolicy: input.restartPolicy,
      ...(input.terminationGracePeriodSeconds !== null
        ? { terminationGracePeriodSeconds: input.terminationGracePeriodSeconds }
        : {}),
      containers: [input.container],
    },
  };
}
